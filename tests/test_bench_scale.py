"""bench/scale.py end to end on a tiny layout, so the million-comment benchmark does not rot.

The real run (a million comments) is a benchmark, not a test: its figures are in bench/README.md.
Here the same script seeds two small PostgreSQL databases with the bulk writer, serves each with
`tandem serve`, loads every scenario for a second with wrk and prints its table; the targets may
miss on a busy machine (exit status 1), a failure of the script may not.
"""

import os
import subprocess
import sys
import uuid

import psycopg

from tests.live import POSTGRES_ADMIN_URL, REPOSITORY

SCENARIOS = ("thread read", "first page of /big", "counts for 20 URIs", "admin queue", "admin search",
             "comment creation")


def test_scale_benchmark_seeds_serves_and_measures_both_databases():
    name = f"tandem_scale_test_{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "PYTHONPATH": REPOSITORY}
    run = subprocess.run([sys.executable, "bench/scale.py", "--comments", "2000", "--quick", "--name", name,
                          "--postgres", POSTGRES_ADMIN_URL], check=False, cwd=REPOSITORY, env=env, capture_output=True,
                         text=True, timeout=300)
    output = run.stdout
    assert run.returncode in (0, 1), run.stdout + run.stderr  # 1: a target missed on this busy machine
    assert f"== {name}: 2000 comments, 20 threads, 1 sites seeded in" in output
    assert f"== {name}_small: 1100 comments, 2 threads, 1 sites seeded in" in output
    rows = [line for line in output.splitlines() if line.startswith("| ") and not line.startswith("| scenario")]
    assert len(rows) == len(SCENARIOS)
    for row, scenario in zip(rows, SCENARIOS, strict=True):
        assert row[2:].startswith(scenario), row
    for row in rows:
        figures = [cell.strip() for cell in row.strip("|").split("|")[1:7]]
        assert all(float(figure) > 0 for figure in figures), row
    assert "PASS  no non-2xx answer" in output
    assert "worker peak RSS (MB): big " in output
    with psycopg.connect(POSTGRES_ADMIN_URL) as connection:  # both databases dropped at the end
        left = connection.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", (name + "%",)).fetchall()
    assert left == []
