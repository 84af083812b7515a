"""The admin page (SPEC 6) as a blog author uses it: log in, work the queue, manage sites and people.

On SQLite only, to keep the suite quick: these pages add no SQL of their own beyond what the
access matrix, the admin API and the erasure tests run on both databases.
"""

import pytest

from service.db import db
from service.models import AuditEntry

from .admin_world import ORIGIN_A, login
from .conftest import Reader

OWNER, MOD_A = "owner@example.com", "mod-a@example.com"

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def text_of(response):
    return response.get_data(as_text=True)


def public_thread(world, site="a"):
    return world.client.get(f"/api/comments?site={site}&uri=/post/").json["comments"]


def test_login_sets_a_private_session_cookie_and_logout_ends_it(world):
    browser = world.browser()
    assert login(browser, OWNER, password="wrong password!").status_code == 401
    response = login(browser, OWNER)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    assert browser.get("/admin/").status_code == 200
    assert browser.post("/admin/logout").status_code == 303
    assert browser.get("/admin/").status_code == 302


def test_the_session_cookie_is_secure_behind_https(world):
    browser = world.app.test_client()
    response = browser.post("/admin/login", data={"email": OWNER, "password": "correct horse battery"},
                            base_url="https://comments.example.com")
    assert "Secure" in response.headers["Set-Cookie"]


def test_login_never_redirects_to_another_site(world):
    browser = world.browser()
    response = login(browser, OWNER, next="https://evil.example/admin")
    assert response.headers["Location"] == "/admin/"
    assert login(world.browser(), OWNER, next="/admin/bans").headers["Location"] == "/admin/bans"


def test_queue_shows_held_comments_with_everything_needed_to_decide(world):
    reader = Reader(world.client, site="a", origin=ORIGIN_A)
    reader.token = None
    reply = reader.post("I disagree", uri="/post/", parent=world.ids["approved_a"], author="Critic").json["comment"]
    page = text_of(world.browser(MOD_A).get("/admin/"))
    assert page.index("I disagree") < page.index("Held on a")  # newest first
    for expected in ("Writer a", "writer-a@example.net", "https://writer-a.example.net", "127.0.0.0",
                     "Post on a", "first comment from this commenter", "In reply to", "Approved on a"):
        assert expected in page, expected
    assert f'value="approve:{reply["id"]}"' in page
    assert "Held on b" not in page


def test_approving_two_in_bulk_publishes_both(world):
    second = Reader(world.client, site="a", origin=ORIGIN_A).post("Another one", uri="/post/").json["comment"]["id"]
    browser = world.browser(MOD_A)
    response = browser.post("/admin/comments/act", data={"act": "approve", "ids": [world.ids["held_a"], second]},
                            follow_redirects=True)
    assert "2 comments approved." in text_of(response)
    shown = {comment["id"] for comment in public_thread(world)}
    assert {world.ids["held_a"], second} <= shown
    assert "Nothing is waiting" in text_of(browser.get("/admin/"))


def test_approve_without_trust_keeps_the_next_comment_held(world):
    reader = Reader(world.client, site="a", origin=ORIGIN_A)
    first = reader.post("First").json["comment"]["id"]
    world.browser(MOD_A).post("/admin/comments/act", data={"act": f"approve-only:{first}"})
    assert world.comment(first)["status"] == "approved"
    assert reader.post("Second").json["comment"]["status"] == "pending"
    trusted = Reader(world.client, site="a", origin=ORIGIN_A)
    other = trusted.post("First").json["comment"]["id"]
    world.browser(MOD_A).post("/admin/comments/act", data={"act": f"approve:{other}"})
    assert trusted.post("Second").json["comment"]["status"] == "approved"


def test_reject_and_spam_hide_comments(world):
    browser = world.browser(MOD_A)
    browser.post("/admin/comments/act", data={"act": f"reject:{world.ids['approved_a']}"})
    browser.post("/admin/comments/act", data={"act": f"spam:{world.ids['held_a']}"})
    assert public_thread(world) == []
    assert world.comment(world.ids["held_a"])["status"] == "spam"


