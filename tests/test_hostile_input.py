"""No 500 on hostile input (SPEC 11): a table of what a broken client or an attacker may send, tried
against `tandem serve` on SQLite and PostgreSQL. Every JSON API case answers 4xx with the SPEC's
envelope, every admin form case a 4xx or a redirect, and the server logs no traceback."""

import base64
import json
import re
from dataclasses import dataclass
from dataclasses import field as default

import pytest
import requests

from .test_request_isolation import log_in

pytestmark = pytest.mark.slow

ORIGIN = "https://blog.example.com"
JSON = {"Content-Type": "application/json"}
WRITE = {**JSON, "Origin": ORIGIN}
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
ANY = object()
DEEP = 1000
HUGE = str(2**64)
ABOVE_32_BITS = [str(2**31), str(2**63), HUGE, "9" * 40]


def deep_array(levels=DEEP, closed=True):
    return "[" * levels + ("]" * levels if closed else "")


def deep_object(levels=DEEP, closed=True):
    return '{"a":' * levels + "1" + ("}" * levels if closed else "")


def comment_body(**changes):
    """The body of a good new comment as JSON text, with `changes` spliced in as raw JSON values."""
    parts = {"site": '"{site}"', "uri": '"/post/"', "text": '"Hello"'}
    parts.update(changes)
    return "{" + ", ".join(f'"{name}": {value}' for name, value in parts.items()) + "}"


@dataclass
class Case:
    """One hostile request: `path` and `body` may name {site}, {id}, {pending}, {thread} and {uri}."""

    name: str
    method: str
    path: str
    body: str | bytes | None = None
    headers: dict = default(default_factory=lambda: dict(WRITE))
    status: int = 400
    code: str = "bad_request"
    field: object = ANY
    files: dict | None = None


