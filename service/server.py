"""`tandem serve`: gunicorn in-process, with the app loaded once and forked into its workers.

Each worker is gunicorn's threaded worker, so a reader whose connection is slow holds one thread,
not the worker; and a request's head (request line and headers) must arrive within
`HEAD_SECONDS`, or the connection is closed, so slow connections cannot hold threads for long.
"""

import ctypes
import errno
import gc
import heapq
import io
import os
import select
import socket
import threading
import time

from gunicorn.app.base import BaseApplication
from gunicorn.workers.gthread import ThreadWorker

SLOTS = 1  # requests of a worker running the app at once (see `admitted`)
THREADS = 64  # per worker: more than the slow connections one client can hold open unnoticed
HEAD_SECONDS = 10.0  # a browser sends a request's head in one packet; a proxy within milliseconds


class HeadDeadlines:
    """Closes the connections whose request head has not arrived by its deadline.

    A connection waiting for its head blocks a thread in gunicorn's parser; shutting its socket
    down makes that read return, so gunicorn drops the connection and frees the thread.
    """

    def __init__(self, seconds):
        self.seconds = seconds
        self.waiting = {}  # socket -> deadline, while its head is being read
        self.queue = []  # (deadline, id, socket), oldest first
        self.lock = threading.Lock()
        self.current = threading.local()

    def start(self):
        threading.Thread(target=self._close_late_ones, name="tandem-head-deadlines", daemon=True).start()

    def reading(self, sock):
        """The calling thread starts reading a request head from `sock`."""
        deadline = time.monotonic() + self.seconds
        with self.lock:
            self.waiting[sock] = deadline
            heapq.heappush(self.queue, (deadline, id(sock), sock))
        self.current.sock = sock

    def arrived(self):
        """The calling thread's request head is complete (or its connection is done)."""
        sock = getattr(self.current, "sock", None)
        if sock is not None:
            with self.lock:
                self.waiting.pop(sock, None)
            self.current.sock = None

    def _close_late_ones(self):
        while True:
            time.sleep(0.5)
            now = time.monotonic()
            with self.lock:
                late = []
                while self.queue and self.queue[0][0] <= now:
                    deadline, _, sock = heapq.heappop(self.queue)
                    if self.waiting.get(sock) == deadline:
                        del self.waiting[sock]
                        late.append(sock)
            for sock in late:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:  # closed meanwhile
                    pass


class ReaderWorker(ThreadWorker):
    """gunicorn's threaded worker with a deadline for every request head (`HeadDeadlines`).

    `handle(conn)` is the worker's per-request entry in a pool thread, and the `pre_request`
    hook runs in that thread once the head is parsed; `tests/test_slow_clients.py` fails if a
    gunicorn release changes either.
    """

    def init_process(self):
        self.head_deadlines = HeadDeadlines(HEAD_SECONDS)
        self.head_deadlines.start()
        super().init_process()

    def handle(self, conn):
        """Serve the connection's requests while the next one follows at once (see `LINGER_MS`)."""
        while True:
            self.head_deadlines.reading(conn.sock)
            try:
                keep_alive = super().handle(conn)
            finally:
                self.head_deadlines.arrived()
            if keep_alive is not True or conn.is_http2 or not self._may_linger() or not _next_request_soon(conn):
                return keep_alive

    def _may_linger(self):
        # While the worker holds fewer connections than threads, a lingering thread keeps no one waiting.
        return self.alive and self.nr_conns < self.cfg.threads


# A kept-alive connection goes back to gunicorn's poller after each answer, and its next request
# comes back to a pool thread: two hand-overs between threads, each a wake-up and a GIL hand-off.
# A client that sends its next request at once (a page's widget, a proxy's pooled connection) is
# served by the same thread instead, if the request arrives within this many milliseconds.
LINGER_MS = 20


def _next_request_soon(conn):
    if conn.parser.unreader.buf.getvalue():  # already read, behind the last request
        return True
    waiting = select.poll()
    waiting.register(conn.sock, select.POLLIN)
    return bool(waiting.poll(LINGER_MS))


def _head_arrived(worker, _request):
    worker.head_deadlines.arrived()


def port_refusal(host, port):
    """Why `tandem serve` cannot listen on host:port (one line), or None. Checked before anything
    is printed: gunicorn alone would retry for seconds after the banner."""
    try:
        family, kind, protocol, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        with socket.socket(family, kind, protocol) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn binds
            probe.bind(address)
    except OSError as error:
        reason = "it is in use (is Tandem running already?)" if error.errno == errno.EADDRINUSE else error.strerror
        return f"Cannot listen on {host}:{port}: {reason}. Choose another with --port (or --host)."
    return None


