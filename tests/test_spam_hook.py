"""The spam hook through the real server and worker (SPEC 13): the comment waits as pending, a hook
that is down leaves it held, and it is decided once the hook answers again."""

import hashlib
import hmac
import json
import socket

import pytest

from .live import TandemServer, post_comment, server_environment
from .notify_support import Receiver
from .test_security_ops import database_script

pytestmark = pytest.mark.slow
ORIGIN = "https://blog.example.com"


@pytest.fixture(scope="module")
def hook_server(tmp_path_factory):
    """An instance whose operator allows calls to private addresses (the hook runs on loopback here)."""
    folder = tmp_path_factory.mktemp("spam-hook")
    server = TandemServer(server_environment(folder / "instance", WEBHOOK_ALLOW_PRIVATE="true"), folder / "serve.log")
    yield server.start()
    server.stop()


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def stored(server, comment_id):
    listed = server.admin_api("GET", "/api/admin/comments?limit=200").json()["comments"]
    return next(comment for comment in listed if comment["id"] == comment_id)


def retry_now(server):
    """The outbox's back-off would wait a minute: make the retry due, as time passing would."""
    script = "UPDATE outbox SET next_attempt = '2000-01-01 00:00:00' WHERE state = 'queued';"
    database_script(server, script, script)


def test_a_hook_that_is_down_leaves_the_comment_held_until_it_answers(hook_server):
    server = hook_server
    port = closed_port()
    site = server.new_site([ORIGIN], moderation="none", spam_hook_url=f"http://127.0.0.1:{port}/check")
    comment_id = post_comment(server, site, ORIGIN, "Thanks for the write-up!").json()["comment"]["id"]
    assert stored(server, comment_id)["held_reason"] == "spam_check"  # waiting, not public
    server.tandem("worker", "--once")
    down = stored(server, comment_id)
    assert down["status"] == "pending" and down["held_reason"] == "hook"  # never fails open
    secret = server.tandem("webhook", "secret", site).stdout.strip()

    def answer(path, headers, body):
        expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        assert headers["X-Tandem-Signature"] == expected
        return 200, json.dumps({"verdict": "ham"}).encode()

    hook = Receiver(answer=answer)
    try:
        server.change_site(site, settings={"spam_hook_url": hook.url + "/check"})
        retry_now(server)
        server.tandem("worker", "--once")
        assert stored(server, comment_id)["status"] == "approved"
        sent = hook.json_bodies()[0]
        assert sent["event"] == "comment.check" and sent["comment"]["text"] == "Thanks for the write-up!"
    finally:
        hook.close()


@pytest.mark.parametrize("verdict, status, reason", [("spam", "spam", "hook"), ("hold", "pending", "hook"),
                                                     ("maybe", "pending", "hook")])
def test_the_hooks_verdict_decides(hook_server, verdict, status, reason):
    server = hook_server
    hook = Receiver(body=json.dumps({"verdict": verdict}).encode())
    try:
        site = server.new_site([ORIGIN], moderation="none", spam_hook_url=hook.url + "/check")
        comment_id = post_comment(server, site, ORIGIN, "A comment").json()["comment"]["id"]
        server.tandem("worker", "--once")
        decided = stored(server, comment_id)
        assert decided["status"] == status and decided["held_reason"] == reason
        assert len(hook.requests) == 1
    finally:
        hook.close()