def api_cases():
    post, counts = "/api/comments", "/api/counts"
    cases = [
        # Nesting: the whole body, inside a field, to every JSON endpoint; closed or not.
        Case("deep array body", "POST", post, deep_array()),
        Case("deep array body unclosed", "POST", post, deep_array(closed=False)),
        Case("deep object body", "POST", post, deep_object()),
        Case("deep object body unclosed", "POST", post, deep_object(closed=False)),
        Case("deep array in text", "POST", post, comment_body(text=deep_array())),
        Case("deep object in text unclosed", "POST", post, comment_body(text=deep_object(closed=False))),
        Case("deep array in author", "POST", post, comment_body(author=deep_array())),
        Case("deep array to counts", "POST", counts, deep_array()),
        Case("deep object in counts uris", "POST", counts, '{"site": "{site}", "uris": [' + deep_object() + "]}"),
        Case("deep array unclosed to counts", "POST", counts, deep_array(closed=False)),
        Case("deep array to PATCH", "PATCH", post + "/{id}", deep_array()),
        Case("deep object in PATCH text", "PATCH", post + "/{id}", '{"text": ' + deep_object() + "}"),
        Case("deep array unclosed to PATCH", "PATCH", post + "/{id}", deep_array(closed=False)),
        Case("very deep array body", "POST", post, deep_array(60_000, closed=False)),
        # Encodings.
        Case("invalid UTF-8", "POST", post, b'{"site": "x", "uri": "/p/", "text": "\xff\xfe"}'),
        Case("overlong UTF-8 slash", "POST", post, b'{"site": "x", "uri": "\xc0\xaf", "text": "Hi"}'),
        Case("overlong UTF-8 NUL", "POST", post, b'{"site": "x", "uri": "/p/", "text": "\xc0\x80"}'),
        Case("UTF-16 body", "POST", post, json.dumps({"site": "x", "uri": "/", "text": "Hi"}).encode("utf-16")),
        Case("truncated UTF-8", "POST", post, b'{"site": "x", "uri": "/p/", "text": "\xe2\x82"}'),
        Case("lone high surrogate in text", "POST", post, comment_body(text=r'"\ud800"')),
        Case("lone low surrogate in text", "POST", post, comment_body(text=r'"Hi \udc00 there"')),
        Case("lone surrogate in author", "POST", post, comment_body(author=r'"\udfff"')),
        Case("lone surrogate in uri", "POST", post, comment_body(uri=r'"/p/\ud800/"')),
        Case("lone surrogate in site", "POST", post, comment_body(site=r'"\ud800"')),
        Case("lone surrogate as a key", "POST", post, '{"\\ud800": 1, "site": "{site}", "uri": "/p/", "text": "Hi"}'),
        Case("lone surrogate in counts uris", "POST", counts, r'{"site": "{site}", "uris": ["/a/", "\ud800"]}'),
        Case("lone surrogate in counts site", "POST", counts, r'{"site": "\udbff", "uris": ["/a/"]}'),
        Case("lone surrogate in PATCH text", "PATCH", post + "/{id}", r'{"text": "\ud800"}'),
        Case("NUL only text", "POST", post, comment_body(text=r'"\u0000"'), code="validation_failed", field="text"),
        Case("NUL in e-mail", "POST", post, comment_body(email=r'"a\u0000@example.org"'),
             code="validation_failed", field="email"),
        Case("NUL in website", "POST", post, comment_body(website=r'"https://exa\u0000mple.org/"'),
             code="validation_failed", field="website"),
        Case("NUL in site key", "POST", post, comment_body(site=r'"a\u0000b"'), status=404, code="unknown_site",
             field="site"),
        # Types.
        Case("body is an array", "POST", post, "[]"),
        Case("body is null", "POST", post, "null"),
        Case("body is a string", "POST", post, '"text"'),
        Case("body is a number", "POST", post, "12"),
        Case("body is true", "POST", post, "true"),
        Case("body is empty", "POST", post, ""),
        Case("site as number", "POST", post, comment_body(site="1"), code="validation_failed", field="site"),
        Case("site as null", "POST", post, comment_body(site="null"), code="validation_failed", field="site"),
        Case("text as number", "POST", post, comment_body(text="5"), code="validation_failed", field="text"),
        Case("text as null", "POST", post, comment_body(text="null"), code="validation_failed", field="text"),
        Case("text as boolean", "POST", post, comment_body(text="false"), code="validation_failed", field="text"),
        Case("text as object", "POST", post, comment_body(text="{}"), code="validation_failed", field="text"),
        Case("uri as array", "POST", post, comment_body(uri='["/a/"]'), code="validation_failed", field="uri"),
        Case("author as object", "POST", post, comment_body(author='{"a": 1}'), code="validation_failed",
             field="author"),
        Case("notify as string", "POST", post, comment_body(notify='"yes"'), code="validation_failed", field="notify"),
        Case("parent as string", "POST", post, comment_body(parent='"1"'), code="validation_failed", field="parent"),
        Case("parent as float", "POST", post, comment_body(parent="1.5"), code="validation_failed", field="parent"),
        Case("parent as boolean", "POST", post, comment_body(parent="true"), code="validation_failed",
             field="parent"),
        Case("parent as array", "POST", post, comment_body(parent="[1]"), code="validation_failed", field="parent"),
        Case("parent zero", "POST", post, comment_body(parent="0"), code="validation_failed", field="parent"),
        Case("parent negative", "POST", post, comment_body(parent="-1"), code="validation_failed", field="parent"),
        Case("parent 1e308", "POST", post, comment_body(parent="1e308"), code="validation_failed", field="parent"),
        Case("parent 1e999", "POST", post, comment_body(parent="1e999"), code="validation_failed", field="parent"),
        Case("parent of 5,000 digits", "POST", post, comment_body(parent="9" * 5000)),
        Case("parent NaN", "POST", post, comment_body(parent="NaN"), code="validation_failed", field="parent"),
        *[Case(f"parent {value[:12]}", "POST", post, comment_body(parent=value), code="validation_failed",
               field="parent") for value in ABOVE_32_BITS],
        Case("counts uris as string", "POST", counts, '{"site": "{site}", "uris": "/a/"}', code="validation_failed",
             field="uris"),
        Case("counts uris of numbers", "POST", counts, '{"site": "{site}", "uris": [1, 2]}',
             code="validation_failed", field="uris.0"),
        Case("counts uris null", "POST", counts, '{"site": "{site}", "uris": null}', code="validation_failed",
             field="uris"),
        Case("counts body is an array", "POST", counts, '["{site}"]'),
        Case("PATCH text as number", "PATCH", post + "/{id}", '{"text": 5}', code="validation_failed", field="text"),
        Case("PATCH body is an array", "PATCH", post + "/{id}", '[{"text": "x"}]'),
        # Sizes.
        Case("body over the limit", "POST", post, comment_body(text='"' + "x" * 70_000 + '"'), status=413,
             code="too_large"),
        Case("counts body over the limit", "POST", counts, '{"site": "x", "uris": ["' + "a" * 70_000 + '"]}',
             status=413, code="too_large"),
        Case("text too long", "POST", post, comment_body(text='"' + "x" * 10_001 + '"'), code="validation_failed",
             field="text"),
        Case("uri too long", "POST", post, comment_body(uri='"/' + "u" * 1000 + '"'), code="validation_failed",
             field="uri"),
        Case("author too long", "POST", post, comment_body(author='"' + "a" * 101 + '"'), code="validation_failed",
             field="author"),
        Case("site key too long", "POST", post, comment_body(site='"' + "s" * 65 + '"'), code="validation_failed",
             field="site"),
        Case("many counts uris", "POST", counts, json.dumps({"site": "x", "uris": ["/a/"] * 501}),
             code="validation_failed", field="uris"),
        Case("many counts uris by GET", "GET", counts + "?site={site}" + "&uri=/a/" * 501, field="uri"),
        # Ids in paths and queries.
        *[Case(f"comment id {raw[:12]}", "GET", f"{post}/{raw}", status=404, code="not_found")
          for raw in ["0", "-1", "1e3", "1.0", "%201", "%00", HUGE, "9" * 40, "%EF%BC%91",
                      str(2**31), str(2**62), str(2**63 - 1)]],
        Case("PATCH huge id", "PATCH", f"{post}/{HUGE}", '{"text": "x"}', status=404, code="not_found"),
        Case("DELETE huge id", "DELETE", f"{post}/{HUGE}", status=404, code="not_found"),
        Case("PATCH id 2**31", "PATCH", f"{post}/{2**31}", '{"text": "x"}', status=404, code="not_found"),
        Case("DELETE id 0", "DELETE", f"{post}/0", status=404, code="not_found"),
        Case("like huge id", "POST", f"{post}/{HUGE}/like", status=404, code="not_found"),
        Case("limit not a number", "GET", post + "?site={site}&uri=/post/&limit=ten", field="limit"),
        Case("limit huge", "GET", post + f"?site={{site}}&uri=/post/&limit={HUGE}", field="limit"),
        Case("limit negative", "GET", post + "?site={site}&uri=/post/&limit=-1", field="limit"),
        Case("sort unknown", "GET", post + "?site={site}&uri=/post/&sort=random", field="sort"),
        Case("cursor garbage", "GET", post + "?site={site}&uri=/post/&after=%%%", field="after"),
        Case("cursor of deep JSON", "GET", post + "?site={site}&uri=/post/&after=" + _cursor(deep_array()),
             field="after"),
        Case("cursor of deep unclosed JSON", "GET",
             post + "?site={site}&uri=/post/&after=" + _cursor(deep_array(closed=False)), field="after"),
        Case("cursor of wrong shape", "GET", post + "?site={site}&uri=/post/&after=" + _cursor('[1e999, "x", 1]'),
             field="after"),
        Case("thread without uri", "GET", post + "?site={site}", field="uri"),
        Case("thread of unknown site", "GET", post + "?site=%00&uri=/post/", status=404, code="unknown_site"),
        # Headers.
        Case("text/plain JSON", "POST", post, comment_body(), headers={"Content-Type": "text/plain", "Origin": ORIGIN},
             status=415, code="unsupported_media_type"),
        Case("form body", "POST", post, "site={site}&uri=/p/&text=Hi",
             headers={"Content-Type": "application/x-www-form-urlencoded", "Origin": ORIGIN},
             status=415, code="unsupported_media_type"),
        Case("multipart body", "POST", post, None, headers={"Origin": ORIGIN}, files={"text": ("a.txt", b"Hi")},
             status=415, code="unsupported_media_type"),
        Case("no content type", "POST", counts, b'{"site": "{site}", "uris": []}', headers={},
             status=415, code="unsupported_media_type"),
        Case("garbage content type", "POST", counts, '{"site": "{site}", "uris": []}',
             headers={"Content-Type": ";;=;charset=\u00ff"}, status=415, code="unsupported_media_type"),
        Case("text/plain to PATCH", "PATCH", post + "/{id}", '{"text": "x"}',
             headers={"Content-Type": "text/plain", "Origin": ORIGIN}, status=415, code="unsupported_media_type"),
        Case("no origin", "POST", post, comment_body(), headers=JSON, status=403, code="origin_not_allowed"),
        Case("garbage origin", "POST", post, comment_body(), headers={**JSON, "Origin": "javascript:alert(1)"},
             status=403, code="origin_not_allowed"),
        Case("huge origin", "POST", post, comment_body(), headers={**JSON, "Origin": "https://" + "a" * 6000},
             status=403, code="origin_not_allowed"),
        Case("garbage referer", "POST", post, comment_body(), headers={**JSON, "Referer": "http://[::1/x"},
             status=403, code="origin_not_allowed"),
        Case("huge garbage referer", "POST", post, comment_body(),
             headers={**JSON, "Referer": "%%" + "\u00ff" * 6000}, status=403, code="origin_not_allowed"),
        Case("garbage If-None-Match", "GET", post + "?site=%00&uri=/post/",
             headers={"If-None-Match": 'W/"' + '",' * 2000 + "*, \u00ff"}, status=404, code="unknown_site"),
        Case("garbage commenter token on pending", "GET", post + "/{pending}",
             headers={"X-Commenter-Token": "\u00e9" * 5000}, status=404, code="not_found"),
        Case("garbage edit token", "PATCH", post + "/{id}", '{"text": "x"}',
             headers={**JSON, "Origin": ORIGIN, "X-Edit-Token": "\u00ff" * 3000}, status=403, code="forbidden",
             field="X-Edit-Token"),
        Case("garbage edit token on DELETE", "DELETE", post + "/{id}",
             headers={"Origin": ORIGIN, "X-Edit-Token": "\u00ff" * 3000}, status=403, code="forbidden"),
        # Methods.
        *[Case(f"{method} {path}", method, path, status=405, code="method_not_allowed")
          for method, path in [("PUT", post), ("DELETE", post), ("PATCH", counts), ("PUT", post + "/{id}"),
                               ("POST", post + "/{id}"), ("PUT", post + "/{id}/like"), ("DELETE", counts),
                               ("TRACE", post), ("TRACE", counts)]],
    ]
    return cases


