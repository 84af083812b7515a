"""The widget's "Follow this post" option: each comment or a daily digest, asked with the comment."""

import pytest
from sqlalchemy import select

from service.db import db
from service.mail_models import Subscription

from .widget_pages import WIDGET, Seeder, post_page, rendered

pytestmark = pytest.mark.browser


def _follows(live_app, email):
    with live_app.app_context():
        return [(row.kind, row.digest, row.confirmed) for row in
                db.session.scalars(select(Subscription).where(Subscription.email == email))]


def test_a_reader_follows_the_post_daily_and_is_asked_to_confirm(page, service, blog, live_app, blog_site):
    Seeder(live_app, blog_site).setting("moderation", "none")
    page.goto(post_page(blog, service))
    rendered(page, 0)
    form = page.locator(f"{WIDGET} .form-new")
    form.locator("textarea").fill("Count me in")
    assert not form.locator("select[name=digest]").is_visible()  # how often shows once following is ticked
    form.get_by_label("Follow this post by e-mail").check()
    form.locator("select[name=digest]").select_option("daily")
    form.locator("button.primary").click()
    assert form.locator("[aria-invalid=true]").get_attribute("type") == "email"  # following needs an address

    form.locator("input[type=email]").fill("follower@example.org")
    form.locator("button.primary").click()
    page.get_by_text("Please confirm by the link we e-mailed you.").wait_for()
    assert _follows(live_app, "follower@example.org") == [("thread", "daily", None)]


def test_the_follow_option_speaks_the_readers_language(page, service, blog, live_app, blog_site):
    page.goto(post_page(blog, service, lang="fr"))
    rendered(page, 0)
    form = page.locator(f"{WIDGET} .form-new")
    form.get_by_label("Suivre cet article par e-mail").check()
    form.locator("select[name=digest]").wait_for()  # drawn by mail.js, loaded on ticking
    assert form.locator("select[name=digest] option").all_text_contents() == ["chaque commentaire", "une fois par jour"]

