"""Every bad input gets the SPEC's error envelope and the right status, never a 500 (SPEC 11)."""

import logging

import pytest

from service import sites
from service.extensions import limiter

from .conftest import ORIGIN

GOOD = {"site": "blog", "uri": "/post/", "text": "Hello"}


def post(client, body=None, data=None, headers=None, **kwargs):
    headers = {"Origin": ORIGIN, "Content-Type": "application/json", **(headers or {})}
    if body is not None:
        return client.post("/api/comments", json=body, headers=headers, **kwargs)
    return client.post("/api/comments", data=data, headers=headers, **kwargs)


def assert_error(response, status, code, field=None):
    assert response.status_code == status, response.get_data(as_text=True)
    error = response.json["error"]
    assert error["code"] == code
    assert error["message"] and isinstance(error["message"], str)
    if field is not None:
        assert error["field"] == field


@pytest.mark.parametrize("raw, code", [
    (b"{not json", "bad_request"),
    (b"[1, 2]", "bad_request"),
    (b'{"site": "blog", "uri": "/p/", "text": "\xff\xfe"}', "bad_request"),
    (b"", "bad_request"),
])
def test_malformed_bodies(client, site, raw, code):
    assert_error(post(client, data=raw), 400, code)


@pytest.mark.parametrize("change, field", [
    ({"text": 5}, "text"),
    ({"text": ""}, "text"),
    ({"text": "   \n "}, "text"),
    ({"text": "x" * 10_001}, "text"),
    ({"parent": "1"}, "parent"),
    ({"parent": True}, "parent"),
    ({"notify": "yes"}, "notify"),
    ({"author": "x" * 101}, "author"),
    ({"email": "not-an-address"}, "email"),
    ({"website": "javascript:alert(1)"}, "website"),
    ({"website": "ftp://example.com"}, "website"),
    ({"uri": ["/a/"]}, "uri"),
])
def test_wrong_fields_name_the_field(client, site, change, field):
    assert_error(post(client, {**GOOD, **change}), 400, "validation_failed", field)


def test_missing_fields(client, site):
    assert_error(post(client, {"site": "blog", "uri": "/p/"}), 400, "validation_failed", "text")


def test_required_email_and_author_when_the_site_asks(app, client, site):
    with app.app_context():
        sites.update_site(sites.get_site("blog"), settings={"require_email": True, "require_author": True})
    assert_error(post(client, GOOD), 400, "validation_failed", "author")
    assert_error(post(client, {**GOOD, "author": "Ann"}), 400, "validation_failed", "email")
    assert post(client, {**GOOD, "author": "Ann", "email": "ann@example.org"}).status_code == 201


def test_unknown_site(client, site):
    assert_error(post(client, {**GOOD, "site": "nope"}), 404, "unknown_site", "site")
    assert_error(client.get("/api/comments?site=nope&uri=/"), 404, "unknown_site")
    assert_error(client.get("/api/counts?site=nope&uri=/"), 404, "unknown_site")


def test_unknown_parent_and_parents_from_elsewhere(app, client, site, reader, make_reader):
    with app.app_context():
        sites.create_site("other", "Other", [ORIGIN], {"challenge": "off", "moderation": "none"})
        sites.update_site(sites.get_site("blog"), settings={"moderation": "none"})
    elsewhere = reader.post("on another post", uri="/elsewhere/").json["comment"]["id"]
    other_site = make_reader(site="other").post("on another site", uri="/post/").json["comment"]["id"]
    reader.post("make the thread exist")
    for parent in (999_999, elsewhere, other_site):
        assert_error(post(client, {**GOOD, "parent": parent}), 404, "unknown_parent", "parent")


def test_someone_elses_held_comment_is_not_a_parent(client, reader, make_reader):
    held = reader.post("held").json["comment"]["id"]
    assert_error(make_reader().post("reply", parent=held), 404, "unknown_parent")


def test_foreign_origin_cannot_write(client, site):
    assert_error(post(client, GOOD, headers={"Origin": "https://evil.example"}), 403, "origin_not_allowed")
    no_origin = client.post("/api/comments", json=GOOD)
    assert_error(no_origin, 403, "origin_not_allowed")


def test_referer_names_the_origin_when_origin_is_missing(client, site):
    response = client.post("/api/comments", json=GOOD, headers={"Referer": ORIGIN + "/post/"})
    assert response.status_code == 201


