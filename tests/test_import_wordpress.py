"""`tandem import wordpress` (SPEC 8): a hand-written WXR export comes in with its threading and statuses."""

import json
from pathlib import Path

import pytest

from service.cli import main as tandem

FIXTURES = Path(__file__).parent / "fixtures" / "imports"
POST = "/2026/11/like-a-dance/"


def run(runner, *args):
    return runner.invoke(tandem, [str(arg) for arg in args], catch_exceptions=False)


def thread(client, uri=POST):
    return client.get("/api/comments", query_string={"site": "blog", "uri": uri}).json


def exported(runner):
    result = run(runner, "export", "--site", "blog")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def by_author(comments):
    found = {}
    for comment in comments:
        found[comment.get("author")] = comment
        found.update(by_author(comment.get("replies", [])))
    return found


@pytest.fixture
def imported(runner, site):
    result = run(runner, "import", "wordpress", FIXTURES / "wordpress.xml", "--site", "blog")
    assert result.exit_code == 0, result.output
    return result


def test_summary_counts_threads_statuses_and_skips(imported):
    assert "2 threads (2 new), 8 comments imported: 6 approved, 1 pending, 1 spam." in imported.output
    assert "Skipped 3: 1 pingback, 1 trackback, 1 trash." in imported.output


def test_threading_is_kept_three_deep(client, imported):
    page = thread(client)
    assert page["thread"]["title"] == "Like a dance"
    assert page["thread"]["total"] == 5
    top = [comment["author"] for comment in page["comments"]]
    assert top == ["Zoë Ångström 💃", "Mallory"]
    first = page["comments"][0]
    second = first["replies"][0]
    assert second["author"] == "Ana" and second["replies"][0]["html"] == "<p>Third level: 日本語もOK.</p>"


def test_reply_to_a_trashed_comment_hangs_from_the_trashed_ones_parent(client, imported):
    replies = thread(client)["comments"][0]["replies"]
    assert [reply["author"] for reply in replies] == ["Ana", "Bob"]


def test_unicode_emoji_dates_and_websites_are_kept(client, imported):
    zoe = thread(client)["comments"][0]
    assert zoe["author"] == "Zoë Ångström 💃"
    assert zoe["website"] == "https://zoe.example.org/"
    assert zoe["created"].startswith("2026-11-02T10:00:00")
    assert "Schön — “curly quotes” and emoji 🎉🇩🇪." in zoe["html"]
    assert '<a href="https://example.org/steps" rel="nofollow ugc noopener">' in zoe["html"]
    assert zoe["html"].count("<p>") == 2


def test_the_post_authors_comment_is_marked_by_email(client, imported):
    comments = by_author(thread(client)["comments"])
    assert comments["Ana"]["is_author"] is True
    assert comments["Zoë Ångström 💃"]["is_author"] is False


def test_attacks_in_comment_html_are_sanitised(client, imported):
    mallory = by_author(thread(client)["comments"])["Mallory"]
    html = mallory["html"]
    for forbidden in ("<script", "onerror", "onclick", "javascript:", "style=", "<img"):
        assert forbidden not in html
    assert '<a href="https://ok.example.org/" rel="nofollow ugc noopener">fine</a>' in html
    assert mallory["website"] is None


def test_pending_and_spam_are_kept_for_moderators_with_their_emails(runner, imported):
    statuses = {c["author"]: (c["status"], c["email"]) for c in exported(runner)["comments"]}
    assert statuses["Waiting Walter"] == ("pending", "walter@example.org")
    assert statuses["Cheap Pills"] == ("spam", "pills@spam.example")
    assert "Regretful Rita" not in statuses and "Other Blog" not in statuses


def test_plain_permalinks_stay_separate_threads(runner, imported):
    threads = {t["uri"]: t["title"] for t in exported(runner)["threads"]}
    assert threads == {POST: "Like a dance", "/?p=12": "Plain permalink"}
    line_breaker = next(c for c in exported(runner)["comments"] if c["author"] == "Line Breaker")
    assert line_breaker["html"] == "<p>First line<br>\nsecond line \\o/ ¯\\_(ツ)_/¯</p>"


