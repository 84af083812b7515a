"""Who may do what, through HTTP: anonymous, a moderator of site A, a moderator of site B, an owner.

A moderator of one site can never read or change another site's comments, e-mails or settings,
on the admin page or through the admin API; CSRF tokens guard every form; logins are throttled.
"""

import pytest

from .admin_world import PASSWORD, build_world, csrf_token, login

OWNER, MOD_A, MOD_B = "owner@example.com", "mod-a@example.com", "mod-b@example.com"


def site_a_forms(ids):
    """Every admin form that changes something of site A (or an account), with a valid body."""
    return [
        ("/admin/comments/act", {"act": f"approve:{ids['held_a']}"}),
        ("/admin/comments/act", {"act": "reject", "ids": [ids["held_a"]]}),
        ("/admin/comments/act", {"act": f"spam:{ids['held_a']}"}),
        ("/admin/comments/act", {"act": f"ban:{ids['held_a']}"}),
        (f"/admin/comments/{ids['held_a']}/edit", {"text": "changed"}),
        (f"/admin/comments/{ids['held_a']}/delete", {}),
        (f"/admin/comments/{ids['approved_a']}/pin", {"pinned": "1"}),
        (f"/admin/comments/{ids['approved_a']}/reply", {"text": "A reply"}),
        (f"/admin/threads/{ids['thread_a']}/close", {"closed": "1"}),
        ("/admin/bans", {"site": "a", "email": "someone@example.org"}),
    ]


OWNER_FORMS = [
    ("/admin/sites/a", {"name": "Renamed", "origins": "https://evil.example"}),
    ("/admin/sites", {"key": "new", "name": "New", "origins": "https://new.example"}),
    ("/admin/moderators", {"email": "new@example.com", "password": PASSWORD}),
    ("/admin/forget", {"email": "writer-a@example.net"}),
]


def untouched(world):
    held = world.comment(world.ids["held_a"])
    approved = world.comment(world.ids["approved_a"])
    return (held["status"], held["text"], approved["pinned"], approved["closed"], world.site("a")["name"])


ORIGINAL = ("pending", "Held on a", False, False, "Site A")


def test_anonymous_visitors_are_sent_to_the_login_page(world):
    browser = world.browser()
    pages = ["/admin/", "/admin/comments", f"/admin/comments/{world.ids['held_a']}", "/admin/sites", "/admin/sites/a",
             "/admin/moderators", "/admin/bans", "/admin/audit", "/admin/tokens", "/admin/forget", "/admin/deliveries"]
    for path in pages:
        response = browser.get(path)
        assert response.status_code == 302 and "/admin/login" in response.headers["Location"], path
    for path, data in site_a_forms(world.ids) + OWNER_FORMS:
        assert browser.post(path, data=data).status_code == 302, path
    assert untouched(world) == ORIGINAL


def test_moderator_of_another_site_can_neither_read_nor_change_its_comments(world):
    browser = world.browser(MOD_B)
    for path in (f"/admin/comments/{world.ids['held_a']}", "/admin/comments?site=a"):
        assert browser.get(path).status_code == 403, path
    for page in ("/admin/", "/admin/comments", "/admin/bans", "/admin/audit", "/admin/comments?q=Held"):
        text = browser.get(page).get_data(as_text=True)
        assert "writer-a@example.net" not in text and "Held on a" not in text, page
    assert "Held on b" in browser.get("/admin/").get_data(as_text=True)
    for path, data in site_a_forms(world.ids) + OWNER_FORMS:
        assert browser.post(path, data=data).status_code == 403, path
    assert untouched(world) == ORIGINAL
    assert world.comment(world.ids["held_a"])["email"] == "writer-a@example.net"


def test_only_owners_manage_sites_moderators_and_erasure(world):
    browser = world.browser(MOD_A)
    for path in ("/admin/sites", "/admin/sites/a", "/admin/moderators", "/admin/forget", "/admin/deliveries"):
        assert browser.get(path).status_code == 403, path
    for path, data in OWNER_FORMS + [(f"/admin/moderators/{world.ids[MOD_B]}/remove", {}),
                                     ("/admin/deliveries", {"to": "x@example.org"})]:
        assert browser.post(path, data=data).status_code == 403, path
    assert world.site("a")["name"] == "Site A"
    assert "Sites</a>" not in browser.get("/admin/").get_data(as_text=True)


@pytest.mark.parametrize("who", [MOD_A, OWNER])
def test_site_a_moderator_and_owner_may_use_every_page_and_form(world, who):
    browser = world.browser(who)
    pages = ["/admin/", "/admin/comments", f"/admin/comments/{world.ids['held_a']}", "/admin/comments?site=a",
             "/admin/bans", "/admin/audit", "/admin/tokens"]
    if who == OWNER:
        pages += ["/admin/sites", "/admin/sites/a", "/admin/moderators", "/admin/forget", "/admin/deliveries"]
    for path in pages:
        assert browser.get(path).status_code == 200, path
    forms = site_a_forms(world.ids) + (OWNER_FORMS if who == OWNER else [])
    for path, data in forms:
        response = browser.post(path, data=data)
        assert response.status_code == 303, (path, response.get_data(as_text=True)[:500])


