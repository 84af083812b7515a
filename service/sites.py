"""Sites and their settings: creating them, changing one setting with its type checked, the snippet."""

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy import bindparam, select

from . import challenge, outbound, recipes
from .config import DEFAULT_PUBLIC_URL
from .db import db
from .errors import ApiError, validation_failed
from .models import DEFAULT_SETTINGS, Site, SiteSettings
from .rawsql import SessionQuery
from .text import clean_line

SITE_KEY = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
ORIGIN = re.compile(r"^https?://[^/\s?#]+$")
# Settings shown to owners only: a webhook URL may hold a secret in its path.
OWNER_ONLY_SETTINGS = ("webhook_url", "spam_hook_url")
CHOICES = {"moderation": ("first-post", "all", "none"), "notify": ("held", "all", "none"),
           "challenge": challenge.MODES, "language": ("en", "de", "fr", "es")}
# Replies indent at most this deep; deeper ones hang from their deepest allowed ancestor (SPEC 4).
MAX_DEPTH_LIMIT = 20
# The bounds of whole-number settings, where they differ from 0 to 100,000.
COUNT_BOUNDS = {"max_depth": (0, MAX_DEPTH_LIMIT), "challenge_cost": (challenge.COST_MIN, challenge.COST_MAX)}


def is_site_key(key: object) -> bool:
    """Whether `key` could be a site's key; other text (a NUL, which PostgreSQL will not even compare)
    names no site and need not be looked up."""
    return isinstance(key, str) and SITE_KEY.match(key) is not None


def settings_for(site: Site, is_owner: bool) -> dict[str, Any]:
    """A site's settings as an account may read them: owner-only ones are left out for moderators."""
    shown = site.effective_settings
    return shown if is_owner else {name: value for name, value in shown.items() if name not in OWNER_ONLY_SETTINGS}


def check_key(key: object) -> str:
    if not isinstance(key, str) or not SITE_KEY.match(key):
        raise validation_failed("key", "A site key is lower-case letters, digits, - and _ (at most 64).")
    return key


def check_origins(origins: Iterable[str]) -> list[str]:
    origins = [origin.rstrip("/") for origin in origins]
    for origin in origins:
        if not ORIGIN.match(origin):
            raise validation_failed("origins", f"{origin!r} is not an origin such as https://blog.example.com.")
    return origins


def check_setting(name: str, value: Any) -> Any:
    """A setting's value in its proper type; strings (from the CLI or a form) are converted."""
    if name not in DEFAULT_SETTINGS:
        raise validation_failed(name, f"There is no setting {name!r}; settings are: {', '.join(DEFAULT_SETTINGS)}.")
    default = DEFAULT_SETTINGS[name]
    if name in CHOICES:
        if value not in CHOICES[name]:
            raise validation_failed(name, f"{name} must be one of {', '.join(CHOICES[name])}.")
        return value
    if isinstance(default, bool):
        return _boolean(name, value)
    if isinstance(default, float):
        return _fraction(name, value)
    if isinstance(default, int):
        return _count(name, value)
    if isinstance(default, list):
        return _words(name, value)
    return _optional_url(name, value)


def _boolean(name: str, value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "on", "yes", "1", "false", "off", "no", "0"):
        return value.lower() in ("true", "on", "yes", "1")
    raise validation_failed(name, f"{name} must be true or false.")


def _count(name: str, value: Any) -> int:
    try:
        number = int(value) if not isinstance(value, bool) else None
    except (TypeError, ValueError):
        number = None
    lowest, highest = COUNT_BOUNDS.get(name, (0, 100_000))
    if number is None or not lowest <= number <= highest:
        raise validation_failed(name, f"{name} must be a whole number from {lowest:,} to {highest:,}.")
    return number


def _fraction(name: str, value: Any) -> float:
    """A threshold: a number from 0 to 1."""
    try:
        number = float(value) if not isinstance(value, bool) else None
    except (TypeError, ValueError):
        number = None
    if number is None or not 0 <= number <= 1:
        raise validation_failed(name, f"{name} must be a number from 0 to 1.")
    return number


