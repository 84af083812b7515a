"""Reply by mail (SPEC 14), one message at a time through `tandem mail receive`'s service function:
notices sent to a real SMTP sink carry a signed Reply-To; answers to it moderate and reply."""

from datetime import timedelta
from email.message import EmailMessage

import pytest

from service import accounts, comments, sites
from service.cli import main as tandem
from service.db import db
from service.models import Comment, utcnow
from service.notify import inbound, log, replyto, worker

from .notify_support import PUBLIC_URL, link_to, text_of

MODERATOR = "mod@example.com"
REPLY_TO = "comments@blog.example"


@pytest.fixture
def app(make_app, smtp_sink):
    return make_app(SMTP_HOST="127.0.0.1", SMTP_PORT=smtp_sink.port, PUBLIC_URL=PUBLIC_URL, MAIL_REPLY_TO=REPLY_TO)


@pytest.fixture
def moderated_site(app, site):
    with app.app_context():
        accounts.create_moderator(MODERATOR, None, sites=[sites.get_site(site)])
    return site


def deliver(app):
    with app.app_context():
        worker.run_once()


def answer(notice, text, sender=None, to=None, **headers):
    """What a mail client makes of "Reply": the text on top, the notice quoted below."""
    message = EmailMessage()
    message["From"] = sender or notice["To"]
    message["To"] = to or notice["Reply-To"]
    message["Subject"] = "Re: " + notice["Subject"]
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    quoted = "\n".join("> " + line for line in text_of(notice).splitlines())
    message.set_content(f"{text}\n\n-- \nSent from my phone\n\nOn Mon, 3 Mar 2025, Tandem <tandem@localhost> wrote:\n{quoted}\n")
    return message.as_bytes()


def receive(app, raw, now=None):
    with app.app_context():
        return inbound.receive(raw, app.config, now)


def comment(app, comment_id):
    with app.app_context():
        return db.session.get(Comment, comment_id)


def replies_to(app, comment_id):
    with app.app_context():
        return db.session.query(Comment).filter_by(parent_id=comment_id).all()


def last_delivery(app):
    with app.app_context():
        return log.recent_deliveries(limit=1)[0]


def held_notice(app, reader, smtp_sink, text="Is this *held*?"):
    comment_id = reader.post(text, author="Ann", email="ann@example.com").json["comment"]["id"]
    deliver(app)
    return comment_id, smtp_sink.to(MODERATOR)[-1]


def test_moderator_notice_has_a_signed_reply_to_on_the_configured_address(app, moderated_site, reader, smtp_sink):
    _, notice = held_notice(app, reader, smtp_sink)
    local, _, domain = notice["Reply-To"].addresses[0].addr_spec.rpartition("@")
    assert domain == "blog.example" and local.startswith("comments+") and len(local) <= 64
    assert "begin with approve, reject or spam to decide, or with heart" in text_of(notice)


@pytest.mark.parametrize("word, status", [("approve", "approved"), ("Reject", "deleted"), ("spam", "spam")])
def test_moderator_first_word_decides_the_comment(app, moderated_site, reader, smtp_sink, word, status):
    comment_id, notice = held_notice(app, reader, smtp_sink)
    assert receive(app, answer(notice, f"{word}. Thanks!")).handled
    assert comment(app, comment_id).status == status
    assert replies_to(app, comment_id) == []


def test_moderator_text_approves_and_is_posted_as_the_authors_reply_without_quote_or_signature(
        app, moderated_site, reader, smtp_sink):
    comment_id, notice = held_notice(app, reader, smtp_sink)
    assert receive(app, answer(notice, "Glad you *asked*, Ann.")).handled
    assert comment(app, comment_id).status == "approved"
    [reply] = replies_to(app, comment_id)
    assert reply.is_author and reply.status == "approved"
    assert reply.text == "Glad you *asked*, Ann." and "<em>asked</em>" in reply.html
    assert last_delivery(app)["state"] == "sent"


def reply_notice(app, client, make_reader, smtp_sink, moderation="none"):
    """Ann subscribes and confirms; Bob's reply reaches her inbox with a signed Reply-To."""
    with app.app_context():
        sites.update_site(sites.get_site("blog"), settings={"moderation": moderation, "notify": "none"})
    ann, bob = make_reader(), make_reader()
    own = ann.post("Tell me about replies", author="Ann", email="ann@example.com", notify=True).json["comment"]["id"]
    deliver(app)
    client.post(link_to(smtp_sink.to("ann@example.com")[0], "/confirm/"))
    if moderation != "none":
        with app.app_context():
            comments.moderate([own], "approve", trust=False)
    bob_reply = bob.post("Bob answers", parent=own, author="Bob").json["comment"]["id"]
    if moderation != "none":
        with app.app_context():
            comments.moderate([bob_reply], "approve")
    deliver(app)
    return own, bob_reply, smtp_sink.to("ann@example.com")[-1]


def test_trusted_readers_answer_to_a_reply_notice_is_published_as_their_reply(app, client, site, make_reader,
                                                                               smtp_sink):
    own, bob_reply, notice = reply_notice(app, client, make_reader, smtp_sink)
    assert "your text (without the quoted mail) is posted as your reply" in text_of(notice)
    assert receive(app, answer(notice, "Thanks Bob!")).handled
    [mine] = replies_to(app, bob_reply)
    assert (mine.author, mine.text, mine.status, mine.is_author) == ("Ann", "Thanks Bob!", "approved", False)
    assert mine.commenter_hash == comment(app, own).commenter_hash


