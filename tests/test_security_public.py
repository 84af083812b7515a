"""Security review (issue 17), findings 4, 5, 7 and 11: each attack performed against the real
server (`tandem serve`, two workers, SQLite and PostgreSQL), as the red team did it.

4: the avatar was an oracle for e-mail addresses; 5: likes came from made-up tokens, unlimited;
7: bans were dodged with a +tag, a capital, a full-width letter, a trailing dot or a new browser;
11: public answers (an empty thread's ETag, a like's status) told whether hidden data exists.
"""

import re
import secrets

import pytest
import requests

from .live import TandemServer, post_comment, server_environment
from .test_request_isolation import log_in

pytestmark = pytest.mark.slow
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def thread(server, site, uri="/post/", **params):
    return requests.get(server.url + "/api/comments", params={"site": site, "uri": uri, **params}, timeout=10)


def comment_status(server, comment_id):
    """The stored status, as the site's owner sees it in the admin API."""
    found = server.admin_api("GET", "/api/admin/comments", params={"limit": 200}).json()["comments"]
    return {comment["id"]: comment["status"] for comment in found}.get(comment_id)


def like(server, comment_id, method="POST", **headers):
    return requests.request(method, f"{server.url}/api/comments/{comment_id}/like", headers=headers, timeout=10)


# --- finding 4: the avatar is an oracle ----------------------------------------------------------


def test_a_silent_probe_on_another_site_gets_no_picture_of_a_known_address(live_server):
    blog_a = live_server.new_site(["https://a.example"], moderation="none")
    blog_b = live_server.new_site(["https://b.example"])
    public = post_comment(live_server, blog_a, "https://a.example", "Lovely post", author="Ann",
                          email="ann@example.org")
    assert public.json()["comment"]["status"] == "approved"
    probe = post_comment(live_server, blog_b, "https://b.example", "probe", email="ann@example.org", hp="filled")
    assert probe.status_code == 201 and probe.json()["comment"]["status"] == "pending"
    assert probe.json()["comment"]["avatar"] != public.json()["comment"]["avatar"]


def test_a_held_probe_answers_the_same_whatever_address_it_guesses(live_server):
    blog = live_server.new_site(["https://c.example"])
    known = post_comment(live_server, blog, "https://c.example", "Hello", email="ann@example.org")
    assert live_server.admin_api("POST", f"/api/admin/comments/{known.json()['comment']['id']}/approve").ok
    shown = thread(live_server, blog).json()["comments"][0]["avatar"]
    first = post_comment(live_server, blog, "https://c.example", "probe", email="ann@example.org", hp="x")
    token = first.json()["commenter_token"]
    second = post_comment(live_server, blog, "https://c.example", "probe", email="nobody@example.org", hp="x",
                          token=token)
    held = post_comment(live_server, blog, "https://c.example", "probe", email="ann@example.org", token=token)
    assert held.json()["comment"]["status"] == "pending"
    avatars = {answer.json()["comment"]["avatar"] for answer in (first, second, held)}
    assert len(avatars) == 1 and shown not in avatars
    mine = requests.get(f"{live_server.url}/api/comments/{held.json()['comment']['id']}",
                        headers={"X-Commenter-Token": token}, timeout=10)
    assert mine.json()["comment"]["avatar"] in avatars


# --- finding 5: likes from nowhere ---------------------------------------------------------------


def test_made_up_commenter_tokens_add_no_likes(live_server):
    origin = "https://d.example"
    blog = live_server.new_site([origin], moderation="none")
    liked = post_comment(live_server, blog, origin, "liked by two readers").json()["comment"]["id"]
    target = post_comment(live_server, blog, origin, "wants to be on top").json()["comment"]["id"]
    for reader in range(2):  # two real readers, with tokens the service issued
        token = post_comment(live_server, blog, origin, f"reader {reader}", uri="/other/").json()["commenter_token"]
        assert like(live_server, liked, Origin=origin, **{"X-Commenter-Token": token}).json() == {"likes": reader + 1}
    answers = [like(live_server, target, Origin=origin, **{"X-Commenter-Token": secrets.token_urlsafe(32)})
               for _ in range(50)]
    assert {answer.status_code for answer in answers} == {200}
    top = thread(live_server, blog, sort="top").json()["comments"]
    assert [comment["likes"] for comment in top] == [2, 1]  # all made-up tokens count as one network
    assert top[0]["id"] == liked


@pytest.fixture(scope="module")
def strict_server(tmp_path_factory):
    """A server whose like limit is low enough to reach in a test."""
    folder = tmp_path_factory.mktemp("like-limit")
    server = TandemServer(server_environment(folder / "instance", like_rate_limit="3/minute"), folder / "serve.log")
    yield server.start()
    server.stop()


def test_likes_are_rate_limited_per_network(strict_server):
    origin = "https://e.example"
    blog = strict_server.new_site([origin], moderation="none")
    target = post_comment(strict_server, blog, origin, "like me").json()["comment"]["id"]
    answers = [like(strict_server, target, method, Origin=origin) for method in ("POST", "DELETE") * 5]
    limited = [answer for answer in answers if answer.status_code == 429]
    assert len(limited) >= 4  # two workers, three each a minute: at most six of ten get through
    assert limited[0].json()["error"]["code"] == "rate_limited" and int(limited[0].headers["Retry-After"]) > 0


