"""`tandem export` and `tandem import tandem` (SPEC 8): export, import elsewhere, export again gives the same document."""

import json
import shutil
from pathlib import Path

import pytest

from service import create_app, moderation, sites
from service.cli import main as tandem
from service.db import db

from .conftest import ORIGIN, Reader

FIXTURES = Path(__file__).parent / "fixtures" / "imports"


def run(runner, *args):
    result = runner.invoke(tandem, [str(arg) for arg in args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def lived_in(app, runner, client, make_reader):
    """A site with a history: imported WordPress comments, then readers, a moderator, likes and a rejection."""
    with app.app_context():
        sites.create_site("copy", "The same blog, moved", [ORIGIN], {"challenge": "off"})
    run(runner, "import", "wordpress", FIXTURES / "wordpress.xml", "--site", "blog")
    alice, bob = make_reader(), make_reader()
    first = alice.post("First! Zoë says *hi* 🎉", uri="/post/", author="Alice", email="alice@example.org")
    run(runner, "moderate", "approve", first.json["comment"]["id"])
    alice.post("A trusted reply", uri="/post/", parent=first.json["comment"]["id"])
    bob.post("Not sure about this", uri="/post/", author="Bob")
    rejected = bob.post("Rejected", uri="/post/")
    client.post(f"/api/comments/{first.json['comment']['id']}/like",
                headers={"Origin": ORIGIN, "X-Commenter-Token": bob.token})
    run(runner, "moderate", "reject", rejected.json["comment"]["id"])
    with app.app_context():
        moderation.set_hearted(None, first.json["comment"]["id"], True)
    return alice


def test_export_holds_every_status_like_count_and_trust(runner, lived_in):
    document = json.loads(run(runner, "export", "--site", "blog").output)
    assert (document["format"], document["version"], document["site"]) == ("tandem", 1, "blog")
    statuses = sorted({comment["status"] for comment in document["comments"]})
    assert statuses == ["approved", "deleted", "pending", "spam"]
    first = next(c for c in document["comments"] if c["author"] == "Alice" and c["parent"] is None)
    assert first["likes"] == 1 and first["email"] == "alice@example.org" and first["hearted"] is True
    assert first["text"] == "First! Zoë says *hi* 🎉" and "<em>hi</em>" in first["html"]
    reply = next(c for c in document["comments"] if c["text"] == "A trusted reply")
    assert reply["parent"] == first["ref"] and reply["status"] == "approved"
    assert [entry["commenter"] for entry in document["trust"]] == [first["commenter"]]


def exported_to_file(runner, folder):
    path = folder / "blog.json"
    path.write_text(run(runner, "export", "--site", "blog").output, encoding="utf-8")
    return path


def test_export_then_import_then_export_gives_the_same_document(runner, lived_in, tmp_path):
    path = exported_to_file(runner, tmp_path)
    original = path.read_text(encoding="utf-8")
    imported = run(runner, "import", "tandem", path, "--site", "copy", "--keep-trust")
    assert "comments imported: 8 approved, 1 deleted, 2 pending, 1 spam." in imported.output
    assert "Kept readers' tokens and the trust of 1 commenter (--keep-trust)." in imported.output
    again = run(runner, "export", "--site", "copy").output
    assert again.replace('"site": "copy"', '"site": "blog"', 1) == original
    repeated = run(runner, "import", "tandem", path, "--site", "copy", "--keep-trust")
    assert "0 comments imported" in repeated.output and "12 already imported" in repeated.output


def test_a_fresh_instance_reads_the_export_back_to_the_same_document(runner, lived_in, tmp_path, sqlite_template):
    """Moving house: from this instance (SQLite or PostgreSQL) to a new one on SQLite."""
    path = exported_to_file(runner, tmp_path)
    database = tmp_path / "fresh.db"
    shutil.copy(sqlite_template, database)
    fresh = create_app(test_config={"DATABASE_URL": f"sqlite:///{database}", "INSTANCE": str(tmp_path / "fresh"),
                                    "SECRET_KEY": "another-secret", "TESTING": True}, environ={})
    try:
        with fresh.app_context():
            sites.create_site("blog", "A blog", [ORIGIN], {"challenge": "off"})
        fresh_runner = fresh.test_cli_runner()
        run(fresh_runner, "import", "tandem", path, "--site", "blog", "--keep-trust")
        assert run(fresh_runner, "export", "--site", "blog").output == path.read_text(encoding="utf-8")
    finally:
        with fresh.app_context():
            db.session.remove()
            db.engine.dispose()


def test_trust_moves_with_the_site_when_the_owner_keeps_it(runner, client, lived_in, tmp_path):
    run(runner, "import", "tandem", exported_to_file(runner, tmp_path), "--site", "copy", "--keep-trust")
    moved = Reader(client, site="copy")
    moved.token = lived_in.token
    assert moved.post("Hello from the new home", uri="/post/").json["comment"]["status"] == "approved"
    stranger = Reader(client, site="copy")
    assert stranger.post("Who am I?", uri="/post/", email="alice@example.org").json["comment"]["status"] == "pending"


def test_imported_threads_show_the_same_tree_to_readers(runner, client, lived_in, tmp_path):
    run(runner, "import", "tandem", exported_to_file(runner, tmp_path), "--site", "copy", "--keep-trust")

    def shown(site_key, uri):
        page = client.get("/api/comments", query_string={"site": site_key, "uri": uri}).json
        return json.dumps([page["thread"], _without_ids(page["comments"])], sort_keys=True)

    for uri in ("/post/", "/2026/11/like-a-dance/"):
        assert shown("copy", uri) == shown("blog", uri)


def _without_ids(comments):
    """Comments without what differs between two sites by design: ids, and avatars (keyed per site)."""
    return [{key: (_without_ids(value) if key == "replies" else value)
             for key, value in comment.items() if key not in ("id", "parent", "avatar")} for comment in comments]


def test_exporting_an_unknown_site_is_one_line(runner, app):
    result = runner.invoke(tandem, ["export", "--site", "nope"])
    assert result.exit_code == 1 and result.output.strip() == "Error: There is no site 'nope'."
