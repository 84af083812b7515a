"""A change a moderator makes applies on the very next request, whichever worker answers it.

Tried against `tandem serve` with two workers: each test first posts enough comments for both
workers to have seen the site, then changes it through the admin API (answered by one worker),
then posts again at once; every one of those posts must see the change.
"""

import pytest
import requests

from .live import post_comment

pytestmark = pytest.mark.slow
ORIGIN = "https://blog.example.com"
POSTS = 10


def _statuses(server, site, times=POSTS, **fields):
    answers = [post_comment(server, site, ORIGIN, **fields) for _ in range(times)]
    return [(answer.status_code, answer.json().get("comment", {}).get("status") or answer.json()["error"]["code"])
            for answer in answers]


def _site_seen_by_every_worker(server, **settings):
    site = server.new_site([ORIGIN], moderation="none", **settings)
    assert set(_statuses(server, site)) == {(201, "approved")}
    return site


def test_moderating_everything_holds_the_very_next_comments(live_server):
    site = _site_seen_by_every_worker(live_server)
    live_server.change_site(site, settings={"moderation": "all"})
    assert set(_statuses(live_server, site)) == {(201, "pending")}


def test_a_comment_held_by_the_new_mode_and_replies_to_it_stay_off_the_page(live_server):
    site = _site_seen_by_every_worker(live_server)
    live_server.change_site(site, settings={"moderation": "all"})
    held = post_comment(live_server, site, ORIGIN, "Held", uri="/other/").json()["comment"]
    replies = [post_comment(live_server, site, ORIGIN, "Reply", uri="/other/", parent=held["id"]) for _ in range(POSTS)]
    assert {reply.status_code for reply in replies} <= {201, 404}
    page = requests.get(live_server.url + "/api/comments", params={"site": site, "uri": "/other/"}, timeout=10)
    assert page.json()["comments"] == []


def test_an_origin_taken_away_refuses_the_very_next_comments(live_server):
    site = _site_seen_by_every_worker(live_server)
    live_server.change_site(site, origins=["https://new.example.com"])
    assert set(_statuses(live_server, site)) == {(403, "origin_not_allowed")}


def test_a_lower_link_limit_holds_the_very_next_comments(live_server):
    site = _site_seen_by_every_worker(live_server)
    live_server.change_site(site, settings={"link_limit": 0})
    assert set(_statuses(live_server, site, text="See https://example.net/")) == {(201, "pending")}


def test_a_blocklisted_word_holds_the_very_next_comments(live_server):
    site = _site_seen_by_every_worker(live_server)
    live_server.change_site(site, settings={"blocklist": ["casino"]})
    assert set(_statuses(live_server, site, text="Best casino in town")) == {(201, "pending")}


def test_a_ban_applies_to_the_very_next_comments(live_server):
    site = _site_seen_by_every_worker(live_server, require_email=False)
    assert set(_statuses(live_server, site, email="spammer@example.net")) == {(201, "approved")}
    banned = live_server.admin_api("POST", "/api/admin/bans", json={"site": site, "email": "spammer@example.net"})
    assert banned.status_code == 201, banned.text
    assert set(_statuses(live_server, site, email="spammer@example.net")) == {(201, "pending")}


def test_a_closed_thread_refuses_the_very_next_comments(live_server):
    site = _site_seen_by_every_worker(live_server)
    closed = live_server.admin_api("POST", "/api/admin/threads/close", json={"site": site, "uri": "/post/"})
    assert closed.status_code == 200, closed.text
    assert set(_statuses(live_server, site)) == {(403, "thread_closed")}
