"""Issue 17, findings 6, 9 and 10, as attacks on the real `tandem serve`: webhooks aimed inside
the operator's network, personal data in logs and in the outbox, sessions that outlive logout,
login guessing spread over networks, instance files readable by other users of the host."""

import hashlib
import json
import socket
import sqlite3
import stat
import time
import uuid
from pathlib import Path

import psycopg
import pytest
import requests
from flask.json.tag import TaggedJSONSerializer
from itsdangerous import URLSafeTimedSerializer
from itsdangerous.timed import TimestampSigner

from .live import OWNER, TandemServer, post_comment, server_environment
from .notify_support import Receiver
from .test_request_isolation import CSRF, log_in

pytestmark = pytest.mark.slow
ORIGIN = "https://blog.example.com"
PASSWORD = "a moderator's long password"


# --- helpers ------------------------------------------------------------------------------------

def database_rows(server, query):
    """Read the server's own database, as someone with a shell on the host could."""
    if server.kind == "sqlite":
        with sqlite3.connect(Path(server.env["TANDEM_INSTANCE"]) / "tandem.db") as connection:
            return connection.execute(query).fetchall()
    url = server.env["TANDEM_DATABASE_URL"].replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(url) as connection:
        return connection.execute(query).fetchall()


def database_script(server, sqlite_script, postgres_script):
    if server.kind == "sqlite":
        with sqlite3.connect(Path(server.env["TANDEM_INSTANCE"]) / "tandem.db") as connection:
            connection.executescript(sqlite_script)
        return
    url = server.env["TANDEM_DATABASE_URL"].replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(postgres_script)


def new_moderator(server, site=None):
    email = f"mod-{uuid.uuid4().hex[:8]}@example.org"
    server.tandem("user", "add", email, "--password", PASSWORD, *(["--site", site] if site else []))
    return email


def outbox_rows(server):
    return [(state, json.dumps(payload) if not isinstance(payload, str) else payload, error)
            for state, payload, error in database_rows(server, "SELECT state, payload, last_error FROM outbox")]


def loopback_name():
    """A host name (not an IP address, not 'localhost') that the resolver maps to loopback."""
    name = socket.gethostname()
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(name, 80)}
    except OSError:
        addresses = set()
    if not addresses or not all(address.startswith("127.") or address == "::1" for address in addresses):
        pytest.skip(f"the host name {name!r} does not resolve to loopback here")
    return name


@pytest.fixture(scope="module")
def private_targets_server(tmp_path_factory):
    """A server whose operator allows webhooks to private addresses (TANDEM_WEBHOOK_ALLOW_PRIVATE)."""
    folder = tmp_path_factory.mktemp("private-targets")
    server = TandemServer(server_environment(folder / "instance", WEBHOOK_ALLOW_PRIVATE="true"),
                          folder / "serve.log")
    yield server.start()
    server.stop()


# --- finding 6: webhooks ------------------------------------------------------------------------

def test_a_moderator_who_is_not_an_owner_never_reads_a_webhook_url(live_server):
    site = live_server.new_site([ORIGIN], webhook_url="https://hooks.example.net/T0KEN-in-the-path")
    moderator = new_moderator(live_server, site)
    token = live_server.tandem("token", "create", moderator).stdout.strip()
    answer = requests.get(live_server.url + "/api/admin/sites", headers={"Authorization": f"Bearer {token}"},
                          timeout=10)
    assert answer.status_code == 200
    assert [shown["key"] for shown in answer.json()["sites"]] == [site]
    assert "webhook_url" not in answer.json()["sites"][0]["settings"]
    assert "T0KEN-in-the-path" not in answer.text
    owner_view = live_server.admin_api("GET", "/api/admin/sites").json()["sites"]
    assert any(shown["settings"]["webhook_url"] == "https://hooks.example.net/T0KEN-in-the-path"
               for shown in owner_view)


def test_a_moderator_reads_no_webhook_url_in_the_audit_log(live_server):
    site = live_server.new_site([ORIGIN])
    live_server.change_site(site, settings={"webhook_url": "https://hooks.example.net/AUDIT-secret"})
    moderator = new_moderator(live_server, site)
    browser, answer = log_in(live_server, moderator, PASSWORD)
    assert answer.status_code == 303
    page = browser.get(live_server.url + "/admin/audit", timeout=10).text
    assert site in page and "AUDIT-secret" not in page


@pytest.mark.parametrize("target", ["http://127.0.0.1:9/hook", "http://[::1]:9/hook", "http://0x7f000001:9/hook",
                                    "http://2130706433/hook", "http://10.0.0.5/hook", "http://192.168.1.1/hook",
                                    "http://169.254.169.254/latest/meta-data/", "http://[::ffff:127.0.0.1]/",
                                    "http://localhost:9/hook"])
