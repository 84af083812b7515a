"""Sign-in links (SPEC 14): a reader who commented with an address is recognised on a new device,
with the trust that address's comments earned, and nobody learns which addresses have commented."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest

from service import accounts, comments, moderation, signin, sites
from service.db import db
from service.errors import ApiError
from service.mail_models import Outbox, SignInClaim
from service.models import Trust, utcnow
from service.notify import worker

from .conftest import NO_CHALLENGE, ORIGIN, Reader
from .notify_support import PUBLIC_URL, text_of

POST = f"{ORIGIN}/2026/a-post/"


@pytest.fixture
def app(make_app, smtp_sink):
    return make_app(SMTP_HOST="127.0.0.1", SMTP_PORT=smtp_sink.port, PUBLIC_URL=PUBLIC_URL)


def ask_link(client, email, url=POST, site="blog", origin=ORIGIN):
    return client.post("/api/commenters/link", json={"site": site, "email": email, "url": url},
                       headers={"Origin": origin})


def claim(client, secret, site="blog"):
    return client.post("/api/commenters/claim", json={"site": site, "claim": secret}, headers={"Origin": ORIGIN})


def deliver(app, now=None):
    with app.app_context():
        worker.run_once(now)


def approve(app, response):
    with app.app_context():
        comments.moderate([response.json["comment"]["id"]], "approve")


def claim_in(mail):
    """The link in the mail: the post's address with `#tandem-claim=...`."""
    link = re.search(r"https?://\S+#tandem-claim=\S+", text_of(mail)).group(0)
    page, _, secret = link.partition("#tandem-claim=")
    return page, secret


@pytest.fixture
def trusted_ann(app, reader):
    """Ann commented with her address and a moderator approved her: her browser's token is trusted."""
    approve(app, reader.post("First!", author="Ann", email="Ann@Example.com", website="https://ann.example"))
    assert reader.post("Second, published at once").json["comment"]["status"] == "approved"
    return reader


def test_link_answers_202_alike_and_mails_only_an_address_that_commented_here(app, client, trusted_ann, smtp_sink):
    known, unknown = ask_link(client, "ann@example.com"), ask_link(client, "nobody@example.com")
    assert known.status_code == unknown.status_code == 202
    assert known.json == unknown.json == {}
    deliver(app)

    assert smtp_sink.to("nobody@example.com") == []
    [mail] = smtp_sink.to("ann@example.com")
    assert "sign-in link" in mail["Subject"]
    page, secret = claim_in(mail)
    assert page == POST and len(secret) >= 40
    assert f"{POST}#tandem-claim={secret}" in mail.get_body(("html",)).get_content()


def test_no_working_link_is_stored_anywhere_but_the_mail(app, client, trusted_ann, smtp_sink):
    ask_link(client, "ann@example.com")
    deliver(app)
    _, secret = claim_in(smtp_sink.to("ann@example.com")[0])
    with app.app_context():
        [row] = db.session.query(SignInClaim).all()
        assert row.claim_hash and secret not in row.claim_hash
        assert all(secret not in str(outbox.payload) for outbox in db.session.query(Outbox).all())


def test_the_mail_is_in_the_sites_language(app, client, trusted_ann, smtp_sink):
    with app.app_context():
        sites.update_site(sites.get_site("blog"), settings={"language": "de"})
    ask_link(client, "ann@example.com")
    deliver(app)
    [mail] = smtp_sink.to("ann@example.com")
    assert "Anmeldelink" in mail["Subject"] and "60 Minuten" in text_of(mail)


def test_a_claim_signs_a_new_browser_in_with_the_trust_the_address_earned(app, client, trusted_ann, smtp_sink):
    ask_link(client, "ann@example.com")
    deliver(app)
    _, secret = claim_in(smtp_sink.to("ann@example.com")[0])

    signed_in = claim(client, secret)
    assert signed_in.status_code == 200
    assert signed_in.json["author"] == "Ann" and signed_in.json["email"] == "Ann@Example.com"
    assert signed_in.json["website"] == "https://ann.example"
    assert signed_in.json["commenter_token"] != trusted_ann.token

    other_browser = Reader(client)
    other_browser.token = signed_in.json["commenter_token"]
    assert other_browser.post("From my phone").json["comment"]["status"] == "approved"


def test_a_link_works_once(app, client, trusted_ann, smtp_sink):
    ask_link(client, "ann@example.com")
    deliver(app)
    _, secret = claim_in(smtp_sink.to("ann@example.com")[0])
    assert claim(client, secret).status_code == 200
    again = claim(client, secret)
    assert again.status_code == 400 and again.json["error"]["code"] == "bad_request"


def test_a_link_expires_after_an_hour(app, client, trusted_ann, smtp_sink):
    ask_link(client, "ann@example.com")
    deliver(app)
    _, secret = claim_in(smtp_sink.to("ann@example.com")[0])
    with app.app_context(), pytest.raises(ApiError) as refused:
        signin.claim(sites.site_view("blog"), secret, now=utcnow() + timedelta(minutes=61))
    assert refused.value.code == "bad_request"
    with app.app_context():
        assert signin.claim(sites.site_view("blog"), secret, now=utcnow() + timedelta(minutes=59)).email


def test_a_link_not_mailed_within_the_hour_is_not_mailed_at_all(app, client, trusted_ann, smtp_sink):
    ask_link(client, "ann@example.com")
    deliver(app, utcnow() + timedelta(minutes=61))
    assert smtp_sink.to("ann@example.com") == []