# --- finding 7: bans are easy to dodge ------------------------------------------------------------


@pytest.mark.parametrize("written", ["Sam+again@Example.org", "\uff53am@example.org", " SAM@EXAMPLE.ORG "])
def test_a_banned_address_stays_banned_however_it_is_written(live_server, written):
    origin = "https://f.example"
    blog = live_server.new_site([origin], moderation="none")
    first = post_comment(live_server, blog, origin, "rude", email="sam@example.org").json()["comment"]["id"]
    banned = live_server.admin_api("POST", "/api/admin/bans", json={"comment": first})
    assert banned.status_code == 201, banned.text
    again = post_comment(live_server, blog, origin, "rude again", email=written)  # a new browser, too
    assert again.status_code == 201 and again.json()["comment"]["status"] == "pending"
    assert comment_status(live_server, again.json()["comment"]["id"]) == "spam"
    stranger = post_comment(live_server, blog, origin, "hello", email="samuel@example.org")
    assert stranger.json()["comment"]["status"] == "approved"


def test_a_trailing_dot_is_no_way_around_a_ban(live_server):
    """`sam@example.org.` is not an address a mail can be sent to: it is refused before any ban."""
    origin = "https://f.example"
    blog = live_server.new_site([origin], moderation="none")
    refused = post_comment(live_server, blog, origin, "rude again", email="sam@example.org.")
    assert refused.status_code == 400 and refused.json()["error"]["field"] == "email"


def test_ban_with_network_in_the_admin_blocks_a_new_browser_and_address(live_server):
    origin = "https://g.example"
    blog = live_server.new_site([origin], moderation="none")
    first = post_comment(live_server, blog, origin, "rude", email="sam@example.org").json()["comment"]["id"]
    browser, _ = log_in(live_server)
    page = browser.get(f"{live_server.url}/admin/comments/{first}", timeout=10).text
    assert "Ban with network" in page and "everyone who writes from it" in page
    done = browser.post(f"{live_server.url}/admin/comments/act", allow_redirects=False, timeout=10,
                        data={"act": f"ban-network:{first}", "csrf_token": CSRF.search(page).group(1)})
    assert done.status_code == 303
    assert "banned with their networks" in browser.get(live_server.url + done.headers["Location"], timeout=10).text
    dodge = post_comment(live_server, blog, origin, "new browser, new address", email="other@example.net")
    assert dodge.json()["comment"]["status"] == "pending"
    assert comment_status(live_server, dodge.json()["comment"]["id"]) == "spam"


# --- finding 11: small leaks -----------------------------------------------------------------------


def test_an_empty_threads_answers_do_not_tell_that_a_held_comment_made_it(live_server):
    origin = "https://h.example"
    blog = live_server.new_site([origin])
    before = thread(live_server, blog, "/quiet/")
    page_before = requests.get(f"{live_server.url}/t/{blog}/", params={"uri": "/quiet/"}, timeout=10).text
    held = post_comment(live_server, blog, origin, "held", uri="/quiet/", title="Quiet post")
    post_comment(live_server, blog, origin, "spam", uri="/quiet/", title="Quiet post", hp="x")
    after = thread(live_server, blog, "/quiet/")
    assert after.headers["ETag"] == before.headers["ETag"] and after.json() == before.json()
    again = requests.get(live_server.url + "/api/comments", params={"site": blog, "uri": "/quiet/"},
                         headers={"If-None-Match": before.headers["ETag"]}, timeout=10)
    assert again.status_code == 304
    assert requests.get(f"{live_server.url}/t/{blog}/", params={"uri": "/quiet/"}, timeout=10).text == page_before
    comment_id = held.json()["comment"]["id"]
    gone = requests.delete(f"{live_server.url}/api/comments/{comment_id}", timeout=10,
                           headers={"Origin": origin, "X-Edit-Token": held.json()["edit_token"]})
    assert gone.status_code == 204
    assert thread(live_server, blog, "/quiet/").headers["ETag"] == before.headers["ETag"]


def test_like_edit_and_delete_answer_alike_for_hidden_and_missing_comments(live_server):
    origin = "https://i.example"
    blog = live_server.new_site([origin])
    held = post_comment(live_server, blog, origin, "held").json()["comment"]["id"]
    spam = post_comment(live_server, blog, origin, "spam", hp="x").json()["comment"]["id"]
    missing = spam + 100000
    for headers in ({}, {"Origin": "https://evil.example"}, {"Origin": origin}):
        answers = {}
        for comment_id in (held, spam, missing):
            path = f"{live_server.url}/api/comments/{comment_id}"
            answers[comment_id] = [
                (response.status_code, response.json()) for response in (
                    like(live_server, comment_id, **headers), like(live_server, comment_id, "DELETE", **headers),
                    requests.patch(path, json={"text": "x"}, headers=headers, timeout=10),
                    requests.delete(path, headers=headers, timeout=10))]
        assert answers[held] == answers[spam] == answers[missing], headers
        assert {status for status, _ in answers[missing]} == {404}
