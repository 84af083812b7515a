"""SPEC 15: `tandem backup` while readers write, `tandem restore` into a fresh instance, daily backups.

The copy is taken from the real `tandem serve` (two workers) while 20 writers post; the restored
instance is started as a real `tandem serve` too and must serve every comment acknowledged
before the backup began, exactly once.
"""

import shutil
import threading
import time
from collections import Counter
from datetime import datetime, timedelta, timezone

import pytest
import requests

from service.cli import main as tandem
from service.models import Comment
from service.operate import backup

from .live import PostgresDatabase, TandemServer, post_comment, server_environment

ORIGIN = "https://backup.example.org"
WRITERS = 20


class Writers:
    """20 readers posting all the time (each a few comments a second), each remembering what it was told."""

    def __init__(self, server, site):
        self.server, self.site = server, site
        self.acknowledged = []  # (monotonic time of the answer, id, text)
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self._write, args=(n,)) for n in range(WRITERS)]

    def _write(self, number):
        sequence = 0
        while not self.stopping.is_set():
            sequence += 1
            text = f"writer {number} comment {sequence}"
            answer = post_comment(self.server, self.site, ORIGIN, text, uri=f"/post-{number}/")
            assert answer.status_code == 201, answer.text
            with self.lock:
                self.acknowledged.append((time.monotonic(), answer.json()["comment"]["id"], text))
            self.stopping.wait(0.2)  # leaves the two cores some room for the backup itself

    def wait_for(self, count, timeout=60):
        deadline = time.monotonic() + timeout
        while len(self.acknowledged) < count and time.monotonic() < deadline:
            time.sleep(0.05)

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *_):
        self.stopping.set()
        for thread in self.threads:
            thread.join()


def served_comments(server, site):
    """Every comment the server shows readers on the writers' threads, page after page."""
    shown = []
    for number in range(WRITERS):
        after = None
        while True:
            params = {"site": site, "uri": f"/post-{number}/", "limit": 200, **({"after": after} if after else {})}
            page = requests.get(server.url + "/api/comments", params=params, timeout=10).json()
            stack = list(page["comments"])
            while stack:
                node = stack.pop()
                shown.append((node["id"], node.get("html", "")))
                stack.extend(node["replies"])
            after = page["next"]
            if not after:
                break
    return shown


@pytest.mark.slow
def test_backup_taken_while_20_writers_post_restores_every_acknowledged_comment_once(live_server, tmp_path):
    if live_server.kind == "postgresql" and not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.skip("PostgreSQL backups need pg_dump and pg_restore (Debian: postgresql-client)")
    site = live_server.new_site([ORIGIN], moderation="none")
    copy = tmp_path / f"copy{'.db' if live_server.kind == 'sqlite' else '.pgdump'}"
    with Writers(live_server, site) as writers:
        writers.wait_for(2 * WRITERS)
        backup_began = time.monotonic()
        made = live_server.tandem("backup", "--output", str(copy))
        time.sleep(0.5)  # writers keep going after the copy, too
    assert made.stdout.startswith(f"Backup written to {copy}")
    before = {comment_id: text for at, comment_id, text in writers.acknowledged if at < backup_began}
    assert len(before) >= WRITERS

    database = PostgresDatabase() if live_server.kind == "postgresql" else None
    fresh = TandemServer(server_environment(tmp_path / "restored", database and database.url), tmp_path / "restored.log")
    try:
        restored = fresh.tandem("restore", str(copy))
        assert "Restored" in restored.stdout
        fresh.start()
        shown = served_comments(fresh, site)
        counts = Counter(comment_id for comment_id, _ in shown)
        html = dict(shown)
        for comment_id, text in before.items():
            assert counts[comment_id] == 1, f"comment {comment_id} shown {counts[comment_id]} times"
            assert text in html[comment_id]
        assert fresh.tracebacks() == 0
    finally:
        fresh.stop()
        if database:
            database.drop()


def test_restore_refuses_an_instance_that_holds_comments_without_force(app, runner, reader, tmp_path):
    assert reader.post("Kept").status_code == 201
    copy = backup.make_backup(app.config["TANDEM_DATABASE_URL"], tmp_path / "copy")
    refused = runner.invoke(tandem, ["restore", str(copy)])
    assert refused.exit_code == 1
    assert "already holds comments" in refused.output and "--force" in refused.output
    with app.app_context():
        assert [c.text for c in Comment.query.all()] == ["Kept"]


def test_restore_refuses_a_file_that_is_no_backup(runner, tmp_path):
    stray = tmp_path / "notes.txt"
    stray.write_text("not a database")
    refused = runner.invoke(tandem, ["restore", str(stray)])
    assert refused.exit_code == 1
    assert "is not a Tandem backup" in refused.output


def test_daily_backups_keep_the_newest_seven(tmp_path, sqlite_template):
    url, folder = f"sqlite:///{sqlite_template}", tmp_path / "backups"
    first = datetime(2026, 3, 1, 4, 0, tzinfo=timezone.utc)
    made = [backup.scheduled_backup(url, folder, 7, first + timedelta(days=day)) for day in range(10)]
    assert all(made)
    assert backup.scheduled_backup(url, folder, 7, first + timedelta(days=9, hours=23)) is None  # one a day
    kept = backup.backups(folder)
    assert kept == made[:2:-1]
    assert backup.last_backup(folder) == (made[-1], first + timedelta(days=9))
    assert backup.backup_kind(kept[0]) == "sqlite"
    assert oct(kept[0].stat().st_mode & 0o777) == "0o600"


def test_the_worker_makes_the_daily_backup_when_a_backup_folder_is_set(make_app, tmp_path):
    from service.notify.worker import Worker

    app = make_app(BACKUP_DIR=str(tmp_path / "backups"), BACKUP_KEEP=7)
    Worker(app).tick()
    made = backup.backups(tmp_path / "backups")
    assert len(made) == 1
    assert backup.backup_kind(made[0]) == app.config["TANDEM_DATABASE_URL"].split("+")[0].split(":")[0]


def test_backup_without_pg_dump_says_so_in_one_line_and_points_to_export(app, runner, monkeypatch, tmp_path):
    if not app.config["TANDEM_DATABASE_URL"].startswith("postgresql"):
        pytest.skip("SQLite needs no pg_dump")
    monkeypatch.setenv("PATH", str(tmp_path))  # a host without postgresql-client
    refused = runner.invoke(tandem, ["backup", "--output", str(tmp_path / "copy.pgdump")])
    assert refused.exit_code == 1
    assert refused.output.count("\n") == 1
    assert "pg_dump is not installed" in refused.output and "tandem export" in refused.output
    assert not (tmp_path / "copy.pgdump").exists()
