"""Following a thread (SPEC 14): double opt-in, a mail per new approved comment or a daily digest,
one-click unsubscribe, and the hourly limit that folds the rest into a digest without losing a comment.

Mail goes to a real SMTP sink; the worker and the digests run with a clock the tests move.
"""

from datetime import timedelta

import pytest

from service import comments, sites
from service.db import db
from service.models import Comment, utcnow
from service.notify import followmail, worker

from .conftest import ORIGIN
from .notify_support import PUBLIC_URL, link_to, text_of

FAN = "fan@example.com"
HOUR, DAY = timedelta(hours=1), timedelta(days=1)


@pytest.fixture
def app(make_app, smtp_sink):
    return make_app(SMTP_HOST="127.0.0.1", SMTP_PORT=smtp_sink.port, PUBLIC_URL=PUBLIC_URL, MAIL_HOURLY_LIMIT=3)


@pytest.fixture
def open_site(app, site):
    with app.app_context():
        sites.update_site(sites.get_site(site), settings={"moderation": "none", "notify": "none"})
    return site


def follow(client, email=FAN, digest="each", uri="/post/", site="blog"):
    return client.post("/api/subscriptions", json={"site": site, "uri": uri, "email": email, "digest": digest},
                       headers={"Origin": ORIGIN})


def deliver(app, now=None):
    with app.app_context():
        worker.run_once(now)


def digests(app, now):
    with app.app_context():
        return followmail.send_due_digests(app.config, now)


def confirmed_follower(app, client, smtp_sink, digest="each", email=FAN):
    """Follow /post/ and confirm by the link in the mail; returns the time it was done."""
    assert follow(client, email, digest).status_code == 202
    deliver(app)
    [confirmation] = smtp_sink.to(email)
    assert "/post/" in confirmation["Subject"]
    client.post(link_to(confirmation, "/confirm/"))
    smtp_sink.messages.clear()
    return utcnow()


