"""Moderator mail with one-click links, and reply mail with double opt-in, received by a real SMTP sink."""

from datetime import timedelta

import pytest

from service import accounts, comments, sites
from service.cli import main as tandem
from service.db import db
from service.mail_models import Outbox
from service.models import AuditEntry, Comment, utcnow
from service.notify import links, worker

from .notify_support import PUBLIC_URL, link_to, links_in, text_of

MODERATOR = "mod@example.com"


@pytest.fixture
def app(make_app, smtp_sink):
    return make_app(SMTP_HOST="127.0.0.1", SMTP_PORT=smtp_sink.port, PUBLIC_URL=PUBLIC_URL)


@pytest.fixture
def moderated_site(app, site):
    with app.app_context():
        accounts.create_moderator(MODERATOR, None, sites=[sites.get_site(site)])
    return site


def deliver(app, now=None):
    with app.app_context():
        worker.run_once(now)


def status_of(app, comment_id):
    with app.app_context():
        return db.session.get(Comment, comment_id).status


def test_held_comment_mails_moderators_with_links_that_act_only_on_the_button(app, client, moderated_site, reader,
                                                                              smtp_sink):
    posted = reader.post("Is this *held*?", author="Ann", email="ann@example.com")
    comment_id = posted.json["comment"]["id"]
    deliver(app)

    [mail] = smtp_sink.to(MODERATOR)
    assert "Held comment by Ann" in mail["Subject"]
    assert "Is this *held*?" in text_of(mail)
    assert "<em>held</em>" in mail.get_body(("html",)).get_content()
    approve = link_to(mail, "/moderate/")
    assert len([link for link in links_in(mail) if link.startswith("/moderate/")]) == 3

    page = client.get(approve)
    assert page.status_code == 200 and "Approve this comment?" in page.text and "Is this" in page.text
    assert status_of(app, comment_id) == "pending"
    assert client.get(f"/api/comments/{comment_id}").status_code == 404

    done = client.post(approve)
    assert "Done: the comment is approved" in done.text
    with app.app_context():
        [entry] = db.session.query(AuditEntry).all()
        assert (entry.actor, entry.action, entry.target) == (MODERATOR, "approve", f"comment {comment_id}")
    assert client.get(f"/api/comments/{comment_id}").status_code == 200
    assert "already used" in client.get(approve).text


def test_reject_and_spam_links_do_what_they_say(app, client, moderated_site, make_reader, smtp_sink):
    first = make_reader().post("Alpha words").json["comment"]["id"]
    second = make_reader().post("Beta words").json["comment"]["id"]
    deliver(app)
    mails = {("Alpha words" in text_of(mail)): mail for mail in smtp_sink.to(MODERATOR)}
    reject = [link for link in links_in(mails[True]) if link.startswith("/moderate/")][1]
    spam = [link for link in links_in(mails[False]) if link.startswith("/moderate/")][2]
    assert "Reject this comment?" in client.get(reject).text
    client.post(reject)
    client.post(spam)
    assert (status_of(app, first), status_of(app, second)) == ("deleted", "spam")


def test_tampered_or_expired_moderation_link_is_refused(app, client, moderated_site, reader, smtp_sink):
    comment_id = reader.post("wait for me").json["comment"]["id"]
    deliver(app)
    approve = link_to(smtp_sink.to(MODERATOR)[0], "/moderate/")
    tampered = approve[:-3] + ("aaa" if not approve.endswith("aaa") else "bbb")
    with app.app_context():
        moderator = accounts.find_moderator(MODERATOR)
        expired = links.moderation_link(comment_id, "approve", moderator.id, now=utcnow() - timedelta(days=8))
    expired = expired[len(PUBLIC_URL):]

    assert client.post(tampered).status_code == 400
    assert "not valid" in client.get(tampered).text
    assert client.post(expired).status_code == 410
    assert "expired" in client.get(expired).text
    assert status_of(app, comment_id) == "pending"


def test_link_of_a_moderator_who_lost_the_site_changes_nothing(app, client, moderated_site, reader, smtp_sink):
    comment_id = reader.post("wait for me").json["comment"]["id"]
    deliver(app)
    approve = link_to(smtp_sink.to(MODERATOR)[0], "/moderate/")
    with app.app_context():
        accounts.find_moderator(MODERATOR).sites = []
        db.session.commit()
    assert "no longer moderate" in client.post(approve).text
    assert status_of(app, comment_id) == "pending"


def test_notify_none_sends_moderators_nothing_and_all_sends_every_comment(app, moderated_site, make_reader,
                                                                         smtp_sink):
    with app.app_context():
        sites.update_site(sites.get_site(moderated_site), settings={"notify": "none"})
    make_reader().post("quiet")
    deliver(app)
    assert smtp_sink.to(MODERATOR) == []
    with app.app_context():
        sites.update_site(sites.get_site(moderated_site), settings={"notify": "all", "moderation": "none"})
    make_reader().post("loud and approved")
    deliver(app)
    [mail] = smtp_sink.to(MODERATOR)
    assert "New comment" in mail["Subject"]
    assert not any("approve" in link for link in links_in(mail))  # nothing to approve; reject and spam remain
    assert len([link for link in links_in(mail) if link.startswith("/moderate/")]) == 2


def _approve(app, comment_id):
    with app.app_context():
        comments.moderate([comment_id], "approve")


