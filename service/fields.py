"""Limits and checks of what a reader may send (SPEC section 5); shared by the service and the API schemas."""

import re
from urllib.parse import urlsplit

from .errors import validation_failed
from .text import clean_text

TEXT_MAX = 10_000
AUTHOR_MAX = 100
WEBSITE_MAX = 500
EMAIL_MAX = 254
URI_MAX = 1000
TITLE_MAX = 500
# Row ids are INTEGER columns, 32-bit on PostgreSQL, which refuses even to compare a larger number.
ID_MAX = 2**31 - 1

_EMAIL = re.compile(r"^[^@\s<>\"\x00-\x1f\x7f]+@[^@\s<>\"\x00-\x1f\x7f]+\.[^@\s<>\"\x00-\x1f\x7f]+\Z")
_ID = re.compile(r"^[0-9]{1,10}\Z")


def parse_id(value):
    """The row id a path, form or query names, or None when the text cannot name a row."""
    if not isinstance(value, str) or not _ID.match(value):
        return None
    number = int(value)
    return number if 1 <= number <= ID_MAX else None


def check_text(value):
    value = clean_text(value or "")
    if not value.strip():
        raise validation_failed("text", "Please write a comment.")
    if len(value) > TEXT_MAX:
        raise validation_failed("text", f"A comment can be at most {TEXT_MAX:,} characters long.")
    return value


def check_author(value, required=False):
    value = clean_text(value or "").strip()
    if len(value) > AUTHOR_MAX:
        raise validation_failed("author", f"A name can be at most {AUTHOR_MAX} characters long.")
    if required and not value:
        raise validation_failed("author", "Please give your name.")
    return value or None


def check_email(value, required=False):
    value = (value or "").strip()
    if not value:
        if required:
            raise validation_failed("email", "Please give your e-mail address.")
        return None
    if len(value) > EMAIL_MAX or not _EMAIL.match(value):
        raise validation_failed("email", "This does not look like an e-mail address.")
    return value


def check_website(value):
    """A http(s) URL; a bare host name such as `example.com` is read as https."""
    value = (value or "").strip()
    if not value:
        return None
    if "://" not in value:
        value = "https://" + value
    try:
        parts = urlsplit(value)
        host = parts.hostname or ""
    except ValueError:
        parts, host = None, ""
    valid_host = "." in host or host == "localhost"
    if (len(value) > WEBSITE_MAX or not parts or parts.scheme not in ("http", "https") or not valid_host
            or not value.isprintable() or " " in value):
        raise validation_failed("website", "The website must be an http or https address.")
    return value
