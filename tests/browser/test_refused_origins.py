"""Origins are easy to get right (issue 12, point 3): a blog on an origin its site does not list is
refused, the owner's Sites page names that origin, and one click allows it."""

import pytest

from service import sites

from ..live import OWNER, OWNER_PASSWORD
from .widget_pages import WIDGET, post_page, rendered

pytestmark = pytest.mark.browser


def test_owner_allows_a_refused_origin_from_the_sites_page(page, browser, service, blog, live_app, blog_site):
    # The blogger listed localhost, but the blog is opened as 127.0.0.1: another origin.
    with live_app.app_context():
        sites.update_site(sites.get_site(blog_site), origins=[blog.origin.replace("127.0.0.1", "localhost")])
    reader = page
    address = post_page(blog, service)
    reader.goto(address)
    rendered(reader, 0)
    reader.fill(f"{WIDGET} textarea", "Lovely post")
    reader.click(f"{WIDGET} button.primary")
    reader.locator(WIDGET).get_by_text("Comments cannot be posted from this page.").wait_for()

    owner = browser.new_page()  # a browser of its own
    _allow_as_owner(owner, service, blog, blog_site)
    owner.context.close()

    reader.reload()
    rendered(reader, 0)
    reader.fill(f"{WIDGET} textarea", "Lovely post")
    reader.click(f"{WIDGET} button.primary")
    reader.locator(f"{WIDGET} .comment.held").wait_for()


def _allow_as_owner(owner, service, blog, blog_site):
    owner.goto(f"{service.url}/admin/sites")
    owner.fill("input[name=email]", OWNER)
    owner.fill("input[name=password]", OWNER_PASSWORD)
    owner.click("button[type=submit]")
    row = owner.locator("tr", has=owner.get_by_role("link", name=blog_site, exact=True))
    refusal = row.locator("form.refused-origin", has_text=blog.origin)
    refusal.wait_for()
    assert f"Posts from {blog.origin} were refused (1 time," in refusal.inner_text()
    refusal.get_by_role("button", name=f"Allow {blog.origin}").click()
    owner.get_by_text(f"{blog_site} now accepts posts from {blog.origin}.").wait_for()
    assert row.locator("form.refused-origin").count() == 0
