"""Browser fixtures: `tandem serve` and a blog on two loopback origins, and Debian's chromium.

The service is the real server process (`live_sqlite_server`, two workers), shared by the run's
tests; each test has a site of its own. Browser tests run on SQLite only; the storage layer is
covered on both databases elsewhere.
"""

import itertools
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import sync_playwright

from service import create_app, sites
from service.db import db

CHROMIUM = "/usr/bin/chromium"
_site_numbers = itertools.count(1)
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
                 "--no-first-run", "--disable-component-update", "--disable-sync"]


HERE = os.path.dirname(os.path.abspath(__file__))


def pytest_collection_modifyitems(items):
    """Every test in this folder carries the `browser` marker, so `-m "not browser"` leaves out all of them."""
    unmarked = [item.nodeid for item in items
                if str(item.path).startswith(HERE + os.sep) and item.get_closest_marker("browser") is None]
    if unmarked:
        raise pytest.UsageError("browser tests without `pytestmark = pytest.mark.browser`: " + ", ".join(unmarked))


class ServiceUnderTest:
    """The live `tandem serve` as one test sees it: its address and the test's own site."""

    def __init__(self, server, site):
        self.server, self.url, self.site = server, server.url, site


@pytest.fixture
def live_app(live_sqlite_server):
    """An app on the live server's own database, to arrange threads through the service layer."""
    app = create_app(environ=live_sqlite_server.env)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def service(live_sqlite_server, blog_site):
    return ServiceUnderTest(live_sqlite_server, blog_site)


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
def blog_site(live_app, blog, request):
    """A site of this test's own whose only origin is the blog server's; it asks no proof-of-work
    unless the test is marked `@pytest.mark.site_settings(challenge=...)`."""
    key = f"blog{next(_site_numbers)}x{os.getpid()}"
    marker = request.node.get_closest_marker("site_settings")
    settings = {"challenge": "off", **(marker.kwargs if marker else {})}
    with live_app.app_context():
        sites.create_site(key, "A blog", [blog.origin], settings)
    return key


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
