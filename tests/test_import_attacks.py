"""Hostile import files (issue 17, finding 8), run as the blogger runs them: `tandem import` as a
subprocess against the instance of the real server, whose readers then see the result.

Import files come from elsewhere. Each test here is an attack that worked before: memory that
grew with the numbers a file claims, tracebacks for wrong values, thread addresses that sent
feed links to another host, and trust granted to a token the file's author holds.
"""

import hashlib
import json
import sqlite3
import subprocess
import sys
from datetime import datetime, timezone
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
import requests

from .live import REPOSITORY, post_comment

ORIGIN = "https://blog.example"
MEGABYTE = 1024  # ru_maxrss is in kilobytes on Linux
# The import runs with its address space capped, so an unbounded import fails quickly with a
# MemoryError instead of taking the machine's memory; the bound asserted is far below the cap.
ADDRESS_SPACE_CAP = 3 * 1024 ** 3
_MEASURED_IMPORT = f"""
import atexit, resource, sys
resource.setrlimit(resource.RLIMIT_AS, ({ADDRESS_SPACE_CAP}, {ADDRESS_SPACE_CAP}))
atexit.register(lambda: print("maxrss", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr))
sys.argv = ["tandem", *sys.argv[1:]]
from service.cli import main
main()
"""


def measured_import(server, kind, path, site, *extra):
    """Run `tandem import` against the server's instance; returns (result, peak memory in MB)."""
    result = subprocess.run([sys.executable, "-c", _MEASURED_IMPORT, "import", kind, str(path), "--site", site,
                             *extra], env=server.env, capture_output=True, text=True, cwd=REPOSITORY, timeout=600)
    lines = result.stderr.strip().splitlines()
    peak = int(lines.pop().split()[1]) // MEGABYTE
    result.stderr = "\n".join(lines)
    return result, peak


@pytest.fixture
def baseline_memory(live_server, tmp_path):
    """The peak memory of importing a one-comment file: what every import costs before its records."""
    site = live_server.new_site([ORIGIN])
    path = tmp_path / "small.json"
    path.write_text(json.dumps(tandem_document([comment_entry("one")])))
    result, peak = measured_import(live_server, "tandem", path, site)
    assert result.returncode == 0, result.stderr
    return peak


def tandem_document(comments, threads=({"uri": "/post/"},), trust=()):
    return {"format": "tandem", "version": 1, "site": "elsewhere", "threads": list(threads),
            "comments": list(comments), "trust": list(trust)}


def comment_entry(ref, thread="/post/", **fields):
    return {"ref": ref, "thread": thread, "parent": None, "status": "approved", "text": f"Comment {ref}",
            "html": f"<p>Comment {ref}</p>", "created": "2026-11-02T10:00:00Z", **fields}


