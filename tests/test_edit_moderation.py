"""A reader's edit is judged like a new comment (SPEC 3 "the edit is moderated again", SPEC 4)."""


import pytest
from sqlalchemy import select

from service import moderation, sites
from service.db import db
from service.mail_models import Outbox
from service.models import Comment
from service.notify import worker

from .conftest import ORIGIN, Reader
from .notify_support import Receiver


def set_site(app, **settings):
    with app.app_context():
        sites.update_site(sites.get_site("blog"), settings=settings)


def edit(client, reader, comment_id, text):
    return client.patch(f"/api/comments/{comment_id}", json={"text": text},
                        headers={"Origin": ORIGIN, "X-Edit-Token": reader.edit_tokens[comment_id]})


def stored(app, comment_id):
    with app.app_context():
        comment = db.session.get(Comment, comment_id)
        return {"status": comment.status, "reason": comment.held_reason, "text": comment.text}


def shown_ids(client, uri="/post/"):
    return [c["id"] for c in client.get("/api/comments", query_string={"site": "blog", "uri": uri}).json["comments"]]


def test_an_edit_of_a_comment_stored_as_spam_stays_spam(app, reader, client):
    set_site(app, moderation="none")
    comment_id = reader.post("buy things", hp="filled by a bot").json["comment"]["id"]
    response = edit(client, reader, comment_id, "An innocent remark")
    assert response.status_code == 200
    assert response.json["comment"]["status"] == "pending"  # spam still looks held to its writer
    assert stored(app, comment_id)["status"] == "spam"
    assert shown_ids(client) == []


def test_an_edit_in_a_thread_a_moderator_closed_is_refused_like_a_new_comment(app, reader, client):
    comment_id = reader.post("before the close").json["comment"]["id"]
    with app.app_context():
        moderation.set_closed(None, sites.get_site("blog"), "/post/", True)
    refused_post = reader.post("a new one")
    refused_edit = edit(client, reader, comment_id, "after the close")
    assert refused_edit.status_code == refused_post.status_code == 403
    assert refused_edit.json == refused_post.json
    assert refused_edit.json["error"]["code"] == "thread_closed"
    assert stored(app, comment_id)["text"] == "before the close"


def test_an_edit_in_a_thread_closed_by_its_age_is_refused(app, clock, reader, client):
    set_site(app, close_after_days=1, edit_window_minutes=3 * 24 * 60)  # still the writer's to edit
    comment_id = reader.post("on an old post").json["comment"]["id"]
    clock.advance(days=2)
    response = edit(client, reader, comment_id, "changed")
    assert response.status_code == 403 and response.json["error"]["code"] == "thread_closed"
    assert stored(app, comment_id)["text"] == "on an old post"


def test_an_edit_by_a_banned_writer_is_spam_like_their_new_comments(app, reader, client):
    set_site(app, moderation="none")
    comment_id = reader.post("fine words", email="troll@example.org").json["comment"]["id"]
    with app.app_context():
        moderation.ban_address(None, sites.get_site("blog"), email="troll@example.org")
    response = edit(client, reader, comment_id, "now the insults")
    assert response.json["comment"]["status"] == "pending"
    assert stored(app, comment_id)["status"] == "spam"
    assert shown_ids(client) == []


def test_a_published_comment_edited_into_link_spam_goes_back_to_the_queue(app, reader, client):
    set_site(app, moderation="none")
    comment_id = reader.post("Nice post").json["comment"]["id"]
    assert shown_ids(client) == [comment_id]
    links = " ".join(f"https://shop{n}.example/" for n in range(3))
    response = edit(client, reader, comment_id, f"Cheap deals {links}")
    assert response.json["comment"]["status"] == "pending"
    assert stored(app, comment_id)["reason"] == "edited: links: 3 links (limit 2)"
    assert shown_ids(client) == []


def test_a_published_comment_edited_to_a_blocklisted_word_is_held(app, reader, client):
    set_site(app, moderation="none", blocklist=["casino"])
    comment_id = reader.post("Nice post").json["comment"]["id"]
    response = edit(client, reader, comment_id, "Visit my Casino")
    assert response.json["comment"]["status"] == "pending"
    assert stored(app, comment_id)["reason"] == "edited: blocklist: blocklisted word: casino"
    assert shown_ids(client) == []


# --- Akismet ------------------------------------------------------------------------------------


@pytest.fixture
def akismet():
    server = Receiver(answer=lambda path, headers, body: (200, b"true" if b"casino" in body else b"false"))
    yield server
    server.close()


@pytest.fixture
def akismet_app(make_app, akismet):
    app = make_app(AKISMET_KEY="test-key", AKISMET_URL=akismet.url)
    with app.app_context():
        sites.create_site("blog", "A blog", [ORIGIN],
                          {"challenge": "off", "akismet": True, "moderation": "none", "notify": "none"})
    return app


def akismet_checks_queued(app, comment_id):
    with app.app_context():
        rows = db.session.scalars(select(Outbox).where(Outbox.kind == "akismet", Outbox.state == "queued")).all()
        return [row for row in rows if row.payload.get("comment_id") == comment_id]


def deliver(app):
    with app.app_context():
        worker.run_once()


def test_with_akismet_an_edit_is_checked_again_and_spam_is_taken_down(akismet_app, akismet):
    app, client = akismet_app, akismet_app.test_client()
    reader = Reader(client)
    comment_id = reader.post("A thoughtful remark").json["comment"]["id"]
    deliver(app)
    assert stored(app, comment_id)["status"] == "approved"

    response = edit(client, reader, comment_id, "Win at the casino")
    assert response.json["comment"]["status"] == "pending"  # held until Akismet answers, like a new comment
    assert len(akismet_checks_queued(app, comment_id)) == 1
    assert shown_ids(client) == []
    deliver(app)
    assert stored(app, comment_id)["status"] == "spam"
    assert [request["path"] for request in akismet.requests] == ["/1.1/comment-check"] * 2
    assert b"casino" in akismet.requests[-1]["body"]


def test_with_akismet_a_clean_edit_goes_live_again_after_the_check(akismet_app, akismet):
    app, client = akismet_app, akismet_app.test_client()
    reader = Reader(client)
    comment_id = reader.post("A thoughtful remark").json["comment"]["id"]
    deliver(app)
    edit(client, reader, comment_id, "A more thoughtful remark")
    assert stored(app, comment_id)["status"] == "pending"
    deliver(app)
    assert stored(app, comment_id)["status"] == "approved"
    assert shown_ids(client) == [comment_id]

