"""Security review, issue 17, findings 1-3, performed against the real server (`tandem serve`):
forged thread titles and links, control characters that silence mail and break the feed, and
a comma that adds a mail recipient."""

import json
import os
import subprocess
import sys
from xml.etree import ElementTree

import pytest
import requests

from .live import post_comment
from .notify_support import SmtpSink, text_of

pytestmark = pytest.mark.slow
BLOG = "https://blog.example"
PHISH = "Your account is locked - log in at evil.example"


def exported_threads(server, site):
    return {thread["uri"]: thread for thread in json.loads(server.tandem("export", "--site", site).stdout)["threads"]}


def thread_as_moderators_see_it(server, site, uri):
    listed = server.admin_api("GET", f"/api/admin/comments?site={site}&uri={uri}").json()["comments"]
    return {"title": listed[0]["thread_title"], "url": listed[0]["thread_url"]}


def author_reply(server, site, uri, text="Thanks for reading"):
    made = server.admin_api("POST", "/api/admin/comments", json={"site": site, "uri": uri, "text": text})
    assert made.status_code == 201, made.text
    return made.json()["comment"]


# --- finding 1: thread title and link ----------------------------------------------------------


def test_a_refused_reply_leaves_no_thread_behind(live_server):
    site = live_server.new_site([BLOG], moderation="none")
    refused = post_comment(live_server, site, BLOG, uri="/never-commented/", parent=999999, title=PHISH,
                           url=BLOG + "/never-commented/")
    assert refused.status_code == 404 and refused.json()["error"]["code"] == "unknown_parent"
    assert "/never-commented/" not in exported_threads(live_server, site)
    author_reply(live_server, site, "/never-commented/")
    assert thread_as_moderators_see_it(live_server, site, "/never-commented/") == {"title": None, "url": None}


def test_the_referer_never_becomes_the_threads_link(live_server):
    site = live_server.new_site([BLOG], moderation="none")
    for uri, referer in (("/a/", "https://evil.example/login"), ("/b/", "javascript:alert(document.domain)")):
        sent = requests.post(live_server.url + "/api/comments", json={"site": site, "uri": uri, "text": "Hi"},
                             headers={"Origin": BLOG, "Referer": referer}, timeout=10)
        assert sent.status_code == 201
        assert thread_as_moderators_see_it(live_server, site, uri)["url"] is None
    assert "evil.example" not in live_server.tandem("export", "--site", site).stdout


def test_a_link_on_another_origin_is_not_kept_and_one_on_the_sites_origin_is(live_server):
    site = live_server.new_site([BLOG], moderation="none")
    post_comment(live_server, site, BLOG, uri="/post/", url="https://evil.example/login")
    assert thread_as_moderators_see_it(live_server, site, "/post/")["url"] is None
    post_comment(live_server, site, BLOG, uri="/post/", url=BLOG + "/post/#comment-3")
    assert thread_as_moderators_see_it(live_server, site, "/post/")["url"] == BLOG + "/post/"


def test_a_held_or_silent_spam_comment_names_no_thread_and_an_approved_one_does(live_server):
    site = live_server.new_site([BLOG])
    post_comment(live_server, site, BLOG, uri="/post/", title=PHISH, url=BLOG + "/phish", hp="spam")
    held = post_comment(live_server, site, BLOG, uri="/post/", title="The real post", url=BLOG + "/post/").json()
    author_reply(live_server, site, "/post/")
    assert thread_as_moderators_see_it(live_server, site, "/post/") == {"title": None, "url": None}
    feed = requests.get(live_server.url + f"/api/feed?site={site}&uri=/post/", timeout=10).text
    assert "locked" not in feed
    approved = live_server.admin_api("POST", f"/api/admin/comments/{held['comment']['id']}/approve")
    assert approved.status_code == 200
    assert thread_as_moderators_see_it(live_server, site, "/post/") == {"title": "The real post",
                                                                      "url": BLOG + "/post/"}


# --- finding 2: control characters -------------------------------------------------------------


