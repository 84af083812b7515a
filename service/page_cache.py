"""The speed trick of the read side: each worker keeps the serialised pages of the threads it
served, keyed by the site's and the thread's version, which every write bumps in its transaction.
A cached page is thus checked against the version the read looks up anyway, never trusted for a
fixed time, and needs no invalidation.
"""

import hashlib
import threading
from collections import OrderedDict


def of(app):
    """The app's cache of pages (one app per worker process in production), made on first use:
    not built on every read only to be thrown away by `setdefault`."""
    cache = app.extensions.get("tandem_page_cache")
    return cache if cache is not None else app.extensions.setdefault("tandem_page_cache", PageCache())


class Lookup:
    """The cheap facts a read needs before deciding whether anything must be built."""

    def __init__(self, site_id, site_version, thread_id, thread_version):
        self.site_id, self.site_version = site_id, site_version
        self.thread_id, self.thread_version = thread_id, thread_version

    def etag(self, *params):
        raw = "|".join(str(part) for part in (self.site_id, self.site_version, self.thread_id, self.thread_version, *params))
        return hashlib.blake2b(raw.encode(), digest_size=12).hexdigest()


class PageCache:
    """A small LRU of serialised pages per worker, bounded in bytes so workers stay small.

    One entry per slot (site, URI and paging parameters) holding the page of one version: a newer
    version replaces the older page at once, so superseded pages never take up the budget.
    """

    def __init__(self, max_bytes=8 * 1024 * 1024):
        self.max_bytes, self.size = max_bytes, 0
        self.entries = OrderedDict()
        self.lock = threading.Lock()

    def get(self, slot, etag):
        """The page cached in `slot`, if it is of the version `etag` names."""
        with self.lock:
            entry = self.entries.get(slot)
            if entry is None or entry[0] != etag:
                return None
            self.entries.move_to_end(slot)
            return entry[1]

    def put(self, slot, etag, body):
        with self.lock:
            old = self.entries.pop(slot, None)
            if old is not None:
                self.size -= len(old[1])
            self.entries[slot] = (etag, body)
            self.size += len(body)
            while self.size > self.max_bytes and self.entries:
                _, (_, dropped) = self.entries.popitem(last=False)
                self.size -= len(dropped)
