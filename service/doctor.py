"""`tandem doctor` and the admin Setup page: is this instance set up so that it works (SPEC 15)?

Each check is a pure function of plain facts, returning a `Finding` (ok, warn or fail, what
was found, and the fix in one line). `doctor_facts.gather` collects the facts (the database,
Redis, the SMTP server, the files, and what the asking request looked like); `diagnose` runs
every check on them, in the order they are shown.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlsplit

OK, WARN, FAIL = "ok", "warn", "fail"
LOW_DISK, VERY_LOW_DISK = 1024**3, 100 * 1024**2  # bytes free beside the SQLite file
LATE_NOTICE_MINUTES, STUCK_NOTICE_MINUTES = 2, 15  # the worker looks every few seconds
OLD_BACKUP = timedelta(days=2)  # the worker makes one a day: two missed days are no accident
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")
FORWARDED_HEADERS = ("X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host")


@dataclass(frozen=True)
class Finding:
    name: str
    state: str
    found: str
    fix: str | None = None

    def line(self):
        return f"{self.state:<4}  {self.name}: {self.found}" + (f" Fix: {self.fix}." if self.fix else "")


@dataclass
class Facts:
    """What the checks look at; `doctor_facts.gather` fills it, tests write it by hand."""

    public_url: str | None = None
    request_url: str | None = None  # where the asking request arrived (None from the command line)
    forwarded_headers: tuple = ()  # the X-Forwarded-* headers the asking request carried
    trusted_proxies: int = 0
    database_error: str | None = None
    schema_revision: str | None = None
    newest_revision: str | None = None
    sqlite_free_bytes: int | None = None  # None for PostgreSQL
    redis_url: str | None = None
    redis_error: str | None = None
    smtp_host: str | None = None
    smtp_error: str | None = None
    owner_mail_problem: str | None = None
    owner_email: str | None = None
    oldest_due_notice: datetime | None = None
    now: datetime | None = None
    sites_origins: dict = field(default_factory=dict)  # key -> list of origins
    backup_dir: str | None = None  # TANDEM_BACKUP_DIR
    last_backup: str | None = None  # the newest backup's file name there
    last_backup_made: datetime | None = None


def production(facts):
    """An instance whose public address is not this machine's loopback is in production."""
    host = urlsplit(facts.public_url or "").hostname
    return bool(host) and host not in LOOPBACK_HOSTS


def _origin(url):
    parts = urlsplit(url or "")
    return f"{parts.scheme}://{parts.netloc}".lower()


def check_public_url(facts):
    name = "public URL"
    if not facts.public_url:
        return Finding(name, WARN, "TANDEM_PUBLIC_URL is not set; links in mails and snippets name whatever "
                                   "address a request came to.",
                       "set TANDEM_PUBLIC_URL to the address readers use, e.g. https://comments.example.com")
    if facts.request_url and _origin(facts.request_url) != _origin(facts.public_url):
        return Finding(name, FAIL, f"requests arrive on {_origin(facts.request_url)} but TANDEM_PUBLIC_URL is "
                                   f"{facts.public_url}.",
                       "set TANDEM_PUBLIC_URL to the address in the browser's address bar; behind a proxy, set "
                       "TANDEM_TRUSTED_PROXIES so its forwarded host and scheme count")
    return Finding(name, OK, f"{facts.public_url}" + (" matches this request." if facts.request_url else "."))


def check_proxies(facts):
    name = "trusted proxies"
    if facts.request_url is None:
        return Finding(name, OK, f"TANDEM_TRUSTED_PROXIES={facts.trusted_proxies} (the admin Setup page compares "
                                 "it with the headers a request carries).")
    seen = ", ".join(facts.forwarded_headers)
    if facts.forwarded_headers and not facts.trusted_proxies:
        return Finding(name, WARN, f"requests carry {seen} but TANDEM_TRUSTED_PROXIES is 0: every reader looks "
                                   "like the proxy, and share one rate limit.",
                       "set TANDEM_TRUSTED_PROXIES to the number of proxies in front of Tandem (usually 1)")
    if facts.trusted_proxies and "X-Forwarded-For" not in facts.forwarded_headers:
        return Finding(name, FAIL, f"TANDEM_TRUSTED_PROXIES={facts.trusted_proxies} but this request carries no "
                                   "X-Forwarded-For: a client could choose its own address.",
                       "set TANDEM_TRUSTED_PROXIES=0, or make the proxy send X-Forwarded-For, -Proto and -Host")
    return Finding(name, OK, f"TANDEM_TRUSTED_PROXIES={facts.trusted_proxies}, forwarded headers: {seen or 'none'}.")


