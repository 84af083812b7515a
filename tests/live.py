"""The server as users run it: `tandem serve` (gunicorn, two preloaded and forked workers) as a
subprocess, on SQLite or on a PostgreSQL database of its own, with helpers to arrange a test
through the same doors a blogger uses (the command line and the admin API).

End-to-end and browser tests talk to this process; the Flask test client is for one view at a time.
"""

import itertools
import os
import signal
import socket
import subprocess
import sys
import time
import uuid

import psycopg
import requests

OWNER, OWNER_PASSWORD = "owner@example.org", "a long test password"
POSTGRES_ADMIN_URL = os.environ.get("TANDEM_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
_site_numbers = itertools.count(1)
REPOSITORY = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # where wsgi.py is


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PostgresDatabase:
    """A database of one server's own on the local PostgreSQL, dropped by `drop`."""

    def __init__(self):
        self.name = f"tandem_live_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{self.name}"')
        base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")
        self.url = f"{base}/{self.name}"

    def drop(self):
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def server_environment(instance, database_url=None, **settings):
    """The environment of a fresh instance in `instance`; `settings` are TANDEM_* without the prefix."""
    env = {name: value for name, value in os.environ.items()
           if not name.startswith("TANDEM_") or name == "TANDEM_TEST_POSTGRES"}
    # Limits out of the way of tests that share one server; tests of a limit set their own.
    env.update({"TANDEM_INSTANCE": str(instance), "TANDEM_RATE_LIMIT": "100000/minute",
                "TANDEM_LOGIN_RATE_LIMIT": "100000/minute", "TANDEM_LIKE_RATE_LIMIT": "100000/minute",
                "TANDEM_ADMIN_EMAIL": OWNER, "TANDEM_ADMIN_PASSWORD": OWNER_PASSWORD})
    if database_url:
        env["TANDEM_DATABASE_URL"] = database_url
    env.update({f"TANDEM_{name.upper()}": str(value) for name, value in settings.items()})
    return env


class TandemServer:
    """`tandem serve --workers N` in its own process group, its output kept in a log file."""

    def __init__(self, env, log_path, workers=2, extra_args=(), command=None):
        self.env, self.log_path, self.workers, self.extra_args = env, log_path, workers, list(extra_args)
        self.command = command or ["-m", "service.cli", "serve", "--no-worker"]
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = None
        self._owner_token = None

    @property
    def kind(self):
        return "postgresql" if "TANDEM_DATABASE_URL" in self.env else "sqlite"

    def start(self, timeout=60):
        with open(self.log_path, "a") as log:
            self.process = subprocess.Popen(
                [sys.executable, *self.command, "--bind" if self.command[1] == "gunicorn" else "--port",
                 f"127.0.0.1:{self.port}" if self.command[1] == "gunicorn" else str(self.port),
                 "--workers", str(self.workers), *self.extra_args],
                env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, cwd=REPOSITORY)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"tandem serve exited:\n{self.log()}")
            try:
                if requests.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return self
            except requests.RequestException:
                time.sleep(0.2)
        raise AssertionError(f"tandem serve did not come up:\n{self.log()}")

    def stop(self, sig=signal.SIGTERM):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, sig)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def kill(self):
        self.stop(signal.SIGKILL)

    def restart(self):
        self.stop()
        return self.start()

    def log(self):
        with open(self.log_path, errors="replace") as log:
            return log.read()

    def tracebacks(self):
        """How many tracebacks the server has logged so far."""
        return self.log().count("Traceback (most recent call last)")

    def tandem(self, *args, check=True):
        """Run a `tandem` command against this instance, as its blogger would on the same host."""
        return subprocess.run([sys.executable, "-m", "service.cli", *args], env=self.env, capture_output=True,
                              text=True, check=check)

    @property
    def owner_token(self):
        if self._owner_token is None:
            self._owner_token = self.tandem("token", "create", OWNER).stdout.strip()
        return self._owner_token

    def admin_api(self, method, path, **kwargs):
        """A call to the admin API as the owner."""
        headers = {"Authorization": f"Bearer {self.owner_token}", **kwargs.pop("headers", {})}
        return requests.request(method, self.url + path, headers=headers, timeout=10, **kwargs)

    def new_site(self, origins, **settings):
        """A site of the calling test's own (a fresh key), made through the admin API.

        Its readers are asked no proof-of-work unless the test says `challenge=...`."""
        key = f"site{next(_site_numbers)}x{os.getpid()}"
        settings = {"challenge": "off", **settings}
        made = self.admin_api("POST", "/api/admin/sites", json={"key": key, "name": key.title(),
                                                                "origins": list(origins), "settings": settings})
        assert made.status_code == 201, made.text
        return key

    def change_site(self, key, **changes):
        changed = self.admin_api("PATCH", f"/api/admin/sites/{key}", json=changes)
        assert changed.status_code == 200, changed.text
        return changed.json()


def post_comment(server, site, origin, text="Hello", uri="/post/", token=None, **fields):
    """A reader's new comment, sent as the widget sends it."""
    headers = {"Origin": origin, **({"X-Commenter-Token": token} if token else {})}
    return requests.post(server.url + "/api/comments", json={"site": site, "uri": uri, "text": text, **fields},
                         headers=headers, timeout=10)
