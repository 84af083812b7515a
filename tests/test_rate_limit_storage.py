"""The per-worker rate-limit counters used without Redis: no thread per request, nothing kept forever."""

import threading
import time

from service.extensions import WorkerMemoryStorage


def test_a_burst_of_hits_starts_no_thread(monkeypatch):
    storage = WorkerMemoryStorage("worker-memory://")
    started = []
    monkeypatch.setattr(threading.Thread, "start", lambda thread: started.append(thread))
    counts = [storage.incr("203.0.113.0", 60) for _ in range(500)]
    assert counts[-1] == 500
    assert started == []


def test_counters_expire_and_are_swept_away():
    storage = WorkerMemoryStorage("worker-memory://")
    storage.incr("198.51.100.0", 0.01)
    time.sleep(0.02)
    storage.SWEEP_SECONDS = 0  # the next hit sweeps
    storage.incr("203.0.113.0", 60)
    assert "198.51.100.0" not in storage.storage
    assert storage.get("203.0.113.0") == 1
