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
    "LOGIN_RATE_LIMIT": "10/minute",
    # Likes and unlikes per anonymised network: enough for a reader going through a long thread.
    "LIKE_RATE_LIMIT": "30/minute;300/day",
    # Sign-in links by e-mail (SPEC 14): asked per anonymised network (over it: 429), and mailed per
    # address and site (over it: still 202, and no mail, so the answer tells nothing).
    "SIGNIN_RATE_LIMIT": "5/minute;30/day",
    "SIGNIN_ADDRESS_LIMIT": "3/hour;10/day",
    "ADMIN_EMAIL": None,
    "ADMIN_PASSWORD": None,
    "MAX_BODY_BYTES": 64 * 1024,
    "PURGE_AFTER_DAYS": 30,
    # Webhooks may call loopback, link-local and private addresses only when the operator says so.
    "WEBHOOK_ALLOW_PRIVATE": False,
    # Reply by mail (SPEC 14): notices carry Reply-To local+TOKEN@domain of this address.
    "MAIL_REPLY_TO": None,
    # imaps://user:password@host[:port]/FOLDER (or imap:// with STARTTLS): the worker polls it for replies.
    "IMAP_URL": None,
    "IMAP_INTERVAL": 60,
    # SPEC 14: no address gets more mails an hour from Tandem; the rest fold into a digest.
    "MAIL_HOURLY_LIMIT": 10,
    # SPEC 15: the worker's daily backups, /metrics for a scraper that is not on loopback, log lines.
    "BACKUP_DIR": None,
    "BACKUP_KEEP": 7,
    "METRICS_TOKEN": None,
    "LOG_FORMAT": "text",
}

# Where `tandem serve` listens unless told otherwise, and so the address links name by default.
SERVE_HOST, SERVE_PORT = "127.0.0.1", 8080
DEFAULT_PUBLIC_URL = f"http://{SERVE_HOST}:{SERVE_PORT}"

INTEGER_KEYS = {"SMTP_PORT", "TRUSTED_PROXIES", "MAX_BODY_BYTES", "PURGE_AFTER_DAYS", "IMAP_INTERVAL", "BACKUP_KEEP",
                "MAIL_HOURLY_LIMIT"}
BOOLEAN_KEYS = {"SMTP_STARTTLS", "WEBHOOK_ALLOW_PRIVATE"}
PRIVATE_FOLDER, PRIVATE_FILE = 0o700, 0o600


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


def environment_with(variables):
    """This process's environment plus `variables`, for a child process (pg_dump, pg_restore)."""
    return {**os.environ, **variables}


def export_variable(name, value):
    """Set a variable a library reads from the environment (prometheus_client's folder), for this
    process and its children."""
    os.environ[name] = value


def prepare_instance(instance_folder, database_url):
    """Make the instance folder (0700) and the SQLite database file (0600) before anything writes there."""
    folder = Path(instance_folder)
    if not folder.exists():
        folder.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)
        folder.chmod(PRIVATE_FOLDER)  # whatever the umask
    database = sqlite_file(database_url)
    if database is not None:
        make_sqlite_file_private(database)


def make_sqlite_file_private(database):
    """Make a SQLite file (0600) before SQLite opens it, or make an existing one private again,
    with its -wal and -shm files: SQLite gives those the mode of the database file."""
    for path in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
        if path.exists() and path.stat().st_mode & 0o077:
            path.chmod(PRIVATE_FILE)
    if not database.exists() and database.parent.is_dir():
        try:
            os.close(os.open(database, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
        except FileExistsError:
            pass  # another process made it first, with the same mode


def missing_instance(settings):
    """Why there is no Tandem instance where `settings` point, or None when there is one.

    A SQLite instance is its database file; with another database, the instance folder holds the
    secret key unless TANDEM_SECRET_KEY gives it. A command other than `tandem serve` must say so
    rather than make an empty `./instance` (and a new secret key) and fail on a missing table.
    """
    database = sqlite_file(settings["DATABASE_URL"])
    if database is not None:
        looked = database
    elif settings["SECRET_KEY"]:
        return None
    else:
        looked = Path(settings["INSTANCE"]) / "secret_key"
    if looked.exists():
        return None
    return (f"No Tandem instance here: looked for {looked} and found none. Run the command in the folder "
            "where you ran `tandem serve`, or point at the instance with TANDEM_INSTANCE=/path/to/instance "
            "(or TANDEM_CONFIG=/path/to/tandem.toml holding instance = \"/path/to/instance\").")


def sqlite_file(database_url):
    """The database file of a `sqlite:///PATH` URL, or None (other databases, in-memory SQLite)."""
    prefix = "sqlite:///"
    if not database_url.startswith(prefix) or database_url[len(prefix):] in ("", ":memory:"):
        return None
    return Path(database_url[len(prefix):].split("?", 1)[0])


def ensure_secret_key(instance_folder):
    """Read the instance's secret key, creating it (readable by the owner only) on first start.

    The key is written through a descriptor opened with mode 0600, so it is never readable by
    others, not even for a moment.
    """
    folder = Path(instance_folder)
    folder.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)
    key_file = folder / "secret_key"
    if not key_file.exists():
        temporary = folder / f".secret_key.{os.getpid()}"
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
        try:
            os.fchmod(descriptor, PRIVATE_FILE)  # an older file of that name keeps its mode otherwise
            os.write(descriptor, secrets.token_urlsafe(48).encode())
        finally:
            os.close(descriptor)
        # link() fails if another process won the race; theirs is kept and read below.
        try:
            os.link(temporary, key_file)
        except FileExistsError:
            pass
        temporary.unlink()
    return key_file.read_text().strip()