def shown(server, site, uri="/post/", **query):
    response = requests.get(server.url + "/api/comments", params={"site": site, "uri": uri, **query}, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()["comments"]


def one_line_error(result):
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    return lines[0]


def isso_database(path, comments):
    """An Isso database (its own schema) with one thread `/post/` and the given comment rows."""
    connection = sqlite3.connect(path)
    connection.executescript("""
        CREATE TABLE threads (id INTEGER PRIMARY KEY, uri VARCHAR(256) UNIQUE, title VARCHAR(256));
        CREATE TABLE comments (tid REFERENCES threads(id), id INTEGER PRIMARY KEY, parent INTEGER,
            created FLOAT NOT NULL, modified FLOAT, mode INTEGER, remote_addr VARCHAR, text VARCHAR,
            author VARCHAR, email VARCHAR, website VARCHAR, likes INTEGER DEFAULT 0, dislikes INTEGER DEFAULT 0,
            voters BLOB NOT NULL, notification INTEGER DEFAULT 0);
        INSERT INTO threads VALUES (1, '/post/', 'A post');
    """)
    created = datetime(2026, 11, 2, tzinfo=timezone.utc).timestamp()
    connection.executemany(
        "INSERT INTO comments (id, tid, parent, created, modified, mode, text, author, likes, voters) "
        "VALUES (?, 1, NULL, ?, NULL, 1, ?, 'Ann', ?, x'00')",
        [(number, row.get("created", created), row.get("text", "Hi"), row.get("likes", 0))
         for number, row in enumerate(comments, 1)])
    connection.commit()
    connection.close()
    return path


# --- memory is bounded by the number of records, not by what they claim ---------------------------


def test_an_isso_file_claiming_30_million_likes_is_refused_in_bounded_memory(live_server, tmp_path,
                                                                             baseline_memory):
    site = live_server.new_site([ORIGIN])
    path = isso_database(tmp_path / "comments.db", [{"likes": 30_000_000}, {}])
    result, peak = measured_import(live_server, "isso", path, site)
    message = one_line_error(result)
    assert f"{path}, comment 1: 'likes' must be a whole number from 0 to 100,000, not 30000000." in message
    assert peak - baseline_memory < 100
    assert shown(live_server, site) == []


def test_300_comments_of_100000_likes_each_import_in_bounded_memory(live_server, tmp_path, baseline_memory):
    site = live_server.new_site([ORIGIN])
    path = tmp_path / "liked.json"
    path.write_text(json.dumps(tandem_document(comment_entry(f"c{n}", likes=100_000) for n in range(300))))
    result, peak = measured_import(live_server, "tandem", path, site)
    assert result.returncode == 0, result.stderr
    assert "300 comments imported: 300 approved." in result.stdout
    assert peak - baseline_memory < 100
    top = shown(live_server, site, sort="top", limit=5)
    assert [comment["likes"] for comment in top] == [100_000] * 5


def test_a_reader_liking_an_imported_comment_adds_one_to_its_count(live_server, tmp_path):
    site = live_server.new_site([ORIGIN])
    path = tmp_path / "liked.json"
    path.write_text(json.dumps(tandem_document([comment_entry("liked", likes=41)])))
    live_server.tandem("import", "tandem", str(path), "--site", site)
    comment_id = shown(live_server, site)[0]["id"]
    like = requests.post(f"{live_server.url}/api/comments/{comment_id}/like", headers={"Origin": ORIGIN}, timeout=10)
    assert like.json() == {"likes": 42}
    unlike = requests.delete(f"{live_server.url}/api/comments/{comment_id}/like", headers={"Origin": ORIGIN},
                             timeout=10)
    assert unlike.json() == {"likes": 41}


def disqus_posts_before_threads(path, posts, message_size):
    """A Disqus export listing `posts` posts (on a thread that never comes) before its one thread."""
    body = "x" * message_size
    with open(path, "w", encoding="utf-8") as file:
        file.write('<?xml version="1.0" encoding="utf-8"?>\n<disqus xmlns="http://disqus.com" '
                   'xmlns:dsq="http://disqus.com/disqus-internals">\n')
        post = ('<post dsq:id="{n}"><message><![CDATA[<p>{body}</p>]]></message><createdAt>2026-11-02T10:00:00Z'
                '</createdAt><author><name>Ann</name></author><thread dsq:id="{thread}"/></post>\n')
        file.write(post.format(n="first", body="Posted before its thread", thread="real"))
        for n in range(posts):
            file.write(post.format(n=n, body=body, thread="gone"))
        file.write(f'<thread dsq:id="real"><link>{ORIGIN}/post/</link><title>A post</title>'
                   '<createdAt>2026-11-01T10:00:00Z</createdAt></thread>\n</disqus>\n')
    return path


def test_disqus_posts_listed_before_their_threads_are_not_held_in_memory(live_server, tmp_path, baseline_memory):
    site = live_server.new_site([ORIGIN])
    path = disqus_posts_before_threads(tmp_path / "disqus.xml", posts=5_000, message_size=30_000)  # 150 MB
    result, peak = measured_import(live_server, "disqus", path, site)
    assert result.returncode == 0, result.stderr
    assert "1 comment imported: 1 approved." in result.stdout and "Skipped 5000: 5000 no thread." in result.stdout
    assert peak - baseline_memory < 100
    assert [comment["html"] for comment in shown(live_server, site)] \
        == ["<p>Posted before its thread</p>"]


# --- every value is checked, and a wrong one is one line naming where it is -------------------------


@pytest.mark.parametrize("fields, expected", [
    ({"likes": "lots"}, "comment 2: 'likes' must be a whole number from 0 to 100,000, not 'lots'."),
    ({"likes": 1e20}, "comment 2: 'likes' must be a whole number from 0 to 100,000, not 1e+20."),
    ({"created": "yesterday"}, "comment 2: 'created' must be a time such as 2026-11-25T10:22:41Z, not 'yesterday'."),
    ({"created": 1e20}, "comment 2: 'created' must be a time such as 2026-11-25T10:22:41Z, not 1e+20."),
    ({"author": ["Ann"]}, "comment 2: 'author' must be a string or null, not ['Ann']."),
    ({"pinned": "yes"}, "comment 2: 'pinned' must be true or false, not 'yes'."),
    ({"commenter": "me"}, "comment 2: 'commenter' must be 64 hexadecimal digits or null, not 'me'."),
])
def test_a_bad_value_in_a_tandem_file_is_one_line_naming_where(live_server, tmp_path, fields, expected):
    site = live_server.new_site([ORIGIN])
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(tandem_document([comment_entry("fine"), comment_entry("bad", **fields)])))
    message = one_line_error(live_server.tandem("import", "tandem", str(path), "--site", site, check=False))
    assert message == f"Error: {path}, {expected}"
    assert shown(live_server, site) == []