def _cursor(text):
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def admin_api_cases():
    base = "/api/admin"
    return [
        *[Case(f"admin {action} huge id", "POST", f"{base}/comments/{HUGE}/{action}", status=404, code="not_found")
          for action in ("approve", "reject", "spam", "pin")],
        Case("admin PATCH huge id", "PATCH", f"{base}/comments/{HUGE}", '{"text": "x"}', status=404, code="not_found"),
        Case("admin DELETE id 2**31", "DELETE", f"{base}/comments/{2**31}", status=404, code="not_found"),
        Case("admin DELETE huge id", "DELETE", f"{base}/comments/{'9' * 30}", status=404, code="not_found"),
        Case("admin reply parent huge", "POST", f"{base}/comments",
             f'{{"site": "{{site}}", "uri": "/p/", "text": "x", "parent": {HUGE}}}', code="validation_failed",
             field="parent"),
        Case("admin ban comment huge", "POST", f"{base}/bans", f'{{"comment": {HUGE}}}', code="validation_failed",
             field="comment"),
        Case("admin ban comment string", "POST", f"{base}/bans", '{"comment": "1"}', code="validation_failed",
             field="comment"),
        Case("admin list after huge", "GET", f"{base}/comments?after={'9' * 30}", field="after"),
        Case("admin list after 2**63", "GET", f"{base}/comments?after={2**63}", field="after"),
        Case("admin list after 2**31", "GET", f"{base}/comments?after={2**31}", field="after"),
        Case("admin list after superscript", "GET", f"{base}/comments?after=%C2%B2", field="after"),
        Case("admin list limit huge", "GET", f"{base}/comments?limit={HUGE}", field="limit"),
        Case("admin deep body", "PATCH", f"{base}/comments/{{id}}", deep_array()),
        Case("admin deep settings", "PATCH", f"{base}/sites/{{site}}", '{"settings": {"blocklist": '
             + deep_array() + "}}"),
        Case("admin max_depth 100000", "PATCH", f"{base}/sites/{{site}}", '{"settings": {"max_depth": 100000}}',
             code="validation_failed", field="max_depth"),
        Case("admin max_depth 21", "PATCH", f"{base}/sites/{{site}}", '{"settings": {"max_depth": 21}}',
             code="validation_failed", field="max_depth"),
        Case("admin max_depth huge", "PATCH", f"{base}/sites/{{site}}", '{"settings": {"max_depth": ' + "9" * 5000
             + "}}"),
        Case("admin close surrogate uri", "POST", f"{base}/threads/close", r'{"site": "{site}", "uri": "\ud800"}'),
        Case("admin text/plain", "POST", f"{base}/threads/close", '{"site": "{site}", "uri": "/p/"}',
             headers={"Content-Type": "text/plain"}, status=415, code="unsupported_media_type"),
    ]


