"""The admin page in Chromium: log in, work the queue in bulk and by keyboard, reply, edit a site."""

import pytest

from service import accounts, sites

from ..conftest import Reader

pytestmark = pytest.mark.browser

OWNER, PASSWORD = "owner@example.com", "a long enough password"
BLOG = "https://blog.example.com"


@pytest.fixture
def blog_with_held_comments(live_app):
    """A blog with an owner and three held comments, one of them a reply."""
    with live_app.app_context():
        site = sites.create_site("blog", "A blog", [BLOG])
        accounts.create_moderator(OWNER, PASSWORD, [site], owner=True)
    client = live_app.test_client()
    ada = Reader(client, origin=BLOG)
    first = ada.post("Lovely post! The part about **rhythm** stayed with me.", author="Ada", email="ada@example.net",
                     website="https://ada.example.net", title="Like a dance").json["comment"]["id"]
    bob = Reader(client, origin=BLOG).post("Check out my site https://x.example https://y.example https://z.example",
                                           author="Bob", email="bob@example.org").json["comment"]["id"]
    cleo = Reader(client, origin=BLOG).post("I see it differently: a dance needs a partner.", author="Cléo").json
    return {"ada": first, "bob": bob, "cleo": cleo["comment"]["id"], "client": client}


def log_in(page, service):
    page.goto(f"{service.url}/admin/")
    page.fill("input[name=email]", OWNER)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{service.url}/admin/")


def public_ids(client):
    return [comment["id"] for comment in client.get("/api/comments?site=blog&uri=/post/").json["comments"]]


def test_approve_two_held_comments_in_bulk(page, service, blog_with_held_comments, tmp_path):
    held = blog_with_held_comments
    page.set_viewport_size({"width": 1000, "height": 900})
    log_in(page, service)
    assert page.locator("article.comment").count() == 3
    assert "3 links (limit 2)" in page.text_content(f"#c{held['bob']}")
    page.screenshot(path=str(tmp_path / "admin-queue.png"), full_page=True)
    page.check(f"#c{held['ada']} input[name=ids]")
    page.check(f"#c{held['cleo']} input[name=ids]")
    page.click("text=Approve selected")
    assert "2 comments approved." in page.text_content(".messages")
    assert page.locator("article.comment").count() == 1
    assert sorted(public_ids(held["client"])) == sorted([held["ada"], held["cleo"]])


def test_select_all_and_the_keyboard_shortcuts(page, service, blog_with_held_comments):
    held = blog_with_held_comments
    log_in(page, service)
    page.focus(f"#c{held['cleo']}")
    page.keyboard.press("a")
    page.wait_for_selector("text=1 comment approved.")
    page.focus(f"#c{held['bob']}")
    page.keyboard.press("r")
    page.wait_for_selector("text=1 comment rejected.")
    assert public_ids(held["client"]) == [held["cleo"]]
    page.check("[data-select-all]")
    assert page.is_checked(f"#c{held['ada']} input[name=ids]")


def test_reply_as_the_author(page, service, blog_with_held_comments):
    held = blog_with_held_comments
    log_in(page, service)
    page.click(f"#c{held['ada']} >> text=Approve")
    page.goto(f"{service.url}/admin/comments/{held['ada']}")
    page.fill("textarea[name=text] >> nth=1", "Thank you, Ada!")
    page.click("text=Publish reply")
    assert "Your reply is published." in page.text_content(".messages")
    thread = held["client"].get("/api/comments?site=blog&uri=/post/").json["comments"]
    reply = thread[0]["replies"][0]
    assert reply["is_author"] is True and "Thank you, Ada!" in reply["html"]


def test_edit_a_sites_origins_and_see_the_snippet(page, service, blog_with_held_comments):
    log_in(page, service)
    page.click("nav >> text=Sites")
    page.click("text=blog")
    page.fill("textarea[name=origins]", "https://blog.example.com\nhttps://www.blog.example.com")
    page.click("text=Save site")
    assert "Site saved." in page.text_content(".messages")
    assert "https://www.blog.example.com" in page.input_value("textarea[name=origins]")
    snippet = page.text_content("#snippet")
    assert f'<script src="{service.url}/embed.js" data-site="blog" defer></script>' in snippet
    assert page.is_visible("text=Copy snippet")
    www = Reader(blog_with_held_comments["client"], origin="https://www.blog.example.com").post("From www")
    assert www.status_code == 201
