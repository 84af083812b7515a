"""Checks of the values an import file gives, each refusal one line naming where in the file.

Import files come from elsewhere, so every value is checked for its type and range before it is
used: a wrong one stops the import with `PATH, PLACE: 'field' must be ..., not VALUE.` (and
nothing is stored), never a traceback. Every importer uses these, so the message reads the same.
"""

from datetime import datetime, timezone

from .xmlstream import BadImportFile

# A comment's like count is stored as a number, never as a row per like, so this bound is about
# plausibility and the database's integer, not memory.
MAX_LIKES = 100_000
_EARLIEST, _LATEST = datetime(1970, 1, 1), datetime(9999, 12, 31)


def refuse(path, place, field, expected, value):
    """The one-line refusal for a value that is not what the field needs."""
    shown = repr(value)
    if len(shown) > 60:
        shown = shown[:57] + "..."
    return BadImportFile(f"{path}, {place}: {field!r} must be {expected}, not {shown}.")


def likes(value, path, place):
    """A like count: a whole number from 0 to MAX_LIKES (a missing one is 0)."""
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_LIKES:
        raise refuse(path, place, "likes", f"a whole number from 0 to {MAX_LIKES:,}", value)
    return value


def string(value, path, place, field, required=False):
    """A text value; None (or absent) is allowed unless `required`."""
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise refuse(path, place, field, "a string" if required else "a string or null", value)
    return value


def flag(value, path, place, field):
    """A yes/no value: true, false or absent."""
    if value is None:
        return False
    if not isinstance(value, bool):
        raise refuse(path, place, field, "true or false", value)
    return value


def iso_time(value, path, place, field, required=False):
    """A UTC time written as ISO 8601, such as 2026-11-25T10:22:41Z; stored naive."""
    if value is None and not required:
        return None
    try:
        moment = datetime.fromisoformat(value.removesuffix("Z"))
        if moment.tzinfo is not None:
            moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    except (TypeError, ValueError, AttributeError):
        raise refuse(path, place, field, "a time such as 2026-11-25T10:22:41Z", value) from None
    return _in_range(moment, value, path, place, field)


def unix_time(value, path, place, field, required=True):
    """Seconds since 1970 (Isso's times), as a naive UTC time."""
    if value is None and not required:
        return None
    try:
        if isinstance(value, (bool, bytes)):
            raise TypeError
        moment = datetime.fromtimestamp(float(value), timezone.utc).replace(tzinfo=None)
    except (TypeError, ValueError, OverflowError, OSError):
        raise refuse(path, place, field, "a time in seconds since 1970", value) from None
    return _in_range(moment, value, path, place, field)


def _in_range(moment, value, path, place, field):
    if not _EARLIEST <= moment <= _LATEST:
        raise refuse(path, place, field, "a time from 1970 to 9999", value)
    return moment
