"""`tandem import disqus` (SPEC 8): threads by link, posts with parents, deleted and spam respected."""

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


@pytest.fixture
def imported(runner, site):
    result = run(runner, "import", "disqus", FIXTURES / "disqus.xml", "--site", "blog")
    assert result.exit_code == 0, result.output
    return result


def test_summary_counts_statuses_and_posts_without_a_thread(imported):
    assert "2 threads (2 new), 8 comments imported: 6 approved, 1 deleted, 1 spam." in imported.output
    assert "Skipped 1: 1 no thread." in imported.output


def test_threads_come_from_links_and_replies_nest_three_deep(client, imported):
    page = thread(client)
    assert page["thread"]["title"] == "Like a dance — Ünïcödé"
    assert page["thread"]["total"] == 5
    zoe = page["comments"][0]
    assert zoe["author"] == "Zoë" and zoe["html"] == "<p>Top level, 😀 and “quotes”.</p>"
    assert zoe["created"].startswith("2026-11-02T10:00:00")
    ana = zoe["replies"][0]
    assert ana["author"] == "Ana"
    third = ana["replies"][0]
    assert third["html"] == "<p>Third level.</p>" and third["created"].startswith("2026-11-02T11:00:00")


def test_a_deleted_post_with_a_reply_stays_a_tombstone_without_its_words(client, runner, imported):
    tombstone = thread(client)["comments"][1]
    assert tombstone["deleted"] is True
    assert [reply["author"] for reply in tombstone["replies"]] == ["Bob"]
    document = json.loads(run(runner, "export", "--site", "blog").output)
    deleted = next(c for c in document["comments"] if c["status"] == "deleted")
    assert (deleted["author"], deleted["email"], deleted["text"]) == (None, None, "")


def test_spam_is_kept_out_of_sight(client, runner, imported):
    visible = json.dumps(thread(client))
    assert "Buy now" not in visible
    document = json.loads(run(runner, "export", "--site", "blog").output)
    spam = next(c for c in document["comments"] if c["status"] == "spam")
    assert "<script" not in spam["html"] and "<iframe" not in spam["html"]


def test_attacks_in_messages_are_sanitised(client, imported):
    mallory = thread(client)["comments"][2]
    assert mallory["author"] == "Mallory"
    assert mallory["html"] == '<p>Hover <a rel="nofollow ugc noopener">me</a> bold</p>'


def test_a_post_listed_before_its_thread_still_arrives_and_closed_threads_stay_closed(client, imported):
    page = thread(client, "/about/index.html")
    assert page["thread"]["closed"] is True
    assert [comment["author"] for comment in page["comments"]] == ["Early"]


def test_running_the_import_again_adds_nothing(runner, client, imported):
    again = run(runner, "import", "disqus", FIXTURES / "disqus.xml", "--site", "blog")
    assert "0 comments imported" in again.output and "8 already imported" in again.output
    assert thread(client)["thread"]["total"] == 5


def test_a_wordpress_file_is_not_taken_for_a_disqus_export(runner, site):
    result = runner.invoke(tandem, ["import", "disqus", str(FIXTURES / "wordpress.xml"), "--site", "blog"])
    assert result.exit_code == 1
    assert "the root element is <rss>, so this is not the kind of export expected" in result.output
