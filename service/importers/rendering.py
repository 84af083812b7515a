"""Imported comments' HTML, made in worker processes for large imports while the file is still being read.

Sanitising is the slowest step of an import (bleach parses every comment), and it is a pure
function of the text, so batches go to a process pool, one per core; small imports never start one.
"""

from collections import deque
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

from .. import text


def to_html(markup, source, stored_html):
    """`markdown` (Isso) is rendered like a new comment; `html` (WordPress, Disqus) and `rendered`
    (a Tandem export) are sanitised with the same allow-list."""
    if markup == "markdown":
        return text.render(source) if source.strip() else ""
    if markup == "html":
        return text.sanitise_html(source, line_breaks=True)
    return text.sanitise_html(stored_html or "")


def render_batch(items):
    return [to_html(*item) for item in items]


class BatchRenderer:
    """Hands back `(batch, htmls)` in the order batches were given, keeping every core busy."""

    def __init__(self, workers=1):
        self.workers = workers
        self._pool = None
        self._in_flight = deque()

    def submit(self, batch, items, last=False):
        if self._pool is None and (self.workers <= 1 or last):
            self._in_flight.append((batch, None, render_batch(items)))
            return
        if self._pool is None:
            # Spawned, not forked: workers must not share the importer's database connection.
            self._pool = ProcessPoolExecutor(self.workers, mp_context=get_context("spawn"))
        self._in_flight.append((batch, self._pool.submit(render_batch, items), None))

    def done(self, everything=False):
        """Finished batches, oldest first; waits only when more are in flight than workers can take."""
        while self._in_flight and (everything or len(self._in_flight) > self.workers or self._ready()):
            batch, future, htmls = self._in_flight.popleft()
            yield batch, htmls if future is None else future.result()

    def close(self):
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def _ready(self):
        future = self._in_flight[0][1]
        return future is None or future.done()
