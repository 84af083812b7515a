"""For the author by mail (SPEC 14): `heart` in an answer to a notice, and the moderators' daily digest."""

import threading
from datetime import datetime, timedelta

import pytest

from service import accounts, comments, moderation, sites
from service.notify import moderator_digest
from service.notify.worker import Worker

from .notify_support import PUBLIC_URL, text_of
from .test_reply_by_mail_live import spam_score


@pytest.fixture
def app(make_app, smtp_sink):
    """Mail goes to the sink."""
    return make_app(SMTP_HOST="127.0.0.1", SMTP_PORT=smtp_sink.port, PUBLIC_URL=PUBLIC_URL)


# --- the moderators' daily digest -------------------------------------------------------------

DIGEST_TO = "author@example.com"
MORNING = datetime(2026, 11, 30, 7, 0)


@pytest.fixture
def digest_world(app, site, make_reader):
    """A moderator of the blog who wants the digest; one held comment, one unanswered, one answered."""
    with app.app_context():
        blog = sites.get_site(site)
        sites.update_site(blog, settings={"notify": "none"})
        account = accounts.create_moderator(DIGEST_TO, None, sites=[blog])
        accounts.set_daily_digest(account, True)
        accounts.create_moderator("quiet@example.com", None, sites=[blog])  # no digest asked for
    held = make_reader().post("Please let me in", author="Hedda").json["comment"]["id"]
    waiting, answered = make_reader(), make_reader()
    unanswered = waiting.post("Will you write more about knots?", author="Una").json["comment"]["id"]
    done = answered.post("Already answered", author="Ann").json["comment"]["id"]
    with app.app_context():
        comments.moderate([unanswered, done], "approve")
        moderation.reply(accounts.find_moderator(DIGEST_TO), sites.get_site(site), "/post/", "Thanks, Ann!",
                         parent_id=done)
    return {"held": held, "unanswered": unanswered, "answered": done}


def tick(app, now):
    Worker(app).tick(now)


def digests(smtp_sink):
    return [message for message in smtp_sink.to(DIGEST_TO) if "digest" in message["Subject"].lower()
            or "Übersicht" in message["Subject"]]


def test_the_daily_digest_lists_held_and_unanswered_comments_once_a_day(app, digest_world, smtp_sink):
    tick(app, MORNING)
    [digest] = digests(smtp_sink)
    assert digest["Subject"] == "Your daily digest: 1 held, 1 unanswered"
    text, html = text_of(digest), digest.get_body(("html",)).get_content()
    for body in (text, html):
        assert "Please let me in" in body and "Will you write more about knots?" in body
        assert "Already answered" not in body and "Thanks, Ann!" not in body
        assert "Hedda" in body and "Una" in body and "/admin/unanswered" in body
    assert f"#comment-{digest_world['unanswered']}" in text
    assert spam_score(digest) < 1.0  # SpamAssassin, offline rules
    tick(app, MORNING + timedelta(hours=5))  # later the same day: nothing more
    assert len(digests(smtp_sink)) == 1 and smtp_sink.to("quiet@example.com") == []
    tick(app, MORNING + timedelta(days=1))
    assert len(digests(smtp_sink)) == 2


def test_several_workers_send_one_digest_a_day(app, make_app, digest_world, smtp_sink):
    other_host = make_app(SMTP_HOST="127.0.0.1", SMTP_PORT=smtp_sink.port)
    with app.app_context():
        assert moderator_digest.send_due(MORNING) == 1
    with other_host.app_context():
        assert moderator_digest.send_due(MORNING + timedelta(minutes=1)) == 0
    for worker_app in (app, other_host):
        tick(worker_app, MORNING + timedelta(minutes=2))
    assert len(digests(smtp_sink)) == 1


def test_no_digest_when_nothing_is_held_or_unanswered(app, digest_world, smtp_sink):
    with app.app_context():
        comments.moderate([digest_world["held"]], "reject")
        moderation.reply(accounts.find_moderator(DIGEST_TO), sites.get_site("blog"), "/post/", "Yes!",
                         parent_id=digest_world["unanswered"])
    tick(app, MORNING)
    assert digests(smtp_sink) == []


def test_the_digest_is_in_the_sites_language_and_stops_when_turned_off(app, digest_world, smtp_sink):
    with app.app_context():
        sites.update_site(sites.get_site("blog"), settings={"language": "de"})
    tick(app, MORNING)
    [digest] = digests(smtp_sink)
    assert digest["Subject"] == "Ihre tägliche Übersicht: 1 zurückgehalten, 1 unbeantwortet"
    assert "Leser, die auf eine Antwort warten" in text_of(digest)
    with app.app_context():
        accounts.set_daily_digest(accounts.find_moderator(DIGEST_TO), False)
    tick(app, MORNING + timedelta(days=1))
    assert len(digests(smtp_sink)) == 1


def test_an_account_without_a_real_mailbox_gets_no_digest(app, digest_world, smtp_sink):
    with app.app_context():
        account = accounts.find_moderator(DIGEST_TO)
        accounts.change_email(account, "admin@localhost")
        assert moderator_digest.send_due(MORNING) == 0
    tick(app, MORNING)
    assert smtp_sink.messages == []


def test_the_admin_page_turns_the_digest_on_and_off(app, site, client):
    with app.app_context():
        accounts.create_moderator(DIGEST_TO, "a long enough password", sites=[sites.get_site(site)])
    assert client.post("/admin/login", data={"email": DIGEST_TO, "password": "a long enough password"}).status_code == 303
    page = client.get("/admin/unanswered").get_data(as_text=True)
    assert 'id="digest"' in page and 'value="off" checked' in page
    saved = client.post("/admin/digest", data={"daily_digest": "on"})
    assert saved.status_code == 303 and saved.headers["Location"].endswith("/admin/unanswered#digest")
    assert 'value="on" checked' in client.get("/admin/unanswered").get_data(as_text=True)
    with app.app_context():
        assert accounts.find_moderator(DIGEST_TO).daily_digest is True
    client.post("/admin/digest", data={"daily_digest": "off"})
    with app.app_context():
        assert accounts.find_moderator(DIGEST_TO).daily_digest is False
    assert client.post("/admin/digest", data={"daily_digest": "maybe"}).status_code == 303  # refused with a message


def test_workers_racing_for_the_same_day_queue_one_digest(app, make_app, digest_world, smtp_sink):
    """Four workers (each its own app, as on four hosts) claim the same morning at the same moment."""
    hosts = [make_app(SMTP_HOST="127.0.0.1", SMTP_PORT=smtp_sink.port) for _ in range(4)]
    start, queued = threading.Barrier(len(hosts)), []

    def race(host):
        with host.app_context():
            start.wait()
            queued.append(moderator_digest.send_due(MORNING))

    racers = [threading.Thread(target=race, args=(host,)) for host in hosts]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join()
    assert sorted(queued) == [0, 0, 0, 1]
    tick(app, MORNING)
    assert len(digests(smtp_sink)) == 1