def test_foreign_origin_cannot_edit_delete_or_like(app, client, reader):
    with app.app_context():
        sites.update_site(sites.get_site("blog"), settings={"moderation": "none"})
    comment_id = reader.post("mine").json["comment"]["id"]
    evil = {"Origin": "https://evil.example", "X-Edit-Token": reader.edit_tokens[comment_id]}
    assert_error(client.patch(f"/api/comments/{comment_id}", json={"text": "x"}, headers=evil), 403, "origin_not_allowed")
    assert_error(client.delete(f"/api/comments/{comment_id}", headers=evil), 403, "origin_not_allowed")
    assert_error(client.post(f"/api/comments/{comment_id}/like", headers=evil), 403, "origin_not_allowed")


def test_a_held_comment_cannot_be_liked_and_answers_like_a_missing_one(client, reader):
    comment_id = reader.post("held").json["comment"]["id"]
    for headers in ({}, {"Origin": "https://evil.example"}, {"Origin": ORIGIN}):
        held = client.post(f"/api/comments/{comment_id}/like", headers=headers)
        assert_error(held, 404, "not_found")
        assert held.json == client.post("/api/comments/424242/like", headers=headers).json


@pytest.mark.parametrize("query, field", [
    ("sort=sideways", "sort"),
    ("limit=0", "limit"),
    ("limit=201", "limit"),
    ("limit=ten", "limit"),
    ("after=%%%", "after"),
    ("after=bm90IGpzb24", "after"),
    ("after=WzEsMiwzXQ", "after"),
])
def test_garbage_paging_parameters(client, site, query, field):
    assert_error(client.get(f"/api/comments?site=blog&uri=/p/&{query}"), 400, "bad_request", field)


def test_missing_uri(client, site):
    assert_error(client.get("/api/comments?site=blog"), 400, "bad_request", "uri")


@pytest.mark.parametrize("path", ["/api/comments/abc", "/api/comments/-1", "/api/comments/0",
                                  "/api/comments/99999999999999999999999", "/api/comments/424242"])
def test_garbage_and_unknown_ids(client, site, path):
    assert_error(client.get(path), 404, "not_found")
    assert_error(client.post(path + "/like", headers={"Origin": ORIGIN}), 404, "not_found")


def test_oversize_body_is_refused_before_it_is_read(client, site):
    response = post(client, data=b'{"text": "' + b"x" * (70 * 1024) + b'"}')
    assert_error(response, 413, "too_large")


def test_unknown_path_and_wrong_method(client):
    assert_error(client.get("/api/nothing-here"), 404, "not_found")
    assert_error(client.put("/api/comments"), 405, "method_not_allowed")


def test_rate_limit_per_address_with_retry_after(make_app):
    limited = make_app(RATE_LIMIT="2/minute")
    with limited.app_context():
        sites.create_site("blog", "A blog", [ORIGIN], {"challenge": "off"})
    client = limited.test_client()
    statuses = [post(client, GOOD).status_code for _ in range(3)]
    assert statuses == [201, 201, 429]
    refused = post(client, GOOD)
    assert_error(refused, 429, "rate_limited")
    assert int(refused.headers["Retry-After"]) > 0
    other = post(client, GOOD, environ_base={"REMOTE_ADDR": "198.51.100.1"})
    assert other.status_code == 201


def test_a_rate_limit_storage_that_is_away_lets_comments_through(make_app, caplog, monkeypatch):
    """Redis gone (nothing listens on port 1): the limit cannot count, and the reader's comment is
    taken all the same rather than refused or answered with a 500; the log says so once, not per request."""
    monkeypatch.setattr(limiter, "_next_warning", 0.0)  # as in a worker that has not warned yet
    app = make_app(RATE_LIMIT="1/minute", RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0")
    with app.app_context():
        sites.create_site("blog", "A blog", [ORIGIN], {"challenge": "off"})
    client = app.test_client()
    with caplog.at_level(logging.WARNING, logger="service.limiting"):
        statuses = [post(client, GOOD).status_code for _ in range(3)]
    assert statuses == [201, 201, 201]
    assert [record.message for record in caplog.records if record.name == "service.limiting"] == [
        "The rate-limit storage failed; requests are let through until it is back."]
