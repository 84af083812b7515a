#!/usr/bin/env python3
"""A million comments (issue 16.5): seed PostgreSQL with the bulk writer, then measure `tandem serve`
on that database and on a small one side by side, in one run.

    PYTHONPATH=. python bench/scale.py                     # 1,000,000 comments, 10,000 threads, 100 sites
    PYTHONPATH=. python bench/scale.py --comments 50000    # a quicker run
    PYTHONPATH=. python bench/scale.py --comments 2000 --quick   # the test suite's run

Makes two fresh databases on the local PostgreSQL (`tandem_scale`, `tandem_scale_small`; dropped at
the end unless --keep, or reused with --reuse), seeds them with `scale_seed` (the importers' bulk
writer: rendered HTML, thread counts and versions as the product keeps them), starts `tandem serve
--workers 2` on each, and runs compare.py's wrk scenarios interleaved across the two servers.
Prints p50/p99/req/s per scenario per database, each worker's peak RSS, and the targets: a thread
read's p99 on the big database within 2x of the small one, the admin search's p99 under 200 ms,
every worker under 100 MB. Exit status 1 when a target is missed. Loopback only; needs wrk.
"""

import argparse
import contextlib
import json
import os
import pathlib
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

import psycopg

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import scale_seed  # noqa: E402  (a sibling script, found through the path set just above)

OWNER, PASSWORD = "owner@scale.example.org", "a long bench password"
WRITES_URI = "/bench-writes"  # the write scenario's own thread, emptied by --reuse
READ_P99_RATIO, SEARCH_P99_MS, WORKER_MB = 2.0, 200.0, 100.0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--comments", type=int, default=1_000_000, help="comments in the big database")
    ap.add_argument("--threads", type=int, help="threads in the big database (default: comments / 100)")
    ap.add_argument("--small", type=int, default=1100, help="comments in the small database: the 1,000-comment "
                    "thread and one thread of 100 (default 1100)")
    ap.add_argument("--postgres", default=os.environ.get("TANDEM_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test"),
                    help="an existing database to connect to for CREATE/DROP DATABASE")
    ap.add_argument("--name", default="tandem_scale", help="the big database's name (the small one adds _small)")
    ap.add_argument("--keep", action="store_true", help="keep both databases at the end")
    ap.add_argument("--reuse", action="store_true", help="use the databases a --keep run left (no seeding)")
    ap.add_argument("--seed-only", action="store_true", help="seed, report the time and stop")
    ap.add_argument("--resume", action="store_true", help="seed the sites a stopped --keep run left without comments")
    ap.add_argument("--jobs", type=int, default=2, help="seeding processes (each takes every n-th site)")
    ap.add_argument("--seed-part", help=argparse.SUPPRESS)  # K/N: one seeding process of --jobs N
    ap.add_argument("--work", help=argparse.SUPPRESS)
    ap.add_argument("--quick", action="store_true", help="one 1 s run per scenario with 4 connections (a smoke test)")
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--duration", default="5s")
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--admin-connections", type=int, default=2,
                    help="connections for the admin queue and search (default 2: a moderator or two at once, "
                         "not a crowd; give --connections' value to load them like the readers' scenarios)")
    ap.add_argument("--json", help="write compare.py's raw results here")
    args = ap.parse_args()
    if args.quick:
        args.runs, args.duration, args.connections = 1, "1s", 4

    if args.seed_part:
        k, jobs = map(int, args.seed_part.split("/"))
        Database(args.postgres, args.name, args.comments, args.threads).seed_part(args.work, k, jobs)
        return 0
    work = tempfile.mkdtemp(prefix="tandem-scale.")
    databases = [Database(args.postgres, args.name, args.comments, args.threads),
                 Database(args.postgres, args.name + "_small", args.small, 2)]
    servers = []
    try:
        for database in databases:
            if args.reuse:
                forgotten = database.forget_writes()
                print(f"== {database.name}: reused ({database.comments} comments; the last run's "
                      f"{forgotten} written comments deleted)", flush=True)
            else:
                seconds = database.create_and_seed(work, args.jobs, args.resume and database.exists())
                print(f"== {database.name}: {database.stored} comments, {database.threads} threads, "
                      f"{database.sites} sites seeded in {seconds:.1f} s "
                      f"({database.stored / seconds:.0f} comments/s)", flush=True)
        if args.seed_only:
            return 0
        servers = [Server(database, work).launch() for database in databases]  # both start at once
        for server in servers:
            server.ready()
        result = os.path.abspath(args.json or os.path.join(work, "result.json"))
        command = [sys.executable, os.path.join(HERE, "compare.py"), "--floor", "none", "--runs", str(args.runs),
                   "--duration", args.duration, "--connections", str(args.connections), "--json", result]
        for name, server in zip(("big", "small"), servers, strict=True):
            profile = server.profile(args.admin_connections)
            command += ["--server", f"{name}={server.url},{profile},{server.process.pid}"]
        print("== " + " ".join(command[1:]), flush=True)
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL if args.quick else None)
        with open(result) as f:
            return report(json.load(f), databases)
    finally:
        for server in servers:
            server.stop()
        if not args.keep:
            for database in databases:
                database.drop()
            shutil.rmtree(work, ignore_errors=True)