def _open_site(app, site_key):
    with app.app_context():
        sites.update_site(sites.get_site(site_key), settings={"moderation": "none", "notify": "none"})


def test_first_opt_in_gets_one_confirmation_and_no_reply_mail_until_confirmed(app, client, site, make_reader,
                                                                               smtp_sink):
    _open_site(app, site)
    ann, bob = make_reader(), make_reader()
    parent = ann.post("Tell me about replies", email="ann@example.com", notify=True).json["comment"]["id"]
    ann.post("And again", email="ann@example.com", notify=True)
    bob.post("A reply before Ann confirmed", parent=parent, author="Bob")
    deliver(app)

    [confirmation] = smtp_sink.to("ann@example.com")
    assert "confirm" in confirmation["Subject"].lower()
    confirm = link_to(confirmation, "/confirm/")
    assert "Confirm reply notifications?" in client.get(confirm).text
    bob.post("Another reply, still unconfirmed", parent=parent)
    deliver(app)
    assert len(smtp_sink.to("ann@example.com")) == 1

    assert "Confirmed" in client.post(confirm).text
    bob.post("Now Ann hears of it", parent=parent, author="Bob")
    deliver(app)
    [_, reply_mail] = smtp_sink.to("ann@example.com")
    assert "Bob replied to your comment" in reply_mail["Subject"]
    assert "Now Ann hears of it" in text_of(reply_mail)
    assert "#comment-" in text_of(reply_mail)


def test_reply_mail_needs_own_comment_approved_and_skips_own_and_held_replies(app, client, site, make_reader,
                                                                               smtp_sink):
    ann, bob = make_reader(), make_reader()
    parent = ann.post("Held first", email="ann@example.com", notify=True).json["comment"]["id"]
    deliver(app)
    client.post(link_to(smtp_sink.to("ann@example.com")[0], "/confirm/"))
    _approve(app, parent)
    bob_reply = bob.post("Held reply", parent=parent).json["comment"]["id"]
    ann.post("Ann answers herself", parent=parent, email="ann@example.com")
    deliver(app)
    assert len(smtp_sink.to("ann@example.com")) == 1  # only the confirmation: one reply held, one her own

    _approve(app, bob_reply)
    deliver(app)
    [_, reply_mail] = smtp_sink.to("ann@example.com")
    assert "Held reply" in text_of(reply_mail)


def test_one_click_unsubscribe_asks_first_then_stops_reply_mail_for_the_thread(app, client, site, make_reader,
                                                                                smtp_sink):
    _open_site(app, site)
    ann, bob = make_reader(), make_reader()
    parent = ann.post("Subscribe me", email="ann@example.com", notify=True).json["comment"]["id"]
    deliver(app)
    client.post(link_to(smtp_sink.to("ann@example.com")[0], "/confirm/"))
    bob.post("First reply", parent=parent)
    deliver(app)
    reply_mail = smtp_sink.to("ann@example.com")[-1]
    unsubscribe = link_to(reply_mail, "/leave/")
    assert reply_mail["List-Unsubscribe"] == f"<{PUBLIC_URL}{unsubscribe}>"
    assert reply_mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link_to(reply_mail, "/stop/")  # and a link to stop all mail from the site

    assert "Stop mail about /post/?" in client.get(unsubscribe).text
    bob.post("Second reply", parent=parent)
    deliver(app)
    assert len(smtp_sink.to("ann@example.com")) == 3  # the GET changed nothing

    one_click = client.post(unsubscribe, data={"List-Unsubscribe": "One-Click"})  # RFC 8058's body
    assert "You are unsubscribed" in one_click.text
    bob.post("Third reply", parent=parent)
    deliver(app)
    assert len(smtp_sink.to("ann@example.com")) == 3


def test_a_tampered_confirmation_link_confirms_nothing(app, client, site, make_reader, smtp_sink):
    _open_site(app, site)
    ann, bob = make_reader(), make_reader()
    parent = ann.post("Subscribe me", email="ann@example.com", notify=True).json["comment"]["id"]
    deliver(app)
    confirm = link_to(smtp_sink.to("ann@example.com")[0], "/confirm/")
    assert client.post(confirm.replace("/confirm/", "/confirm/x")).status_code == 400
    bob.post("A reply", parent=parent)
    deliver(app)
    assert len(smtp_sink.to("ann@example.com")) == 1


def test_mail_test_command_says_whether_mail_works(app, runner, smtp_sink):
    sent = runner.invoke(tandem, ["mail", "test", "owner@example.com"])
    assert sent.exit_code == 0, sent.output
    [mail] = smtp_sink.to("owner@example.com")
    assert "notifications by e-mail work" in text_of(mail)

    smtp_sink.stop()
    failed = runner.invoke(tandem, ["mail", "test", "owner@example.com"])
    assert failed.exit_code == 1
    assert "was not sent" in failed.output and "127.0.0.1" in failed.output
    with app.app_context():
        assert db.session.query(Outbox).filter_by(state="failed").count() == 1


def test_a_moderators_own_comment_is_not_mailed_to_them(app, moderated_site, smtp_sink):
    with app.app_context():
        sites.update_site(sites.get_site(moderated_site), settings={"notify": "all"})
        moderator = accounts.find_moderator(MODERATOR)
        comments.post_comment(sites.get_site(moderated_site), "/post/", "As the author",
                              comments.Author(moderator=moderator))
    deliver(app)
    assert smtp_sink.messages == []
