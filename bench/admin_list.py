"""In-process timing of the moderators' list (`GET /api/admin/comments`) on an existing database:
the queue (`status=pending`) and a search (`q=zeppelin`) for the owner, in microseconds per call.

    PYTHONPATH=. python bench/admin_list.py                      # tandem_scale (1,000,000 comments)
    PYTHONPATH=. python bench/admin_list.py --calls 50 --url postgresql+psycopg://root@127.0.0.1:5432/tandem_scale_small

Each call runs the view in a request context of its own (a fresh session, as a request has) with the
owner already authenticated (the bearer token's check is left out). It reports the view's CPU time
in this process (time.process_time; wall time on a shared machine mostly measures the neighbours),
the part of it spent outside the driver's execute (Python: building statements, loading rows,
shaping dicts, JSON), and the wall time inside execute (mostly PostgreSQL). Best of --rounds.

Read-only: every connection is opened with default_transaction_read_only, so nothing can write to
the database measured.
"""

import argparse
import tempfile
import time

from flask import g
from sqlalchemy import event

from service import create_app
from service.admin.api import list_comments
from service.db import db
from service.models import Moderator

READ_ONLY = "options=-c%20default_transaction_read_only%3Don"
SCENARIOS = {"queue": "status=pending", "search": "q=zeppelin"}


class Statements:
    """Wall and CPU time spent inside the driver's execute (PostgreSQL answering, rows arriving), summed."""

    def __init__(self, engine):
        self.wall = self.cpu = 0.0
        event.listen(engine, "before_cursor_execute", self.before)
        event.listen(engine, "after_cursor_execute", self.after)

    def before(self, *_):
        self.started = time.perf_counter(), time.process_time()

    def after(self, *_):
        self.wall += time.perf_counter() - self.started[0]
        self.cpu += time.process_time() - self.started[1]


def measure(app, statements, owner_id, query, calls):
    """Per call, in µs: CPU of the view, the part of it outside the driver's execute, and the wall time
    inside execute (mostly PostgreSQL)."""
    view = sql_wall = sql_cpu = 0.0
    for _ in range(calls):
        with app.test_request_context(f"/api/admin/comments?{query}"):
            g.api_moderator = db.session.get(Moderator, owner_id)
            wall_before, cpu_before, start = statements.wall, statements.cpu, time.process_time()
            list_comments().get_data()
            view += time.process_time() - start
            sql_wall += statements.wall - wall_before
            sql_cpu += statements.cpu - cpu_before
    per_call = 1e6 / calls
    return {"view": view * per_call, "python": (view - sql_cpu) * per_call, "sql": sql_wall * per_call}


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
        statements = Statements(db.engine)
    for name, query in SCENARIOS.items():
        measure(app, statements, owner_id, query, 5)  # warm the pool and the caches
        rounds = [measure(app, statements, owner_id, query, arguments.calls) for _ in range(arguments.rounds)]
        best = {key: min(result[key] for result in rounds) for key in rounds[0]}
        print(f"{name:7} ({query}): view {best['view']:6.0f} µs CPU, {best['python']:6.0f} of it outside the"
              f" driver's execute; {best['sql']:6.0f} µs wall inside execute")


if __name__ == "__main__":
    main()
