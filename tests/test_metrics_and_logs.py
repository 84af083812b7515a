"""SPEC 15: `/metrics` counted across both workers of `tandem serve`, and JSON log lines that name nobody."""

import json
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

from service.metrics import may_scrape

from .live import TandemServer, server_environment

ORIGIN = "https://metrics.example.org"
METRICS_TOKEN = "a-metrics-token-for-tests"
SECRET_EMAIL = "reader.secret@example.org"


@pytest.fixture(scope="module")
def observed_server(tmp_path_factory):
    """`tandem serve` (two workers, SQLite) logging JSON, behind a trusted proxy hop, with a metrics token."""
    folder = tmp_path_factory.mktemp("observed")
    environment = server_environment(folder / "instance", LOG_FORMAT="json", METRICS_TOKEN=METRICS_TOKEN,
                                     TRUSTED_PROXIES=1, RATE_LIMIT="5/minute")
    server = TandemServer(environment, folder / "serve.log").start()
    yield server
    server.stop()


def post_comment(server, site, text, client="203.0.113.77", **fields):
    """A reader's comment arriving through the proxy from `client`."""
    return requests.post(server.url + "/api/comments", json={"site": site, "uri": "/post/", "text": text, **fields},
                         headers={"Origin": ORIGIN, "X-Forwarded-For": client}, timeout=10)


def scrape(server, **headers):
    return requests.get(server.url + "/metrics", headers=headers, timeout=10)


def sample(text, name, **labels):
    """The value of one sample in Prometheus text, 0 when absent."""
    for family in text_string_to_metric_families(text):
        for found in family.samples:
            if found.name == name and found.labels == labels:
                return found.value
    return 0.0


def worker_pids(server):
    return {int(path.stem.rsplit("_", 1)[1]) for path in (server.log_path.parent / "instance" / "metrics").glob("counter_*.db")}


@pytest.mark.slow
def test_metrics_add_up_the_requests_of_both_workers(observed_server):
    before = scrape(observed_server).text
    route = dict(route="/healthz", method="GET", status="200")
    with ThreadPoolExecutor(16) as pool:  # a new connection each: gunicorn spreads them over both workers
        answers = list(pool.map(lambda _: requests.get(observed_server.url + "/healthz", timeout=10).status_code,
                                range(200)))
    assert answers == [200] * 200
    after = scrape(observed_server)
    assert after.status_code == 200 and after.headers["Content-Type"].startswith("text/plain")
    counted = "tandem_http_requests_total"
    assert sample(after.text, counted, **route) - sample(before, counted, **route) == 200
    assert sample(after.text, "tandem_http_request_duration_seconds_count", route="/healthz") >= 200
    assert sample(after.text, "tandem_http_request_duration_seconds_bucket", le="10.0", route="/healthz") >= 200
    assert len(worker_pids(observed_server)) >= 2  # both workers (and no more than the run's own) counted


@pytest.mark.slow
def test_metrics_count_comments_by_status_refusals_and_the_outbox(observed_server):
    site = observed_server.new_site([ORIGIN], moderation="all")
    before = scrape(observed_server).text
    statuses = [post_comment(observed_server, site, f"Words {n}", email=SECRET_EMAIL).status_code for n in range(7)]
    assert statuses.count(201) == 5 and statuses.count(429) == 2
    after = scrape(observed_server).text
    created, refused = "tandem_comments_created_total", "tandem_rate_limit_refusals_total"
    assert sample(after, created, status="pending") - sample(before, created, status="pending") == 5
    assert sample(after, refused, route="/api/comments") - sample(before, refused, route="/api/comments") == 2
    assert sample(after, "tandem_outbox_backlog") >= 1  # the moderators' mails (no worker runs here)
    assert sample(after, "tandem_outbox_oldest_age_seconds") >= 0
    assert sample(after, "tandem_outbox_failed") == 0


@pytest.mark.slow
def test_metrics_answer_only_on_loopback_or_with_the_token(observed_server):
    # Through the (trusted) proxy the client is elsewhere: refused, unless it brings the token.
    forwarded = {"X-Forwarded-For": "198.51.100.7"}
    assert scrape(observed_server, **forwarded).status_code == 403
    assert scrape(observed_server, Authorization="Bearer wrong", **forwarded).status_code == 403
    assert scrape(observed_server, Authorization=f"Bearer {METRICS_TOKEN}", **forwarded).status_code == 200


@pytest.mark.parametrize("remote, headers, token, allowed", [
    ("127.0.0.1", {}, None, True),
    ("::1", {}, None, True),
    ("127.0.0.1", {"X-Forwarded-For": "203.0.113.9"}, None, False),  # an untrusted proxy on this host
    ("127.0.0.1", {"Forwarded": "for=203.0.113.9"}, None, False),
    ("203.0.113.9", {}, None, False),
    ("203.0.113.9", {}, "secret", True),
    ("203.0.113.9", {}, "Secret", False),
    ("", {}, None, False),
])
def test_who_may_scrape_metrics(remote, headers, token, allowed):
    assert may_scrape(remote, headers, token, "secret") is allowed


@pytest.mark.slow
def test_json_log_has_one_line_per_request_and_names_nobody(observed_server):
    site = observed_server.new_site([ORIGIN], moderation="none")
    posted = post_comment(observed_server, site, "Logged", client="198.51.100.23", email=SECRET_EMAIL)
    assert posted.status_code == 201
    comment = posted.json()
    edited = requests.patch(f"{observed_server.url}/api/comments/{comment['comment']['id']}",
                            json={"text": "Edited"}, timeout=10, headers={
                                "Origin": ORIGIN, "X-Forwarded-For": "198.51.100.23", "X-Edit-Token": comment["edit_token"]})
    requests.get(f"{observed_server.url}/notify/unsubscribe/{comment['edit_token']}?email={SECRET_EMAIL}", timeout=10)
    log = observed_server.log()
    lines = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
    answered = [line for line in lines if line["logger"] == "tandem.request"]
    post = [line for line in answered if line["method"] == "POST" and line["route"] == "/api/comments"
            and line["network"] == "198.51.100.0"]
    assert post and post[-1]["status"] == 201 and post[-1]["duration_ms"] > 0
    assert any(line["route"] == "/api/comments/<id:comment_id>" and line["method"] == "PATCH"
               and line["status"] == edited.status_code for line in answered)
    secrets = [SECRET_EMAIL, "203.0.113.77", "198.51.100.23", comment["edit_token"], comment["commenter_token"],
               observed_server.owner_token, METRICS_TOKEN]
    for secret in secrets:
        assert secret not in log
