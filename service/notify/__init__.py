"""Notifications: the outbox written with each comment, and the worker that delivers it.

`outbox` is the request side (rows only); `worker` claims and delivers them through
`deliveries` (mail via `letters` and `mail`, `webhooks`, `akismet`); `views` and `actions`
serve the links in the mails; `log` shows owners what was delivered.
"""

import ctypes
import multiprocessing
import signal

PR_SET_PDEATHSIG = 1  # Linux prctl: a signal for this process when its parent dies


def start_delivery_process(app, interval=5.0):
    """Deliver the outbox from a child process of `tandem serve` (without --no-worker).

    Not from a thread of the server's master process: gunicorn forks its workers from the master,
    and a fork while that thread was inside SQLite handed the new worker SQLite's locks, held by a
    thread the worker does not have; its first connection then waited forever and the worker hung
    (seen on 2026-11-29 under load). The master stays single-threaded; this child is forked before
    gunicorn starts, and stops when the master exits or dies.
    """
    process = multiprocessing.get_context("fork").Process(
        target=_deliver_until_stopped, args=(app, interval), name="tandem-notify", daemon=True)
    process.start()
    return process


def _deliver_until_stopped(app, interval):
    from ..db import db
    from .worker import Worker

    try:
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):  # not Linux: the master's exit still stops it (daemon)
        pass
    with app.app_context():
        db.engine.dispose(close=False)  # the master's pooled connections stay the master's
    worker = Worker(app, interval)
    for stop_signal in (signal.SIGTERM, signal.SIGINT):  # finish the delivery at hand, then exit
        signal.signal(stop_signal, lambda _signal, _frame: worker.stop())
    worker.run()