def test_a_link_is_refused_on_another_site(app, client, trusted_ann, smtp_sink):
    with app.app_context():
        sites.create_site("other", "Another blog", [ORIGIN], dict(NO_CHALLENGE))
    ask_link(client, "ann@example.com")
    deliver(app)
    _, secret = claim_in(smtp_sink.to("ann@example.com")[0])
    refused = claim(client, secret, site="other")
    assert refused.status_code == 400 and refused.json["error"]["code"] == "bad_request"
    assert claim(client, secret).status_code == 200  # still good on its own site


def test_an_address_on_another_site_gets_no_mail(app, client, trusted_ann, smtp_sink):
    with app.app_context():
        sites.create_site("other", "Another blog", [ORIGIN], dict(NO_CHALLENGE))
    assert ask_link(client, "ann@example.com", site="other").status_code == 202
    deliver(app)
    assert smtp_sink.to("ann@example.com") == []


def test_an_email_alone_never_earns_trust(app, client, reader, make_reader, smtp_sink):
    """Bob's comment waits for a moderator: his link signs him in, but his new browser is not trusted."""
    assert reader.post("Held", author="Bob", email="bob@example.com").json["comment"]["status"] == "pending"
    approve(app, make_reader().post("Someone else, trusted", email="carol@example.com"))
    ask_link(client, "bob@example.com")
    deliver(app)
    _, secret = claim_in(smtp_sink.to("bob@example.com")[0])
    signed_in = claim(client, secret).json
    assert signed_in["author"] == "Bob"
    phone = Reader(client)
    phone.token = signed_in["commenter_token"]
    assert phone.post("Still held").json["comment"]["status"] == "pending"


def test_a_link_does_not_wash_a_ban_away(app, client, trusted_ann, smtp_sink):
    with app.app_context():
        owner = accounts.create_moderator("owner@example.com", owner=True)
        moderation.ban_address(owner, sites.get_site("blog"), email="ann@example.com")
    ask_link(client, "ann@example.com")
    deliver(app)
    _, secret = claim_in(smtp_sink.to("ann@example.com")[0])
    assert claim(client, secret).status_code == 200
    with app.app_context():
        assert db.session.query(Trust).count() == 1  # Ann's first browser only


@pytest.mark.parametrize("body, field", [
    ({"site": "blog", "email": "ann@example.com", "url": "https://evil.example/phish"}, "url"),
    ({"site": "blog", "email": "ann@example.com", "url": "javascript:alert(1)"}, "url"),
    ({"site": "blog", "email": "ann@example.com, eve@example.net", "url": POST}, "email"),
    ({"site": "blog", "url": POST}, "email"),
])
def test_a_bad_request_for_a_link_names_its_field(client, site, body, field):
    refused = client.post("/api/commenters/link", json=body, headers={"Origin": ORIGIN})
    assert refused.status_code == 400
    assert refused.json["error"]["field"] == field


def test_an_unknown_site_or_a_foreign_page_is_refused_before_anything(client, site):
    assert ask_link(client, "ann@example.com", site="nope").json["error"]["code"] == "unknown_site"
    assert ask_link(client, "ann@example.com", origin="https://evil.example").status_code == 403
    assert claim(client, "made-up").status_code == 400


def test_too_many_links_from_one_network_are_refused(make_app, smtp_sink):
    app = make_app(SMTP_HOST="127.0.0.1", SMTP_PORT=smtp_sink.port, SIGNIN_RATE_LIMIT="2/minute")
    with app.app_context():
        sites.create_site("blog", "A blog", [ORIGIN], dict(NO_CHALLENGE))
    client = app.test_client()
    answers = [ask_link(client, f"reader{number}@example.com").status_code for number in range(3)]
    assert answers == [202, 202, 429]


def test_too_many_links_for_one_address_are_answered_alike_but_not_mailed(make_app, smtp_sink):
    app = make_app(SMTP_HOST="127.0.0.1", SMTP_PORT=smtp_sink.port, SIGNIN_ADDRESS_LIMIT="2/hour")
    with app.app_context():
        sites.create_site("blog", "A blog", [ORIGIN], dict(NO_CHALLENGE))
    client = app.test_client()
    Reader(client).post("Hi", email="ann@example.com")
    assert [ask_link(client, "ANN@example.com").status_code for _ in range(3)] == [202, 202, 202]
    deliver(app)
    assert len([mail for mail in smtp_sink.messages if "sign-in" in mail["Subject"]]) == 2


def test_the_link_goes_to_the_page_without_its_fragment(app, client, trusted_ann, smtp_sink):
    ask_link(client, "ann@example.com", url=POST + "?utm=x#comment-1")
    deliver(app)
    page, _ = claim_in(smtp_sink.to("ann@example.com")[0])
    assert urlsplit(page).fragment == "" and page == POST + "?utm=x"


def test_forgetting_an_address_takes_its_unused_sign_in_links_too(app, client, trusted_ann, smtp_sink):
    from service import erasure

    ask_link(client, "ann@example.com")
    deliver(app)
    _, secret = claim_in(smtp_sink.to("ann@example.com")[0])
    with app.app_context():
        owner = accounts.create_moderator("owner@example.com", owner=True)
        erasure.forget(owner, "Ann@Example.com")
        assert db.session.query(SignInClaim).count() == 0
    assert claim(client, secret).status_code == 400
