"""SPEC 15: log lines in TANDEM_LOG_FORMAT (text or json), one per request, naming nobody."""

import io
import json
import logging

import pytest

from service import requestlog


@pytest.fixture
def captured():
    stream = io.StringIO()
    root = logging.getLogger()
    saved = root.handlers[:], root.level, requestlog.REQUESTS.handlers[:], requestlog.REQUESTS.level
    yield stream
    root.handlers, root.level = saved[0], saved[1]
    requestlog.REQUESTS.handlers, requestlog.REQUESTS.level = saved[2], saved[3]


def test_text_request_line_has_route_status_duration_and_network_only(captured):
    requestlog.configure("text", captured)
    requestlog.request_answered("/api/comments/<id:comment_id>", "PATCH", 200, 0.0123, "203.0.113.77")
    line = captured.getvalue().strip()
    assert line.endswith("INFO tandem.request: PATCH /api/comments/<id:comment_id> 200 12.3ms 203.0.113.0")


def test_json_request_line(captured):
    requestlog.configure("json", captured)
    requestlog.request_answered("/api/comments", "POST", 201, 0.004, "2001:db8:1234:5678::1")
    line = json.loads(captured.getvalue())
    assert {key: line[key] for key in ("logger", "method", "route", "status", "duration_ms", "network")} == {
        "logger": "tandem.request", "method": "POST", "route": "/api/comments", "status": 201,
        "duration_ms": 4.0, "network": "2001:db8:1234::"}


@pytest.mark.parametrize("log_format", ["text", "json"])
def test_other_log_lines_lose_e_mail_addresses_and_link_paths(captured, log_format):
    requestlog.configure(log_format, captured)
    # Straight to the handlers `configure` installed: which loggers other tests left quieter is not the point.
    record = logging.LogRecord("service.notify", logging.WARNING, __file__, 1,
                               "mail to ann@example.org refused, see https://x.example/confirm/SECRET", None, None)
    for handler in logging.getLogger().handlers:
        handler.handle(record)
    logged = captured.getvalue()
    assert "ann@example.org" not in logged and "SECRET" not in logged
    assert "<e-mail>" in logged


def test_an_unknown_log_format_is_refused():
    with pytest.raises(ValueError, match="text, json"):
        requestlog.configure("yaml")
