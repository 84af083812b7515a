"""Following a thread end to end: `tandem serve` (with its worker) on each database mails a real
SMTP sink; the reader confirms by the link in the mail and leaves by a one-click POST (RFC 8058)."""

import re

import pytest
import requests

from .live import PostgresDatabase, TandemServer, post_comment, server_environment
from .notify_support import text_of, wait_for
from .test_reply_by_mail_live import spam_score

ORIGIN = "https://blog.example"
FAN, OTHER = "fan@example.com", "other@example.com"
pytestmark = pytest.mark.slow


@pytest.fixture(params=["sqlite", "postgresql"])
def server(request, tmp_path, smtp_sink):
    database = PostgresDatabase() if request.param == "postgresql" else None
    made = TandemServer(server_environment(tmp_path / "instance", database and database.url,
                                           SMTP_HOST="127.0.0.1", SMTP_PORT=smtp_sink.port),
                        tmp_path / "serve.log", command=["-m", "service.cli", "serve"])
    made.env.update(TANDEM_PUBLIC_URL=made.url)
    made.start()
    yield made
    made.stop()
    if database:
        database.drop()


def follow(server, site, email):
    return requests.post(f"{server.url}/api/subscriptions", json={"site": site, "uri": "/post/", "email": email},
                         headers={"Origin": ORIGIN}, timeout=10)


def mail_with(smtp_sink, address, text):
    wait_for(lambda: any(text in text_of(mail) for mail in smtp_sink.to(address)), timeout=30)
    return next(mail for mail in smtp_sink.to(address) if text in text_of(mail))


def confirm(smtp_sink, address):
    wait_for(lambda: smtp_sink.to(address), timeout=30)
    link = re.search(r"https?://\S+/confirm/\S+", text_of(smtp_sink.to(address)[0])).group(0)
    assert requests.post(link, timeout=10).status_code == 200


def test_follow_confirm_hear_of_new_comments_not_own_and_leave_by_one_click(server, smtp_sink):
    site = server.new_site([ORIGIN], moderation="none")
    for address in (FAN, OTHER):
        answer = follow(server, site, address)
        assert (answer.status_code, answer.json()) == (202, {})
        confirm(smtp_sink, address)

    post_comment(server, site, ORIGIN, "Fan's own words", author="Fan", email=FAN)
    post_comment(server, site, ORIGIN, "Bob joins in", author="Bob", title="A post", url=f"{ORIGIN}/post/")
    news = mail_with(smtp_sink, FAN, "Bob joins in")
    mail_with(smtp_sink, OTHER, "Fan's own words")
    assert not any("Fan's own words" in text_of(mail) for mail in smtp_sink.to(FAN))
    assert news["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"{ORIGIN}/post/#comment-" in text_of(news)
    assert news.get_body(("html",)) is not None and spam_score(news) < 1.0  # SpamAssassin, offline rules

    one_click = news["List-Unsubscribe"].strip("<>")
    for _ in range(2):  # as a mail client sends it: no cookie, no token; twice changes nothing
        left = requests.post(one_click, data="List-Unsubscribe=One-Click", timeout=10,
                             headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert left.status_code == 200 and "You are unsubscribed" in left.text

    post_comment(server, site, ORIGIN, "Carol after Fan left", author="Carol")
    mail_with(smtp_sink, OTHER, "Carol after Fan left")
    assert not any("Carol after Fan left" in text_of(mail) for mail in smtp_sink.to(FAN))
    assert server.tracebacks() == 0