def run_worker_once(server, sink):
    env = {**server.env, "TANDEM_SMTP_HOST": "127.0.0.1", "TANDEM_SMTP_PORT": str(sink.port),
           "TANDEM_MAIL_FROM": "tandem@example.org"}
    subprocess.run([sys.executable, "-m", "service.cli", "worker", "--once"], env=env, check=True,
                   capture_output=True, cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_a_line_break_in_a_name_or_title_cannot_silence_moderator_mail(live_server):
    site = live_server.new_site([BLOG], moderation="all")
    moderator = f"mod-{site}@example.org"
    live_server.tandem("user", "add", moderator, "--password", "a long password here", "--site", site)
    # The title must arrive on an approved comment to become the thread's.
    live_server.change_site(site, settings={"moderation": "none"})
    post_comment(live_server, site, BLOG, uri="/post/", title="Hello\r\nBcc: victim@example.org")
    live_server.change_site(site, settings={"moderation": "all"})
    held = post_comment(live_server, site, BLOG, uri="/post/", text="Hidden from moderators?",
                        author="Spammer\nBcc: victim@example.org")
    assert held.status_code == 201
    sink = SmtpSink().start()

    def notices():
        return [message for message in sink.to(moderator) if "Hidden from moderators?" in text_of(message)]

    try:  # the shared server's outbox holds other tests' mail too: a few rounds may be needed
        for _ in range(10):
            run_worker_once(live_server, sink)
            if notices():
                break
    finally:
        sink.stop()
    notices = notices()
    assert len(notices) == 1
    assert "\n" not in notices[0]["Subject"] and "Spammer Bcc: victim@example.org" in notices[0]["Subject"]
    assert notices[0]["Bcc"] is None
    assert all("victim" not in message["To"] for message in sink.messages)


def test_a_control_character_in_a_title_or_name_keeps_the_feed_well_formed(live_server):
    site = live_server.new_site([BLOG], moderation="none")
    post_comment(live_server, site, BLOG, uri="/post/", title="Bad\x0btitle\x1b[31m", author="Eve\x0c\r\nMallory")
    for query in (f"site={site}", f"site={site}&uri=/post/"):
        feed = requests.get(live_server.url + "/api/feed?" + query, timeout=10)
        root = ElementTree.fromstring(feed.content)  # raises on ill-formed XML
        titles = [element.text for element in root.iter("{http://www.w3.org/2005/Atom}title")]
        assert any("Bad title [31m" in title for title in titles), titles
    page = requests.get(live_server.url + f"/t/{site}/?uri=/post/", timeout=10).text
    title = page.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "Bad title [31m" in title and "\x0b" not in title and "\n" not in title
    assert thread_as_moderators_see_it(live_server, site, "/post/")["title"] == "Bad title [31m"


# --- finding 3: one address per e-mail field ---------------------------------------------------


@pytest.mark.parametrize("address", ["someone@example.org,postmaster", "someone@example.org, other@example.org",
                                     "Someone <someone@example.org>", "someone@example.org\nBcc: x@example.org",
                                     "group: someone@example.org;"])
def test_an_e_mail_field_takes_exactly_one_address(live_server, address):
    site = live_server.new_site([BLOG], moderation="none")
    refused = post_comment(live_server, site, BLOG, email=address, notify=True)
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "validation_failed" and refused.json()["error"]["field"] == "email"


# --- a moderator corrects a thread -------------------------------------------------------------


def test_a_moderator_corrects_a_forged_title_and_link_through_the_admin_api(live_server):
    site = live_server.new_site([BLOG], moderation="none")
    post_comment(live_server, site, BLOG, uri="/post/", title=PHISH, url=BLOG + "/login")
    corrected = live_server.admin_api("PATCH", "/api/admin/threads", json={
        "site": site, "uri": "/post/", "title": "Like a dance\r\n", "url": BLOG + "/post/#top"})
    assert corrected.status_code == 200, corrected.text
    assert corrected.json()["thread"] == {"site": site, "uri": "/post/", "title": "Like a dance",
                                          "url": BLOG + "/post/", "closed": False}
    post_comment(live_server, site, BLOG, uri="/post/", title="Another title", url=BLOG + "/other/")
    assert thread_as_moderators_see_it(live_server, site, "/post/") == {"title": "Like a dance", "url": BLOG + "/post/"}
    for url in ("https://evil.example/post/", "javascript:alert(1)"):
        refused = live_server.admin_api("PATCH", "/api/admin/threads", json={"site": site, "uri": "/post/", "url": url})
        assert refused.status_code == 400 and refused.json()["error"]["field"] == "url"
    cleared = live_server.admin_api("PATCH", "/api/admin/threads", json={"site": site, "uri": "/post/", "url": ""})
    assert cleared.json()["thread"]["url"] is None and cleared.json()["thread"]["title"] == "Like a dance"
    missing = live_server.admin_api("PATCH", "/api/admin/threads", json={"site": site, "uri": "/nothing/", "title": "x"})
    assert missing.status_code == 404


def test_a_moderator_corrects_a_thread_on_the_admin_page_and_it_is_audited(live_server):
    from .test_request_isolation import CSRF, log_in

    site = live_server.new_site([BLOG], moderation="none")
    comment = post_comment(live_server, site, BLOG, uri="/post/", title=PHISH).json()["comment"]
    browser, _ = log_in(live_server)
    page = browser.get(live_server.url + f"/admin/comments/{comment['id']}", timeout=10)
    assert PHISH in page.text and "Save title and link" in page.text
    thread_form = page.text.split("Save title and link")[0].rsplit("<form", 1)[1]
    action = thread_form.split('action="', 1)[1].split('"', 1)[0]
    saved = browser.post(live_server.url + action, data={
        "csrf_token": CSRF.search(page.text).group(1), "title": "Like a dance", "url": BLOG + "/post/",
        "next": f"/admin/comments/{comment['id']}"}, allow_redirects=True, timeout=10)
    assert saved.status_code == 200 and "Thread title and link saved." in saved.text
    assert thread_as_moderators_see_it(live_server, site, "/post/") == {"title": "Like a dance", "url": BLOG + "/post/"}
    audit = browser.get(live_server.url + "/admin/audit", timeout=10).text
    assert "thread.correct" in audit and "Like a dance" in audit