def test_an_owner_cannot_point_a_webhook_at_this_host_or_a_private_network(live_server, target):
    site = live_server.new_site([ORIGIN])
    refused = live_server.admin_api("PATCH", f"/api/admin/sites/{site}", json={"settings": {"webhook_url": target}})
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "validation_failed"
    assert refused.json()["error"]["field"] == "webhook_url"


def test_a_webhook_name_that_resolves_to_loopback_is_never_called(live_server):
    receiver = Receiver(body=b"INSIDE-ONLY answer")
    try:
        port = receiver.url.rsplit(":", 1)[1]
        site = live_server.new_site([ORIGIN], webhook_url=f"http://{loopback_name()}:{port}/hook", notify="none")
        assert post_comment(live_server, site, ORIGIN, "Knock knock").status_code == 201
        live_server.tandem("worker", "--once")
        assert receiver.requests == []
        errors = [error for _, payload, error in outbox_rows(live_server) if f'"site": "{site}"' in payload
                  or f'"site":"{site}"' in payload]
        assert errors and all("private address" in error for error in errors)
    finally:
        receiver.close()


def test_the_delivery_log_never_shows_what_a_webhook_answered(private_targets_server):
    server = private_targets_server
    receiver = Receiver(status=500, body=b"INTERNAL-SECRET-BYTES from a private service")
    try:
        site = server.new_site([ORIGIN], webhook_url=receiver.url + "/admin/keys", notify="none")
        assert post_comment(server, site, ORIGIN, "Hello").status_code == 201
        server.tandem("worker", "--once")
        assert len(receiver.requests) == 1  # the operator allowed private targets on this instance
        browser, _ = log_in(server)
        deliveries = browser.get(server.url + "/admin/deliveries", timeout=10).text
        assert "HTTP 500" in deliveries
        assert "INTERNAL-SECRET-BYTES" not in deliveries
        assert all("INTERNAL-SECRET-BYTES" not in (error or "") for *_, error in outbox_rows(server))
    finally:
        receiver.close()


# --- finding 9: personal data -------------------------------------------------------------------

def test_a_failed_webhook_logs_no_url_and_so_no_secret_in_its_path(live_server):
    closed_port = Receiver()
    port = closed_port.url.rsplit(":", 1)[1]
    closed_port.close()
    site = live_server.new_site([ORIGIN], webhook_url=f"http://{loopback_name()}:{port}/S3CR3T-path/hook",
                                notify="none")
    assert post_comment(live_server, site, ORIGIN, "Hello").status_code == 201
    worker = live_server.tandem("worker", "--once")
    assert "outbox" in worker.stderr + worker.stdout  # the failure is logged ...
    assert "S3CR3T" not in worker.stderr + worker.stdout  # ... without the URL
    assert all("S3CR3T" not in (error or "") for *_, error in outbox_rows(live_server))


def test_forget_reaches_queued_webhook_payloads(live_server):
    site = live_server.new_site([ORIGIN], webhook_url="https://hooks.example.net/hook", notify="none")
    email = f"zelda-{uuid.uuid4().hex[:6]}@example.org"
    for text in ("Words of mine", "More words of mine"):
        assert post_comment(live_server, site, ORIGIN, text, author="Zelda Quuxley", email=email,
                            website="https://zelda.example").status_code == 201
    queued = [payload for _, payload, _ in outbox_rows(live_server) if "Zelda Quuxley" in payload]
    assert len(queued) == 2

    live_server.tandem("forget", email, "--delete")
    left = " ".join(payload for _, payload, _ in outbox_rows(live_server))
    for personal in ("Zelda Quuxley", "zelda.example", "Words of mine", email):
        assert personal not in left


def test_a_database_error_on_insert_logs_no_personal_data(live_server):
    site = live_server.new_site([ORIGIN], moderation="none")
    marker = uuid.uuid4().hex[:8]
    trigger = f"refuse_{marker}"
    database_script(
        live_server,
        f"CREATE TRIGGER {trigger} BEFORE INSERT ON comment WHEN NEW.text LIKE '%{marker}%' "
        f"BEGIN INSERT INTO no_such_table_{marker} VALUES (1); END;",
        f"CREATE FUNCTION {trigger}() RETURNS trigger AS $$ BEGIN IF NEW.text LIKE '%{marker}%' THEN "
        f"RAISE EXCEPTION 'refused by a test'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql; "
        f"CREATE TRIGGER {trigger} BEFORE INSERT ON comment FOR EACH ROW EXECUTE FUNCTION {trigger}();")
    before = len(live_server.log())
    try:
        answer = post_comment(live_server, site, ORIGIN, f"Private words {marker}", author=f"Name{marker}",
                              email=f"mail{marker}@example.org", token=None)
        assert answer.status_code >= 500
        time.sleep(0.5)  # the log line is written as the answer goes
        logged = live_server.log()[before:]
        assert logged  # the failure is logged ...
        for personal in (f"Name{marker}", f"mail{marker}@example.org", "Private words"):
            assert personal not in logged  # ... without the row's values
    finally:
        database_script(live_server, f"DROP TRIGGER {trigger};",
                        f"DROP TRIGGER {trigger} ON comment; DROP FUNCTION {trigger}();")


