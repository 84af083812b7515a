"""The widget's two budgets, measured: embed.js + embed.css at most 12 KB gzipped together, and a
500-comment thread rendered within 200 ms of its data arriving, in headless Debian chromium.

    python bench/widget_budget.py [--runs 7] [--screenshots docs]

It starts Tandem on a temporary SQLite database, seeds one thread of 500 comments (50 top-level
comments, each with 9 replies nested up to the default depth, all on the widget's first page),
opens a blog page carrying the snippet and reads the browser's own clock: from the moment the
API response finished arriving (Resource Timing) to the widget's `tandem:rendered` mark, and to the
first frame painted after it. With --screenshots it also saves the light and dark widget.
"""

import argparse
import gzip
import os
import statistics
import sys
import tempfile
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from service import accounts, comments, create_app, sites  # noqa: E402
from service.bootstrap import upgrade_schema  # noqa: E402
from service.models import utcnow  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
BUDGET_BYTES, BUDGET_MS = 12 * 1024, 200
WORDS = ("Lovely post — I tried this last week and it *worked*. Here is what I changed: first the "
         "settings, then the **order** of the steps. See https://example.org/notes for details.")

# Timed in the page from the moment the API response finished arriving (Resource Timing):
# `first`: the first screenful of comments in the page, styled and laid out (what the reader sees);
# `laid_out`: all of them in the page and the list laid out (forced at the widget's `tandem:rendered`);
#   comments after the first screenful are content-visibility:auto, so until they come near the
#   screen the browser lays each top-level one out as a placeholder of its estimated height;
# `painted`: the frame after that painted (a task queued from requestAnimationFrame runs after it).
MEASURE = """(() => {
  const since = () => performance.now() - performance.getEntriesByType('resource')
    .find(e => e.name.includes('/api/comments?')).responseEnd;
  const afterPaint = callback => requestAnimationFrame(() => setTimeout(callback));
  const result = {};
  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    const root = attach.call(this, init);
    const watch = new MutationObserver(() => {
      if (!root.querySelector('.comment')) return;
      watch.disconnect();
      root.querySelector('.list').getBoundingClientRect();
      result.first = since();
    });
    watch.observe(root, {childList: true, subtree: true});
    return root;
  };
  window.tandemMeasured = new Promise(resolve => addEventListener('tandem:rendered', event => {
    event.target.shadowRoot.querySelector('.list').getBoundingClientRect();
    result.laid_out = since();
    afterPaint(() => {
      result.painted = since();
      result.comments = event.target.shadowRoot.querySelectorAll('.comment').length;
      resolve(result);
    });
  }, {capture: true, once: true}));
})()"""


def seed_thread(app, uri, roots=50, replies=9):
    """`roots` top-level comments, each followed by `replies` answers nested as deep as allowed."""
    with app.app_context():
        site = sites.get_site("bench")
        moment = utcnow() - timedelta(days=30)
        for root in range(roots):
            top = latest = None
            for n in range(replies + 1):
                moment += timedelta(minutes=7)
                author = comments.Author(name=f"Reader {root}-{n}", email=f"reader{(root * 7 + n) % 97}@example.org")
                parent = None if n == 0 else latest if n % 3 else top  # chains of replies, some to the root
                latest = comments.post_comment(site, uri, WORDS, author, parent_id=parent, now=moment).comment.id
                top = top or latest


def seed_screenshot_thread(app, uri):
    with app.app_context():
        site = sites.get_site("bench")
        writer = accounts.create_moderator("writer@blog.example", sites=[site])
        moment = utcnow() - timedelta(hours=5)

        def post(text, name, parent=None, moderator=None, minutes=40):
            nonlocal moment
            moment += timedelta(minutes=minutes)
            author = comments.Author(name=name, email=f"{name}@example.org", moderator=moderator,
                                     website="https://ada.example" if name == "Ada" else None)
            return comments.post_comment(site, uri, text, author, parent_id=parent, now=moment).comment.id

        first = post("What a lovely way to put it. The part about *listening* before moving made me smile.", "Ada")
        post("Thank you, Ada! It took me years to learn that one.", "Mara", parent=first, moderator=writer)
        post("Same here — and `slow` is a tempo too.", "Jonas", parent=first)
        post("Has anyone tried this with a **beginner** partner? Any tips welcome.", "Sam", minutes=90)


