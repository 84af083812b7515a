"""`tandem import isso` (SPEC 8): an Isso SQLite database with its threads, modes, replies and likes."""

import json
import sqlite3
from datetime import datetime, timezone

import pytest

from service.cli import main as tandem

# Isso's tables as its documentation describes them: threads by uri, comments with a mode and a like count.
ISSO_SCHEMA = """
CREATE TABLE preferences (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE threads (id INTEGER PRIMARY KEY, uri VARCHAR(256) UNIQUE, title VARCHAR(256));
CREATE TABLE comments (
    tid REFERENCES threads(id), id INTEGER PRIMARY KEY, parent INTEGER,
    created FLOAT NOT NULL, modified FLOAT, mode INTEGER, remote_addr VARCHAR,
    text VARCHAR, author VARCHAR, email VARCHAR, website VARCHAR,
    likes INTEGER DEFAULT 0, dislikes INTEGER DEFAULT 0, voters BLOB NOT NULL,
    notification INTEGER DEFAULT 0
);
"""
NOV_2 = datetime(2026, 11, 2, 10, 0, tzinfo=timezone.utc).timestamp()
COMMENTS = [
    # id, tid, parent, created, modified, mode, text, author, email, website, likes
    (1, 1, None, NOV_2, None, 1, "Hello **Isso** 👋 — https://example.org", "Zoë", "zoe@example.org",
     "https://zoe.example.org", 3),
    (2, 1, 1, NOV_2 + 60, NOV_2 + 120, 1, "A reply", "Ana", "ana@example.org", None, 0),
    (3, 1, 2, NOV_2 + 120, None, 1, "Third level <script>alert(1)</script>", "Bob", None, None, 0),
    (4, 1, None, NOV_2 + 180, None, 2, "Waiting for a moderator", "Walter", "walter@example.org", None, 0),
    (5, 1, None, NOV_2 + 240, None, 4, "", None, None, None, 0),
    (6, 1, 5, NOV_2 + 300, None, 1, "Reply to a deleted comment", "Rita", None, None, 1),
    (7, 2, None, NOV_2 + 360, None, 1, "On the other post", "Ana", None, "javascript:alert(1)", 0),
]


@pytest.fixture
def isso_db(tmp_path):
    path = tmp_path / "comments.db"
    connection = sqlite3.connect(path)
    connection.executescript(ISSO_SCHEMA)
    connection.executemany("INSERT INTO threads (id, uri, title) VALUES (?, ?, ?)",
                           [(1, "/2026/11/like-a-dance/", "Like a dance"), (2, "/about/", None)])
    connection.executemany(
        "INSERT INTO comments (id, tid, parent, created, modified, mode, text, author, email, website, likes, "
        "remote_addr, voters) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '127.0.0.0', x'00')", COMMENTS)
    connection.commit()
    connection.close()
    return path


def run(runner, *args):
    return runner.invoke(tandem, [str(arg) for arg in args], catch_exceptions=False)


def thread(client, uri="/2026/11/like-a-dance/"):
    return client.get("/api/comments", query_string={"site": "blog", "uri": uri}).json


@pytest.fixture
def imported(runner, site, isso_db):
    result = run(runner, "import", "isso", isso_db, "--site", "blog")
    assert result.exit_code == 0, result.output
    return result


def test_summary_counts_every_mode(imported):
    assert "2 threads (2 new), 7 comments imported: 5 approved, 1 deleted, 1 pending." in imported.output


def test_markdown_is_rendered_and_threading_kept(client, imported):
    page = thread(client)
    assert page["thread"]["title"] == "Like a dance" and page["thread"]["total"] == 4
    zoe = page["comments"][0]
    assert zoe["html"].startswith("<p>Hello <strong>Isso</strong> 👋 — <a href=\"https://example.org\"")
    assert zoe["created"].startswith("2026-11-02T10:00:00")
    third = zoe["replies"][0]["replies"][0]
    assert third["author"] == "Bob" and "<script" not in third["html"] and "&lt;script&gt;" in third["html"]
    assert zoe["replies"][0]["edited"].startswith("2026-11-02T10:02:00")


def test_like_counts_come_along_and_stay_true_when_readers_like(client, imported, reader):
    zoe = thread(client)["comments"][0]
    assert zoe["likes"] == 3
    response = client.post(f"/api/comments/{zoe['id']}/like", headers={"Origin": reader.origin})
    assert response.json == {"likes": 4}


def test_deleted_comments_with_replies_are_tombstones(client, imported):
    tombstone = thread(client)["comments"][1]
    assert tombstone["deleted"] is True and [r["author"] for r in tombstone["replies"]] == ["Rita"]


def test_pending_stays_pending_and_bad_websites_are_dropped(runner, imported):
    document = json.loads(run(runner, "export", "--site", "blog").output)
    statuses = {c["author"]: (c["status"], c["website"]) for c in document["comments"]}
    assert statuses["Walter"] == ("pending", None)
    assert statuses["Zoë"] == ("approved", "https://zoe.example.org")
    other = next(c for c in document["comments"] if c["thread"] == "/about/")
    assert other["website"] is None


def test_running_the_import_again_adds_nothing_and_leaves_the_database_unchanged(runner, client, imported, isso_db):
    before = isso_db.read_bytes()
    again = run(runner, "import", "isso", isso_db, "--site", "blog")
    assert "0 comments imported" in again.output and "7 already imported" in again.output
    assert thread(client)["thread"]["total"] == 4
    assert isso_db.read_bytes() == before


def test_a_database_that_is_not_issos_is_refused(runner, site, tmp_path):
    other = tmp_path / "other.db"
    sqlite3.connect(other).executescript("CREATE TABLE threads (id INTEGER, uri TEXT, title TEXT);")
    result = runner.invoke(tandem, ["import", "isso", str(other), "--site", "blog"])
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: {other}: not an Isso database: no table 'comments'."