class Database:
    """One PostgreSQL database of this benchmark's own, and the layout seeded into it."""

    def __init__(self, admin_url, name, comments, threads):
        self.admin_url, self.name, self.comments = admin_url, name, comments
        self.sites, sizes = scale_seed.layout(comments, threads)
        self.threads, self.sizes, self.stored = len(sizes), sizes, comments
        self.token = None  # the owner's admin token, made while seeding (or by `tandem token create`)
        base = admin_url.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")
        self.url = f"{base}/{name}"

    def create_and_seed(self, work, jobs=1, resume=False):
        """Make the database (unless resuming), its owner, token and sites; seed it with `jobs`
        processes, each taking every jobs-th site; returns the seconds the comments took."""
        if not resume:
            with psycopg.connect(self.admin_url, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
                connection.execute(f'CREATE DATABASE "{self.name}"')
        from service import accounts
        from service.bootstrap import upgrade_schema

        with self.app(work):
            if not resume:
                upgrade_schema()
                # The owner first: `tandem serve` makes one only on an instance without sites (with its demo site).
                owner = accounts.create_moderator(OWNER, PASSWORD, sites=[], owner=True)
                self.token = accounts.create_token(owner, label="bench/scale.py")
                scale_seed.create_sites(self.comments, self.threads)
        started = time.monotonic()
        jobs = min(jobs, self.sites)
        if jobs == 1:
            self.seed_part(work, 0, 1)
        else:
            children = [subprocess.Popen([sys.executable, __file__, "--seed-part", f"{k}/{jobs}", "--name", self.name,
                                          "--comments", str(self.comments), "--threads", str(self.threads),
                                          "--postgres", self.admin_url, "--work", work]) for k in range(jobs)]
            if any(child.wait() for child in children):
                sys.exit("seeding failed (see above)")
        seconds = time.monotonic() - started
        with self.app(work):
            scale_seed.analyse()
            self.stored = scale_seed.stored()
        return seconds

    def exists(self):
        with psycopg.connect(self.admin_url) as connection:
            return connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (self.name,)).fetchone() is not None

    def seed_part(self, work, k, jobs):
        # Large layouts render with a pool of two processes per site; small ones in this process.
        with self.app(work):
            scale_seed.seed(self.comments, self.threads, 2 if self.comments >= 20_000 else 1, (k, jobs), _progress)

    @contextlib.contextmanager
    def app(self, work):
        from service import create_app
        from service.db import db

        app = create_app(environ={"TANDEM_INSTANCE": os.path.join(work, self.name), "TANDEM_DATABASE_URL": self.url})
        with app.app_context():
            yield app
            db.session.remove()
            db.engine.dispose()

    def site_of(self, index):
        return scale_seed.site_key(index % self.sites + 1)

    def forget_writes(self):
        """Delete what an earlier run's write scenario added (its own thread, WRITES_URI), so every
        run measures the same data: 15,000 comments written into the read scenario's thread once
        made a cache miss there load them all."""
        with psycopg.connect(self.url.replace("postgresql+psycopg://", "postgresql://")) as connection:
            threads = "SELECT id FROM thread WHERE uri = %s"
            deleted = connection.execute(f"DELETE FROM comment WHERE thread_id IN ({threads})", (WRITES_URI,)).rowcount
            connection.execute(f"DELETE FROM thread WHERE id IN ({threads})", (WRITES_URI,))
        return deleted

    def drop(self):
        with psycopg.connect(self.admin_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def _progress(line):
    if os.environ.get("SCALE_VERBOSE"):
        print(line, flush=True)


class Server:
    """`tandem serve --workers 2 --no-worker` on one database, with an owner token for the admin API."""

    def __init__(self, database, work):
        self.database, self.work = database, work
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**{k: v for k, v in os.environ.items() if not k.startswith("TANDEM_")},
                    "TANDEM_INSTANCE": os.path.join(work, database.name), "TANDEM_DATABASE_URL": database.url,
                    "TANDEM_ADMIN_EMAIL": OWNER, "TANDEM_ADMIN_PASSWORD": PASSWORD,
                    "TANDEM_RATE_LIMIT": "100000000/minute"}
        self.process = None

    def launch(self):
        self.log = os.path.join(self.work, self.database.name + ".log")
        with open(self.log, "w") as log:
            self.process = subprocess.Popen([sys.executable, "-m", "service.cli", "serve", "--no-worker", "--port",
                                             str(self.port), "--workers", "2"], env=self.env, stdout=log,
                                            stderr=subprocess.STDOUT, start_new_session=True)
        return self

    def ready(self):
        for _ in range(240):
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=1):
                    break
            except OSError:
                if self.process.poll() is not None:
                    sys.exit(f"tandem serve exited:\n{pathlib.Path(self.log).read_text()[-3000:]}")
                time.sleep(0.25)
        self.token = self.database.token or subprocess.run(
            [sys.executable, "-m", "service.cli", "token", "create", OWNER], env=self.env, capture_output=True,
            text=True, check=True).stdout.strip()
        return self

    def profile(self, admin_connections=None):
        """compare.py's profile of the six scenarios on this server's data; returns its path."""
        db = self.database
        reader = db.site_of(1)  # /t-00001: a thread of about 100 comments
        uris = [scale_seed.thread_uri(i) for i in range(db.threads) if db.site_of(i) == reader][:20]
        uris += [f"/missing-{n}" for n in range(20 - len(uris))]
        counts = self._body("counts", {"site": reader, "uris": uris})
        new = self._body("new", {"site": reader, "uri": WRITES_URI, "author": "bench", "email": "bench@example.org",
                                 "text": "Scale comment {{n}}: *some* markdown and a `code` span to render."})
        admin = {"Authorization": f"Bearer {self.token}"}
        scenarios = [
            {"id": "read", "title": f"thread read, /t-00001 ({db.sizes[1]} comments)",
             "path": f"/api/comments?site={reader}&uri=/t-00001"},
            {"id": "page50", "title": f"first page of /big ({db.sizes[0]} comments), limit=50",
             "path": f"/api/comments?site={db.site_of(0)}&uri=/big&limit=50"},
            {"id": "counts", "title": "counts for 20 URIs", "method": "POST", "path": "/api/counts",
             "body_file": counts, "headers": {"Content-Type": "application/json"}},
            {"id": "queue", "title": "admin queue, all sites (status=pending)",
             "path": "/api/admin/comments?status=pending", "headers": admin},
            {"id": "search", "title": "admin search, all sites (q=zeppelin)",
             "path": "/api/admin/comments?q=zeppelin", "headers": admin},
            {"id": "create", "title": "comment creation", "method": "POST", "path": "/api/comments", "body_file": new,
             "headers": {"Content-Type": "application/json", "Origin": scale_seed.ORIGIN.format(1 % db.sites + 1)},
             "writes": True},
        ]
        for scenario in scenarios:
            if admin_connections and scenario["id"] in ("queue", "search"):
                scenario["connections"] = admin_connections
                scenario["title"] += f" at -c{admin_connections}"
        path = os.path.join(self.work, db.name + ".profile.json")
        with open(path, "w") as f:
            json.dump({"name": f"tandem on {db.name}", "scenarios": scenarios}, f)
        return path

    def _body(self, name, document):
        path = os.path.join(self.work, f"{self.database.name}.{name}.json")
        with open(path, "w") as f:
            json.dump(document, f)
        return path

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def report(result, databases):
    """The side-by-side table, the workers' peak RSS and the targets; 0 when every target holds."""
    big, small = ({r["id"]: r for r in server["results"]} for server in result["servers"])
    print(f"\n## {result['date']}: big = {databases[0].stored:,} comments, small = {databases[1].stored:,}; "
          f"wrk -c{result['wrk']['connections']} -d{result['wrk']['duration']} x{result['wrk']['runs']}\n")
    print("| scenario | big p50 ms | big p99 ms | big req/s | small p50 ms | small p99 ms | small req/s | non-2xx big/small |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for sid, rec in big.items():
        cells = []
        for r in (rec, small[sid]):
            m = r.get("median") or {}
            cells += [f"{m['p50_ms']:.1f}", f"{m['p99_ms']:.1f}", f"{m['rps']:.0f}"] if m else ["–"] * 3
        errors = "/".join(str(int((r.get("median") or {}).get("err_status", -1))) for r in (rec, small[sid]))
        print(f"| {rec['title']} | " + " | ".join(cells) + f" | {errors} |")
    peaks = {server["name"]: [d.get("VmHWM", 0) / 1024 for d in server["rss_kib"].values()] for server in result["servers"]}
    print("\nworker peak RSS (MB): " + "; ".join(f"{name} " + ", ".join(f"{p:.1f}" for p in values)
                                              for name, values in peaks.items()))

    def p99(side, sid):
        return (side[sid].get("median") or {}).get("p99_ms", float("inf"))

    ratio = p99(big, "read") / p99(small, "read")
    checks = [(f"thread read p99 big/small {ratio:.2f} <= {READ_P99_RATIO}", ratio <= READ_P99_RATIO),
              (f"admin search p99 {p99(big, 'search'):.1f} ms < {SEARCH_P99_MS:.0f} ms", p99(big, "search") < SEARCH_P99_MS),
              (f"worker peak RSS {max(max(v) for v in peaks.values()):.1f} MB < {WORKER_MB:.0f} MB",
               all(p < WORKER_MB for values in peaks.values() for p in values)),
              ("no non-2xx answer", all((r.get("median") or {}).get("err_status", 1) == 0
                                       for side in (big, small) for r in side.values()))]
    print()
    for line, ok in checks:
        print(("PASS  " if ok else "MISS  ") + line)
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
