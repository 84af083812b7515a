"""Sign-in links end to end: `tandem serve` (with its worker) mails the link to a real SMTP sink,
the mail passes SpamAssassin's offline rules, and the link's claim signs another browser in with
the trust its address earned."""

import re

import pytest
import requests

from .live import TandemServer, post_comment, server_environment
from .notify_support import text_of, wait_for
from .test_reply_by_mail_live import spam_score

ORIGIN = "https://blog.example"
POST = f"{ORIGIN}/a-post/"
pytestmark = pytest.mark.slow


@pytest.fixture
def server(tmp_path, smtp_sink):
    made = TandemServer(server_environment(tmp_path / "instance", SMTP_HOST="127.0.0.1", SMTP_PORT=smtp_sink.port,
                                           SIGNIN_ADDRESS_LIMIT="2/hour"),
                        tmp_path / "serve.log", command=["-m", "service.cli", "serve"])
    made.env.update(TANDEM_PUBLIC_URL=made.url)
    made.start()
    yield made
    made.stop()


def ask_link(server, site, email):
    return requests.post(server.url + "/api/commenters/link", json={"site": site, "email": email, "url": POST},
                         headers={"Origin": ORIGIN}, timeout=10)


def claim(server, site, secret):
    return requests.post(server.url + "/api/commenters/claim", json={"site": site, "claim": secret},
                         headers={"Origin": ORIGIN}, timeout=10)


def sign_in_mails(smtp_sink, address):
    return [mail for mail in smtp_sink.to(address) if "sign-in link" in str(mail["Subject"])]


def test_a_reader_signs_in_on_a_second_device_through_the_mailed_link(server, smtp_sink):
    site = server.new_site([ORIGIN])
    first = post_comment(server, site, ORIGIN, "Hello from my laptop", author="Ann", email="ann@example.com")
    assert server.admin_api("POST", f"/api/admin/comments/{first.json()['comment']['id']}/approve").status_code == 200

    known = ask_link(server, site, "ann@example.com")
    unknown = ask_link(server, site, "eve@example.com")
    assert known.status_code == unknown.status_code == 202 and known.json() == unknown.json() == {}
    wait_for(lambda: sign_in_mails(smtp_sink, "ann@example.com"), timeout=30)
    [mail] = sign_in_mails(smtp_sink, "ann@example.com")
    assert mail.get_body(("html",)) is not None
    assert spam_score(mail) < 1.0
    secret = re.search(re.escape(POST) + r"#tandem-claim=([\w-]+)", text_of(mail)).group(1)

    signed_in = claim(server, site, secret)
    assert signed_in.status_code == 200 and signed_in.json()["author"] == "Ann"
    phone = post_comment(server, site, ORIGIN, "And now from my phone", token=signed_in.json()["commenter_token"])
    assert phone.json()["comment"]["status"] == "approved"
    assert claim(server, site, secret).status_code == 400

    # The address limit (2/hour here) answers alike but mails no more: the one above, and one more.
    assert [ask_link(server, site, "ann@example.com").status_code for _ in range(2)] == [202, 202]
    wait_for(lambda: len(sign_in_mails(smtp_sink, "ann@example.com")) == 2, timeout=30)
    assert smtp_sink.to("eve@example.com") == []
    assert server.tracebacks() == 0
