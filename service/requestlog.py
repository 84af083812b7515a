"""Log lines (SPEC 15): `TANDEM_LOG_FORMAT=text|json`, one line per request, nothing that identifies anyone.

A request's line names its route (the rule, `/api/comments/<id:comment_id>`, never the path or
query, where tokens travel), its method, status and duration, and the client's network
(anonymised like every stored address). Other records (warnings, errors) get the same format,
with e-mail addresses and URL paths taken out of their messages.
"""

import json
import logging
import sys
import time

from .privacy import anonymise_ip, redacted

REQUESTS = logging.getLogger("tandem.request")
REQUESTS.propagate = False  # its own handler; silent until `configure` (tests, `flask run`)
REQUESTS.setLevel(logging.WARNING)
FORMATS = ("text", "json")


class JsonLines(logging.Formatter):
    def format(self, record):
        line = {"time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(record.created)),
                "level": record.levelname.lower(), "logger": record.name}
        fields = getattr(record, "request", None)
        if fields:
            line.update(fields)
        else:
            line["message"] = redacted(record.getMessage())
            if record.exc_info:
                line["error"] = redacted(self.formatException(record.exc_info))
        return json.dumps(line, ensure_ascii=False)


class TextLines(logging.Formatter):
    def __init__(self):
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def formatMessage(self, record):
        if getattr(record, "request", None) is None:
            record.message = redacted(record.message)
        return super().formatMessage(record)

    def formatException(self, exc_info):
        return redacted(super().formatException(exc_info))


def configure(log_format, stream=None):
    """Send the service's log records and one line per request to `stream` (stderr) in `log_format`."""
    if log_format not in FORMATS:
        raise ValueError(f"TANDEM_LOG_FORMAT must be one of {', '.join(FORMATS)}, not {log_format!r}.")
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonLines() if log_format == "json" else TextLines())
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(logging.INFO)
    REQUESTS.handlers = [handler]
    REQUESTS.setLevel(logging.INFO)


def request_answered(route, method, status, seconds, remote_addr):
    """Write the request's line, if request lines are on."""
    if not REQUESTS.isEnabledFor(logging.INFO):
        return
    fields = {"method": method, "route": route, "status": status, "duration_ms": round(seconds * 1000, 2),
              "network": anonymise_ip(remote_addr)}
    REQUESTS.info("%s %s %s %.1fms %s", method, route, status, seconds * 1000, fields["network"],
                  extra={"request": fields})
