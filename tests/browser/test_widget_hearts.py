"""The author's heart in the widget (SPEC 14): "♥ by the author" under a hearted comment, in the reader's language."""

import pytest

from service import moderation

from .widget_pages import WIDGET, Seeder, post_page, rendered

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang, mark", [("en", "♥ by the author"), ("de", "♥ vom Autor"), ("fr", "♥ de l’auteur"),
                                        ("es", "♥ del autor")])
def test_a_hearted_comment_shows_the_authors_heart(page, service, blog, live_app, blog_site, lang, mark):
    seed = Seeder(live_app, blog_site)
    loved = seed.comment("What a lovely post", author="Ada")
    plain = seed.comment("Nice", author="Bo")
    with live_app.app_context():
        moderation.set_hearted(None, loved, True)
    page.goto(post_page(blog, service, lang=lang))
    rendered(page, 2)
    assert page.locator(f"{WIDGET} #comment-{loved} .meta .hearted").text_content() == mark
    assert page.locator(f"{WIDGET} #comment-{plain} .hearted").count() == 0
