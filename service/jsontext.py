"""Reading JSON that strangers wrote: nesting is bounded and every string is real Unicode.

Python's parser recurses once per `[` or `{`, so a body of a thousand brackets exhausts the
interpreter's recursion limit; and a `\\ud800` escape decodes to a lone surrogate, a string
no database driver can encode. Both are refused here, before anything else sees the value.
"""

import itertools
import json
import re

MAX_NESTING = 32  # the deepest document the service reads (a settings list in an admin body) is 3

# A string (to its end, closed or not) or a bracket, matched left to right in one linear pass.
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"?|[\[\]{}]', re.DOTALL)
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


class UnreadableJson(ValueError):
    """Not JSON the service will read; the message says why, for a person."""


def nesting(text):
    """How deeply arrays and objects nest in the JSON `text` (brackets inside strings do not count)."""
    steps = (_STEP.get(token, 0) for token in _TOKEN.findall(text))
    return max(itertools.accumulate(steps), default=0)


def loads(text, max_nesting=MAX_NESTING):
    """The value of the JSON `text`, or UnreadableJson when it is not JSON, nests deeper than
    `max_nesting`, or holds a lone surrogate."""
    # A document cannot nest deeper than it has opening brackets; counting them is a tenth of the scan.
    if text.count("[") + text.count("{") > max_nesting and nesting(text) > max_nesting:
        raise UnreadableJson(f"The JSON nests deeper than {max_nesting} levels.")
    try:
        value = json.loads(text)
    except ValueError:
        raise UnreadableJson("The request body is not valid JSON.") from None
    if _SURROGATE_ESCAPE.search(text):
        try:
            json.dumps(value, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise UnreadableJson("The JSON holds a lone surrogate (such as \\ud800), which is no character.") from None
    return value
