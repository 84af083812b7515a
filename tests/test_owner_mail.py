"""The owner gets the mail (issue 12, point 2): an owner without a real address is told so at
start and on the admin pages, `tandem serve` asks on a terminal, and `mail test` takes any
address an account has."""

import os
import pty
import re
import select
import subprocess
import sys
import time

import pytest

from service import accounts
from service.cli import main as tandem
from service.db import db

from .admin_world import CHEAP_HASH, login
from .live import REPOSITORY, TandemServer, free_port, server_environment
from .notify_support import text_of

WARNING = "Notices of held comments cannot reach the owner"


@pytest.fixture
def app(make_app, smtp_sink):
    return make_app(SMTP_HOST="127.0.0.1", SMTP_PORT=smtp_sink.port)


def _owner(app, email):
    with app.app_context():
        account = accounts.create_moderator(email, None, owner=True)
        account.password_hash = CHEAP_HASH
        db.session.commit()


def test_mail_test_accepts_an_accounts_address_even_without_a_dot(app, runner, smtp_sink):
    _owner(app, "admin@localhost")
    sent = runner.invoke(tandem, ["mail", "test", "admin@localhost"])
    assert sent.exit_code == 0, sent.output
    [mail] = smtp_sink.to("admin@localhost")
    assert "notifications by e-mail work" in text_of(mail)
    refused = runner.invoke(tandem, ["mail", "test", "stranger@localhost"])
    assert refused.exit_code == 1 and "e-mail address" in refused.output


def test_admin_pages_tell_the_owner_until_a_real_address_is_set(app, runner):
    _owner(app, "admin@localhost")
    browser = app.test_client()
    assert login(browser, "admin@localhost").status_code == 303
    page = browser.get("/admin/").get_data(as_text=True)
    assert WARNING in page and "tandem user email admin@localhost you@example.org" in page
    changed = runner.invoke(tandem, ["user", "email", "admin@localhost", "owner@example.org"])
    assert changed.exit_code == 0, changed.output
    assert login(browser, "owner@example.org").status_code == 303
    assert WARNING not in browser.get("/admin/").get_data(as_text=True)


def test_serve_without_a_terminal_or_address_warns_before_it_starts(tmp_path):
    env = server_environment(tmp_path / "instance")
    del env["TANDEM_ADMIN_EMAIL"], env["TANDEM_ADMIN_PASSWORD"]
    server = TandemServer(env, tmp_path / "serve.log")
    server.start()
    try:
        log = server.log()
    finally:
        server.stop()
    assert re.search(r"Owner account created: admin@localhost / \S+", log)
    assert log.index(f"Warning: {WARNING}") < log.index("Tandem on")


def test_serve_on_a_terminal_asks_for_the_owners_address(tmp_path):
    env = server_environment(tmp_path / "instance")
    del env["TANDEM_ADMIN_EMAIL"], env["TANDEM_ADMIN_PASSWORD"]
    controller, terminal = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "service.cli", "serve", "--no-worker", "--port",
                                str(free_port())], stdin=terminal, stdout=terminal, stderr=terminal, env=env,
                               cwd=REPOSITORY, start_new_session=True)
    os.close(terminal)
    try:
        screen = _read_until(controller, "e-mail address")
        os.write(controller, b"admin@localhost\n")
        screen = _read_until(controller, "cannot receive mail")
        os.write(controller, b"blogger@example.org\n")
        screen = _read_until(controller, "Tandem on")
    finally:
        os.killpg(process.pid, 15)
        process.wait(timeout=20)
        os.close(controller)
    assert "Owner account created: blogger@example.org" in screen and WARNING not in screen


def _read_until(descriptor, text, timeout=30):
    seen, deadline = "", time.monotonic() + timeout
    while text not in seen:
        assert time.monotonic() < deadline, seen
        if select.select([descriptor], [], [], 1)[0]:
            seen += os.read(descriptor, 4096).decode(errors="replace")
    return seen