HUGE_PATHS = [f"/admin/comments/{HUGE}", f"/admin/comments/{'9' * 30}"]


def admin_page_cases():
    """(name, method, path, form): answered with a 4xx page or a redirect to an admin page."""
    crlf = "/admin/comments\r\nSet-Cookie: x=1"
    return [
        *[("admin page " + path[:30], "GET", path, None) for path in HUGE_PATHS],
        ("edit huge id", "POST", f"/admin/comments/{HUGE}/edit", {"text": "x"}),
        ("delete huge id", "POST", f"/admin/comments/{HUGE}/delete", {}),
        ("pin huge id", "POST", f"/admin/comments/{HUGE}/pin", {"pinned": "1"}),
        ("reply huge id", "POST", f"/admin/comments/{HUGE}/reply", {"text": "x"}),
        ("close huge thread", "POST", f"/admin/threads/{HUGE}/close", {"closed": "1"}),
        ("lift huge ban", "POST", f"/admin/bans/{HUGE}/lift", {}),
        ("huge moderator sites", "POST", f"/admin/moderators/{HUGE}/sites", {}),
        ("remove huge moderator", "POST", f"/admin/moderators/{HUGE}/remove", {}),
        ("revoke huge token", "POST", f"/admin/tokens/{HUGE}/revoke", {}),
        ("act on huge ids", "POST", "/admin/comments/act", {"act": "approve", "ids": ["99999999999999999"]}),
        ("act on id 2**31", "POST", "/admin/comments/act", {"act": "spam", "ids": [str(2**31)]}),
        ("act on superscript id", "POST", "/admin/comments/act", {"act": "approve", "ids": ["\u00b2"]}),
        ("act on one huge id", "POST", "/admin/comments/act", {"act": f"ban:{HUGE}"}),
        ("act CR/LF next", "POST", "/admin/comments/act", {"act": "approve:{id}", "next": crlf}),
        ("refused CR/LF next", "POST", "/admin/comments/act", {"act": "nonsense", "next": crlf}),
        ("delete CR/LF next", "POST", "/admin/comments/{id}/delete", {"next": "/admin/\nx"}),
        ("close CR/LF next", "POST", "/admin/threads/{thread}/close", {"closed": "0", "next": "/admin\r\n"}),
        ("list after huge", "GET", f"/admin/comments?after={'9' * 30}", None),
        ("list limit huge", "GET", f"/admin/comments?limit={HUGE}", None),
        ("site max_depth huge", "POST", "/admin/sites/{site}", {"max_depth": "100000", "name": "x",
                                                                 "origins": ORIGIN}),
    ]


