"""In-process timing of the hot paths, for a refactor that must not slow them: 2,000 calls of the
create use case (`comments.post_comment`), 2,000 posts of scenario d's body through the Flask test
client (`POST /api/comments`: the view, its rate limit, the JSON in and out) and 2,000 thread
reads through it (`GET /api/comments`, a 20-comment thread, served from the page cache), best of
3, in microseconds per call. CPU time of this process (time.process_time): on a shared machine wall time mostly
measures the neighbours. Compare two checkouts by running it with PYTHONPATH set to each, in turn.
"""

import json
import shutil
import tempfile
import time
from pathlib import Path

from service import comments, create_app, sites
from service.bootstrap import upgrade_schema
from service.db import db

CALLS, ROUNDS = 2000, 3
ORIGIN = "https://blog.example"


def best(measure):
    return min(measure() for _ in range(ROUNDS)) / CALLS * 1e6


def main():
    folder = Path(tempfile.mkdtemp())
    app = create_app(test_config={"DATABASE_URL": f"sqlite:///{folder}/bench.db", "INSTANCE": str(folder),
                                  "SECRET_KEY": "bench", "RATE_LIMIT": "1000000/minute", "TESTING": True}, environ={})
    with app.app_context():
        upgrade_schema()
        sites.create_site("blog", "Blog", [ORIGIN], {"challenge": "off", "moderation": "none"})
    client = app.test_client()
    for number in range(20):
        client.post("/api/comments", json={"site": "blog", "uri": "/read/", "text": f"seed {number}"},
                    headers={"Origin": ORIGIN})

    def create():
        with app.app_context():
            site, author = sites.site_view("blog"), comments.Author(name="A", ip="192.0.2.0")
            start = time.process_time()
            for number in range(CALLS):
                comments.post_comment(site, "/write/%d" % (number % 50), "hello %d" % number, author)
            took = time.process_time() - start
            db.session.remove()
        return took

    new_comment = json.dumps({**json.loads((Path(__file__).parent / "bodies" / "tandem_new.json").read_text()),
                              "site": "blog"})
    posts = iter(range(10**9))

    def post():
        start = time.process_time()
        for _ in range(CALLS):
            body = new_comment.replace("{{n}}", str(next(posts)))
            assert client.post("/api/comments", data=body, headers={"Origin": ORIGIN, "Content-Type": "application/json"}
                               ).status_code == 201
        return time.process_time() - start

    def read():
        start = time.process_time()
        for _ in range(CALLS):
            assert client.get("/api/comments?site=blog&uri=/read/").status_code == 200
        return time.process_time() - start

    print(f"create {best(create):.0f} µs/call, post {best(post):.0f} µs/call, read {best(read):.0f} µs/call")
    shutil.rmtree(folder)


if __name__ == "__main__":
    main()