def check_database(facts):
    name = "database"
    if facts.database_error:
        return Finding(name, FAIL, f"unreachable: {facts.database_error}.",
                       "check TANDEM_DATABASE_URL and that the database server is running")
    if facts.schema_revision != facts.newest_revision:
        return Finding(name, FAIL, f"schema at {facts.schema_revision or 'nothing'}, the code expects "
                                   f"{facts.newest_revision}.", "run `tandem db upgrade`")
    if facts.sqlite_free_bytes is not None:
        free = f"{facts.sqlite_free_bytes / 1024**3:.1f} GB free beside the SQLite file"
        if facts.sqlite_free_bytes < LOW_DISK:
            return Finding(name, FAIL if facts.sqlite_free_bytes < VERY_LOW_DISK else WARN, free + ".",
                           "free disk space, or move TANDEM_INSTANCE to a larger disk")
        return Finding(name, OK, f"reachable, schema current, {free}.")
    return Finding(name, OK, "reachable, schema current.")


def check_redis(facts):
    if not facts.redis_url:
        return Finding("redis", OK, "not configured: rate limits are counted on this host only.")
    if facts.redis_error:
        return Finding("redis", FAIL, f"unreachable: {facts.redis_error.rstrip('.')}.",
                       "start Redis or correct TANDEM_REDIS_URL (or unset it on a single host)")
    return Finding("redis", OK, "reachable.")


def check_mail(facts):
    name = "mail"
    if not facts.smtp_host:
        return Finding(name, WARN, "no SMTP server: no notice, reply mail or confirmation is sent.",
                       "set TANDEM_SMTP_HOST (and TANDEM_SMTP_PORT, _USER, _PASSWORD, _STARTTLS)")
    if facts.smtp_error:
        return Finding(name, FAIL, f"{facts.smtp_host} does not answer: {facts.smtp_error}.",
                       "check TANDEM_SMTP_HOST and TANDEM_SMTP_PORT, and that the mail server runs")
    if facts.owner_mail_problem:
        return Finding(name, WARN, facts.owner_mail_problem)
    return Finding(name, OK, f"{facts.smtp_host} answers; send a test mail with `tandem mail test "
                             f"{facts.owner_email or 'you@example.org'}`.")


def check_worker(facts):
    name = "notification worker"
    if facts.oldest_due_notice is None:
        return Finding(name, OK, "nothing is waiting to be delivered.")
    minutes = (facts.now - facts.oldest_due_notice).total_seconds() / 60
    found = f"the oldest notice due has waited {_duration(minutes)}."
    if minutes >= STUCK_NOTICE_MINUTES:
        return Finding(name, FAIL, found, "start a worker: `tandem worker`, or `tandem serve` without --no-worker")
    if minutes >= LATE_NOTICE_MINUTES:
        return Finding(name, WARN, found, "check that a worker runs (`tandem worker`) and the Deliveries page")
    return Finding(name, OK, found)


def _duration(minutes):
    if minutes < 1:
        return "less than a minute"
    if minutes < 120:
        return f"{int(minutes)} minute{'s' if int(minutes) != 1 else ''}"
    if minutes < 72 * 60:
        return f"{minutes / 60:.0f} hours"
    return f"{minutes / (24 * 60):.0f} days"


def check_https_origins(facts):
    name = "https origins"
    if not production(facts):
        return Finding(name, OK, "not checked: TANDEM_PUBLIC_URL is unset or local, so this is not production.")
    plain = sorted(key for key, origins in facts.sites_origins.items()
                   if not any(origin.startswith("https://") for origin in origins))
    if plain:
        return Finding(name, FAIL, f"sites without an https origin: {', '.join(plain)}.",
                       f"`tandem site origin add {plain[0]} https://your.blog` (browsers refuse http pages' posts "
                       "to an https service)")
    return Finding(name, OK, "every site has an https origin.")


def check_backup(facts):
    name = "backup"
    if not facts.backup_dir:
        # Not a warning on a local instance, which is not production; its owner still learns how.
        return Finding(name, WARN if production(facts) else OK, "no backup yet: TANDEM_BACKUP_DIR is not set.",
                       "set TANDEM_BACKUP_DIR to a folder: the worker makes a backup there each day and keeps "
                       "TANDEM_BACKUP_KEEP (7); copy it off the host too")
    worker_fix = (f"check that a worker runs (`tandem worker`, or `tandem serve` without --no-worker) and can "
                  f"write to {facts.backup_dir}; `tandem backup --output FILE` makes one now")
    if facts.last_backup_made is None:
        return Finding(name, WARN, f"no backup yet in {facts.backup_dir}.", worker_fix)
    age = facts.now - facts.last_backup_made
    found = f"the last backup, {facts.last_backup}, is {_duration(age.total_seconds() / 60)} old."
    if age >= OLD_BACKUP:
        return Finding(name, WARN, found, worker_fix)
    return Finding(name, OK, found)


CHECKS = (check_public_url, check_proxies, check_database, check_redis, check_mail, check_worker,
          check_https_origins, check_backup)


def diagnose(facts):
    """Every check's finding, in the order shown."""
    return [check(facts) for check in CHECKS]


def failed(findings):
    return any(finding.state == FAIL for finding in findings)
