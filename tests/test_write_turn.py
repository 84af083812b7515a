"""Comment writes on SQLite take turns through a lock file beside the database (service.write_turn):
a writer waits while another process holds the turn and goes on as soon as it is let go. The WAL
is copied into the database file by the notification worker's tick, not only by a writer."""

import fcntl
import os
import shutil
import sqlite3
import threading
from contextlib import closing

import pytest

from service.db import db
from service.models import Comment
from service.notify import worker

from .conftest import ORIGIN

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def _post(client, answers):
    answers.append(client.post("/api/comments", json={"site": "blog", "uri": "/post/", "text": "Waiting my turn"},
                               headers={"Origin": ORIGIN}))


def test_a_comment_waits_while_another_worker_holds_the_write_turn_and_is_stored_after(app, client, site,
                                                                                        database_url):
    turn_file = database_url.removeprefix("sqlite:///") + "-turn"
    other_worker = os.open(turn_file, os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(other_worker, fcntl.LOCK_EX)
    answers = []
    writer = threading.Thread(target=_post, args=(client, answers))
    writer.start()
    try:
        writer.join(timeout=1.0)
        assert writer.is_alive() and answers == []  # waiting for the turn, nothing written yet
        with app.app_context():
            assert db.session.query(Comment).count() == 0
    finally:
        fcntl.flock(other_worker, fcntl.LOCK_UN)
        os.close(other_worker)
    writer.join(timeout=10.0)
    assert not writer.is_alive()
    assert answers[0].status_code == 201
    with app.app_context():
        assert [comment.text for comment in db.session.query(Comment)] == ["Waiting my turn"]


def test_the_turn_file_is_private_to_the_service(app, client, site, database_url):
    assert client.post("/api/comments", json={"site": "blog", "uri": "/post/", "text": "First"},
                       headers={"Origin": ORIGIN}).status_code == 201
    mode = os.stat(database_url.removeprefix("sqlite:///") + "-turn").st_mode
    assert mode & 0o077 == 0


def _comments_in_the_database_file_alone(database_url, folder):
    """What a copy of the database file without its WAL holds, as a file copy taken alone would."""
    copy = folder / "copy.db"
    shutil.copyfile(database_url.removeprefix("sqlite:///"), copy)
    with closing(sqlite3.connect(copy)) as connection:
        return [row[0] for row in connection.execute("SELECT text FROM comment")]


def test_the_workers_tick_copies_new_comments_from_the_wal_into_the_database_file(app, client, site, database_url,
                                                                                  tmp_path):
    assert client.post("/api/comments", json={"site": "blog", "uri": "/post/", "text": "Kept in the file"},
                       headers={"Origin": ORIGIN}).status_code == 201
    assert _comments_in_the_database_file_alone(database_url, tmp_path) == []  # still only in the WAL
    worker.Worker(app).tick()
    assert _comments_in_the_database_file_alone(database_url, tmp_path) == ["Kept in the file"]
