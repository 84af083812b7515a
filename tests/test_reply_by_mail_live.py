"""Reply by mail end to end: `tandem serve` (with its worker) mails notices to a real SMTP sink, the
answers land in a real IMAP mailbox (Dovecot on loopback), the worker reads them from there; the
notices pass SpamAssassin's offline rules."""

import re
import sqlite3
import subprocess

import pytest
import requests

from service.notify import imap, log

from .live import OWNER, TandemServer, post_comment, server_environment
from .notify_support import text_of, wait_for
from .test_reply_by_mail import REPLY_TO, answer

ORIGIN = "https://blog.example"
pytestmark = pytest.mark.slow


@pytest.fixture
def server(tmp_path, smtp_sink, dovecot):
    made = TandemServer(server_environment(tmp_path / "instance", SMTP_HOST="127.0.0.1", SMTP_PORT=smtp_sink.port,
                                           MAIL_REPLY_TO=REPLY_TO, IMAP_URL=dovecot.url(), IMAP_INTERVAL=1),
                        tmp_path / "serve.log", command=["-m", "service.cli", "serve"])
    made.env.update(TANDEM_PUBLIC_URL=made.url, SSL_CERT_FILE=dovecot.cert)
    made.start()
    yield made
    made.stop()


def comments_of(server, site):
    return server.admin_api("GET", f"/api/admin/comments?site={site}&limit=50").json()["comments"]


def mail_to(smtp_sink, address, subject_part):
    wait_for(lambda: any(subject_part in str(mail["Subject"]) for mail in smtp_sink.to(address)), timeout=30)
    return next(mail for mail in smtp_sink.to(address) if subject_part in str(mail["Subject"]))


def test_moderator_and_reader_answer_from_their_inbox_through_imap(server, smtp_sink, dovecot):
    site = server.new_site([ORIGIN])
    held = post_comment(server, site, ORIGIN, "Does *this* work?", author="Ann", email="ann@example.com", notify=True,
                        title="Reply by mail", url=f"{ORIGIN}/post/").json()["comment"]["id"]
    confirmation = mail_to(smtp_sink, "ann@example.com", "confirm")
    confirm_link = re.search(r"https?://\S+/confirm/\S+", text_of(confirmation)).group(0)
    assert requests.post(confirm_link, timeout=10).status_code == 200

    notice = mail_to(smtp_sink, OWNER, "Held comment by Ann")
    dovecot.deliver(answer(notice, "It does, Ann. **Thanks** for asking!"))
    wait_for(lambda: len(comments_of(server, site)) == 2, timeout=30)
    by_id = {comment["id"]: comment for comment in comments_of(server, site)}
    assert by_id[held]["status"] == "approved"
    [author_reply] = [comment for comment in by_id.values() if comment["id"] != held]
    assert author_reply["is_author"] and author_reply["parent"] == held
    assert "<strong>Thanks</strong>" in author_reply["html"] and "Sent from my phone" not in author_reply["html"]

    reply_notice = mail_to(smtp_sink, "ann@example.com", "replied to your comment")
    dovecot.deliver(answer(reply_notice, "Great, thank you!"))
    dovecot.deliver(answer(reply_notice, "Forged!", sender="mallory@example.net"))
    wait_for(lambda: len(comments_of(server, site)) == 3 and dovecot.unseen() == 0, timeout=30)
    [anns_answer] = [comment for comment in comments_of(server, site) if comment["parent"] == author_reply["id"]]
    assert anns_answer["author"] == "Ann" and anns_answer["status"] == "approved"  # trusted once approved
    assert any("not the reader the notice was sent to" in (row["last_error"] or "") for row in inbound_log(server))
    assert server.tracebacks() == 0

    for mail in (notice, confirmation, reply_notice):
        assert spam_score(mail) < 1.0, mail["Subject"]


def inbound_log(server):
    """The delivery log's rows for received mail, as owners see them."""
    with sqlite3.connect(server.env["TANDEM_INSTANCE"] + "/tandem.db") as database:
        database.row_factory = sqlite3.Row
        return [dict(row) for row in database.execute("SELECT state, last_error FROM outbox WHERE kind = 'inbound'")]


def spam_score(mail):
    """SpamAssassin's score with its offline rules only (-L: no DNS or network tests)."""
    checked = subprocess.run(["spamassassin", "-L", "-t"], input=mail.as_bytes(), capture_output=True, timeout=60)
    return float(re.search(rb"X-Spam-Status: \w+, score=(-?[\d.]+)", checked.stdout).group(1))


def test_worker_reads_the_mailbox_over_starttls_and_logs_what_it_ignored(app, dovecot, monkeypatch):
    monkeypatch.setenv("SSL_CERT_FILE", dovecot.cert)
    dovecot.deliver(b"From: someone@example.net\r\nTo: nobody@example.net\r\nSubject: hi\r\n\r\nunrelated\r\n")
    with app.app_context():
        config = {**app.config, "TANDEM_MAIL_REPLY_TO": REPLY_TO, "TANDEM_IMAP_URL": dovecot.url(tls=False)}
        assert imap.poll(config) >= 1
        assert "not addressed to a reply address" in log.recent_deliveries(limit=1)[0]["last_error"]
    assert dovecot.unseen() == 0
