"""Turning HTTP requests into checked values: JSON bodies, origins, the client's address."""

import json
import re
from urllib.parse import urlsplit

from flask import request
from pydantic import ValidationError

from .. import sites
from ..errors import ApiError
from ..privacy import anonymise_ip


def parse_body(schema):
    """The request's JSON body checked against `schema`, or an ApiError naming what is wrong."""
    raw = request.get_data(cache=True)
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ApiError("bad_request", "The request body is not valid UTF-8.") from None
    except ValueError:
        raise ApiError("bad_request", "The request body is not valid JSON.") from None
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
    origin = request_origin()
    if origin is None or origin not in site.origins:
        raise ApiError("origin_not_allowed", "Comments can only be written from the blog's own pages.")


def client_ip():
    """The client's address, anonymised before anything else sees it."""
    return anonymise_ip(request.remote_addr)


MAX_ID = 2**31 - 1  # ids are 32-bit integers on every database
_DIGITS = re.compile(r"^[0-9]{1,10}$")


def comment_id(value):
    """Ids in paths are positive integers that fit the database; anything else is simply not found."""
    if not _DIGITS.match(value) or not 0 < int(value) <= MAX_ID:
        raise ApiError("not_found", "There is no such comment.")
    return int(value)
