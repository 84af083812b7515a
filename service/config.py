"""Configuration: defaults, `TANDEM_*` environment, an optional TOML file, the instance folder.

This is the only module that reads `os.environ`; `create_app` calls `load_config` once.
"""

import os
import secrets
import tomllib
from pathlib import Path

DEFAULTS = {
    "INSTANCE": "./instance",
    "DATABASE_URL": None,
    "SECRET_KEY": None,
    "REDIS_URL": None,
    "PUBLIC_URL": None,
    "SMTP_HOST": None,
    "SMTP_PORT": 25,
    "SMTP_USER": None,
    "SMTP_PASSWORD": None,
    "SMTP_STARTTLS": False,
    "MAIL_FROM": "tandem@localhost",
    "AKISMET_KEY": None,
    "AKISMET_URL": "https://rest.akismet.com",
    "TRUSTED_PROXIES": 0,
    "RATE_LIMIT": "5/minute;60/day",
    # Likes and unlikes per anonymised network: enough for a reader going through a long thread.
    "LIKE_RATE_LIMIT": "30/minute;300/day",
    "ADMIN_EMAIL": None,
    "ADMIN_PASSWORD": None,
    "MAX_BODY_BYTES": 64 * 1024,
    "PURGE_AFTER_DAYS": 30,
}

INTEGER_KEYS = {"SMTP_PORT", "TRUSTED_PROXIES", "MAX_BODY_BYTES", "PURGE_AFTER_DAYS"}
BOOLEAN_KEYS = {"SMTP_STARTTLS"}


def _coerce(key, value):
    if value is None:
        return None
    if key in INTEGER_KEYS:
        return int(value)
    if key in BOOLEAN_KEYS and isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    return value


def load_config(environ=None, overrides=None):
    """Merge defaults, the TOML file named by TANDEM_CONFIG, TANDEM_* variables and `overrides` (in that order)."""
    environ = os.environ if environ is None else environ
    settings = dict(DEFAULTS)
    config_file = environ.get("TANDEM_CONFIG")
    if config_file:
        with open(config_file, "rb") as handle:
            file_settings = tomllib.load(handle)
        settings.update({key.upper(): value for key, value in file_settings.items()})
    for key in DEFAULTS:
        if f"TANDEM_{key}" in environ:
            settings[key] = environ[f"TANDEM_{key}"]
    settings.update({key: value for key, value in (overrides or {}).items() if key in DEFAULTS})
    settings = {key: _coerce(key, value) for key, value in settings.items()}
    instance = Path(settings["INSTANCE"]).resolve()
    settings["INSTANCE"] = str(instance)
    if not settings["DATABASE_URL"]:
        settings["DATABASE_URL"] = f"sqlite:///{instance / 'tandem.db'}"
    return settings


def ensure_secret_key(instance_folder):
    """Read the instance's secret key, creating it (readable by the owner only) on first start."""
    folder = Path(instance_folder)
    folder.mkdir(parents=True, exist_ok=True)
    key_file = folder / "secret_key"
    if not key_file.exists():
        temporary = folder / f".secret_key.{os.getpid()}"
        temporary.write_text(secrets.token_urlsafe(48))
        temporary.chmod(0o600)
        # link() fails if another process won the race; theirs is kept and read below.
        try:
            os.link(temporary, key_file)
        except FileExistsError:
            pass
        temporary.unlink()
    return key_file.read_text().strip()
