"""The admin JSON API of SPEC 6 with a bearer token: what a script moderating a blog gets back."""

from sqlalchemy import select

from service.admin.queries import private_comment
from service.db import db
from service.models import Comment

from .admin_world import ORIGIN_A, ORIGIN_B
from .conftest import Reader

OWNER, MOD_A = "owner@example.com", "mod-a@example.com"


def test_listing_includes_private_fields_filters_and_pages(world):
    listed = world.api("get", "/api/admin/comments?site=a&status=pending", MOD_A).json
    assert [comment["id"] for comment in listed["comments"]] == [world.ids["held_a"]]
    held = listed["comments"][0]
    assert held["email"] == "writer-a@example.net" and held["ip"] == "127.0.0.0"
    assert held["held_reason"] == "first_post" and held["held_sentence"] == "first comment from this commenter"
    assert held["thread_title"] == "Post on a"
    searched = world.api("get", "/api/admin/comments?q=WRITER%20A", OWNER).json["comments"]
    assert [comment["id"] for comment in searched] == [world.ids["held_a"]]
    first = world.api("get", "/api/admin/comments?limit=1", MOD_A).json
    assert first["comments"][0]["id"] == world.ids["approved_a"] and first["next"] == world.ids["approved_a"]
    second = world.api("get", f"/api/admin/comments?limit=1&after={first['next']}", MOD_A).json
    assert [comment["id"] for comment in second["comments"]] == [world.ids["held_a"]] and second["next"] is None
    bad = world.api("get", "/api/admin/comments?limit=0", MOD_A)
    assert bad.status_code == 400 and bad.json["error"]["field"] == "limit"


def test_approve_trusts_by_default_and_reply_is_by_the_author(world):
    approved = world.api("post", f"/api/admin/comments/{world.ids['held_a']}/approve", MOD_A)
    assert approved.status_code == 200 and approved.json["comment"]["status"] == "approved"
    reply = world.api("post", "/api/admin/comments", MOD_A,
                      json={"site": "a", "uri": "/post/", "parent": world.ids["held_a"], "text": "Welcome!"})
    assert reply.status_code == 201
    assert reply.json["comment"]["is_author"] is True and reply.json["comment"]["status"] == "approved"
    thread = world.client.get("/api/comments?site=a&uri=/post/").json["comments"]
    held = next(comment for comment in thread if comment["id"] == world.ids["held_a"])
    assert held["replies"][0]["is_author"] is True and held["replies"][0]["author"] == "mod-a"


def test_edit_pin_delete_and_close_through_the_api(world):
    target = world.ids["approved_a"]
    edited = world.api("patch", f"/api/admin/comments/{target}", MOD_A, json={"text": "Now *better*"})
    assert edited.json["comment"]["html"] == "<p>Now <em>better</em></p>"
    assert world.api("post", f"/api/admin/comments/{target}/pin", MOD_A).json["comment"]["pinned"] is True
    closed = world.api("post", "/api/admin/threads/close", MOD_A, json={"site": "a", "uri": "/post/"})
    assert closed.json == {"thread": {"site": "a", "uri": "/post/", "closed": True}}
    assert Reader(world.client, site="a", origin=ORIGIN_A).post("Late").json["error"]["code"] == "thread_closed"
    assert world.api("delete", f"/api/admin/comments/{target}", MOD_A).status_code == 204
    assert world.client.get("/api/comments?site=a&uri=/post/").json["comments"] == []
    missing = world.api("post", "/api/admin/comments/999999/approve", MOD_A)
    assert missing.status_code == 404 and missing.json["error"]["code"] == "not_found"


def test_bans_through_the_api_make_the_writer_spam(world):
    banned = world.api("post", "/api/admin/bans", MOD_A, json={"comment": world.ids["held_a"]})
    assert banned.status_code == 201
    assert banned.json == {"banned": ["commenter", "email"], "spam": [world.ids["held_a"]]}
    by_address = world.api("post", "/api/admin/bans", MOD_A, json={"site": "a", "ip": "203.0.113.9"})
    assert by_address.json == {"banned": ["ip"], "spam": []}
    empty = world.api("post", "/api/admin/bans", MOD_A, json={"site": "a"})
    assert empty.status_code == 400 and empty.json["error"]["code"] == "validation_failed"


