"""One rate limit per host, whichever worker answers: tried against `tandem serve` with two workers.

Without Redis the workers of a host share counters in the instance folder; with
`TANDEM_REDIS_URL` every host shares Redis, so two servers make one limit.
"""

import random
import re

import pytest
import requests

from .live import TandemServer, server_environment

pytestmark = pytest.mark.slow
ORIGIN = "https://blog.example.com"
REDIS_URL = "redis://127.0.0.1:6379/0"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def _server(tmp_path, name, **settings):
    folder = tmp_path / name
    return TandemServer(server_environment(folder / "instance", **settings), tmp_path / f"{name}.log").start()


def _post(server, site, network=None):
    """A quick comment; `network` is the reader's address as the trusted proxy reports it."""
    headers = {"Origin": ORIGIN, **({"X-Forwarded-For": network} if network else {})}
    return requests.post(server.url + "/api/comments", json={"site": site, "uri": "/post/", "text": "Hello"},
                         headers=headers, timeout=10).status_code


@pytest.fixture
def limited_server(tmp_path):
    server = _server(tmp_path, "host", rate_limit="3/minute", login_rate_limit="10/minute")
    yield server
    server.stop()


def test_three_a_minute_lets_exactly_three_of_eight_posts_through_on_two_workers(limited_server):
    site = limited_server.new_site([ORIGIN], moderation="none")
    statuses = [_post(limited_server, site) for _ in range(8)]
    assert sorted(statuses) == [201] * 3 + [429] * 5


def test_the_admin_login_limit_is_one_limit_for_the_host(limited_server):
    browser = requests.Session()
    token = CSRF.search(browser.get(limited_server.url + "/admin/login", timeout=10).text).group(1)
    attempts = [browser.post(limited_server.url + "/admin/login", timeout=10,
                             data={"email": f"guess{number}@example.org", "password": "guess guess guess",
                                   "csrf_token": token}).status_code
                for number in range(14)]  # one guess per account: the per-account limit stays out of it
    assert sorted(attempts) == [401] * 10 + [429] * 4


def test_with_redis_two_hosts_share_one_limit(tmp_path):
    # Each run comes from a network of its own, so runs sharing the Redis never share a counter.
    network = f"10.{random.randrange(256)}.{random.randrange(256)}.7"
    hosts = [_server(tmp_path, name, rate_limit="3/minute", redis_url=REDIS_URL, trusted_proxies=1)
             for name in ("first", "second")]
    try:
        sites = [host.new_site([ORIGIN], moderation="none") for host in hosts]
        statuses = [_post(hosts[number % 2], sites[number % 2], network) for number in range(8)]
        assert sorted(statuses) == [201] * 3 + [429] * 5
    finally:
        for host in hosts:
            host.stop()
