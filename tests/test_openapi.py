"""`/api/openapi.json` is true to the behaviour: schemathesis drives every operation from it."""

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

from .conftest import ORIGIN, _make_app


@pytest.fixture
def api_schema(sqlite_template, tmp_path):
    """On SQLite only: the storage layer is covered on both databases by the API tests."""
    database = tmp_path / "tandem.db"
    database.write_bytes(sqlite_template.read_bytes())
    app = _make_app(f"sqlite:///{database}", tmp_path / "instance")
    with app.app_context():
        sites.create_site("blog", "A blog", [ORIGIN], {"challenge": "off", "moderation": "none"})
    return schemathesis.openapi.from_wsgi("/api/openapi.json", app)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_matches_its_documented_schema(case):
    case.headers = {**(case.headers or {}), "Origin": ORIGIN}
    case.call_and_validate(checks=[not_a_server_error, status_code_conformance, content_type_conformance,
                                   response_schema_conformance])


def test_the_document_is_openapi_3_1_and_lists_the_public_api(client):
    document = client.get("/api/openapi.json").json
    assert document["openapi"].startswith("3.1")
    for path in ("/api/comments", "/api/comments/{id}", "/api/comments/{id}/like", "/api/counts", "/healthz"):
        assert path in document["paths"]