# --- finding 10: sessions and secrets -----------------------------------------------------------

def test_a_cookie_copied_before_logout_opens_nothing_after_it(live_server):
    moderator = new_moderator(live_server)
    browser, answer = log_in(live_server, moderator, PASSWORD)
    assert answer.status_code == 303
    copied = browser.cookies.get("session")
    page = browser.get(live_server.url + "/admin/", timeout=10).text
    logout = browser.post(live_server.url + "/admin/logout", data={"csrf_token": CSRF.search(page).group(1)},
                          allow_redirects=False, timeout=10)
    assert logout.status_code == 303

    for _ in range(4):  # whichever worker answers
        thief = requests.get(live_server.url + "/admin/", cookies={"session": copied}, allow_redirects=False,
                             timeout=10)
        assert thief.status_code == 302 and "/admin/login" in thief.headers["Location"]


def _session_cookie_signed_days_ago(server, cookie, days):
    """The same session, as if its cookie had last been renewed `days` ago (needs the instance secret)."""
    secret = (Path(server.env["TANDEM_INSTANCE"]) / "secret_key").read_text().strip()
    serializer = URLSafeTimedSerializer(secret, salt="cookie-session", serializer=TaggedJSONSerializer(),
                                        signer_kwargs={"key_derivation": "hmac", "digest_method": hashlib.sha1})
    content = serializer.loads(cookie)
    original = TimestampSigner.get_timestamp
    TimestampSigner.get_timestamp = lambda self: int(time.time() - days * 86400)
    try:
        return serializer.dumps(content)
    finally:
        TimestampSigner.get_timestamp = original


def test_a_session_idle_for_more_than_fourteen_days_has_ended(live_server):
    moderator = new_moderator(live_server)
    browser, _ = log_in(live_server, moderator, PASSWORD)
    cookie = browser.cookies.get("session")

    recent = _session_cookie_signed_days_ago(live_server, cookie, 13)
    renewed = requests.get(live_server.url + "/admin/", cookies={"session": recent}, allow_redirects=False, timeout=10)
    assert renewed.status_code == 200 and "session" in renewed.cookies  # used, so renewed

    stale = _session_cookie_signed_days_ago(live_server, cookie, 15)
    ended = requests.get(live_server.url + "/admin/", cookies={"session": stale}, allow_redirects=False, timeout=10)
    assert ended.status_code == 302 and "/admin/login" in ended.headers["Location"]


def test_an_owner_ends_every_session_of_another_account(live_server):
    moderator = new_moderator(live_server)
    theirs, _ = log_in(live_server, moderator, PASSWORD)
    owner, _ = log_in(live_server)
    page = owner.get(live_server.url + "/admin/moderators", timeout=10).text
    form = page[:page.index(moderator)].rsplit("/admin/moderators/", 1)[1]
    account_id = form.split("/", 1)[0]
    ended = owner.post(f"{live_server.url}/admin/moderators/{account_id}/sessions",
                       data={"csrf_token": CSRF.search(page).group(1)}, allow_redirects=False, timeout=10)
    assert ended.status_code == 303
    assert theirs.get(live_server.url + "/admin/", allow_redirects=False, timeout=10).status_code == 302
    assert "Log out" in owner.get(live_server.url + "/admin/", timeout=10).text


def test_guessing_one_account_is_stopped_even_when_the_guesses_are_spread(private_targets_server):
    server = private_targets_server
    moderator = new_moderator(server)
    for _ in range(8):  # below the per-network limit: as if each guess came from another network
        _, refused = log_in(server, moderator, "a wrong guess here")
        assert refused.status_code == 401
    _, locked = log_in(server, moderator, PASSWORD)
    assert locked.status_code == 429 and "Too many failed attempts for this account" in locked.text
    _, other = log_in(server, OWNER)  # other accounts are not locked with it
    assert other.status_code == 303


def _mode(path):
    return stat.S_IMODE(path.stat().st_mode)


def test_the_instance_folder_database_and_secret_are_private(live_server):
    instance = Path(live_server.env["TANDEM_INSTANCE"])
    assert _mode(instance) == 0o700
    assert _mode(instance / "secret_key") == 0o600
    if live_server.kind == "sqlite":
        files = [instance / name for name in ("tandem.db", "tandem.db-wal", "tandem.db-shm")]
        assert files[0].exists()
        for path in files:
            if path.exists():
                assert _mode(path) == 0o600, path
