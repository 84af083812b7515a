"""Browser fixtures: the service and a blog on two loopback origins, and Debian's chromium.

Browser tests run on SQLite only; the storage layer is covered on both databases elsewhere.
"""

import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from service import sites
from service.db import db

from ..conftest import _make_app

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
                 "--no-first-run", "--disable-component-update", "--disable-sync"]


class LiveService:
    """The Tandem app served over real HTTP from a thread."""

    def __init__(self, app):
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()


@pytest.fixture
def live_app(sqlite_template, tmp_path):
    path = tmp_path / "tandem.db"
    shutil.copy(sqlite_template, path)
    app = _make_app(f"sqlite:///{path}", tmp_path / "instance", WTF_CSRF_ENABLED=True, TESTING=False)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def service(live_app):
    live = LiveService(live_app)
    yield live
    live.stop()


class BlogServer:
    """A static blog on its own origin; tests put pages (and their headers, e.g. a CSP) into `pages`."""

    def __init__(self):
        self.pages = {}
        blog = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                body, headers = blog.pages.get(self.path.split("?")[0], (None, {}))
                if body is None:
                    self.send_error(404)
                    return
                data = body.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def add(self, path, html, **headers):
        self.pages[path] = (html, {name.replace("_", "-"): value for name, value in headers.items()})
        return self.origin + path


@pytest.fixture
def blog():
    server = BlogServer()
    yield server
    server.server.shutdown()


@pytest.fixture
def blog_site(live_app, blog):
    """The site `blog` whose only origin is the blog server's."""
    with live_app.app_context():
        sites.create_site("blog", "A blog", [blog.origin])
    return "blog"


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    opened = context.new_page()
    yield opened
    context.close()
