"""Notifications: the outbox written with each comment, and the worker that delivers it.

`outbox` is the request side (rows only); `worker` claims and delivers them through
`deliveries` (mail via `letters` and `mail`, `webhooks`, `akismet`); `views` and `actions`
serve the links in the mails; `log` shows owners what was delivered.
"""

import threading


def start_background_worker(app, interval=5.0):
    """Deliver the outbox from a daemon thread of the serving process (`tandem serve` without --no-worker)."""
    from .worker import Worker

    worker = Worker(app, interval)
    threading.Thread(target=worker.run, name="tandem-notify", daemon=True).start()
    return worker
