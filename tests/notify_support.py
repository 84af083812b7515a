"""Real listeners on loopback for the notification tests: an SMTP sink, a webhook receiver, a fake Akismet."""

import email
import json
import re
import socket
import threading
import time
from email import policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller

PUBLIC_URL = "http://tandem.test"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpSink:
    """An SMTP server that keeps every message it is given; `start`/`stop` make it come and go."""

    def __init__(self, port=None):
        self.port = port or free_port()
        self.messages = []
        self.controller = None

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.original_content, policy=policy.default))
        return "250 OK"

    def start(self):
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self):
        if self.controller:
            self.controller.stop()
            self.controller = None

    def to(self, address):
        return [message for message in self.messages if message["To"] == address]


def text_of(message):
    return message.get_body(("plain",)).get_content()


def links_in(message):
    """The service's own links in a mail, as paths the test client can open."""
    return [link[len(PUBLIC_URL):] for link in re.findall(r"https?://\S+", text_of(message)) if link.startswith(PUBLIC_URL)]


def link_to(message, path_start):
    return next(link for link in links_in(message) if link.startswith(path_start))


@pytest.fixture
def smtp_sink():
    sink = SmtpSink().start()
    yield sink
    sink.stop()


class Receiver:
    """A tiny HTTP server on loopback that records requests and answers with `status` and `body`."""

    def __init__(self, status=200, body=b"ok", answer=None, host="127.0.0.1"):
        self.requests, self.status, self.body = [], status, body
        self.answer = answer  # optional function(path, headers, body) -> (status, bytes)
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                data = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                receiver.requests.append({"path": self.path, "headers": dict(self.headers), "body": data})
                status, body = (receiver.answer or (lambda *_: (receiver.status, receiver.body)))(
                    self.path, self.headers, data)
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer((host, 0), Handler)
        self.url = f"http://{host}:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    def json_bodies(self):
        return [json.loads(request["body"]) for request in self.requests]


@pytest.fixture
def receiver():
    made = Receiver()
    yield made
    made.close()


def wait_for(condition, timeout=10.0):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.02)
