"""The app's clock. Views read the time here and pass it to the service functions (which take
`now`), so tests move the clock of their app instead of rewriting timestamps or sleeping."""

from collections.abc import Callable
from datetime import datetime

from flask import Flask, current_app

from .models import utcnow


def install(app: Flask, clock: Callable[[], datetime] = utcnow) -> None:
    """Give `app` its clock: a function returning the time as naive UTC (the real time by default)."""
    app.extensions["tandem_clock"] = clock


def now() -> datetime:
    """The time by the current app's clock."""
    clock: Callable[[], datetime] = current_app.extensions["tandem_clock"]
    return clock()
