"""The one place Tandem reaches into Flask-Limiter: limits are checked in their views only.

Every limit is a decorator on its view, and Flask-Limiter checks those inside the view. Its
app-wide hooks would walk the limits again, add headers we do not send (Retry-After comes from
our error handler) and reset per-request state on every request, reads included. Without them a
cached thread read costs 117 µs of CPU in-process instead of 179 µs (WSGI calls, best of 5 x 3,000,
2026-11-29), so the patch stays. Flask-Limiter has no documented switch for this, so `init_app` removes
the three hooks it installs, and refuses to start when it no longer finds exactly those three:
a new Flask-Limiter that hooks in differently fails every test (tests/test_library_patches.py
names it), rather than silently checking limits twice or not at all.
"""

from collections.abc import Callable
from typing import Any

from flask import Flask
from flask_limiter import Limiter


def init_app(app: Flask, limiter: Limiter) -> None:
    """Attach `limiter` to `app` without its app-wide before, after and teardown request hooks."""
    limiter.init_app(app)
    check = limiter._check_request_limit  # Flask-Limiter's before_request hook
    removed = [
        _remove(app.before_request_funcs, lambda hook: hook == check),
        _remove(app.after_request_funcs, lambda hook: getattr(hook, "args", None) == (limiter,)),
        _remove(app.teardown_request_funcs, lambda hook: getattr(hook, "__self__", None) is limiter),
    ]
    if removed != [1, 1, 1]:
        raise RuntimeError(f"Flask-Limiter's app-wide hooks are not the ones service/limiting.py removes "
                           f"(found {removed} of before/after/teardown); check its release notes.")


def _remove(hooks: dict[Any, list[Any]], is_limiters: Callable[[Any], bool]) -> int:
    """Drop the app-wide hooks `is_limiters` recognises; how many there were."""
    kept = [hook for hook in hooks[None] if not is_limiters(hook)]
    found = len(hooks[None]) - len(kept)
    hooks[None] = kept
    return found
