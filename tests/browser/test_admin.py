"""The admin page in Chromium: log in, work the queue in bulk and by keyboard, reply, edit a site."""

import pytest
import requests

from service import accounts, sites

from ..live import OWNER, OWNER_PASSWORD, post_comment

pytestmark = pytest.mark.browser

PASSWORD = "a long enough password"
BLOG = "https://blog.example.com"


class Visitor:
    """A reader of the blog, posting through the service's HTTP API as the widget does."""

    def __init__(self, service):
        self.service = service

    def post(self, text, **fields):
        return post_comment(self.service.server, self.service.site, BLOG, text, **fields)

    def thread(self):
        answer = requests.get(f"{self.service.url}/api/comments", params={"site": self.service.site, "uri": "/post/"})
        return answer.json()["comments"]


@pytest.fixture
def blog_with_held_comments(live_app, service):
    """The test's site with a moderator of its own and three held comments, one of them a reply."""
    with live_app.app_context():
        site = sites.get_site(service.site)
        sites.update_site(site, origins=[BLOG])
        moderator = f"moderator@{service.site}.example"
        accounts.create_moderator(moderator, PASSWORD, [site])
    visitor = Visitor(service)
    first = visitor.post("Lovely post! The part about **rhythm** stayed with me.", author="Ada", email="ada@example.net",
                         website="https://ada.example.net", title="Like a dance").json()["comment"]["id"]
    bob = visitor.post("Check out my site https://x.example https://y.example https://z.example",
                       author="Bob", email="bob@example.org").json()["comment"]["id"]
    cleo = visitor.post("I see it differently: a dance needs a partner.", author="Cléo").json()
    return {"ada": first, "bob": bob, "cleo": cleo["comment"]["id"], "visitor": visitor, "moderator": moderator}


def log_in(page, service, email, password=PASSWORD):
    page.goto(f"{service.url}/admin/")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{service.url}/admin/")


def public_ids(visitor):
    return [comment["id"] for comment in visitor.thread()]


def test_approve_two_held_comments_in_bulk(page, service, blog_with_held_comments, tmp_path):
    held = blog_with_held_comments
    page.set_viewport_size({"width": 1000, "height": 900})
    log_in(page, service, held["moderator"])
    assert page.locator("article.comment").count() == 3
    assert "3 links (limit 2)" in page.text_content(f"#c{held['bob']}")
    page.screenshot(path=str(tmp_path / "admin-queue.png"), full_page=True)
    page.check(f"#c{held['ada']} input[name=ids]")
    page.check(f"#c{held['cleo']} input[name=ids]")
    page.click("text=Approve selected")
    assert "2 comments approved." in page.text_content(".messages")
    assert page.locator("article.comment").count() == 1
    assert sorted(public_ids(held["visitor"])) == sorted([held["ada"], held["cleo"]])


def test_select_all_and_the_keyboard_shortcuts(page, service, blog_with_held_comments):
    held = blog_with_held_comments
    log_in(page, service, held["moderator"])
    page.focus(f"#c{held['cleo']}")
    page.keyboard.press("a")
    page.wait_for_selector("text=1 comment approved.")
    page.focus(f"#c{held['bob']}")
    page.keyboard.press("r")
    page.wait_for_selector("text=1 comment rejected.")
    assert public_ids(held["visitor"]) == [held["cleo"]]
    page.check("[data-select-all]")
    assert page.is_checked(f"#c{held['ada']} input[name=ids]")


def test_reply_as_the_author(page, service, blog_with_held_comments):
    held = blog_with_held_comments
    log_in(page, service, held["moderator"])
    page.click(f"#c{held['ada']} >> text=Approve")
    page.goto(f"{service.url}/admin/comments/{held['ada']}")
    page.fill("textarea[name=text] >> nth=1", "Thank you, Ada!")
    page.click("text=Publish reply")
    assert "Your reply is published." in page.text_content(".messages")
    thread = held["visitor"].thread()
    reply = thread[0]["replies"][0]
    assert reply["is_author"] is True and "Thank you, Ada!" in reply["html"]


def test_edit_a_sites_origins_and_see_the_snippet(page, service, blog_with_held_comments):
    log_in(page, service, OWNER, OWNER_PASSWORD)  # sites are the owner's to change
    page.click("nav >> text=Sites")
    page.click(f'text="{service.site}"')
    page.fill("textarea[name=origins]", "https://blog.example.com\nhttps://www.blog.example.com")
    page.click("text=Save site")
    assert "Site saved." in page.text_content(".messages")
    assert "https://www.blog.example.com" in page.input_value("textarea[name=origins]")
    snippet = page.text_content("#snippet")
    assert f'<script src="{service.url}/embed.js" data-site="{service.site}" defer></script>' in snippet
    page.wait_for_selector("text=Copy snippet", state="visible")  # admin.js shows it once loaded
    www = post_comment(service.server, service.site, "https://www.blog.example.com", "From www")
    assert www.status_code == 201


def test_two_browsers_log_in_at_once_and_each_sees_only_its_own_site(browser, service, live_app, blog_with_held_comments):
    held = blog_with_held_comments
    other = f"{service.site}b"
    with live_app.app_context():
        accounts.create_moderator(f"moderator@{other}.example", PASSWORD,
                                  [sites.create_site(other, "Another blog", ["https://other.example"], {"challenge": "off"})])
    secret = post_comment(service.server, other, "https://other.example", "Only for the other blog",
                          author="Zed", email="zed@other.example").json()["comment"]["id"]
    first, second = browser.new_context().new_page(), browser.new_context().new_page()
    for page in (first, second):
        page.goto(f"{service.url}/admin/")
    for page, email in ((first, held["moderator"]), (second, f"moderator@{other}.example")):
        page.fill("input[name=email]", email)
        page.fill("input[name=password]", PASSWORD)
    first.click("button[type=submit]")
    second.click("button[type=submit]")
    first.wait_for_url(f"{service.url}/admin/")
    second.wait_for_url(f"{service.url}/admin/")
    for _ in range(3):  # requests reach both workers
        first.reload()
        second.reload()
        assert first.locator("article.comment").count() == 3 and "zed@other.example" not in first.content()
        assert second.locator("article.comment").count() == 1 and "ada@example.net" not in second.content()
    assert first.goto(f"{service.url}/admin/comments/{secret}").status in (403, 404)
    assert "Only for the other blog" not in first.content()
    first.context.close()
    second.context.close()
