"""Flask extensions, created unbound and attached to the app in `create_app`."""

import time

from flask import request
from flask_compress import Compress
from flask_limiter import Limiter
from limits.storage import MemoryStorage
from flask_wtf.csrf import CSRFProtect

from .privacy import anonymise_ip


def client_network():
    """Rate limits count per anonymised client address, the same unit the database keeps."""
    return anonymise_ip(request.remote_addr) or "unknown"


class WorkerMemoryStorage(MemoryStorage):
    """limits' per-process counters without the timer thread it starts again every 10 ms under load.

    Starting that thread cost more than the rest of a rate-limit check. Expired counters are
    already dropped when read (`MemoryStorage.get`); the ones nobody reads again are swept
    here, in the request, at most once per `SWEEP_SECONDS`.
    """

    STORAGE_SCHEME = ["worker-memory"]
    SWEEP_SECONDS = 60.0
    _next_sweep = 0.0

    def _MemoryStorage__schedule_expiry(self):  # noqa: N802 - the base class's private hook
        now = time.monotonic()
        if now >= self._next_sweep:
            self._next_sweep = now + self.SWEEP_SECONDS
            self._MemoryStorage__expire_events()


limiter = Limiter(key_func=client_network, default_limits=[])
compress = Compress()
csrf = CSRFProtect()

