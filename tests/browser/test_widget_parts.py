"""The widget's parts that few readers use come in files of their own, which embed.js loads from
the service when a reader first needs one: mail.js (following a post, signing in by mail) and
own.js (editing and deleting one's own comment). A blog's strict Content-Security-Policy lets
them in as it lets in embed.js (SPEC 2), and a reader who uses neither never downloads them."""

import pytest

from .widget_pages import WIDGET, Seeder, rendered, strict_page

pytestmark = pytest.mark.browser

PARTS = ("/mail.js", "/own.js")


def test_the_other_parts_load_when_first_needed_under_a_strict_csp(page, service, blog, live_app, blog_site):
    Seeder(live_app, blog_site).setting("moderation", "none")
    refused, loaded = [], []
    page.on("console", lambda message: refused.append(message.text)
            if "Content Security Policy" in message.text or "Refused" in message.text else None)
    page.on("request", lambda request: loaded.append(request.url) if request.url.endswith(PARTS) else None)
    page.goto(strict_page(blog, service))
    rendered(page, 0)
    form = page.locator(f"{WIDGET} .form-new")
    form.locator("textarea").fill("Mine to change")
    form.locator("button.primary").click()
    mine = page.locator(f"{WIDGET} .list .comment")
    mine.wait_for()
    assert loaded == [], "a reader who only reads and posts downloads neither"

    form.get_by_label("Follow this post by e-mail").check()
    form.locator("select[name=digest]").wait_for()
    assert form.locator("select[name=digest] option").all_text_contents() == ["each comment", "once a day"]
    page.click(f"{WIDGET} summary:text('Commented here before?')")
    page.locator(f"{WIDGET} details button:text('Send')").wait_for()
    assert loaded == [f"{service.url}/mail.js"]

    mine.locator("button:text('Delete')").click()
    mine.locator("button:text('Really delete?')").wait_for()
    mine.locator("button:text('Edit')").click()
    mine.locator(".form-edit textarea").wait_for()
    assert mine.locator(".form-edit textarea").input_value() == "Mine to change"
    assert loaded == [f"{service.url}/mail.js", f"{service.url}/own.js"] and not refused
