"""`/api/openapi.json` is true to the behaviour: schemathesis drives every operation from it, the
admin API with a valid owner's token, so success answers are checked as well as refusals."""

import re

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from service import sites

from .admin_world import ORIGIN_A, build_world
from .conftest import ORIGIN, _make_app

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
OWNER = "owner@example.com"
VARIABLE = re.compile(r"([^<]*)<(?:(\w+)(?:\(([^)]*)\))?:)?(\w*)>")


@pytest.fixture
def api_world(sqlite_template, tmp_path):
    """On SQLite only (the storage layer is covered on both databases by the API tests): the admin
    tests' two sites with held and approved comments, an owner's token, and the site `blog`."""
    database = tmp_path / "tandem.db"
    database.write_bytes(sqlite_template.read_bytes())
    app = _make_app(f"sqlite:///{database}", tmp_path / "instance")
    world = build_world(app)
    with app.app_context():
        sites.create_site("blog", "A blog", [ORIGIN], {"challenge": "off", "moderation": "none"})
    return world


@pytest.fixture
def api_schema(api_world):
    return schemathesis.openapi.from_wsgi("/api/openapi.json", api_world.app)


schema = schemathesis.pytest.from_fixture("api_schema")


def _as_owner(case, world):
    """Admin operations carry the owner's bearer token; public ones a known blog's Origin. The WSGI
    client does not inflate gzip (Flask-Compress answers large bodies so), so ask for plain bodies."""
    extra = {"Authorization": f"Bearer {world.tokens[OWNER]}"} if case.path.startswith("/api/admin") else {}
    case.headers = {"Origin": ORIGIN, **(case.headers or {}), **extra, "Accept-Encoding": "identity"}
    return case


@schema.parametrize()
@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_matches_its_documented_schema(case, api_world):
    _as_owner(case, api_world).call_and_validate(checks=CHECKS)


def _admin_calls(world):
    """One valid request per admin operation: (method, path, path parameters, body)."""
    held, approved = world.ids["held_a"], world.ids["approved_a"]
    return [
        ("GET", "/api/admin/comments", {}, None),
        ("POST", "/api/admin/comments", {}, {"site": "a", "uri": "/post/", "parent": approved, "text": "Thanks!"}),
        ("PATCH", "/api/admin/comments/{id}", {"id": approved}, {"text": "Corrected"}),
        ("POST", "/api/admin/comments/{id}/approve", {"id": held}, {"trust": False}),
        ("POST", "/api/admin/comments/{id}/pin", {"id": held}, None),
        ("POST", "/api/admin/comments/{id}/unpin", {"id": held}, None),
        ("POST", "/api/admin/comments/{id}/heart", {"id": held}, None),
        ("POST", "/api/admin/comments/{id}/unheart", {"id": held}, None),
        ("POST", "/api/admin/comments/{id}/reject", {"id": held}, None),
        ("POST", "/api/admin/comments/{id}/spam", {"id": held}, None),
        ("GET", "/api/admin/sites", {}, None),
        ("POST", "/api/admin/sites", {}, {"key": "new", "origins": ["https://new.example.com"]}),
        ("PATCH", "/api/admin/sites/{key}", {"key": "new"}, {"name": "New blog"}),
        ("POST", "/api/admin/bans", {}, {"site": "a", "kinds": ["email"], "email": "spammer@example.net"}),
        ("POST", "/api/admin/threads/close", {}, {"site": "a", "uri": "/post/"}),
        ("PATCH", "/api/admin/threads", {}, {"site": "a", "uri": "/post/", "title": "A better title"}),
        ("DELETE", "/api/admin/comments/{id}", {"id": approved}, None),
    ]


def test_each_admin_operation_succeeds_as_documented(api_world):
    """Random bodies mostly earn 4xx; these valid ones must get the documented 2xx and its schema."""
    document = schemathesis.openapi.from_wsgi("/api/openapi.json", api_world.app)
    calls = _admin_calls(api_world)
    admin_operations = {(method.upper(), path) for path, item in document.raw_schema["paths"].items()
                        if path.startswith("/api/admin") for method in item}
    assert {(method, path) for method, path, _, _ in calls} == admin_operations
    for method, path, parameters, body in calls:
        kwargs = {"body": body} if body is not None else {}
        case = document[path][method].Case(path_parameters=parameters, headers={"Origin": ORIGIN_A}, **kwargs)
        response = _as_owner(case, api_world).call_and_validate(checks=CHECKS)
        assert 200 <= response.status_code < 300, (method, path, response.status_code, response.text)


def test_the_document_is_openapi_3_1_and_lists_every_api_route(app, client):
    """A route added under /api (or /healthz) without its place in the document fails here."""
    document = client.get("/api/openapi.json").json
    assert document["openapi"].startswith("3.1")
    documented = {(method.upper(), path) for path, item in document["paths"].items() for method in item}
    served = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/") and rule.rule != "/api/openapi.json" or rule.rule == "/healthz":
            for path in _openapi_paths(rule):
                served |= {(method, path) for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert served == documented
    assert ("GET", "/api/feed") in documented


def _openapi_paths(rule):
    """`/api/comments/<id:comment_id>/<any(pin, unpin):action>` as the OpenAPI paths it serves."""
    paths = [""]
    for literal, converter, arguments, variable in VARIABLE.findall(rule.rule + "<>"):
        paths = [path + literal for path in paths]
        if converter == "any":
            paths = [path + choice.strip() for path in paths for choice in arguments.split(",")]
        elif variable:
            paths = [path + "{" + ("id" if converter == "id" else variable) + "}" for path in paths]
    return paths
