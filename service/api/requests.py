"""Turning HTTP requests into checked values: JSON bodies, origins, the client's address."""

from urllib.parse import urlsplit

from flask import current_app, request
from pydantic import ValidationError
from werkzeug.exceptions import NotFound
from werkzeug.routing import BaseConverter

from .. import fields, jsontext, origins, sites
from ..errors import ApiError
from ..privacy import anonymise_ip


def parse_body(schema):
    """The request's JSON body checked against `schema`, or an ApiError naming what is wrong.

    Only `application/json` is read: a form or text/plain body is refused before it is parsed
    (and a browser cannot send JSON to another origin without asking first)."""
    if not request.is_json:
        raise ApiError("unsupported_media_type", "Send the body as JSON, with Content-Type: application/json.")
    raw = request.get_data(cache=True)
    try:
        data = jsontext.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ApiError("bad_request", "The request body is not valid UTF-8.") from None
    except jsontext.UnreadableJson as error:
        raise ApiError("bad_request", str(error)) from None
    if not isinstance(data, dict):
        raise ApiError("bad_request", "The request body must be a JSON object.")
    try:
        return schema.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or None
        raise ApiError("validation_failed", f"{field}: {first['msg']}", field) from None


def site_or_404(site_key):
    site = sites.site_view(site_key) if site_key else None
    if site is None:
        raise ApiError("unknown_site", "There is no site with this key.", "site")
    return site


def request_origin():
    """The origin the browser says the request comes from: `Origin`, else the `Referer`'s."""
    origin = request.headers.get("Origin")
    if origin and origin != "null":
        return origin.rstrip("/")
    referer = request.headers.get("Referer")
    if referer:
        try:
            parts = urlsplit(referer)
        except ValueError:
            return None
        if parts.scheme and parts.netloc:
            return f"{parts.scheme}://{parts.netloc}"
    return None


def check_origin(site):
    """Writes come from the site's own pages; a refused origin is noted for the owner's Sites page."""
    origin = request_origin()
    if origin is None or origin not in site.origins:
        origins.note_refused(site.id, origin)
        raise ApiError("origin_not_allowed", "Comments can only be written from the blog's own pages.")


def client_ip():
    """The client's address, anonymised before anything else sees it."""
    return anonymise_ip(request.remote_addr)


class IdConverter(BaseConverter):
    """`<id:name>` in a route: a row id within `fields.ID_MAX`; any other number or text is a 404.

    An id out of range is answered at once rather than left to the next route, which may know the
    path for other methods only and would answer 405."""

    regex = r"[0-9]{1,10}"

    def to_python(self, value):
        number = fields.parse_id(value)
        if number is None:
            raise NotFound()
        return number


def configured_limit(setting):
    """A rate limit for `limiter.limit`, read from TANDEM_<setting> when a request is checked."""
    return lambda: current_app.config[f"TANDEM_{setting}"]
