"""`tandem serve` as a real process: it bootstraps, takes concurrent writers, and loses nothing to kill -9."""

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest
import requests

from .conftest import POSTGRES_ADMIN_URL

pytestmark = pytest.mark.slow
ORIGIN = "https://bench.example.org"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(params=["sqlite", "postgresql"])
def environment(request, tmp_path):
    env = {**os.environ, "TANDEM_INSTANCE": str(tmp_path / "instance"), "TANDEM_RATE_LIMIT": "100000/minute",
           "TANDEM_ADMIN_EMAIL": "owner@example.org", "TANDEM_ADMIN_PASSWORD": "a long test password"}
    env.pop("TANDEM_DATABASE_URL", None)
    if request.param == "sqlite":
        yield env
        return
    name = f"tandem_serve_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    server_url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")
    env["TANDEM_DATABASE_URL"] = server_url + "/" + name
    yield env
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Served:
    def __init__(self, env):
        self.env, self.port = env, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = None

    def start(self, deliver=False):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "service.cli", "serve", "--port", str(self.port), "--workers", "2",
             *([] if deliver else ["--no-worker"])],
            env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True, text=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return
            except requests.ConnectionError:
                time.sleep(0.2)
        raise AssertionError("tandem serve did not come up")

    def kill(self):
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def tandem(self, *args):
        return subprocess.run([sys.executable, "-m", "service.cli", *args], env=self.env, capture_output=True,
                              text=True, check=True)


@pytest.fixture
def served(environment):
    server = Served(environment)
    server.start()
    yield server
    if server.process.poll() is None:
        server.kill()


def children_of(pid):
    found = []
    for entry in os.listdir("/proc"):
        try:
            with open(f"/proc/{entry}/stat") as stat:
                if int(stat.read().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry))
        except (OSError, ValueError, IndexError):
            continue
    return found


def test_the_serving_process_forks_its_workers_without_threads_and_delivers_from_a_child(environment):
    """gunicorn forks (and re-forks) workers from its master: a thread there could be inside SQLite at a
    fork and leave the new worker waiting forever for a lock. Notifications go from a child process."""
    server = Served(environment)
    server.start(deliver=True)
    try:
        master = server.process.pid
        assert os.listdir(f"/proc/{master}/task") == [str(master)]  # the main thread only
        deadline = time.monotonic() + 30  # the second worker may still be booting
        while len(children := children_of(master)) < 3 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert len(children) == 3  # two gunicorn workers and the delivery process
        assert os.listdir(f"/proc/{master}/task") == [str(master)]
        assert requests.get(server.url + "/healthz", timeout=10).status_code == 200
    finally:
        server.process.terminate()
        server.process.wait(30)
    time.sleep(1)
    assert [child for child in children if os.path.exists(f"/proc/{child}")] == []


def post(url, n):
    body = {"site": "bench", "uri": "/post-10", "text": f"comment number {n} 😀"}
    try:
        response = requests.post(url + "/api/comments", json=body, headers={"Origin": ORIGIN}, timeout=10)
    except requests.RequestException:
        return None
    return response.json()["comment"]["id"] if response.status_code == 201 else None


def test_serve_bootstraps_an_empty_instance(served):
    page = requests.get(served.url + "/")
    assert page.status_code == 200 and 'data-site="demo"' in page.text and "/embed.js" in page.text
    demo = requests.get(served.url + "/api/comments", params={"site": "demo", "uri": "/"})
    assert demo.status_code == 200
    unsolved = requests.post(served.url + "/api/comments", json={"site": "demo", "uri": "/", "text": "hi"},
                             headers={"Origin": served.url})
    assert unsolved.status_code == 400 and unsolved.json()["error"]["code"] == "challenge_failed"
    served.tandem("site", "set", "demo", "challenge", "off")
    written = requests.post(served.url + "/api/comments", json={"site": "demo", "uri": "/", "text": "hi"},
                            headers={"Origin": served.url})
    assert written.status_code == 201
    assert os.path.exists(os.path.join(served.env["TANDEM_INSTANCE"], "secret_key"))


def test_concurrent_posts_are_all_stored_once_and_survive_kill_9(served):
    served.tandem("site", "add", "bench", "--name", "Bench", "--origin", ORIGIN, "--moderation", "none")
    served.tandem("site", "set", "bench", "challenge", "off")  # the writers here are scripts, not browsers
    with ThreadPoolExecutor(max_workers=12) as pool:
        acknowledged = [i for i in pool.map(lambda n: post(served.url, n), range(120)) if i]
    assert len(acknowledged) == 120 and len(set(acknowledged)) == 120

    with ThreadPoolExecutor(max_workers=8) as pool:
        futures = [pool.submit(post, served.url, 1000 + n) for n in range(200)]
        time.sleep(0.7)
        served.kill()
        acknowledged += [f.result() for f in futures if f.result()]

    served.start()
    counts = requests.post(served.url + "/api/counts", json={"site": "bench", "uris": ["/post-10"]}).json()
    assert counts["counts"]["/post-10"] >= len(acknowledged)
    for comment_id in acknowledged:
        assert requests.get(f"{served.url}/api/comments/{comment_id}").status_code == 200
