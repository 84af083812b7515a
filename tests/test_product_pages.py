"""Every page looks like the product (issue 12, point 8): HTML errors, the pages mail links open,
and the favicon, each page in Tandem's look with a way back; the JSON API keeps its envelope."""

import re

import pytest

from service import sites
from service.db import db
from service.extensions import limiter
from service.mail_models import Subscription
from service.notify import links

from .admin_world import ORIGIN_A

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

STYLESHEET = '<link rel="stylesheet" href="/admin/static/admin.css">'
ICON = '<link rel="icon" href="/favicon.svg"'
BLOG_POST = "https://blog.example.com/2026/11/like-a-dance/"


def page_of(response):
    return response.get_data(as_text=True)


def assert_looks_like_tandem(response, status):
    assert response.status_code == status
    assert response.mimetype == "text/html"
    page = page_of(response)
    assert STYLESHEET in page and ICON in page and 'class="brand"' in page
    return page


def links_in(page):
    return dict((text.strip(), href) for href, text in re.findall(r'<a href="([^"]+)">([^<]+)</a>', page))


def test_an_unknown_page_is_a_styled_404_with_the_way_back(client):
    page = assert_looks_like_tandem(client.get("/no/such/page", headers={"Referer": BLOG_POST}), 404)
    assert "Page not found" in page
    assert links_in(page)["← Back to the page you came from"] == BLOG_POST
    assert links_in(page)["Open the Tandem admin"] == "/admin/"


def test_a_thread_page_of_an_unknown_site_is_the_same_404(client):
    page = assert_looks_like_tandem(client.get("/t/nosuchblog/?uri=/post/"), 404)
    assert "Page not found" in page and "Open the Tandem admin" in page


def test_the_json_api_keeps_the_spec_envelope_for_the_same_errors(client):
    missing = client.get("/api/no/such/endpoint")
    assert missing.status_code == 404 and missing.mimetype == "application/json"
    assert missing.json["error"]["code"] == "not_found"
    unknown = client.get("/api/comments?site=nosuchblog&uri=/")
    assert unknown.status_code == 404 and unknown.json["error"]["code"] == "unknown_site"


def test_a_form_without_its_csrf_token_is_a_styled_400_that_says_so(app, client):
    app.config["WTF_CSRF_ENABLED"] = True  # as in production; the test app turns it off
    page = assert_looks_like_tandem(client.post("/admin/login", data={"email": "a@b.example", "password": "x"}), 400)
    assert "Bad request" in page and "CSRF token is missing" in page
    assert links_in(page)["Open the Tandem admin"] == "/admin/"


def test_too_many_requests_is_a_styled_429_with_retry_after(app, client):
    app.add_url_rule("/test-limited", "test_limited", limiter.limit("1/minute")(lambda: "fine"))
    assert client.get("/test-limited").status_code == 200
    refused = client.get("/test-limited")
    page = assert_looks_like_tandem(refused, 429)
    assert "Too many requests" in page and "try again in" in page
    assert int(refused.headers["Retry-After"]) > 0


def test_an_unexpected_failure_is_a_styled_500_and_the_api_stays_json(app, client):
    def broken():
        raise RuntimeError("a bug")

    app.add_url_rule("/test-broken", "test_broken", broken)
    app.add_url_rule("/api/test-broken", "test_api_broken", broken)
    page = assert_looks_like_tandem(client.get("/test-broken"), 500)
    assert "Something went wrong" in page and "a bug" not in page and "Traceback" not in page
    api = client.get("/api/test-broken")
    assert api.status_code == 500 and api.json["error"]["code"] == "internal"


def test_the_favicon_is_served(client):
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.mimetype == "image/vnd.microsoft.icon"
    assert icon.data[:4] == b"\x00\x00\x01\x00" and b"PNG" in icon.data
    svg = client.get("/favicon.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml" and b"<svg" in svg.data


def path_of(link):
    return "/" + link.split("/", 3)[3]


def subscription_links(world):
    with world.app.test_request_context():
        subscription = Subscription(site_id=sites.get_site("a").id, email="reader@example.net")
        db.session.add(subscription)
        db.session.commit()
        return (path_of(links.confirmation_link(subscription.id, subscription.email)),
                path_of(links.unsubscribe_link(subscription.id, subscription.email)))


def test_opt_in_and_unsubscribe_pages_are_styled_and_lead_back_to_the_blog(world):
    confirm, unsubscribe = subscription_links(world)
    steps = [(world.client.get, confirm, "Confirm reply notifications?"), (world.client.post, confirm, "Confirmed"),
             (world.client.get, unsubscribe, "Stop reply notifications?"),
             (world.client.post, unsubscribe, "You are unsubscribed")]
    for method, path, heading in steps:
        page = assert_looks_like_tandem(method(path), 200)
        assert f"<h1>{heading}</h1>" in page
        assert links_in(page)["Back to Site A"] == ORIGIN_A + "/"


def test_the_moderation_link_pages_are_styled_and_lead_to_the_admin(world):
    held = world.ids["held_a"]
    with world.app.test_request_context():
        path = path_of(links.moderation_link(held, "approve", world.ids["mod-a@example.com"]))
    asked = assert_looks_like_tandem(world.client.get(path), 200)
    assert "Approve this comment?" in asked
    assert links_in(asked)["Open the comment in the admin"] == f"/admin/comments/{held}"
    done = assert_looks_like_tandem(world.client.post(path), 200)
    assert "Done: the comment is approved" in done and "Open the comment in the admin" in done


def test_a_broken_mail_link_is_styled_with_a_way_to_the_admin(client):
    page = assert_looks_like_tandem(client.get("/unsubscribe/not-a-token"), 400)
    assert "This link is not valid" in page and links_in(page)["Open the Tandem admin"] == "/admin/"