def _worker_exited(_server, worker):
    """A worker is gone: its live metrics go with it (prometheus_client's multi-process bookkeeping)."""
    from .metrics import process_ended

    process_ended(worker.pid)


def admitted(app, slots, max_body):
    """`app` run by at most `slots` threads of this worker at once, each request's body read first.

    The worker's many threads are for waiting on slow clients, not for running the app side by
    side: SQLite takes one writer at a time and makes the others sleep and retry, and Python runs
    one thread at a time, handing the lock over at a cost. With 32 writers over two workers
    (wrk -c32, 10 s, d's body, a fresh instance) and threads lingering for the next request, one
    slot per worker took 395-412 comments a second at 4.2-4.4 ms of CPU each; two slots 335-350
    at 4.6-4.9 ms (reads of a 10-comment thread: 1,921 and 1,783/s). The gate lets a request in
    only once its body has arrived, so a slow sender holds a thread but never a slot.
    """
    gate = threading.BoundedSemaphore(slots)

    def application(environ, start_response):
        length = environ.get("CONTENT_LENGTH") or ""
        size = int(length) if length.isdigit() else 0
        if 0 < size <= max_body:
            environ["wsgi.input"] = io.BytesIO(environ["wsgi.input"].read(size))
        elif max_body < size <= DRAINED_BYTES:
            _drain(environ["wsgi.input"], size)
            environ["wsgi.input"] = io.BytesIO(b"")  # the app answers 413 from the length alone
        with gate:
            return app(environ, start_response)

    return application


# A body over the limit is still read (and dropped) up to this size before the 413 is sent: closing
# a socket with unread data resets it, and a proxy still sending that body (nginx) then answered
# 502 with its own page instead of passing on the JSON answer.
DRAINED_BYTES = 1 << 20


def _drain(stream, size):
    while size > 0:
        chunk = stream.read(min(size, 65536))
        if not chunk:
            return
        size -= len(chunk)


class Server(BaseApplication):
    def __init__(self, app, options):
        self.application, self.options = app, options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return admitted(self.application, SLOTS, self.application.config["MAX_CONTENT_LENGTH"])


M_ARENA_MAX = -8  # glibc's mallopt parameter, as MALLOC_ARENA_MAX sets it


def fewer_malloc_arenas(arenas=2):
    """Two malloc arenas for the server and its workers instead of glibc's eight per core.

    glibc gives each thread that allocates an arena of its own, and freed memory stays in its arena:
    with a worker's many threads, each worker's peak RSS after a write load was ~20 MB higher than
    with two arenas, at no measurable cost in speed (bench/README.md). An operator's own
    MALLOC_ARENA_MAX wins; elsewhere than glibc nothing changes."""
    if "MALLOC_ARENA_MAX" in os.environ:
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    return bool(mallopt(M_ARENA_MAX, arenas))


def serve(app, host, port, workers):
    """Run `app` under gunicorn's threaded workers; each worker opens its own database connections."""

    def post_fork(_server, _worker):
        from flask import has_app_context

        from .db import db

        # A context pushed in the master would be every request's context in this worker.
        if has_app_context():
            raise RuntimeError("An app context is pushed in the server process; requests would share it.")

        with app.app_context():
            db.engine.dispose(close=False)

    options = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "worker_class": ReaderWorker,
        # gunicorn_h1c parses request heads in C: 100 µs less CPU per request than the Python parser.
        "http_parser": "fast",
        "threads": THREADS,
        "preload_app": True,
        "post_fork": post_fork,
        "pre_request": _head_arrived,
        "child_exit": _worker_exited,
        "timeout": 30,
        "accesslog": None,
        "errorlog": "-",
        "control_socket_disable": True,  # one shared path in $HOME would be every instance's
    }
    # Everything loaded so far lives as long as the workers: keep it out of the collector's scans,
    # which would take tens of milliseconds each and copy the master's pages into every worker.
    # A request allocates thousands of short-lived objects: collecting the youngest generation
    # every 7,000 allocations instead of 700 spares a comment's write about 6 % of its CPU.
    fewer_malloc_arenas()
    gc.collect()
    gc.freeze()
    gc.set_threshold(7000)
    Server(app, options).run()