def test_running_the_import_again_adds_nothing(runner, client, imported):
    before = exported(runner)
    again = run(runner, "import", "wordpress", FIXTURES / "wordpress.xml", "--site", "blog")
    assert again.exit_code == 0
    assert "0 comments imported" in again.output and "8 already imported" in again.output
    assert exported(runner)["comments"] == before["comments"]
    assert thread(client)["thread"]["total"] == 5


def test_imported_email_alone_earns_no_trust(imported, reader):
    response = reader.post("Back again", uri=POST, author="Zoë", email="zoe@example.org")
    assert response.json["comment"]["status"] == "pending"


def test_deeper_replies_than_max_depth_hang_from_the_deepest_allowed_ancestor(runner, client, site):
    assert run(runner, "site", "set", "blog", "max_depth", "1").exit_code == 0
    assert run(runner, "import", "wordpress", FIXTURES / "wordpress.xml", "--site", "blog").exit_code == 0
    first = thread(client)["comments"][0]
    assert [reply["author"] for reply in first["replies"]] == ["Ana", "Zoë Ångström 💃", "Bob"]
    assert all(reply["replies"] == [] for reply in first["replies"])


@pytest.mark.parametrize("version", ["1.0", "1.1"])
def test_older_wxr_versions_import_the_same(runner, client, site, tmp_path, version):
    older = tmp_path / f"wxr-{version}.xml"
    older.write_text((FIXTURES / "wordpress.xml").read_text().replace("export/1.2/", f"export/{version}/"))
    result = run(runner, "import", "wordpress", older, "--site", "blog")
    assert "8 comments imported" in result.output
    assert thread(client)["thread"]["total"] == 5


def test_an_unknown_site_is_one_line(runner, app):
    result = runner.invoke(tandem, ["import", "wordpress", str(FIXTURES / "wordpress.xml"), "--site", "nope"])
    assert result.exit_code == 1
    assert result.output.strip() == "Error: There is no site 'nope'."


def _long_export(path, comments):
    """One post whose comments come in runs of three: a comment, its reply, and the reply's reply."""
    items = []
    for number in range(1, comments + 1):
        parent = 0 if number % 3 == 1 else number - 1
        items.append(f"<wp:comment><wp:comment_id>{number}</wp:comment_id>"
                     f"<wp:comment_author>Reader {number}</wp:comment_author>"
                     f"<wp:comment_date_gmt>2026-11-02 10:00:00</wp:comment_date_gmt>"
                     f"<wp:comment_content><![CDATA[Comment <i>{number}</i> 🎉]]></wp:comment_content>"
                     f"<wp:comment_approved>1</wp:comment_approved><wp:comment_parent>{parent}</wp:comment_parent>"
                     "</wp:comment>")
    path.write_text('<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><item><title>Busy</title>'
                    f"<link>https://blog.example.com/busy/</link><wp:post_id>1</wp:post_id>{''.join(items)}"
                    "</item></channel></rss>", encoding="utf-8")


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_long_export_is_sanitised_in_batches_and_keeps_its_order_and_threads(runner, client, site, tmp_path):
    _long_export(tmp_path / "busy.xml", 2500)
    result = run(runner, "import", "wordpress", tmp_path / "busy.xml", "--site", "blog")
    assert "2500 comments imported: 2500 approved." in result.output
    page = client.get("/api/comments", query_string={"site": "blog", "uri": "/busy/", "limit": 200}).json
    assert page["thread"]["total"] == 2500
    last = page["comments"][-1]
    assert last["author"] == "Reader 598" and last["html"] == "<p>Comment 598 🎉</p>"
    assert last["replies"][0]["replies"][0]["html"] == "<p>Comment 600 🎉</p>"