def test_a_ban_makes_the_writers_comments_spam_while_they_see_pending(world):
    reader = Reader(world.client, site="a", origin=ORIGIN_A)
    first = reader.post("Buy pills", email="spammer@example.org").json["comment"]["id"]
    second = reader.post("Buy more pills").json["comment"]["id"]
    world.browser(MOD_A).post("/admin/comments/act", data={"act": f"ban:{first}"})
    assert world.comment(first)["status"] == "spam" and world.comment(second)["status"] == "spam"
    again = reader.post("Still here")
    assert again.status_code == 201 and again.json["comment"]["status"] == "pending"
    assert world.comment(again.json["comment"]["id"])["status"] == "spam"
    by_mail = Reader(world.client, site="a", origin=ORIGIN_A).post("New browser", email="SPAMMER@example.org")
    assert by_mail.json["comment"]["status"] == "pending"
    assert world.comment(by_mail.json["comment"]["id"])["status"] == "spam"
    elsewhere = Reader(world.client, site="b", origin="https://b.example.com").post("Hi", email="spammer@example.org")
    assert world.comment(elsewhere.json["comment"]["id"])["status"] == "pending"


def test_bans_are_listed_and_can_be_lifted(world):
    browser = world.browser(MOD_A)
    browser.post("/admin/bans", data={"site": "a", "email": "troll@example.org", "note": "troll"})
    page = text_of(browser.get("/admin/bans"))
    assert "troll" in page and "troll@example.org" not in page  # only a keyed hash is kept
    reader = Reader(world.client, site="a", origin=ORIGIN_A)
    held = reader.post("Hello", email="troll@example.org").json["comment"]["id"]
    assert world.comment(held)["status"] == "spam"
    ban_id = page.split("/admin/bans/")[1].split("/lift")[0]
    assert browser.post(f"/admin/bans/{ban_id}/lift").status_code == 303
    later = reader.post("Hello again", email="troll@example.org").json["comment"]["id"]
    assert world.comment(later)["status"] == "pending"


def test_search_and_filters_find_comments(world):
    browser = world.browser(OWNER)
    assert "Approved on a" in text_of(browser.get("/admin/comments?q=approved+ON"))
    by_author = text_of(browser.get("/admin/comments?q=writer+b"))
    assert "Held on b" in by_author and "Held on a" not in by_author
    held = text_of(browser.get("/admin/comments?site=a&status=pending&uri=/post/"))
    assert "Held on a" in held and "Approved on a" not in held and "Held on b" not in held
    assert "No comment matches" in text_of(browser.get("/admin/comments?uri=/other/"))
    assert browser.get("/admin/comments?status=lost").status_code == 400


def test_edit_delete_and_pin_change_what_readers_see(world):
    browser = world.browser(MOD_A)
    approved = world.ids["approved_a"]
    browser.post(f"/admin/comments/{approved}/edit", data={"text": "Edited **kindly**"})
    assert "<strong>kindly</strong>" in public_thread(world)[0]["html"]
    browser.post(f"/admin/comments/{approved}/pin", data={"pinned": "1"})
    assert public_thread(world)[0]["pinned"] is True
    browser.post(f"/admin/comments/{approved}/delete")
    assert public_thread(world) == []
    assert world.comment(approved)["text"] == "" and world.comment(approved)["author"] is None


def test_reply_as_author_is_published_and_marked(world):
    browser = world.browser(MOD_A)
    response = browser.post(f"/admin/comments/{world.ids['approved_a']}/reply", data={"text": "Thanks!", "author": "Ann"})
    assert response.status_code == 303
    reply = public_thread(world)[0]["replies"][0]
    assert reply["is_author"] is True and reply["author"] == "Ann" and "Thanks!" in reply["html"]


def test_closing_a_thread_refuses_new_comments_until_reopened(world):
    browser = world.browser(MOD_A)
    browser.post(f"/admin/threads/{world.ids['thread_a']}/close", data={"closed": "1"})
    reader = Reader(world.client, site="a", origin=ORIGIN_A)
    refused = reader.post("Too late")
    assert refused.status_code == 403 and refused.json["error"]["code"] == "thread_closed"
    browser.post(f"/admin/threads/{world.ids['thread_a']}/close", data={"closed": "0"})
    assert reader.post("Just in time").status_code == 201


def test_owner_creates_a_site_edits_every_setting_and_sees_the_snippet(world):
    browser = world.browser(OWNER)
    created = browser.post("/admin/sites", data={"key": "notes", "name": "Notes", "origins": "https://notes.example"})
    assert created.headers["Location"].endswith("/admin/sites/notes")
    form = {"name": "My notes", "origins": "https://notes.example\nhttps://www.notes.example", "moderation": "all",
            "link_limit": "1", "blocklist": "casino\nviagra", "require_email": "on", "markdown": "on", "max_depth": "3",
            "edit_window_minutes": "5", "close_after_days": "30", "notify": "none", "webhook_url": "", "gravatar": "on",
            "spam_filter": "on", "spam_threshold": "0.95", "hold_threshold": "0.4", "spam_domains_allow": "example.org"}
    assert browser.post("/admin/sites/notes", data=form).status_code == 303
    saved = world.site("notes")
    assert saved["name"] == "My notes" and saved["origins"] == ["https://notes.example", "https://www.notes.example"]
    assert saved["settings"] == {"moderation": "all", "link_limit": 1, "blocklist": ["casino", "viagra"],
                                 "require_email": True, "require_author": False, "markdown": True, "max_depth": 3,
                                 "edit_window_minutes": 5, "close_after_days": 30, "notify": "none",
                                 "webhook_url": None, "akismet": False, "gravatar": True, "spam_filter": True,
                                 "spam_threshold": 0.95, "hold_threshold": 0.4, "spam_domains_allow": ["example.org"]}
    page = text_of(browser.get("/admin/sites/notes"))
    assert 'data-site=&#34;notes&#34;' in page and "/embed.js" in page


