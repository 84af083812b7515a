"""The widget tells the service which page a comment was written on (issue 17, finding 1):
the page's own address, without its fragment, becomes the thread's link once a comment is approved."""

import json

import pytest
import requests

from service import sites
from service.db import db
from service.mail_models import Outbox
from service.models import Thread, utcnow
from service.notify import letters

from .widget_pages import WIDGET, Seeder, post_page, rendered

pytestmark = pytest.mark.browser


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


def _moderator_mail(live_app, comment_id):
    """The moderator's mail about `comment_id` as the worker would compose it now."""
    with live_app.app_context():
        rows = db.session.query(Outbox).filter_by(kind="mail").all()
        payload = next(row.payload for row in rows
                       if row.payload.get("letter") == "moderator" and row.payload.get("comment_id") == comment_id)
        message = letters.compose(payload, live_app.config, utcnow())
        return message.get_body(("plain",)).get_content()


def test_mail_feed_and_export_link_to_the_post_not_the_blogs_home_page(page, service, blog, live_app, blog_site):
    """Chromium's default referrer policy sends a cross-origin request only the blog's origin as
    Referer; the widget's own `url` is what makes these links point at the post."""
    seed = Seeder(live_app, blog_site)
    seed.setting("notify", "all")  # the owner is mailed about approved comments too
    address = post_page(blog, service)
    referrers = []
    page.on("request", lambda request: request.method == "POST" and "/api/comments" in request.url
            and referrers.append(request.headers.get("referer")))
    page.goto(address + "?ref=feed")
    rendered(page, 0)
    page.fill(f"{WIDGET} textarea", "Lovely post")
    page.click(f"{WIDGET} button.primary")
    held = page.locator(f"{WIDGET} .comment.held")
    held.wait_for()
    assert referrers == [blog.origin + "/"]  # what the service would have had without the widget's url
    comment_id = int(held.get_attribute("id").split("-")[1])
    seed.moderate(comment_id, "approve")
    post_link = f"{address}?ref=feed#comment-{comment_id}"

    assert post_link in _moderator_mail(live_app, comment_id)
    feed = requests.get(f"{service.url}/api/feed", params={"site": blog_site}, timeout=10).text
    assert f'href="{post_link}"' in feed.replace("&amp;", "&")
    exported = json.loads(service.server.tandem("export", "--site", blog_site).stdout)
    assert [thread["url"] for thread in exported["threads"]] == [address + "?ref=feed"]
