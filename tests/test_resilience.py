"""Faults: the database going away and coming back, and rate limits shared through Redis."""

import socket
import threading
import uuid

import pytest
import redis

from service import sites

from .conftest import ORIGIN, _make_app

REDIS_URL = "redis://127.0.0.1:6379/0"


class TcpProxy:
    """A loopback TCP relay to PostgreSQL that a test can cut and restore, as if the server went down."""

    def __init__(self, target_port=5432):
        self.target_port = target_port
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(32)
        self.port = self.listener.getsockname()[1]
        self.up = True
        self.connections = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.up:
                client.close()
                continue
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            self.connections += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                try:
                    end.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def cut(self):
        self.up = False
        for connection in self.connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self.connections = []

    def restore(self):
        self.up = True

    def close(self):
        self.listener.close()


@pytest.fixture
def proxied_app(postgres_url, tmp_path):
    proxy = TcpProxy()
    url = postgres_url.replace("127.0.0.1:5432", f"127.0.0.1:{proxy.port}")
    app = _make_app(url, tmp_path / "instance")
    from .conftest import _empty_tables

    _empty_tables(app)
    with app.app_context():
        sites.create_site("blog", "A blog", [ORIGIN], {"challenge": "off"})
    yield app, proxy
    proxy.close()


def test_database_down_gives_503_and_recovers_by_itself(proxied_app):
    app, proxy = proxied_app
    client = app.test_client()
    body = {"site": "blog", "uri": "/p/", "text": "before"}
    before = client.post("/api/comments", json=body, headers={"Origin": ORIGIN})
    assert before.status_code == 201

    proxy.cut()
    health = client.get("/healthz")
    assert health.status_code == 503 and health.json["error"]["code"] == "unavailable"
    down = client.post("/api/comments", json={**body, "text": "during"}, headers={"Origin": ORIGIN})
    assert down.status_code == 503 and down.json["error"]["code"] == "unavailable"
    assert client.get("/api/comments?site=blog&uri=/p/").status_code == 503

    proxy.restore()
    assert client.get("/healthz").json == {"ok": True}
    assert client.post("/api/comments", json={**body, "text": "after"}, headers={"Origin": ORIGIN}).status_code == 201
    token = before.json["commenter_token"]
    kept = client.get(f"/api/comments/{before.json['comment']['id']}", headers={"X-Commenter-Token": token})
    assert kept.status_code == 200 and kept.json["comment"]["html"] == "<p>before</p>"


def test_rate_limit_is_shared_through_redis_by_several_app_hosts(sqlite_template, tmp_path):
    redis.Redis.from_url(REDIS_URL).ping()
    limit = "3/minute"
    database = tmp_path / "shared.db"
    database.write_bytes(sqlite_template.read_bytes())
    # A unique limit string per run keeps this test's counters apart from any other run's.
    hosts = [_make_app(f"sqlite:///{database}", tmp_path / f"host{n}", REDIS_URL=REDIS_URL,
                       RATE_LIMIT=limit, RATELIMIT_KEY_PREFIX=f"tandem-test-{uuid.uuid4().hex}") for n in range(2)]
    hosts[1].config["RATELIMIT_KEY_PREFIX"] = hosts[0].config["RATELIMIT_KEY_PREFIX"]
    with hosts[0].app_context():
        sites.create_site("blog", "A blog", [ORIGIN], {"challenge": "off"})
    body = {"site": "blog", "uri": "/p/", "text": "hello"}
    statuses = [hosts[n % 2].test_client().post("/api/comments", json=body, headers={"Origin": ORIGIN}).status_code
                for n in range(4)]
    assert statuses == [201, 201, 201, 429]