def api_routes(ids):
    held, approved = ids["held_a"], ids["approved_a"]
    return [
        ("get", "/api/admin/comments?site=a", None),
        ("post", f"/api/admin/comments/{held}/approve", {"trust": False}),
        ("post", f"/api/admin/comments/{held}/reject", None),
        ("post", f"/api/admin/comments/{held}/spam", None),
        ("post", f"/api/admin/comments/{approved}/pin", None),
        ("post", f"/api/admin/comments/{approved}/unpin", None),
        ("patch", f"/api/admin/comments/{held}", {"text": "changed"}),
        ("delete", f"/api/admin/comments/{held}", None),
        ("post", "/api/admin/comments", {"site": "a", "uri": "/post/", "parent": approved, "text": "Reply"}),
        ("patch", "/api/admin/sites/a", {"name": "Renamed"}),
        ("post", "/api/admin/bans", {"comment": held}),
        ("post", "/api/admin/bans", {"site": "a", "email": "x@example.org"}),
        ("post", "/api/admin/threads/close", {"site": "a", "uri": "/post/"}),
    ]


def call(world, method, path, who, body):
    return world.api(method, path, who, **({"json": body} if body is not None else {}))


def test_admin_api_without_a_valid_token_is_401_in_the_error_envelope(world):
    routes = api_routes(world.ids) + [("get", "/api/admin/sites", None),
                                      ("post", "/api/admin/sites", {"key": "x", "origins": ["https://x.example"]})]
    world.tokens["forged"] = "tdm_not-a-real-token"
    for method, path, body in routes:
        for who in (None, "forged"):
            response = call(world, method, path, who, body)
            assert response.status_code == 401, (method, path)
            assert response.json["error"]["code"] == "unauthorized"
    assert untouched(world) == ORIGINAL


def test_admin_api_refuses_another_sites_moderator_with_403(world):
    for method, path, body in api_routes(world.ids):
        response = call(world, method, path, MOD_B, body)
        assert response.status_code == 403, (method, path, response.json)
        assert response.json["error"]["code"] == "forbidden"
    assert untouched(world) == ORIGINAL
    listed = world.api("get", "/api/admin/comments", MOD_B).json["comments"]
    assert {comment["site"] for comment in listed} == {"b"}
    assert [site["key"] for site in world.api("get", "/api/admin/sites", MOD_B).json["sites"]] == ["b"]
    created = world.api("post", "/api/admin/sites", MOD_B, json={"key": "x", "origins": ["https://x.example"]})
    assert created.status_code == 403


@pytest.mark.parametrize("who", [MOD_A, OWNER])
def test_admin_api_serves_site_a_to_its_moderator_and_the_owner(world, who):
    for method, path, body in api_routes(world.ids):
        if path.startswith("/api/admin/sites/") and who == MOD_A:
            assert call(world, method, path, who, body).status_code == 403  # settings are the owners'
            continue
        response = call(world, method, path, who, body)
        assert response.status_code in (200, 201, 204), (method, path, response.json)


def test_a_revoked_token_stops_working(world):
    browser = world.browser(MOD_A)
    page = browser.post("/admin/tokens", data={"label": "phone"}).get_data(as_text=True)
    token = page.split('id="new-token">')[1].split("<")[0]
    headers = {"Authorization": f"Bearer {token}"}
    assert world.client.get("/api/admin/comments", headers=headers).status_code == 200
    token_id = page.split("/admin/tokens/")[1].split("/revoke")[0]
    assert browser.post(f"/admin/tokens/{token_id}/revoke").status_code == 303
    assert world.client.get("/api/admin/comments", headers=headers).status_code == 401
    assert token not in browser.get("/admin/tokens").get_data(as_text=True)


def test_every_admin_form_refuses_a_request_without_a_csrf_token(make_app):
    world = build_world(make_app(WTF_CSRF_ENABLED=True))
    browser = world.app.test_client()
    assert login(browser, OWNER).status_code == 400
    token = csrf_token(browser.get("/admin/login"))
    assert login(browser, OWNER, csrf_token=token).status_code == 303
    forms = site_a_forms(world.ids) + OWNER_FORMS + [
        ("/admin/tokens", {"label": "x"}), (f"/admin/moderators/{world.ids[MOD_B]}/sites", {"sites": ["a"]}),
        (f"/admin/moderators/{world.ids[MOD_B]}/remove", {}), ("/admin/logout", {}),
        ("/admin/deliveries", {"to": "x@example.org"})]
    for path, data in forms:
        assert browser.post(path, data=data).status_code == 400, path
        assert browser.post(path, data={**data, "csrf_token": "forged"}).status_code == 400, path
    assert untouched(world) == ORIGINAL
    token = csrf_token(browser.get("/admin/"))
    done = browser.post("/admin/comments/act", data={"act": f"approve:{world.ids['held_a']}", "csrf_token": token})
    assert done.status_code == 303 and world.comment(world.ids["held_a"])["status"] == "approved"


def test_the_admin_api_needs_no_csrf_token(make_app):
    world = build_world(make_app(WTF_CSRF_ENABLED=True))
    response = world.api("post", f"/api/admin/comments/{world.ids['held_a']}/approve", OWNER)
    assert response.status_code == 200 and response.json["comment"]["status"] == "approved"


def test_login_attempts_are_throttled_per_address(world):
    browser = world.browser()
    for attempt in range(10):  # many accounts, so that only the per-address limit applies
        assert login(browser, f"guess{attempt}@example.com", password="guess guess guess").status_code == 401
    blocked = login(browser, OWNER)
    assert blocked.status_code == 429
    assert "Too many attempts" in blocked.get_data(as_text=True)
    assert blocked.headers["Retry-After"]
    assert browser.get("/admin/").status_code == 302
