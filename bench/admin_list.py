"""In-process timing of the moderators' list (`GET /api/admin/comments`) on an existing database:
the queue (`status=pending`) and a search (`q=zeppelin`) for the owner, in microseconds per call.

    PYTHONPATH=. python bench/admin_list.py                      # tandem_scale (1,000,000 comments)
    PYTHONPATH=. python bench/admin_list.py --calls 50 --url postgresql+psycopg://root@127.0.0.1:5432/tandem_scale_small

Each call runs the view in a request context of its own (a fresh session, as a request has) with the
owner already authenticated. It reports CPU time of this process (time.process_time; wall time on a
shared machine mostly measures the neighbours) for the whole view and for its parts: `search` (the
queries and loading their rows) and `serialise` (the page's dicts and the JSON body). Wall minus CPU
of `search` is roughly the time spent waiting for the database. Best of --rounds.

Read-only: every connection is opened with default_transaction_read_only, so nothing can write to
the database measured.
"""

import argparse
import tempfile
import time

from flask import g, request

from service import create_app
from service.admin.api import list_comments
from service.admin.queries import parse_filters, search
from service.db import db
from service.models import Moderator

READ_ONLY = "options=-c%20default_transaction_read_only%3Don"
SCENARIOS = {"queue": "status=pending", "search": "q=zeppelin"}


def measure(app, owner_id, query, calls):
    """CPU µs per call of the view, of `search` and of the rest, and wall µs of `search`."""
    view = search_cpu = search_wall = 0.0
    for _ in range(calls):
        with app.test_request_context(f"/api/admin/comments?{query}"):
            g.api_moderator = db.session.get(Moderator, owner_id)
            start = time.process_time()
            list_comments().get_data()
            view += time.process_time() - start
        with app.test_request_context(f"/api/admin/comments?{query}"):
            moderator, filters = db.session.get(Moderator, owner_id), parse_filters(request.args)
            wall, cpu = time.perf_counter(), time.process_time()
            search(moderator, filters)
            search_cpu += time.process_time() - cpu
            search_wall += time.perf_counter() - wall
    per_call = 1e6 / calls
    return {"view": view * per_call, "search": search_cpu * per_call, "serialise": (view - search_cpu) * per_call,
            "search_wall": search_wall * per_call}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="postgresql+psycopg://root@127.0.0.1:5432/tandem_scale")
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    arguments = parser.parse_args()
    url = arguments.url + ("&" if "?" in arguments.url else "?") + READ_ONLY
    folder = tempfile.mkdtemp()
    app = create_app(test_config={"DATABASE_URL": url, "INSTANCE": folder, "SECRET_KEY": "bench"}, environ={})
    with app.app_context():
        owner_id = db.session.scalar(db.select(Moderator.id).where(Moderator.is_owner).order_by(Moderator.id))
    for name, query in SCENARIOS.items():
        measure(app, owner_id, query, 5)  # warm the pool and the caches
        rounds = [measure(app, owner_id, query, arguments.calls) for _ in range(arguments.rounds)]
        best = {key: min(result[key] for result in rounds) for key in rounds[0]}
        print(f"{name:7} ({query}): view {best['view']:7.0f} µs CPU = search {best['search']:6.0f}"
              f" + serialise {best['serialise']:6.0f};  search wall {best['search_wall']:6.0f} µs")


if __name__ == "__main__":
    main()