def test_following_answers_202_and_mails_only_after_the_confirmation(app, client, open_site, make_reader, smtp_sink):
    answer = follow(client)
    assert (answer.status_code, answer.json) == (202, {})
    make_reader().post("Before confirming", author="Bob")
    deliver(app)
    [confirmation] = smtp_sink.to(FAN)
    assert "Before confirming" not in text_of(confirmation)

    client.post(link_to(confirmation, "/confirm/"))
    make_reader().post("After confirming", author="Bob")
    deliver(app)
    [_, news] = smtp_sink.to(FAN)
    assert "Bob" in news["Subject"] and "After confirming" in text_of(news)
    assert news["List-Unsubscribe"].startswith(f"<{PUBLIC_URL}/leave/")
    assert news["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link_to(news, "/stop/") and news.get_body(("html",)) is not None


def test_asking_again_reveals_nothing_and_sends_no_second_confirmation(app, client, open_site, smtp_sink):
    confirmed_follower(app, client, smtp_sink)
    again = follow(client)
    assert (again.status_code, again.json) == (202, {})
    deliver(app)
    assert smtp_sink.to(FAN) == []


def test_a_follower_never_gets_their_own_comments(app, client, open_site, make_reader, smtp_sink):
    confirmed_follower(app, client, smtp_sink)
    make_reader().post("Mine", author="Fan", email="Fan@Example.com")
    make_reader().post("Someone else's", author="Bob")
    deliver(app)
    [news] = smtp_sink.to(FAN)
    assert "Someone else's" in text_of(news) and "Mine" not in text_of(news)


def test_a_held_comment_is_mailed_when_a_moderator_approves_it(app, client, site, make_reader, smtp_sink):
    confirmed_follower(app, client, smtp_sink)
    held = make_reader().post("Held at first", author="Bob").json["comment"]["id"]
    deliver(app)
    assert smtp_sink.to(FAN) == []
    with app.app_context():
        comments.moderate([held], "approve")
    deliver(app)
    [news] = smtp_sink.to(FAN)
    assert "Held at first" in text_of(news)


def test_a_daily_follower_gets_one_digest_a_day_with_the_new_comments(app, client, open_site, make_reader, smtp_sink):
    start = confirmed_follower(app, client, smtp_sink, digest="daily")
    for text in ("One", "Two", "Three"):
        make_reader().post(f"Comment {text}", author=text)
    deliver(app)
    assert digests(app, start + HOUR) == 0 and smtp_sink.to(FAN) == []

    worker.Worker(app).tick(start + DAY + HOUR)  # the worker sends the digests that are due
    [digest] = smtp_sink.to(FAN)
    assert all(f"Comment {text}" in text_of(digest) for text in ("One", "Two", "Three"))
    assert digest["List-Unsubscribe"].startswith(f"<{PUBLIC_URL}/leave/")

    make_reader().post("Comment Four", author="Four")
    assert digests(app, start + DAY + 2 * HOUR) == 0  # a day after the last digest, not before
    assert digests(app, start + 2 * DAY + 2 * HOUR) == 1
    assert "Comment Four" in text_of(smtp_sink.to(FAN)[-1]) and "Comment One" not in text_of(smtp_sink.to(FAN)[-1])


def test_over_the_hourly_limit_comments_fold_into_one_digest_and_none_is_lost(app, client, open_site, make_reader,
                                                                              smtp_sink):
    start = confirmed_follower(app, client, smtp_sink) + 2 * HOUR  # the confirmation's hour is over
    texts = [f"Comment number {n}" for n in range(1, 8)]
    for text in texts:
        make_reader().post(text, author="Bob")
    deliver(app, start)
    assert digests(app, start) == 0
    assert len(smtp_sink.to(FAN)) == 3  # TANDEM_MAIL_HOURLY_LIMIT=3

    assert digests(app, start + 30 * timedelta(minutes=1)) == 0  # the hour is still full
    assert digests(app, start + HOUR + timedelta(minutes=1)) == 1
    mails = smtp_sink.to(FAN)
    assert len(mails) == 4
    for text in texts:
        assert sum(text in text_of(mail) for mail in mails) == 1, text


def test_a_reply_notice_over_the_limit_folds_into_the_digest(app, client, open_site, make_reader, smtp_sink):
    ann, bob = make_reader(), make_reader()
    parent = ann.post("Tell me", email=FAN, notify=True).json["comment"]["id"]
    deliver(app)
    client.post(link_to(smtp_sink.to(FAN)[0], "/confirm/"))
    start = utcnow() + 2 * HOUR
    for n in range(5):
        bob.post(f"Reply number {n}", parent=parent, author="Bob")
    deliver(app, start)
    assert len(smtp_sink.to(FAN)) == 1 + 3
    digests(app, start + HOUR + timedelta(minutes=1))
    mails = smtp_sink.to(FAN)[1:]
    assert len(mails) == 4
    for n in range(5):
        assert sum(f"Reply number {n}" in text_of(mail) for mail in mails) == 1


def test_a_follower_told_of_a_reply_to_them_gets_one_mail_of_it_not_two(app, client, open_site, make_reader,
                                                                          smtp_sink):
    ann, bob = make_reader(), make_reader()
    parent = ann.post("Tell me", email=FAN, notify=True).json["comment"]["id"]
    deliver(app)
    client.post(link_to(smtp_sink.to(FAN)[0], "/confirm/"))
    smtp_sink.messages.clear()
    confirmed_follower(app, client, smtp_sink)

    bob.post("A reply to you", parent=parent, author="Bob")
    deliver(app, utcnow() + 2 * HOUR)  # an hour of its own: the hourly limit folds nothing
    [notice] = smtp_sink.to(FAN)
    assert "A reply to you" in text_of(notice) and not notice["Subject"].startswith("New comment")

    bob.post("A comment of its own", author="Bob")
    deliver(app, utcnow() + 4 * HOUR)
    [_, news] = smtp_sink.to(FAN)
    assert "A comment of its own" in text_of(news)


def test_one_click_leave_needs_no_cookie_works_twice_and_stops_the_thread(app, client, open_site, make_reader,
                                                                          smtp_sink):
    confirmed_follower(app, client, smtp_sink)
    make_reader().post("First", author="Bob")
    deliver(app)
    leave = smtp_sink.to(FAN)[0]["List-Unsubscribe"][1 + len(PUBLIC_URL):-1]
    fresh = app.test_client()  # a mail client: no cookie, no CSRF token
    for _ in range(2):
        answer = fresh.post(leave, data="List-Unsubscribe=One-Click",
                            content_type="application/x-www-form-urlencoded")
        assert answer.status_code == 200 and "You are unsubscribed" in answer.text
    make_reader().post("Second", author="Bob")
    deliver(app)
    assert len(smtp_sink.to(FAN)) == 1


def test_the_stop_all_link_ends_every_mail_from_the_site(app, client, open_site, make_reader, smtp_sink):
    confirmed_follower(app, client, smtp_sink)
    ann = make_reader()
    parent = ann.post("Tell me", email=FAN, notify=True, uri="/other/").json["comment"]["id"]
    deliver(app)
    client.post(link_to(smtp_sink.to(FAN)[0], "/confirm/"))
    make_reader().post("On the followed post", author="Bob")
    deliver(app)
    stop = link_to(smtp_sink.to(FAN)[-1], "/stop/")
    assert "Stop all mail from this site?" in client.get(stop).text
    assert "Nothing more from this site" in client.post(stop).text
    count = len(smtp_sink.to(FAN))
    make_reader().post("Another on the followed post", author="Bob")
    make_reader().post("A reply elsewhere", parent=parent, uri="/other/", author="Bob")
    deliver(app)
    assert len(smtp_sink.to(FAN)) == count


@pytest.mark.parametrize("body, field", [
    ({"digest": "weekly"}, "digest"),
    ({"email": "not an address"}, "email"),
    ({"email": "a@example.org, b@example.org"}, "email"),
    ({"uri": ""}, "uri"),
])
def test_bad_follow_requests_get_a_clear_error(client, site, body, field):
    answer = client.post("/api/subscriptions", json={"site": "blog", "uri": "/post/", "email": FAN, **body},
                         headers={"Origin": ORIGIN})
    assert answer.status_code == 400 and answer.json["error"]["field"] == field


def test_following_from_another_origin_or_an_unknown_site_is_refused(client, site):
    assert follow(client, site="nope").status_code == 404
    other = client.post("/api/subscriptions", json={"site": "blog", "uri": "/post/", "email": FAN},
                        headers={"Origin": "https://evil.example"})
    assert other.status_code == 403


def test_an_unconfirmed_follow_is_never_mailed_and_its_news_not_kept(app, client, open_site, make_reader, smtp_sink):
    follow(client)
    make_reader().post("Nobody is told", author="Bob")
    deliver(app)
    with app.app_context():
        assert db.session.query(Comment).count() == 1
        assert followmail.send_due_digests(app.config, utcnow() + 2 * DAY) == 0
    assert len(smtp_sink.to(FAN)) == 1  # the confirmation only


def test_forgetting_an_address_ends_its_follows_and_their_waiting_news(app, client, open_site, make_reader,
                                                                       smtp_sink):
    from service import accounts, erasure
    from service.mail_models import FollowNews, Subscription

    confirmed_follower(app, client, smtp_sink, digest="daily")
    make_reader().post("Waiting for the digest", author="Bob")
    with app.app_context():
        owner = accounts.create_moderator("owner@example.com", None, owner=True)
        assert db.session.query(FollowNews).count() == 1
        erasure.forget(owner, FAN)
        assert db.session.query(Subscription).count() == 0 and db.session.query(FollowNews).count() == 0
