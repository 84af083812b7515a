"""Erasure (SPEC 9, 12) and the moderation CLI: `tandem forget`, the forget form, `tandem moderate list`."""

import json

from service.cli import main as tandem
from service.db import db
from service.mail_models import Subscription
from service.models import AuditEntry, Ban, Trust

from .admin_world import ORIGIN_A
from .conftest import Reader

OWNER = "owner@example.com"


def audit_entries(app, action):
    with app.app_context():
        return [(entry.actor, entry.target, entry.details)
                for entry in db.session.query(AuditEntry).filter_by(action=action)]


def test_forget_anonymises_every_comment_and_keeps_the_words(world):
    reader = Reader(world.client, site="a", origin=ORIGIN_A)
    later = reader.post("Me again", author="Writer a", email="Writer-A@example.net", notify=True).json["comment"]["id"]
    result = world.app.test_cli_runner().invoke(tandem, ["forget", "writer-a@example.net"])
    assert result.exit_code == 0 and "2 comment(s) anonymised" in result.output
    for comment_id in (world.ids["held_a"], later):
        forgotten = world.comment(comment_id)
        assert forgotten["author"] is None and forgotten["email"] is None and forgotten["website"] is None
        assert forgotten["ip"] is None and forgotten["commenter_hash"] is None
    assert world.comment(later)["text"] == "Me again"
    assert world.comment(world.ids["held_b"])["email"] == "writer-b@example.net"
    with world.app.app_context():
        assert db.session.query(Subscription).filter_by(email="writer-a@example.net").count() == 0
    [(actor, target, details)] = audit_entries(world.app, "forget")
    assert actor == "command line" and details["comments"] == 2
    assert "writer-a" not in json.dumps([target, details]).lower()


def test_forget_removes_the_commenters_trust(world):
    reader = Reader(world.client, site="a", origin=ORIGIN_A)
    first = reader.post("Hi", email="trusted@example.org").json["comment"]["id"]
    world.api("post", f"/api/admin/comments/{first}/approve", OWNER)
    assert reader.post("Trusted now").json["comment"]["status"] == "approved"
    world.app.test_cli_runner().invoke(tandem, ["forget", "trusted@example.org"])
    with world.app.app_context():
        assert db.session.query(Trust).count() == 2  # the world's approved writers on a and b, not this one


def test_forget_with_delete_leaves_tombstones_that_keep_the_thread_shape(world):
    reader = Reader(world.client, site="a", origin=ORIGIN_A)
    parent = reader.post("Parent", email="leaving@example.org").json["comment"]["id"]
    world.api("post", f"/api/admin/comments/{parent}/approve", OWNER)
    reply = Reader(world.client, site="a", origin=ORIGIN_A).post("Reply", parent=parent).json["comment"]["id"]
    world.api("post", f"/api/admin/comments/{reply}/approve", OWNER)
    result = world.app.test_cli_runner().invoke(tandem, ["forget", "leaving@example.org", "--site", "a", "--delete"])
    assert result.exit_code == 0 and "1 comment(s) deleted" in result.output
    thread = world.client.get("/api/comments?site=a&uri=/post/").json["comments"]
    tombstone = next(comment for comment in thread if comment["id"] == parent)
    assert tombstone["deleted"] is True and tombstone["replies"][0]["id"] == reply
    assert world.comment(parent)["text"] == ""


def test_forget_on_one_site_leaves_the_others(world):
    Reader(world.client, site="b", origin="https://b.example.com").post("On b", email="writer-a@example.net")
    world.app.test_cli_runner().invoke(tandem, ["forget", "writer-a@example.net", "--site", "b"])
    assert world.comment(world.ids["held_a"])["email"] == "writer-a@example.net"


def test_forget_refuses_bad_input_in_one_line(world):
    runner = world.app.test_cli_runner()
    for args, message in ((["forget", "nobody"], "not an e-mail"), (["forget", "a@b.example", "--site", "zz"], "no site")):
        result = runner.invoke(tandem, args)
        assert result.exit_code != 0 and message in result.output and "Traceback" not in result.output


def test_owners_forget_from_the_admin_page(world):
    browser = world.browser(OWNER)
    response = browser.post("/admin/forget", data={"email": "writer-a@example.net"}, follow_redirects=True)
    assert "Forgotten: 1 comment(s)" in response.get_data(as_text=True)
    assert world.comment(world.ids["held_a"])["author"] is None
    [(actor, target, _)] = audit_entries(world.app, "forget")
    assert actor == OWNER and "writer-a" not in target


def test_bans_keep_only_keyed_hashes(world):
    world.api("post", "/api/admin/bans", OWNER, json={"comment": world.ids["held_a"], "kinds": ["email", "ip"]})
    with world.app.app_context():
        stored = json.dumps([[ban.kind, ban.value_hash, ban.note] for ban in db.session.query(Ban)])
    assert "writer-a" not in stored and "127.0.0" not in stored


def test_moderate_list_is_a_readable_table_and_decisions_are_audited(world):
    runner = world.app.test_cli_runner()
    table = runner.invoke(tandem, ["moderate", "list"]).output.splitlines()
    assert table[0].split() == ["ID", "SITE", "THREAD", "AUTHOR", "E-MAIL", "HELD", "BECAUSE", "TEXT"]
    assert len(table) == 3 and all("writer-" in line for line in table[1:])
    assert table[1].index("Writer") == table[0].index("AUTHOR")
    rows = json.loads(runner.invoke(tandem, ["moderate", "list", "--site", "a", "--json"]).output)
    assert [row["id"] for row in rows] == [world.ids["held_a"]]
    runner.invoke(tandem, ["moderate", "approve", str(world.ids["held_a"])])
    assert audit_entries(world.app, "approve") == [("command line", f"comment {world.ids['held_a']}", {"trust": True})]
