"""The rate-limit counters used without Redis: one count per host, kept in the instance folder."""

import multiprocessing
import os
import stat

import pytest

from service.ratelimits import HostCounterStorage, storage_uri


class Clock:
    """Time the test moves by hand."""

    def __init__(self):
        self.now = 1_000_000.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def make_storage(tmp_path, clock):
    return lambda: HostCounterStorage(storage_uri(str(tmp_path)), clock=clock)


def test_two_workers_of_a_host_count_together(make_storage):
    first, second = make_storage(), make_storage()
    counts = [(first if hit % 2 else second).incr("203.0.113.0", 60) for hit in range(6)]
    assert counts == [1, 2, 3, 4, 5, 6]
    assert first.get("203.0.113.0") == second.get("203.0.113.0") == 6


def _hit_in_child(storage, answers):
    answers.put(storage.incr("203.0.113.0", 60))


def test_counts_made_before_and_after_a_fork_are_one_count(make_storage):
    storage = make_storage()
    assert storage.incr("203.0.113.0", 60) == 1  # the preloaded parent has its connection open
    fork = multiprocessing.get_context("fork")
    answers = fork.Queue()
    children = [fork.Process(target=_hit_in_child, args=(storage, answers)) for _ in range(2)]
    for child in children:
        child.start()
    for child in children:
        child.join(10)
    assert sorted([answers.get(timeout=5), answers.get(timeout=5)]) == [2, 3]
    assert storage.incr("203.0.113.0", 60) == 4


def test_a_window_opens_anew_once_its_minute_is_over(make_storage, clock):
    storage = make_storage()
    assert [storage.incr("203.0.113.0", 60) for _ in range(3)] == [1, 2, 3]
    assert storage.get_expiry("203.0.113.0") == clock.now + 60
    clock.now += 59
    assert storage.incr("203.0.113.0", 60) == 4
    clock.now += 1
    assert storage.get("203.0.113.0") == 0
    assert storage.incr("203.0.113.0", 60) == 1
    assert storage.get_expiry("203.0.113.0") == clock.now + 60


def test_networks_are_counted_apart_and_cleared_one_by_one(make_storage):
    storage = make_storage()
    storage.incr("203.0.113.0", 60)
    storage.incr("198.51.100.0", 60, amount=2)
    storage.clear("203.0.113.0")
    assert (storage.get("203.0.113.0"), storage.get("198.51.100.0")) == (0, 2)
    assert storage.reset() == 1 and storage.get("198.51.100.0") == 0
    assert storage.check()


def test_closed_windows_are_swept_away(make_storage, clock):
    storage = make_storage()
    storage.incr("198.51.100.0", 60)
    clock.now += storage.SWEEP_SECONDS + 61  # the next hit sweeps
    storage.incr("203.0.113.0", 60)
    rows = storage._connection().execute("SELECT key FROM counter").fetchall()
    assert rows == [("203.0.113.0",)]


def test_the_counters_file_is_private_even_where_an_older_version_left_it_readable(tmp_path, clock):
    older = tmp_path / "older"
    older.mkdir()
    (older / "rate_limits.sqlite").touch(mode=0o644)
    old_umask = os.umask(0o022)
    try:
        for folder in (tmp_path, older):
            HostCounterStorage(storage_uri(str(folder)), clock=clock).incr("203.0.113.0", 60)
    finally:
        os.umask(old_umask)
    for folder in (tmp_path, older):
        files = sorted(folder.glob("rate_limits.sqlite*"))
        assert [path.name for path in files] == ["rate_limits.sqlite", "rate_limits.sqlite-shm", "rate_limits.sqlite-wal"]
        assert {stat.S_IMODE(path.stat().st_mode) for path in files} == {0o600}