@pytest.fixture(scope="module")
def world(live_server):
    """A site with one approved comment (with its edit token) and one held one, and a logged-in owner."""
    site = live_server.new_site([ORIGIN], moderation="none")
    posted = requests.post(live_server.url + "/api/comments", json={"site": site, "uri": "/post/", "text": "Hi"},
                           headers={"Origin": ORIGIN}, timeout=10).json()
    held_site = live_server.new_site([ORIGIN], moderation="all")
    held = requests.post(live_server.url + "/api/comments", json={"site": held_site, "uri": "/post/", "text": "Hm"},
                         headers={"Origin": ORIGIN}, timeout=10).json()
    found = live_server.admin_api("GET", f"/api/admin/comments?site={site}").json()["comments"]
    browser, _ = log_in(live_server)
    token = CSRF.search(browser.get(live_server.url + "/admin/comments", timeout=10).text).group(1)
    thread = re.search(r"/admin/threads/(\d+)/close", browser.get(
        live_server.url + f"/admin/comments/{posted['comment']['id']}", timeout=10).text)
    return {"site": site, "id": posted["comment"]["id"], "pending": held["comment"]["id"],
            "edit_token": posted["edit_token"], "uri": found[0]["uri"], "browser": browser, "csrf": token,
            "thread": thread.group(1) if thread else "1"}