def test_a_bad_setting_is_explained_and_nothing_is_saved(world):
    browser = world.browser(OWNER)
    response = browser.post("/admin/sites/a", data={"name": "A", "origins": "not an origin", "next": "/admin/sites/a"},
                            follow_redirects=True)
    assert "is not an origin" in text_of(response)
    assert world.site("a")["origins"] == [ORIGIN_A]


def test_owner_adds_assigns_and_removes_moderators(world):
    browser = world.browser(OWNER)
    browser.post("/admin/moderators", data={"email": "new@example.com", "password": "a long password", "sites": ["b"]})
    newcomer = world.browser()
    assert login(newcomer, "new@example.com", password="a long password").status_code == 303
    assert "Held on b" in text_of(newcomer.get("/admin/"))
    account_id = text_of(browser.get("/admin/moderators")).split("new@example.com")[0].rsplit("/admin/moderators/", 1)[1]
    account_id = account_id.split("/")[0]
    browser.post(f"/admin/moderators/{account_id}/sites", data={"sites": ["a"]})
    queue = text_of(newcomer.get("/admin/"))
    assert "Held on a" in queue and "Held on b" not in queue
    browser.post(f"/admin/moderators/{account_id}/remove")
    assert newcomer.get("/admin/").status_code == 302


def test_owner_cannot_remove_their_own_account(world):
    browser = world.browser(OWNER)
    response = browser.post(f"/admin/moderators/{world.ids[OWNER]}/remove", follow_redirects=True)
    assert "cannot remove your own account" in text_of(response)


def test_a_new_token_is_shown_once(world):
    browser = world.browser(MOD_A)
    page = text_of(browser.post("/admin/tokens", data={"label": "phone"}))
    token = page.split('id="new-token">')[1].split("<")[0]
    assert token.startswith("tdm_")
    listed = text_of(browser.get("/admin/tokens"))
    assert "phone" in listed and token not in listed


def test_every_action_is_in_the_audit_log(world):
    browser = world.browser(MOD_A)
    browser.post("/admin/comments/act", data={"act": f"approve:{world.ids['held_a']}"})
    browser.post(f"/admin/comments/{world.ids['approved_a']}/pin", data={"pinned": "1"})
    browser.post(f"/admin/threads/{world.ids['thread_a']}/close", data={"closed": "1"})
    world.browser(OWNER).post("/admin/sites/a", data={"name": "Site A", "origins": ORIGIN_A, "moderation": "all"})
    with world.app.app_context():
        logged = [(entry.actor, entry.action, entry.target) for entry in db.session.query(AuditEntry).order_by(AuditEntry.id)]
    assert logged == [(MOD_A, "approve", f"comment {world.ids['held_a']}"),
                      (MOD_A, "pin", f"comment {world.ids['approved_a']}"),
                      (MOD_A, "close", "/post/"),
                      (OWNER, "site.update", "a")]
    page = text_of(browser.get("/admin/audit"))
    assert all(action in page for action in ("approve", "pin", "close", "site.update"))
    assert "site.update" not in text_of(world.browser("mod-b@example.com").get("/admin/audit"))


def test_pages_work_without_scripts_or_inline_code(world):
    response = world.browser(MOD_A).get("/admin/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy
    page = text_of(response)
    assert "<script>" not in page and "style=" not in page and "<style" not in page
    assert response.headers["Cache-Control"] == "no-store"
    css = world.client.get("/admin/static/admin.css")
    assert css.status_code == 200 and b"prefers-color-scheme: dark" in css.data


def test_owners_see_deliveries_and_can_send_a_test_mail(world):
    browser = world.browser(OWNER)
    assert "Send a test mail" in text_of(browser.get("/admin/deliveries"))
    page = text_of(browser.post("/admin/deliveries", data={"to": "me@example.org"}))
    assert "Test mail:" in page and "test mail to me@example.org" in page