def test_the_same_answer_received_twice_is_posted_once(app, client, site, make_reader, smtp_sink):
    """Two pollers of one mailbox, or a mail delivered twice: the second copy is refused, not posted."""
    _, bob_reply, notice = reply_notice(app, client, make_reader, smtp_sink)
    raw = answer(notice, "Thanks Bob!", Message_ID="<answer-1@phone.example>")
    assert receive(app, raw).handled
    again = receive(app, raw)
    assert not again.handled and "acted on already" in again.reason
    assert [mine.text for mine in replies_to(app, bob_reply)] == ["Thanks Bob!"]


def test_untrusted_readers_answer_by_mail_is_held_like_their_comments(app, client, site, make_reader, smtp_sink):
    _, bob_reply, notice = reply_notice(app, client, make_reader, smtp_sink, moderation="first-post")
    assert receive(app, answer(notice, "Thanks Bob!")).handled
    [mine] = replies_to(app, bob_reply)
    assert mine.status == "pending"


def refused(app, raw, reason_part, now=None):
    outcome = receive(app, raw, now)
    assert not outcome.handled and reason_part in outcome.reason
    entry = last_delivery(app)
    assert entry["kind"] == "inbound" and entry["state"] == "skipped" and reason_part in entry["last_error"]


def test_forged_expired_misdirected_and_foreign_replies_are_refused_logged_and_never_answered(
        app, moderated_site, reader, smtp_sink):
    comment_id, notice = held_notice(app, reader, smtp_sink)
    signed_to = notice["Reply-To"].addresses[0].addr_spec
    token = replyto.token_in(signed_to, REPLY_TO)
    sent_before = len(smtp_sink.messages)

    forged = signed_to.replace(token, token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb"))
    refused(app, answer(notice, "approve", to=forged), "forged or altered")
    refused(app, answer(notice, "approve"), "expired", now=utcnow() + timedelta(days=31))
    refused(app, answer(notice, "approve", sender="mallory@example.net"), "not the moderator")
    refused(app, answer(notice, "approve", to="comments@blog.example"), "not addressed to a reply address")
    refused(app, answer(notice, "I am away", Auto_Submitted="auto-replied"), "automatic")
    assert comment(app, comment_id).status == "pending" and replies_to(app, comment_id) == []
    deliver(app)
    assert len(smtp_sink.messages) == sent_before  # nothing is mailed back, to anyone


def test_reader_address_cannot_carry_a_reply_into_another_thread(app, client, site, make_reader, smtp_sink):
    own, bob_reply, notice = reply_notice(app, client, make_reader, smtp_sink)
    elsewhere = make_reader().post("On another post", uri="/other/").json["comment"]["id"]
    with app.app_context():
        subscription_id = replyto.read_token(app.config["SECRET_KEY"], replyto.token_in(
            notice["Reply-To"].addresses[0].addr_spec, REPLY_TO)).recipient_id
        moved = replyto.make_token(app.config["SECRET_KEY"],
                                   replyto.ReplyToken(replyto.READER, subscription_id, elsewhere, own))
    refused(app, answer(notice, "Posted elsewhere?", to=f"comments+{moved}@blog.example"), "another thread")
    assert replies_to(app, elsewhere) == []


def test_mail_receive_exits_zero_for_ignored_mail_and_non_zero_only_for_unreadable_input(app, runner):
    ignored = runner.invoke(tandem, ["mail", "receive"], input=b"From: a@example.com\nTo: b@example.com\n\nhello\n")
    assert ignored.exit_code == 0 and "Ignored: the message is not addressed to a reply address" in ignored.output
    assert runner.invoke(tandem, ["mail", "receive"], input=b"").exit_code != 0


def test_mails_are_in_the_sites_language_with_text_and_html_parts(app, moderated_site, reader, smtp_sink):
    with app.app_context():
        sites.update_site(sites.get_site(moderated_site), settings={"language": "de"})
    reader.post("Ein Kommentar", author="Ann", uri="/beitrag/", title="Mein Beitrag", url="https://blog.example/beitrag/")
    deliver(app)
    [notice] = smtp_sink.to(MODERATOR)
    assert notice["Subject"].startswith("[A blog] Zurückgehaltener Kommentar von Ann zu")
    html = notice.get_body(("html",)).get_content()
    assert '<html lang="de">' in html and "Freigeben" in html and "Ein Kommentar" in html
    assert "Beitrag:" in text_of(notice) and "#comment-" in text_of(notice)


def test_moderator_answering_heart_approves_and_hearts_the_comment_without_a_reply(
        app, moderated_site, reader, smtp_sink, client):
    comment_id, notice = held_notice(app, reader, smtp_sink)
    outcome = receive(app, answer(notice, "Heart! What a lovely note."))
    assert outcome.handled and outcome.reason == f"hearted comment {comment_id}"
    assert comment(app, comment_id).status == "approved" and replies_to(app, comment_id) == []
    shown = client.get(f"/api/comments?site={moderated_site}&uri=/post/").json["comments"]
    assert [(c["id"], c["hearted"]) for c in shown] == [(comment_id, True)]