def test_owners_create_and_change_sites_with_checked_settings(world):
    created = world.api("post", "/api/admin/sites", OWNER,
                        json={"key": "diary", "name": "Diary", "origins": ["https://diary.example"],
                              "settings": {"moderation": "none"}})
    assert created.status_code == 201
    assert created.json["site"]["settings"]["moderation"] == "none" and 'data-site="diary"' in created.json["site"]["snippet"]
    changed = world.api("patch", "/api/admin/sites/diary", OWNER, json={"settings": {"max_depth": 2}})
    assert changed.json["site"]["settings"]["max_depth"] == 2
    wrong = world.api("patch", "/api/admin/sites/diary", OWNER, json={"settings": {"moderation": "sometimes"}})
    assert wrong.status_code == 400 and wrong.json["error"]["field"] == "moderation"
    assert world.api("patch", "/api/admin/sites/nowhere", OWNER, json={}).json["error"]["code"] == "unknown_site"
    keys = [site["key"] for site in world.api("get", "/api/admin/sites", OWNER).json["sites"]]
    assert keys == ["a", "b", "diary"]


def test_the_admin_api_is_in_the_openapi_document(client):
    document = client.get("/api/openapi.json").json
    for path in ("/api/admin/comments", "/api/admin/comments/{id}", "/api/admin/comments/{id}/approve",
                 "/api/admin/comments/{id}/reject", "/api/admin/comments/{id}/spam", "/api/admin/comments/{id}/pin",
                 "/api/admin/comments/{id}/unpin", "/api/admin/sites", "/api/admin/sites/{key}", "/api/admin/bans",
                 "/api/admin/threads/close"):
        assert path in document["paths"], path
    assert document["components"]["securitySchemes"]["adminToken"]["scheme"] == "bearer"
    assert "401" in document["paths"]["/api/admin/comments"]["get"]["responses"]



def test_a_token_records_its_last_use_once_a_minute_not_once_a_call(world):
    """The tokens page shows minutes; a script's burst of calls must not queue writes on one row."""
    from datetime import timedelta

    from sqlalchemy import select, update

    from service.db import db
    from service.models import ApiToken
    from service.privacy import hash_token

    mine = ApiToken.token_hash == hash_token(world.tokens[OWNER])

    def last_used():
        with world.app.app_context():
            return db.session.scalar(select(ApiToken.last_used).where(mine))

    world.api("get", "/api/admin/comments", OWNER)
    first = last_used()
    assert first is not None
    for _ in range(3):
        assert world.api("get", "/api/admin/comments", OWNER).status_code == 200
    assert last_used() == first
    with world.app.app_context():
        db.session.execute(update(ApiToken).where(mine).values(last_used=first - timedelta(minutes=2)))
        db.session.commit()
    world.api("get", "/api/admin/comments", OWNER)
    assert last_used() > first


def test_a_searched_page_answers_each_comment_as_a_single_comment_answer_does(world):
    """The list reads plain rows; every field must match the one-comment answer (approve, edit, ...)."""
    reply = Reader(world.client, site="b", origin=ORIGIN_B).post(
        "A reply on b", uri="/post/", parent=world.ids["approved_b"], url=f"{ORIGIN_B}/post/#comments").json["comment"]
    with world.app.app_context():
        scored = db.session.get(Comment, world.ids["held_a"])
        scored.spam_score, scored.spam_features = 0.75, [["link:pills.example", 2.5], ["word:cheap", 1.0]]
        db.session.get(Comment, world.ids["approved_b"]).pinned = True
        db.session.commit()
        expected = {comment.id: private_comment(comment) for comment in db.session.scalars(select(Comment))}
    listed = world.api("get", "/api/admin/comments?q=on%20", OWNER).json
    assert listed["next"] is None
    assert [comment["id"] for comment in listed["comments"]] == [
        reply["id"], world.ids["approved_b"], world.ids["held_b"], world.ids["approved_a"], world.ids["held_a"]]
    for comment in listed["comments"]:
        assert list(comment.items()) == list(expected[comment["id"]].items())
    by_id = {comment["id"]: comment for comment in listed["comments"]}
    assert by_id[reply["id"]]["parent"] == world.ids["approved_b"] and by_id[reply["id"]]["site"] == "b"
    assert by_id[world.ids["held_a"]]["spam_features"] == [{"feature": "link:pills.example", "weight": 2.5},
                                                           {"feature": "word:cheap", "weight": 1.0}]
    assert by_id[world.ids["held_a"]]["held_reason"] == "first_post" and by_id[world.ids["held_a"]]["site"] == "a"
    assert by_id[world.ids["approved_b"]]["pinned"] is True and by_id[world.ids["approved_b"]]["thread_url"] is None
