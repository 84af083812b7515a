"""The admin's navigation fits one line at 1,000 px (issue 12, point 8), as the owner sees it
(every link, the longest set) with a long e-mail address beside it."""

import pytest

from service import accounts

pytestmark = pytest.mark.browser

LONG_EMAIL = "the.owner.of.a.blog.with.a.long.name@comments.example-blog.org"
PASSWORD = "a long enough password"


def test_the_admin_navigation_does_not_wrap_at_1000_pixels(browser, service, live_app):
    with live_app.app_context():
        email = f"{service.site}.{LONG_EMAIL}"
        accounts.create_moderator(email, PASSWORD, [], True)
    page = browser.new_context(viewport={"width": 1000, "height": 700}).new_page()
    page.goto(f"{service.url}/admin/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{service.url}/admin/")
    rows = page.evaluate("""() => {
        const middle = el => { const box = el.getBoundingClientRect(); return Math.round((box.top + box.bottom) / 2); };
        return [...document.querySelectorAll('header.top nav a, header.top .brand, header.top .logout button')]
            .map(el => [el.textContent.trim(), middle(el), el.getBoundingClientRect().right]);
    }""")
    assert len(rows) >= 11, rows
    middles = [middle for _, middle, _ in rows]
    assert max(middles) - min(middles) <= 4, rows  # one line: every item centred on the same row
    assert max(right for _, _, right in rows) <= 1000, rows
    assert page.evaluate("document.documentElement.scrollWidth") <= 1000
    page.context.close()
