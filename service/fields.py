"""Limits and checks of what a reader may send (SPEC section 5); shared by the service and the API schemas."""

import re
from collections.abc import Iterable
from email.errors import NonASCIILocalPartDefect
from email.headerregistry import HeaderRegistry
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from .errors import validation_failed
from .text import clean_line, clean_text

TEXT_MAX = 10_000
AUTHOR_MAX = 100
WEBSITE_MAX = 500
EMAIL_MAX = 254
URI_MAX = 1000
TITLE_MAX = 500
# Row ids are INTEGER columns, 32-bit on PostgreSQL, which refuses even to compare a larger number.
ID_MAX = 2**31 - 1
THREAD_LINK_MAX = 2000

_EMAIL = re.compile(r"^[^@\s<>\"\x00-\x1f\x7f]+@[^@\s<>\"\x00-\x1f\x7f]+\.[^@\s<>\"\x00-\x1f\x7f]+\Z")
_ID = re.compile(r"^[0-9]{1,10}\Z")


def parse_id(value):
    """The row id a path, form or query names, or None when the text cannot name a row."""
    if not isinstance(value, str) or not _ID.match(value):
        return None
    number = int(value)
    return number if 1 <= number <= ID_MAX else None


def check_text(value: str | None) -> str:
    value = clean_text(value or "")
    if not value.strip():
        raise validation_failed("text", "Please write a comment.")
    if len(value) > TEXT_MAX:
        raise validation_failed("text", f"A comment can be at most {TEXT_MAX:,} characters long.")
    return value


def check_author(value: str | None, required: bool = False) -> str | None:
    value = clean_line(value)
    if len(value) > AUTHOR_MAX:
        raise validation_failed("author", f"A name can be at most {AUTHOR_MAX} characters long.")
    if required and not value:
        raise validation_failed("author", "Please give your name.")
    return value or None


def check_email(value: str | None, required: bool = False) -> str | None:
    """One address, as typed: `someone@example.org,postmaster` or `A <a@b.org>` is refused, so no
    field can name a second recipient of the mails sent to it."""
    value = (value or "").strip()
    if not value:
        if required:
            raise validation_failed("email", "Please give your e-mail address.")
        return None
    one_address = _PLAIN_ADDRESS.match(value) or (_EMAIL.match(value) and _single_address(value) == value)
    if len(value) > EMAIL_MAX or not one_address:
        raise validation_failed("email", "Please give one e-mail address, such as name@example.org.")
    return value


_ADDRESS_HEADER = HeaderRegistry()

# Dot-atoms on both sides of one @ (RFC 5322 3.4.1): the parser below reads such an address as
# itself, with no defect, so it need not run; it costs a tenth of a comment's write.
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_PLAIN_ADDRESS = re.compile(rf"{_ATOM}(?:\.{_ATOM})*@{_LABEL}(?:\.{_LABEL})+\Z")


def _single_address(value: str) -> str | None:
    """The one bare address the standard library's parser reads in `value`, or None when it reads
    several, a group, a display name, a comment, or anything it had to repair."""
    if clean_line(value) != value:
        return None
    try:
        # the registry makes a class of both BaseHeader (defects) and AddressHeader (groups, addresses)
        parsed: Any = _ADDRESS_HEADER("To", value)
    except (ValueError, IndexError, TypeError):
        return None
    defects = [defect for defect in parsed.defects if not isinstance(defect, NonASCIILocalPartDefect)]
    if defects or len(parsed.groups) != 1 or parsed.groups[0].display_name is not None:
        return None
    addresses = parsed.addresses
    if len(addresses) != 1 or addresses[0].display_name:
        return None
    return addresses[0].addr_spec


def check_title(value: str | None) -> str | None:
    """A thread's title as the page gave it: one line, at most TITLE_MAX characters."""
    return clean_line(value)[:TITLE_MAX] or None


def thread_link(url: str | None, origins: Iterable[str] | None) -> str | None:
    """The page address a thread links to, or None unless it is an http(s) address on one of the
    site's `origins` (its fragment dropped). Used when a comment brings the address, and again when
    mails, feeds and admin pages show it, so a link stored before this rule is never followed."""
    url = (url or "").strip()
    if not url or len(url) > THREAD_LINK_MAX or clean_line(url) != url or " " in url:
        return None
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.username or parts.password:
        return None
    origin = f"{parts.scheme}://{parts.netloc}"
    allowed = {allowed_origin.rstrip("/").lower() for allowed_origin in origins or ()}
    if origin.lower() not in allowed:
        return None
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, ""))


def check_website(value: str | None) -> str | None:
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
