"""The widget tells the service which page a comment was written on (issue 17, finding 1):
the page's own address, without its fragment, becomes the thread's link once a comment is approved."""

from service import sites
from service.db import db
from service.models import Thread

from .widget_pages import WIDGET, Seeder, post_page, rendered


def _thread(live_app, site_key, uri="/post/"):
    with live_app.app_context():
        site = sites.get_site(site_key)
        return db.session.query(Thread).filter_by(site_id=site.id, uri=uri).one()


def test_the_page_address_becomes_the_threads_link_once_a_comment_is_approved(page, service, blog, live_app,
                                                                             blog_site):
    address = post_page(blog, service)
    page.goto(address + "?ref=feed#tandem-comments")
    rendered(page, 0)
    page.fill(f"{WIDGET} textarea", "Lovely post")
    page.click(f"{WIDGET} button.primary")
    held = page.locator(f"{WIDGET} .comment.held")
    held.wait_for()
    thread = _thread(live_app, blog_site)
    assert (thread.title, thread.url) == (None, None)  # held: the page's facts wait with the comment
    Seeder(live_app, blog_site).moderate(int(held.get_attribute("id").split("-")[1]), "approve")
    thread = _thread(live_app, blog_site)
    assert thread.url == address + "?ref=feed"
    assert thread.url.startswith(blog.origin) and not thread.url.startswith(service.url)
    assert thread.title == "A post"