def _fill(template, world):
    if template is None:
        return None
    for name in ("site", "id", "pending", "thread"):
        placeholder = "{" + name + "}"
        if isinstance(template, bytes):
            template = template.replace(placeholder.encode(), str(world[name]).encode())
        else:
            template = template.replace(placeholder, str(world[name]))
    return template


def assert_envelope(response, case):
    assert response.status_code == case.status, (case.name, response.status_code, response.text[:300])
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "field"}, body
    assert body["error"]["code"] == case.code, (case.name, body)
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    if case.field is not ANY:
        assert body["error"]["field"] == case.field, (case.name, body)


def _send(server, case, world, admin=False):
    headers = case.headers
    body = _fill(case.body, world)
    if isinstance(body, str):
        body = body.encode("utf-8", "surrogatepass")
    if admin:
        headers = {"Authorization": f"Bearer {server.owner_token}", **headers}
    return requests.request(case.method, server.url + _fill(case.path, world), data=body, headers=headers,
                            files=case.files, timeout=20)


@pytest.mark.parametrize("case", api_cases(), ids=lambda case: case.name)
def test_hostile_api_request_gets_the_error_envelope(live_server, world, case):
    before = live_server.tracebacks()
    assert_envelope(_send(live_server, case, world), case)
    assert live_server.tracebacks() == before, live_server.log()[-3000:]


@pytest.mark.parametrize("case", admin_api_cases(), ids=lambda case: case.name)
def test_hostile_admin_api_request_gets_the_error_envelope(live_server, world, case):
    before = live_server.tracebacks()
    assert_envelope(_send(live_server, case, world, admin=True), case)
    assert live_server.tracebacks() == before, live_server.log()[-3000:]


@pytest.mark.parametrize("name, method, path, form", admin_page_cases(), ids=lambda value: str(value)[:40])
def test_hostile_admin_form_gets_a_page_or_a_redirect(live_server, world, name, method, path, form):
    before = live_server.tracebacks()
    data = None if form is None else {**{key: _fill(value, world) if isinstance(value, str) else value
                                         for key, value in form.items()}, "csrf_token": world["csrf"]}
    answer = world["browser"].request(method, live_server.url + _fill(path, world), data=data,
                                      allow_redirects=False, timeout=10)
    assert 300 <= answer.status_code < 500, (name, answer.status_code, answer.text[:300])
    if answer.is_redirect:
        location = answer.headers["Location"]
        assert "\r" not in location and "\n" not in location and "/admin" in location
    assert live_server.tracebacks() == before, live_server.log()[-3000:]


def test_a_long_referer_is_no_reason_to_refuse_a_comment(live_server, world):
    referer = ORIGIN + "/post/?" + "q=" + "x" * 3000
    answer = requests.post(live_server.url + "/api/comments", json={"site": world["site"], "uri": "/long-ref/",
                                                                    "text": "Hi"},
                           headers={"Origin": ORIGIN, "Referer": referer}, timeout=10)
    assert answer.status_code == 201, answer.text


def test_a_thread_uri_of_any_allowed_length_can_be_replied_to_and_closed(live_server, world):
    uri = "/" + "u" * 205
    posted = requests.post(live_server.url + "/api/comments", json={"site": world["site"], "uri": uri, "text": "Hi"},
                           headers={"Origin": ORIGIN}, timeout=10)
    assert posted.status_code == 201, posted.text
    replied = live_server.admin_api("POST", "/api/admin/comments", json={
        "site": world["site"], "uri": uri, "text": "Thanks", "parent": posted.json()["comment"]["id"]})
    assert replied.status_code == 201, replied.text
    closed = live_server.admin_api("POST", "/api/admin/threads/close", json={"site": world["site"], "uri": uri})
    assert closed.status_code == 200 and closed.json()["thread"]["closed"] is True, closed.text


def test_max_depth_up_to_twenty_is_accepted(live_server, world):
    assert live_server.change_site(world["site"], settings={"max_depth": 20})["site"]["settings"]["max_depth"] == 20
    live_server.change_site(world["site"], settings={"max_depth": 5})


def test_the_table_is_large_enough():
    assert len(api_cases()) + len(admin_api_cases()) + len(admin_page_cases()) >= 80
