"""Helpers for the widget's browser tests: blog pages carrying the snippet, and threads seeded
through the service layer, as a blog's readers and moderators would have written them."""

from datetime import timedelta

from service import accounts, comments, sites
from service.db import db
from service.models import Comment, Thread, utcnow

WIDGET = "#tandem-comments"


def snippet(service, site=None, **attributes):
    site = site or service.site
    extra = "".join(f' data-{name}="{value}"' for name, value in attributes.items())
    return (f'<div id="tandem-comments"></div>\n'
            f'<script src="{service.url}/embed.js" data-site="{site}"{extra} defer></script>')


def post_page(blog, service, path="/post/", head="", before="", **attributes):
    """A blog post on the blog's own origin with the snippet under it; returns its URL."""
    html = (f"<!doctype html><html><head><title>A post</title>{head}</head><body>"
            f"<h1>A post</h1>{before}{snippet(service, **attributes)}</body></html>")
    return blog.add(path, html)


def strict_page(blog, service):
    """The post under the strictest Content-Security-Policy that lets the widget work (SPEC 2)."""
    policy = (f"default-src 'none'; script-src {service.url}; style-src {service.url}; "
              f"connect-src {service.url}; img-src {service.url}")
    return blog.add("/strict/", f"<!doctype html><title>Strict</title>{snippet(service, uri='/post/')}",
                    Content_Security_Policy=policy)


def rendered(page, count=None):
    """Wait until the widget has drawn the thread (and, if given, shows `count` comments)."""
    page.wait_for_selector(f"{WIDGET} .list", state="attached")
    if count is not None:
        page.wait_for_function(
            "n => document.querySelector('#tandem-comments').shadowRoot.querySelectorAll('.comment').length === n",
            arg=count)


class Seeder:
    """Writes comments the way the service does, inside the live app."""

    def __init__(self, app, site, uri="/post/"):
        self.app, self.site_key, self.uri = app, site, uri
        self.clock = utcnow() - timedelta(days=2)

    def comment(self, text, author=None, parent=None, approve=True, moderator=None, **fields):
        with self.app.app_context():
            site = sites.get_site(self.site_key)
            self.clock += timedelta(minutes=1)
            author = comments.Author(name=author, moderator=moderator and accounts.find_moderator(moderator), **fields)
            posted = comments.post_comment(site, self.uri, text, author, parent_id=parent, now=self.clock)
            if approve and posted.comment.status != "approved":
                comments.moderate([posted.comment.id], "approve")
            return posted.comment.id

    def moderator(self, email="writer@blog.example"):
        with self.app.app_context():
            accounts.create_moderator(email, sites=[sites.get_site(self.site_key)])
        return email

    def many(self, count):
        """`count` approved top-level comments at once; posting each would make the tests slow."""
        first = self.comment("Comment 1")
        with self.app.app_context():
            model = db.session.get(Comment, first)
            db.session.add_all(
                Comment(site_id=model.site_id, thread_id=model.thread_id, status="approved", author=f"Reader {n}",
                        text=f"Comment {n}", html=f"<p>Comment {n}</p>", created=model.created + timedelta(seconds=n))
                for n in range(2, count + 1)
            )
            thread = db.session.get(Thread, model.thread_id)
            thread.approved_count, thread.version = count, thread.version + 1
            db.session.commit()
            return [c.id for c in db.session.query(Comment).filter_by(thread_id=model.thread_id)
                    .order_by(Comment.created, Comment.id)]

    def like(self, comment_id, times):
        with self.app.app_context():
            for n in range(times):
                comments.set_like(comment_id, f"voter-{comment_id}-{n}", True)

    def close(self):
        with self.app.app_context():
            site = sites.get_site(self.site_key)
            thread = db.session.query(Thread).filter_by(site_id=site.id, uri=self.uri).one()
            thread.closed, thread.version = True, thread.version + 1
            db.session.commit()

    def moderate(self, comment_id, action):
        with self.app.app_context():
            comments.moderate([comment_id], action)

    def setting(self, name, value):
        with self.app.app_context():
            sites.update_site(sites.get_site(self.site_key), settings={name: value})
