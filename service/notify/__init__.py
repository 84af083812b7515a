"""Notifications: the outbox written with each comment, and the worker that delivers it."""


def start_background_worker(app):
    """Deliver the outbox from a thread of the serving process (the full worker comes with notifications)."""
    return None
