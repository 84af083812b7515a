"""Hearts (SPEC 14): the author hearts a comment from the admin API or the admin page; readers see it."""


OWNER, MOD_A, MOD_B = "owner@example.com", "mod-a@example.com", "mod-b@example.com"


def public_comment(world, comment_id, site="a"):
    thread = world.client.get(f"/api/comments?site={site}&uri=/post/").json["comments"]
    return next(comment for comment in thread if comment["id"] == comment_id)


def test_a_hearted_comment_shows_hearted_to_readers_and_unheart_takes_it_back(world):
    target = world.ids["approved_a"]
    assert public_comment(world, target)["hearted"] is False
    before = world.client.get("/api/comments?site=a&uri=/post/").headers["ETag"]
    hearted = world.api("post", f"/api/admin/comments/{target}/heart", MOD_A)
    assert hearted.status_code == 200 and hearted.json["comment"]["hearted"] is True
    after = world.client.get("/api/comments?site=a&uri=/post/")
    assert after.headers["ETag"] != before
    assert public_comment(world, target)["hearted"] is True
    assert world.client.get(f"/api/comments/{target}").json["comment"]["hearted"] is True
    again = world.api("post", f"/api/admin/comments/{target}/heart", MOD_A)
    assert again.status_code == 200 and again.json["comment"]["hearted"] is True
    unhearted = world.api("post", f"/api/admin/comments/{target}/unheart", OWNER)
    assert unhearted.status_code == 200 and unhearted.json["comment"]["hearted"] is False
    assert public_comment(world, target)["hearted"] is False


def test_hearting_needs_a_valid_token(world):
    target = world.ids["approved_a"]
    world.tokens["forged"] = "tdm_not-a-real-token"
    for who in (None, "forged"):
        response = world.api("post", f"/api/admin/comments/{target}/heart", who)
        assert response.status_code == 401 and response.json["error"]["code"] == "unauthorized"
    assert public_comment(world, target)["hearted"] is False


def test_another_sites_comment_is_forbidden_to_a_moderator_without_that_site(world):
    target = world.ids["approved_a"]
    for action in ("heart", "unheart"):
        response = world.api("post", f"/api/admin/comments/{target}/{action}", MOD_B)
        assert response.status_code == 403 and response.json["error"]["code"] == "forbidden"  # as every admin action (SPEC 6)
    assert public_comment(world, target)["hearted"] is False


def test_a_held_comment_keeps_its_heart_for_when_it_is_approved_but_spam_cannot_be_hearted(world):
    held = world.ids["held_a"]
    assert world.api("post", f"/api/admin/comments/{held}/heart", MOD_A).json["comment"]["status"] == "pending"
    world.api("post", f"/api/admin/comments/{held}/approve", MOD_A)
    assert public_comment(world, held)["hearted"] is True
    world.api("post", f"/api/admin/comments/{held}/spam", MOD_A)
    refused = world.api("post", f"/api/admin/comments/{held}/unheart", MOD_A)
    assert refused.status_code == 409 and refused.json["error"]["code"] == "conflict"


def test_the_admin_pages_heart_button_hearts_and_unhearts(world):
    target = world.ids["approved_a"]
    browser = world.browser(MOD_A)
    page = browser.get(f"/admin/comments/{target}").get_data(as_text=True)
    assert f'action="/admin/comments/{target}/heart"' in page.replace("formaction", "action") and "♡ Heart" in page
    done = browser.post(f"/admin/comments/{target}/heart", data={"hearted": "1", "next": f"/admin/comments/{target}"})
    assert done.status_code == 303
    page = browser.get(f"/admin/comments/{target}").get_data(as_text=True)
    assert "♥ by the author" in page and "♥ Unheart" in page
    assert public_comment(world, target)["hearted"] is True
    browser.post(f"/admin/comments/{target}/heart", data={"hearted": "0"})
    assert public_comment(world, target)["hearted"] is False
    queue = browser.get("/admin/").get_data(as_text=True)
    assert f"/admin/comments/{world.ids['held_a']}/heart" in queue


def test_another_sites_moderator_cannot_heart_from_the_admin_page(world):
    target = world.ids["approved_a"]
    refused = world.browser(MOD_B).post(f"/admin/comments/{target}/heart", data={"hearted": "1"})
    assert refused.status_code == 403  # as pinning another site's comment: refused, nothing changed
    assert public_comment(world, target)["hearted"] is False


def test_the_page_without_javascript_shows_the_heart(world):
    target = world.ids["approved_a"]
    assert "♥ by the author" not in world.client.get("/t/a/?uri=/post/").get_data(as_text=True)
    world.api("post", f"/api/admin/comments/{target}/heart", MOD_A)
    assert "♥ by the author" in world.client.get("/t/a/?uri=/post/").get_data(as_text=True)