@pytest.mark.parametrize("row, expected", [
    ({"likes": "lots"}, "comment 2: 'likes' must be a whole number from 0 to 100,000, not 'lots'."),
    ({"likes": -3}, "comment 2: 'likes' must be a whole number from 0 to 100,000, not -3."),
    ({"created": "yesterday"}, "comment 2: 'created' must be a time in seconds since 1970, not 'yesterday'."),
    ({"created": 1e20}, "comment 2: 'created' must be a time in seconds since 1970, not 1e+20."),
    ({"text": b"\x00bytes"}, "comment 2: 'text' must be a string or null, not b'\\x00bytes'."),
])
def test_a_bad_value_in_an_isso_database_is_one_line_naming_where(live_server, tmp_path, row, expected):
    site = live_server.new_site([ORIGIN])
    path = isso_database(tmp_path / "comments.db", [{}, row])
    message = one_line_error(live_server.tandem("import", "isso", str(path), "--site", site, check=False))
    assert message == f"Error: {path}, {expected}"
    assert shown(live_server, site) == []


# --- thread addresses are the site's own ---------------------------------------------------------


def test_a_tandem_file_cannot_send_feed_and_mail_links_to_another_host(live_server, tmp_path):
    site = live_server.new_site([ORIGIN])
    path = tmp_path / "phish.json"
    threads = [{"uri": "@evil.example/phish", "title": "Log in again", "url": "https://evil.example/login"},
               {"uri": "/real/", "url": f"{ORIGIN}/real/"}]
    comments = [comment_entry("phish", thread="@evil.example/phish"), comment_entry("real", thread="/real/")]
    path.write_text(json.dumps(tandem_document(comments, threads=threads)))
    live_server.tandem("import", "tandem", str(path), "--site", site)

    assert [c["html"] for c in shown(live_server, site, uri="/@evil.example/phish")] == ["<p>Comment phish</p>"]
    feed = requests.get(live_server.url + "/api/feed", params={"site": site}, timeout=10)
    atom = "{http://www.w3.org/2005/Atom}"
    entries = ElementTree.fromstring(feed.content).findall(atom + "entry")
    links = {entry.find(atom + "title").text: entry.find(atom + "link").get("href") for entry in entries}
    assert links["Anonymous on Log in again"].startswith(f"{ORIGIN}/@evil.example/phish#comment-")
    assert links["Anonymous on /real/"].startswith(f"{ORIGIN}/real/#comment-")
    assert {urlsplit(link).hostname for link in links.values()} == {"blog.example"}
    exported = json.loads(live_server.tandem("export", "--site", site).stdout)
    assert {(thread["uri"], thread["url"]) for thread in exported["threads"]} == {
        ("/@evil.example/phish", None), ("/real/", f"{ORIGIN}/real/")}


# --- trust is the owner's decision ---------------------------------------------------------------


def forged_trust_file(server, tmp_path):
    """A file whose author holds a real commenter token and names its hash as trusted."""
    elsewhere = server.new_site([ORIGIN])
    token = post_comment(server, elsewhere, ORIGIN, "getting a token").json()["commenter_token"]
    token_hash = hashlib.sha256(token.encode()).hexdigest()
    path = tmp_path / "forged.json"
    path.write_text(json.dumps(tandem_document(
        [comment_entry("mine", commenter=token_hash)],
        trust=[{"commenter": token_hash, "created": "2026-11-01T10:00:00Z"}])))
    return path, token


def test_a_tandem_file_cannot_make_its_authors_token_trusted(live_server, tmp_path):
    path, token = forged_trust_file(live_server, tmp_path)
    site = live_server.new_site([ORIGIN])
    result = live_server.tandem("import", "tandem", str(path), "--site", site)
    assert ("Left out readers' tokens and the trust of 1 commenter; add --keep-trust if you trust the file's "
            "source.") in result.stdout
    attempt = post_comment(live_server, site, ORIGIN, "Hello again", token=token)
    assert attempt.json()["comment"]["status"] == "pending"
    exported = json.loads(live_server.tandem("export", "--site", site).stdout)
    assert exported["trust"] == []
    assert [c["commenter"] for c in exported["comments"] if c["ref"] == "mine"] == [None]


def test_the_owner_keeps_trust_from_a_file_only_by_asking(live_server, tmp_path):
    path, token = forged_trust_file(live_server, tmp_path)
    site = live_server.new_site([ORIGIN])
    result = live_server.tandem("import", "tandem", str(path), "--site", site, "--keep-trust")
    assert "Kept readers' tokens and the trust of 1 commenter (--keep-trust)." in result.stdout
    assert post_comment(live_server, site, ORIGIN, "Back again", token=token).json()["comment"]["status"] == \
        "approved"
