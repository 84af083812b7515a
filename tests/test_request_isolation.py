"""Every request has its own context under `tandem serve`: its own `g`, CSRF token and database
session. Tried against the real server, as the regressions were found there."""

import re
import time

import psycopg
import pytest
import requests

from .live import OWNER, OWNER_PASSWORD, POSTGRES_ADMIN_URL, TandemServer, server_environment

pytestmark = pytest.mark.slow
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def login_form(server, browser):
    page = browser.get(server.url + "/admin/login", timeout=10)
    assert page.status_code == 200
    return CSRF.search(page.text).group(1)


def log_in(server, email=OWNER, password=OWNER_PASSWORD, browser=None):
    browser = browser or requests.Session()
    token = login_form(server, browser)
    answer = browser.post(server.url + "/admin/login", data={"email": email, "password": password, "csrf_token": token},
                          allow_redirects=False, timeout=10)
    return browser, answer


def test_every_visitor_gets_a_csrf_token_and_session_of_their_own(live_server):
    visitors = [requests.Session() for _ in range(6)]
    tokens = [login_form(live_server, visitor) for visitor in visitors]
    assert len(set(tokens)) == 6
    assert all("session" in visitor.cookies for visitor in visitors)


def test_two_browsers_log_in_one_after_the_other_and_both_stay_in(live_server):
    first, answer = log_in(live_server)
    assert answer.status_code == 303
    second, answer = log_in(live_server)
    assert answer.status_code == 303
    for browser in (first, second, first, second):
        assert "Log out" in browser.get(live_server.url + "/admin/", timeout=10).text


def test_a_wrong_password_then_the_right_one(live_server):
    browser, refused = log_in(live_server, password="not the password")
    assert refused.status_code == 401 and "Log out" not in refused.text
    _, answer = log_in(live_server, browser=browser)
    assert answer.status_code == 303
    assert "Log out" in browser.get(live_server.url + "/admin/", timeout=10).text


def anonymous_visits(server, times=12):
    return [requests.get(server.url + "/admin/", allow_redirects=False, timeout=10) for _ in range(times)]


def test_after_a_restart_an_old_cookie_opens_no_admin_page_to_anonymous_visitors(live_server):
    moderator, _ = log_in(live_server)
    live_server.restart()
    for _ in range(4):  # the moderator's browser is the first visitor of every worker
        assert "Log out" in moderator.get(live_server.url + "/admin/", timeout=10).text
    for visit in anonymous_visits(live_server):
        assert visit.status_code == 302 and "/admin/login" in visit.headers["Location"]


@pytest.fixture(scope="module")
def plain_gunicorn(tmp_path_factory):
    """`gunicorn -w 2 wsgi:app` on an instance set up with the command line, as the README says."""
    folder = tmp_path_factory.mktemp("gunicorn")
    server = TandemServer(server_environment(folder / "instance"), folder / "gunicorn.log",
                          command=["-m", "gunicorn", "wsgi:app"])
    server.tandem("db", "upgrade")
    server.tandem("user", "add", OWNER, "--password", OWNER_PASSWORD, "--owner")
    yield server.start()
    server.stop()


def test_under_plain_gunicorn_every_visitor_logs_in_with_their_own_token(plain_gunicorn):
    visitors = [requests.Session() for _ in range(4)]
    assert len({login_form(plain_gunicorn, visitor) for visitor in visitors}) == 4
    for visitor in visitors:
        _, answer = log_in(plain_gunicorn, browser=visitor)
        assert answer.status_code == 303
    for visit in anonymous_visits(plain_gunicorn, 6):
        assert visit.status_code == 302


def test_a_refused_change_is_never_committed_by_a_later_request(live_server):
    key = live_server.new_site(["https://refused.example"])
    refused = live_server.admin_api("PATCH", f"/api/admin/sites/{key}",
                                    json={"name": "Renamed", "settings": {"moderation": "sometimes"}})
    assert refused.status_code == 400
    for _ in range(6):  # unrelated requests on every worker
        assert requests.get(live_server.url + "/api/comments", params={"site": key, "uri": "/"}, timeout=10).ok
        live_server.admin_api("GET", "/api/admin/sites")
    names = {site["key"]: site["name"] for site in live_server.admin_api("GET", "/api/admin/sites").json()["sites"]}
    assert names[key] == key.title()


def test_no_database_connection_is_left_idle_in_a_transaction(live_server):
    if live_server.kind != "postgresql":
        pytest.skip("only PostgreSQL keeps transactions open on the server's side")
    for _ in range(2):  # logins are limited to 10 a minute per network
        log_in(live_server)
        anonymous_visits(live_server, 4)
    time.sleep(1)
    database = live_server.env["TANDEM_DATABASE_URL"].rsplit("/", 1)[1]
    with psycopg.connect(POSTGRES_ADMIN_URL) as connection:
        stuck = connection.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s"
                                   " AND state = 'idle in transaction'", (database,)).fetchone()[0]
    assert stuck == 0