def _words(name: str, value: object) -> list[str]:
    if isinstance(value, str):
        try:
            value = json.loads(value) if value.strip().startswith("[") else [w.strip() for w in value.split(",")]
        except ValueError:
            raise validation_failed(name, f"{name} must be a list of words.") from None
    if not isinstance(value, list) or not all(isinstance(word, str) for word in value):
        raise validation_failed(name, f"{name} must be a list of words.")
    return [word for word in value if word]


def _optional_url(name: str, value: object) -> str | None:
    if value in (None, "", "none", "null"):
        return None
    if not isinstance(value, str) or not re.match(r"^https?://\S+$", value):
        raise validation_failed(name, f"{name} must be an http(s) URL.")
    refused = outbound.check_url(value, bool(current_app.config.get("TANDEM_WEBHOOK_ALLOW_PRIVATE")))
    if refused:
        raise validation_failed(name, f"{name} {refused} (the operator may allow that with "
                                      "TANDEM_WEBHOOK_ALLOW_PRIVATE).")
    return value


@dataclass(frozen=True)
class SiteView(SiteSettings):
    """What a comment's write needs of its site: a plain row, read afresh by every request, with
    the `setting` rule of the ORM's `Site`."""

    id: int
    key: str
    name: str
    origins: tuple[str, ...]
    settings: dict[str, Any]


AnySite = Site | SiteView  # the ORM row (admin, CLI) or the request's plain view of it (the API)


# Built once: building a select costs more than running it.
_SITE_BY_KEY = SessionQuery(
    select(Site.id, Site.key, Site.name, Site.origins, Site.settings).where(Site.key == bindparam("key")))


def site_view(key: str) -> SiteView | None:
    """The site `key` as its writes see it, or None: one indexed query per request, never a copy.

    A change (moderation mode, origins, link limit, blocklist, ...) therefore applies to the
    very next request in every worker and on every host. Measured (per call, with a pooled
    connection's checkout and rollback, 32 µs on SQLite and 93 µs on PostgreSQL): the ORM load of
    the Site took 196 µs and 830 µs; a Core row 72 µs and 500 µs; the one-column version check that
    a per-worker copy would still need 60 µs and 423 µs. Run by the DB-API (`SessionQuery`), the row
    costs 8 µs on SQLite instead of Core's 47 µs (2026-11-30, another machine).
    """
    if not is_site_key(key):
        return None
    row = _SITE_BY_KEY.first({"key": key})
    if row is None:
        return None
    site_id, site_key, name, origins, settings = row
    return SiteView(site_id, site_key, name, tuple(origins or ()), dict(settings or {}))


def find_site(key: object) -> Site | None:
    if not is_site_key(key):
        return None
    return db.session.scalar(select(Site).where(Site.key == key))


def get_site(key: str) -> Site:
    site = find_site(key)
    if site is None:
        raise ApiError("unknown_site", f"There is no site {key!r}.", "site")
    return site


def create_site(key: str, name: str | None, origins: Iterable[str], settings: dict[str, Any] | None = None) -> Site:
    check_key(key)
    if db.session.scalar(select(Site.id).where(Site.key == key)):
        raise ApiError("conflict", f"A site {key!r} exists already.", "key")
    checked = {name_: check_setting(name_, value) for name_, value in (settings or {}).items()}
    site = Site(key=key, name=clean_line(name) or key, origins=check_origins(origins), settings=checked)
    db.session.add(site)
    db.session.commit()
    return site


def update_site(site: Site, name: str | None = None, origins: Iterable[str] | None = None,
                settings: dict[str, Any] | None = None) -> Site:
    """Change a site; its version moves so cached thread pages carry the new config."""
    if name is not None:
        site.name = clean_line(name) or site.name
    if origins is not None:
        site.origins = check_origins(origins)
    if settings:
        merged = dict(site.settings or {})
        merged.update({name_: check_setting(name_, value) for name_, value in settings.items()})
        site.settings = merged
    site.version = (site.version or 1) + 1
    db.session.commit()
    return site


def public_url(request_url: str | None = None) -> str:
    """Where readers reach the service: TANDEM_PUBLIC_URL, else the address a request came to."""
    return (current_app.config["TANDEM_PUBLIC_URL"] or request_url or DEFAULT_PUBLIC_URL).rstrip("/")


def snippet(site: Site | SiteView, service_url: str) -> str:
    """The site's embed snippet, with POST_PATH where the template writes the post's path."""
    return recipes.snippet(site.key, service_url)
