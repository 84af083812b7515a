"""Slow clients cannot take `tandem serve` down: 50 connections that trickle their headers leave
other readers' requests answered promptly, and each is closed once its head is overdue."""

import socket
import threading
import time

import pytest
import requests

from service.server import HEAD_SECONDS

pytestmark = pytest.mark.slow


class Trickler:
    """A connection that sends a request line, then one header line every `pause` seconds."""

    def __init__(self, server, pause=2.0):
        self.sock = socket.create_connection(("127.0.0.1", server.port))
        self.sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: blog.example\r\n")
        self.closed_after = None
        self.started = time.monotonic()
        self.stop = threading.Event()
        threading.Thread(target=self._trickle, args=(pause,), daemon=True).start()

    def _trickle(self, pause):
        number = 0
        while not self.stop.wait(pause):
            try:
                self.sock.sendall(f"X-Line-{number}: slow\r\n".encode())
                number += 1
            except OSError:
                break
        self.closed_after = time.monotonic() - self.started

    def close(self):
        self.stop.set()
        self.sock.close()


def test_fifty_trickling_connections_do_not_hold_up_other_readers(live_sqlite_server):
    tricklers = [Trickler(live_sqlite_server) for _ in range(50)]
    try:
        time.sleep(1)
        for _ in range(20):
            started = time.monotonic()
            answer = requests.get(live_sqlite_server.url + "/api/comments", params={"site": "demo", "uri": "/"},
                                  timeout=10)
            assert answer.status_code == 200
            assert time.monotonic() - started < 3  # blocked, it would wait for the 10 s timeout
            time.sleep(0.2)
    finally:
        for trickler in tricklers:
            trickler.close()


def test_a_connection_whose_head_is_overdue_is_closed(live_sqlite_server):
    trickler = Trickler(live_sqlite_server, pause=1.0)
    try:
        deadline = time.monotonic() + HEAD_SECONDS + 10
        while trickler.closed_after is None and time.monotonic() < deadline:
            time.sleep(0.2)
        assert trickler.closed_after is not None, "the server kept a trickling connection open"
        assert HEAD_SECONDS - 1 <= trickler.closed_after <= HEAD_SECONDS + 5
    finally:
        trickler.close()


def test_requests_sent_back_to_back_on_one_connection_are_all_answered(live_sqlite_server):
    """A kept-alive connection whose next request follows at once is served by the same thread;
    pipelined requests, and one sent after the thread stopped waiting, are answered all the same."""
    request = b"GET /healthz HTTP/1.1\r\nHost: blog.example\r\n\r\n"
    with socket.create_connection(("127.0.0.1", live_sqlite_server.port), timeout=10) as connection:
        connection.sendall(request * 3)
        connection.sendall(request)
        time.sleep(0.5)  # longer than a thread waits for the next request
        connection.sendall(request)
        received = b""
        while received.count(b"HTTP/1.1 200") < 5:
            chunk = connection.recv(65536)
            assert chunk, f"the connection closed after {received.count(b'HTTP/1.1 200')} answers"
            received += chunk
