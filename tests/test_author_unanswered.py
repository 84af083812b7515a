"""The admin's "Unanswered" view (SPEC 14): readers' approved comments that no moderator has replied to."""

import re

from service import comments
from service.db import db
from service.models import Comment

from .admin_world import ORIGIN_A
from .conftest import Reader

OWNER, MOD_A = "owner@example.com", "mod-a@example.com"


def approved(world, text, parent=None, uri="/post/"):
    posted = Reader(world.client, site="a", origin=ORIGIN_A).post(text, uri=uri, parent=parent).json["comment"]
    with world.app.app_context():
        comments.moderate([posted["id"]], "approve")
    return posted["id"]


def author_reply(world, parent, who=MOD_A, text="Thank you!"):
    reply = world.api("post", "/api/admin/comments", who, json={"site": "a", "uri": "/post/", "parent": parent,
                                                                "text": text})
    assert reply.status_code == 201
    return reply.json["comment"]["id"]


def listed_ids(page):
    """The comments on an Unanswered page, in order, by their cards' ids."""
    return [int(found) for found in re.findall(r'<article class="comment[^"]*" id="c(\d+)"', page)]


def test_unanswered_lists_readers_approved_comments_without_a_moderators_reply_newest_first(world):
    answered = approved(world, "Answered already")
    author_reply(world, answered)
    later = approved(world, "A reader's reply to a reader", parent=world.ids["approved_a"])
    page = world.browser(MOD_A).get("/admin/unanswered").get_data(as_text=True)
    assert listed_ids(page) == [later, world.ids["approved_a"]]
    assert "Held on a" not in page and "Approved on b" not in page and "Thank you!" not in page
    assert f'action="/admin/comments/{later}/reply"' in page
    owner_page = world.browser(OWNER).get("/admin/unanswered").get_data(as_text=True)
    assert listed_ids(owner_page) == [later, world.ids["approved_b"], world.ids["approved_a"]]
    assert 'href="/admin/unanswered"' in page  # in the navigation


def test_replying_from_the_unanswered_view_publishes_the_authors_reply_and_takes_the_comment_off(world):
    browser = world.browser(MOD_A)
    page = browser.get("/admin/unanswered").get_data(as_text=True)
    target = world.ids["approved_a"]
    assert listed_ids(page) == [target]
    sent = browser.post(f"/admin/comments/{target}/reply", data={"text": "Glad you *liked* it", "then": "/admin/unanswered"})
    assert sent.status_code == 303 and sent.headers["Location"].endswith("/admin/unanswered")
    after = browser.get("/admin/unanswered").get_data(as_text=True)
    assert listed_ids(after) == [] and "Your reply is published." in after and "Every reader has an answer" in after
    [reply] = world.client.get("/api/comments?site=a&uri=/post/").json["comments"][0]["replies"]
    assert reply["is_author"] is True and "<em>liked</em>" in reply["html"]


def test_a_deleted_author_reply_makes_the_comment_unanswered_again(world):
    target = world.ids["approved_a"]
    reply = author_reply(world, target)
    assert listed_ids(world.browser(MOD_A).get("/admin/unanswered").get_data(as_text=True)) == []
    assert world.api("delete", f"/api/admin/comments/{reply}", MOD_A).status_code == 204
    assert listed_ids(world.browser(MOD_A).get("/admin/unanswered").get_data(as_text=True)) == [target]


def test_the_admin_api_lists_unanswered_comments_with_paging(world):
    newer = approved(world, "Newer")
    first = world.api("get", "/api/admin/comments?unanswered=1&limit=1", MOD_A).json
    assert [c["id"] for c in first["comments"]] == [newer] and first["next"] == newer
    second = world.api("get", f"/api/admin/comments?unanswered=1&limit=1&after={newer}", MOD_A).json
    assert [c["id"] for c in second["comments"]] == [world.ids["approved_a"]] and second["next"] is None
    author_reply(world, newer)
    assert [c["id"] for c in world.api("get", "/api/admin/comments?unanswered=1", MOD_A).json["comments"]] == [
        world.ids["approved_a"]]
    for bad in ("unanswered=yes", "unanswered=1&status=pending"):
        refused = world.api("get", f"/api/admin/comments?{bad}", MOD_A)
        assert refused.status_code == 400 and refused.json["error"]["code"] == "bad_request"


def test_a_moderators_own_comment_is_never_unanswered(world):
    own = author_reply(world, None, text="A note from the author")
    with world.app.app_context():
        assert db.session.get(Comment, own).is_author
    listed = world.api("get", "/api/admin/comments?unanswered=1", MOD_A).json["comments"]
    assert own not in [c["id"] for c in listed]
