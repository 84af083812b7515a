"""Rate limits, checked inside the views they guard: a fixed window per anonymised client network.

The counters live in the `limits` storage that RATELIMIT_STORAGE_URI names: Redis when it is
configured (one limit across hosts), else a SQLite file the host's workers share (`ratelimits`).
A storage that fails lets the request through, logged: a limit must not take the service down.

Flask-Limiter did this before 2026-11-30. Its general machinery (limits resolved anew for each
request, exemptions, app-wide hooks that had to be removed again) cost about 150 µs of each
comment's write, a twentieth of it; this is the part of it Tandem uses.
"""

import logging
import math
import time
from collections.abc import Callable
from functools import lru_cache, wraps
from typing import Any, TypeVar, cast

from flask import Flask, current_app, request
from limits import RateLimitItem, parse_many
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter

log = logging.getLogger(__name__)

View = TypeVar("View", bound=Callable[..., Any])


class RateLimited(Exception):
    """A request over its limit; `retry_after` is how many seconds until the refusing window ends."""

    def __init__(self, retry_after: int):
        super().__init__(f"Rate limited for {retry_after} s.")
        self.retry_after = retry_after


class Limiter:
    """Limits for views (`limit`) and for any other count (`hit`), per app and its storage."""

    WARNING_SECONDS = 60.0  # while the storage is away, its failure is logged once a minute, not per request

    def __init__(self, key_func: Callable[[], str]):
        self.key_func = key_func
        self._next_warning = 0.0

    def init_app(self, app: Flask) -> None:
        app.extensions["tandem_limits"] = FixedWindowRateLimiter(storage_from_string(app.config["RATELIMIT_STORAGE_URI"]))

    def limit(self, value: str | Callable[[], str], methods: list[str] | None = None) -> Callable[[View], View]:
        """Decorate a view: a request (of `methods`, else any) over `value` (say "3/minute", or a
        callable giving it when the request comes) raises `RateLimited`. Counted per view."""

        def decorate(view: View) -> View:
            @wraps(view)
            def limited(*args: Any, **kwargs: Any) -> Any:
                if methods is None or request.method in methods:
                    self.check(value() if callable(value) else value, request.endpoint or view.__name__)
                return view(*args, **kwargs)

            return cast(View, limited)

        return decorate

    def check(self, limits: str, scope: str) -> None:
        key = self.key_func()
        for item in parsed(limits):
            if not self.hit(item, scope, key):
                raise RateLimited(self._seconds_left(item, scope, key))

    def hit(self, item: RateLimitItem, *identifiers: str) -> bool:
        """Count a hit in `item`'s window for `identifiers`; False once the window is full."""
        try:
            return bool(self._counter().hit(item, current_app.config["RATELIMIT_KEY_PREFIX"], *identifiers))
        except Exception:  # noqa: BLE001 - any storage failure: let the request through
            if time.monotonic() >= self._next_warning:
                self._next_warning = time.monotonic() + self.WARNING_SECONDS
                log.warning("The rate-limit storage failed; requests are let through until it is back.",
                            exc_info=True)
            return True

    def _seconds_left(self, item: RateLimitItem, *identifiers: str) -> int:
        try:
            reset = self._counter().get_window_stats(item, current_app.config["RATELIMIT_KEY_PREFIX"], *identifiers)[0]
        except Exception:  # noqa: BLE001 - the storage went away between the hit and this read
            return item.get_expiry()
        return max(1, math.ceil(reset - time.time()))

    @staticmethod
    def _counter() -> FixedWindowRateLimiter:
        return cast(FixedWindowRateLimiter, current_app.extensions["tandem_limits"])


@lru_cache(maxsize=64)
def parsed(limits: str) -> tuple[RateLimitItem, ...]:
    """The windows of a limit as the settings write it ("5/minute;20/hour"), parsed once;
    ValueError for one written wrongly."""
    return tuple(parse_many(limits))