def embed_sizes(app):
    client = app.test_client()
    sizes = {}
    for name in ("embed.js", "embed.css"):
        response = client.get("/" + name, headers={"Accept-Encoding": "gzip"})
        assert response.headers.get("Content-Encoding") == "gzip"
        sizes[name] = (len(gzip.decompress(response.data)), len(response.data))
    return sizes


def blog_page(service_url, uri, theme="auto"):
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>Like a dance</title></head>"
            f"<body class='{theme}'><h1>Like a dance</h1><div id='tandem-comments'></div>"
            f"<script src='{service_url}/embed.js' data-site='bench' data-uri='{uri}' data-theme='{theme}' defer></script>"
            f"</body></html>")


class BlogPage(BaseHTTPRequestHandler):
    """The blog: one page on its own loopback origin, whatever the path."""

    html = ""

    def do_GET(self):
        body = self.html.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        """A browser closing a connection early is no error for this bench."""


def open_blog(browser, blog_url, html, **context_options):
    BlogPage.html = html
    context = browser.new_context(**context_options)
    context.add_init_script(MEASURE)
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(blog_url + "/post/")
    return context, page


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--screenshots", metavar="DIR", help="save widget-light.png and widget-dark.png here")
    args = parser.parse_args()

    blog = QuietServer(("127.0.0.1", 0), BlogPage)
    threading.Thread(target=blog.serve_forever, daemon=True).start()
    blog_url = f"http://localhost:{blog.server_port}"
    folder = Path(tempfile.mkdtemp(prefix="tandem-widget-bench-"))
    app = create_app({"DATABASE_URL": f"sqlite:///{folder}/bench.db", "INSTANCE": str(folder),
                      "SECRET_KEY": "bench", "RATE_LIMIT": "100000/minute"}, environ={})
    with app.app_context():
        upgrade_schema()
        # the thread is seeded through the service layer, without a browser to solve proofs of work
        sites.create_site("bench", "Bench blog", [blog_url], settings={"moderation": "none", "challenge": "off"})
    seed_thread(app, "/long/")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    service_url = f"http://127.0.0.1:{server.server_port}"

    sizes = embed_sizes(app)
    gzipped = sum(packed for _, packed in sizes.values())
    for name, (raw, packed) in sizes.items():
        print(f"{name:10} {raw:7,} bytes, {packed:6,} gzipped")
    print(f"together   {gzipped:6,} bytes gzipped (budget {BUDGET_BYTES:,}): {'OK' if gzipped <= BUDGET_BYTES else 'OVER'}")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        runs = []
        for _ in range(args.runs):
            context, page = open_blog(browser, blog_url, blog_page(service_url, "/long/"))
            runs.append(page.evaluate("window.tandemMeasured"))
            assert runs[-1]["comments"] == 500, runs[-1]
            context.close()
        for key, what in (("first", "first screenful rendered"), ("laid_out", "all 500 rendered and laid out"),
                          ("painted", "all 500 painted")):
            times = [run[key] for run in runs]
            print(f"data arrived -> {what}: median {statistics.median(times):.0f} ms, worst {max(times):.0f} ms")
        print(f"({args.runs} runs, budget {BUDGET_MS} ms; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")
        if args.screenshots:
            seed_screenshot_thread(app, "/like-a-dance/")
            for theme in ("light", "dark"):
                context, page = open_blog(browser, blog_url, blog_page(service_url, "/like-a-dance/", theme),
                                          viewport={"width": 760, "height": 900}, color_scheme=theme)
                page.evaluate("window.tandemMeasured")
                page.mouse.move(0, 0)
                path = Path(args.screenshots) / f"widget-{theme}.png"
                page.locator("#tandem-comments").screenshot(path=str(path))
                print(f"saved {path}")
                context.close()
        browser.close()
    server.shutdown()
    blog.shutdown()


if __name__ == "__main__":
    main()
