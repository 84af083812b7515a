"""The widget on a WordPress blog with plain permalinks (issue 12, point 11): each `/?p=N` is its
own thread by default, with no `data-uri` in the snippet; other query parameters do not split it."""

import pytest

from .widget_pages import WIDGET, Seeder, post_page, rendered

pytestmark = pytest.mark.browser


def test_each_plain_permalink_post_shows_its_own_thread(page, service, blog, live_app, blog_site):
    Seeder(live_app, blog_site, uri="/?p=12").comment("Said under post twelve")
    Seeder(live_app, blog_site, uri="/?p=13").comment("Said under post thirteen")
    home = post_page(blog, service, path="/")
    page.goto(home + "?p=12&utm_source=feed")
    rendered(page, 1)
    assert "Said under post twelve" in page.locator(f"{WIDGET} .list").inner_text()
    page.goto(home + "?utm_source=feed&p=13")
    rendered(page, 1)
    assert "Said under post thirteen" in page.locator(f"{WIDGET} .list").inner_text()
    page.goto(home)
    rendered(page, 0)
