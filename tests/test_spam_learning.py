"""The learning filter and spam domains through the real server (SPEC 13): a moderator's decisions
in the admin API teach the site, and the next reader's comment is judged by what it learnt."""

import pytest

from .live import post_comment
from .test_request_isolation import log_in

pytestmark = pytest.mark.slow
ORIGIN = "https://blog.example.com"

SPAMMY = ("Great post, very informative! Get cheap replica watches at https://{domain}/deal "
          "best prices discount offer today")
REAL = "I tried the {thing} recipe from this post last night and the sauce came out much thicker than I expected."
THINGS = ("lentil", "pumpkin", "tomato", "mushroom", "chickpea", "spinach", "carrot", "onion")


def posted(server, site, text, **fields):
    response = post_comment(server, site, ORIGIN, text, **fields)
    assert response.status_code == 201, response.text
    return response.json()


def private(server, comment_id):
    listed = server.admin_api("GET", "/api/admin/comments?limit=200").json()["comments"]
    return next(comment for comment in listed if comment["id"] == comment_id)


def decide(server, comment_id, action):
    response = server.admin_api("POST", f"/api/admin/comments/{comment_id}/{action}")
    assert response.status_code == 200, response.text


def test_after_spam_linking_to_a_domain_the_next_comment_linking_there_is_spam(live_server):
    server = live_server
    site = server.new_site([ORIGIN])
    for _ in range(3):
        decide(server, posted(server, site, SPAMMY.format(domain="watches.example"))["comment"]["id"], "spam")
    later = posted(server, site, "Nice read. More at https://shop.watches.example/x", author="Another")
    assert later["comment"]["status"] == "pending"  # the writer sees an ordinary held comment
    stored = private(server, later["comment"]["id"])
    assert stored["status"] == "spam" and stored["held_reason"] == "spam_domain"
    assert stored["held_sentence"] == "links to spam domain watches.example"
    # A website field naming the domain is a link too.
    by_website = posted(server, site, "Hello there", website="https://watches.example/me")
    assert private(server, by_website["comment"]["id"])["status"] == "spam"


def test_approving_removes_a_domain_and_never_makes_a_similar_comment_spam(live_server):
    server = live_server
    site = server.new_site([ORIGIN])
    wrong = posted(server, site, "My write-up is at https://myblog.example/post")["comment"]["id"]
    decide(server, wrong, "spam")
    assert private(server, posted(server, site, "see https://myblog.example/2")["comment"]["id"])["status"] == "spam"
    decide(server, wrong, "approve")  # the moderator takes it back: the domain is no spam domain any more
    again = posted(server, site, "and https://myblog.example/3")["comment"]["id"]
    assert private(server, again)["status"] == "pending"
    for thing in THINGS:
        decide(server, posted(server, site, REAL.format(thing=thing))["comment"]["id"], "approve")
    similar = private(server, posted(server, site, REAL.format(thing="potato"))["comment"]["id"])
    assert similar["status"] == "pending" and similar["held_reason"] == "first_post"


def test_the_sites_own_origins_and_allowed_domains_never_become_spam_domains(live_server):
    server = live_server
    site = server.new_site([ORIGIN], spam_domains_allow=["github.com"])
    spam = posted(server, site, "Buy now https://blog.example.com/old-post and https://github.com/x/y")
    decide(server, spam["comment"]["id"], "spam")
    for link in ("https://blog.example.com/about", "https://github.com/tandem"):
        assert private(server, posted(server, site, f"See {link}")["comment"]["id"])["status"] == "pending"


def test_the_filter_learns_holds_and_marks_spam_and_explains_why(live_server):
    server = live_server
    site = server.new_site([ORIGIN])
    domains = [f"shop{number}.example" for number in range(6)]
    for number, domain in enumerate(domains):
        decide(server, posted(server, site, SPAMMY.format(domain=domain))["comment"]["id"], "spam")
        decide(server, posted(server, site, REAL.format(thing=THINGS[number]))["comment"]["id"], "approve")
    # A fresh domain the moderator never saw: only the words give it away.
    caught = private(server, posted(server, site, SPAMMY.format(domain="fresh.example"))["comment"]["id"])
    assert caught["status"] in ("spam", "pending") and caught["held_reason"] == "filter"
    assert caught["spam_score"] > 0.5 and len(caught["spam_features"]) == 3
    real = private(server, posted(server, site, REAL.format(thing="carrot"))["comment"]["id"])
    assert real["spam_score"] < 0.5 and real["held_reason"] == "first_post"
    explained = server.tandem("spam", "explain", str(caught["id"])).stdout
    assert f"spam score: {caught['spam_score']:.2f}" in explained and "towards spam" in explained
    assert "filter: spam filter score" in explained
    by_score = server.admin_api("GET", f"/api/admin/comments?site={site}&sort=score").json()["comments"]
    assert by_score[0]["id"] == caught["id"]
    browser, _ = log_in(server)
    queue = browser.get(server.url + f"/admin/?site={site}&sort=score", timeout=10).text
    if caught["status"] == "pending":  # the queue holds pending comments; spam is under "all comments"
        assert f"Spam score {caught['spam_score']:.2f}" in queue and "highest spam score first" in queue
    listed = browser.get(server.url + f"/admin/comments?site={site}&sort=score", timeout=10).text
    assert listed.index(f'id="c{caught["id"]}"') < listed.index(f'id="c{real["id"]}"')
    assert "spam filter score" in listed
    trained = server.tandem("spam", "train", "--site", site).stdout
    assert "on 6 spam and 6 approved comments" in trained


def test_a_moderators_reply_is_never_scored_or_caught_by_a_spam_domain(live_server):
    server = live_server
    site = server.new_site([ORIGIN])
    decide(server, posted(server, site, "cheap https://pills.example")["comment"]["id"], "spam")
    reply = server.admin_api("POST", "/api/admin/comments",
                             json={"site": site, "uri": "/post/", "text": "Do not click https://pills.example"})
    assert reply.status_code == 201
    stored = private(server, reply.json()["comment"]["id"])
    assert stored["status"] == "approved" and stored["spam_score"] is None
