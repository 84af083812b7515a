"""Webhooks signed for the site, and Akismet asked after the request, both against real loopback servers."""

import hashlib
import hmac
from datetime import timedelta

import pytest

from service import sites
from service.cli import main as tandem
from service.db import db
from service.models import Comment, utcnow
from service.notify import log, worker

from .notify_support import Receiver

ORIGIN = "https://blog.example.com"


def post(client, text="Hello", **fields):
    response = client.post("/api/comments", json={"site": "blog", "uri": "/post/", "text": text, **fields},
                           headers={"Origin": ORIGIN})
    assert response.status_code == 201
    return response.json["comment"]["id"]


def deliver(app, now=None):
    with app.app_context():
        worker.run_once(now)


def test_webhook_is_signed_with_the_secret_the_cli_prints(make_app, receiver):
    app = make_app(WEBHOOK_ALLOW_PRIVATE=True)  # the receiver is on loopback
    with app.app_context():
        sites.create_site("blog", "A blog", [ORIGIN],
                          {"challenge": "off", "webhook_url": receiver.url + "/hook", "notify": "none"})
    comment_id = post(app.test_client(), "Nice post", author="Ann")
    with app.app_context():
        from service import comments

        comments.moderate([comment_id], "approve")
    deliver(app)

    secret = app.test_cli_runner().invoke(tandem, ["webhook", "secret", "blog"]).output.strip()
    assert len(receiver.requests) == 2
    for request in receiver.requests:
        expected = "sha256=" + hmac.new(secret.encode(), request["body"], hashlib.sha256).hexdigest()
        assert hmac.compare_digest(request["headers"]["X-Tandem-Signature"], expected)
        assert request["headers"]["Content-Type"] == "application/json"
    created, approved = receiver.json_bodies()
    assert (created["event"], approved["event"]) == ("comment.created", "comment.approved")
    assert created["comment"]["status"] == "pending" and approved["comment"]["status"] == "approved"
    assert "Ann" in created["text"] and f"{ORIGIN}/post/#comment-{comment_id}" in created["text"]
    assert "email" not in created["comment"] and "ip" not in created["comment"]


def test_webhook_receiver_that_fails_is_retried_later(make_app):
    failing = Receiver(status=503, body=b"busy")
    try:
        app = make_app(WEBHOOK_ALLOW_PRIVATE=True)
        with app.app_context():
            sites.create_site("blog", "A blog", [ORIGIN], {"challenge": "off", "webhook_url": failing.url, "notify": "none"})
        post(app.test_client())
        now = utcnow()
        deliver(app, now)
        with app.app_context():
            [row] = log.recent_deliveries()
        assert row["state"] == "queued" and "HTTP 503" in row["last_error"]

        failing.status = 200
        deliver(app, now + worker.retry_delay(1))
        with app.app_context():
            [row] = log.recent_deliveries()
        assert row["state"] == "sent" and row["last_error"] is None
        assert len(failing.requests) == 2
        assert failing.requests[0]["body"] == failing.requests[1]["body"]
    finally:
        failing.close()


def akismet_answer(path, headers, body):
    if b"api_key=test-key" not in body:
        return 200, b"invalid"
    if path in ("/1.1/submit-spam", "/1.1/submit-ham"):
        return 200, b"Thanks for making the web a better place."
    return 200, b"true" if b"casino" in body else b"false"


@pytest.fixture
def akismet():
    server = Receiver(answer=akismet_answer)
    yield server
    server.close()


def akismet_app(make_app, url):
    app = make_app(AKISMET_KEY="test-key", AKISMET_URL=url)
    with app.app_context():
        sites.create_site("blog", "A blog", [ORIGIN],
                          {"challenge": "off", "akismet": True, "moderation": "none", "notify": "none"})
    return app


def status_of(app, comment_id):
    with app.app_context():
        return db.session.get(Comment, comment_id).status


def test_akismet_spam_is_taken_down_after_the_request(make_app, akismet):
    app = akismet_app(make_app, akismet.url)
    client = app.test_client()
    spam, fine = post(client, "Win at the casino"), post(client, "A thoughtful remark")
    assert akismet.requests == []  # nothing was asked during the readers' requests
    assert (status_of(app, spam), status_of(app, fine)) == ("pending", "pending")  # held until Akismet answers
    deliver(app)
    assert (status_of(app, spam), status_of(app, fine)) == ("spam", "approved")
    assert client.get(f"/api/comments/{spam}").status_code == 404
    assert len(akismet.requests) == 2


def test_akismet_outage_never_fails_the_post_and_is_retried(make_app, akismet):
    down = Receiver(status=500, body=b"")
    down.close()  # nothing listens: Akismet is unreachable
    app = akismet_app(make_app, down.url)
    client = app.test_client()
    spam, fine = post(client, "Win at the casino"), post(client, "A thoughtful remark")
    now = utcnow()
    deliver(app, now)
    assert (status_of(app, spam), status_of(app, fine)) == ("pending", "pending")  # the outage holds them
    with app.app_context():
        rows = log.recent_deliveries()
        assert {(row["state"], row["kind"]) for row in rows} == {("queued", "akismet")}
        app.config["TANDEM_AKISMET_URL"] = akismet.url  # Akismet is back
        worker.run_once(now + timedelta(minutes=1))
    assert (status_of(app, spam), status_of(app, fine)) == ("spam", "approved")


def test_moderators_verdicts_are_reported_to_akismet_but_not_its_own(make_app, akismet):
    app = akismet_app(make_app, akismet.url)
    client = app.test_client()
    caught, missed = post(client, "Win at the casino"), post(client, "Subtle advertising")
    deliver(app)
    with app.app_context():
        from service import comments

        assert db.session.get(Comment, caught).held_reason == "akismet: Akismet says spam"
        comments.moderate([caught], "approve")
        comments.moderate([missed], "spam")
    deliver(app)
    assert [request["path"] for request in akismet.requests] == [
        "/1.1/comment-check", "/1.1/comment-check", "/1.1/submit-ham", "/1.1/submit-spam"]
    assert b"Subtle+advertising" in akismet.requests[-1]["body"]
