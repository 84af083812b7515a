"""The widget's files as browsers get them, minified once: embed.js and embed.css, count.js, and the
parts of the widget that embed.js loads only when a reader needs them (solver.js, mail.js, own.js).

The sources in embed/ are written for people (named helpers and constants, comments); readers'
browsers get them minified by rjsmin and rcssmin, which only drop comments and whitespace, so
the 12 KB gzipped budget (tests/test_embed_files.py) counts what is actually served. Minifying
takes a few milliseconds per file, so it is done once, when the app is created, not per request.
"""

from pathlib import Path

import rcssmin
import rjsmin

MIMETYPES = {"embed.js": "text/javascript", "embed.css": "text/css", "count.js": "text/javascript",
             # loaded by embed.js when needed: the proof-of-work solver; following and signing in by
             # mail; editing and deleting one's own comments
             "solver.js": "text/javascript", "mail.js": "text/javascript", "own.js": "text/javascript"}


def minify(filename: str, source: str) -> str:
    """`source` without comments or needless whitespace; the kind is taken from `filename`."""
    if filename.endswith(".css"):
        return rcssmin.cssmin(source)
    return rjsmin.jsmin(source)


def load(folder: str | Path) -> dict[str, bytes]:
    """Every widget file in `folder`, minified, by name."""
    return {name: minify(name, (Path(folder) / name).read_text(encoding="utf-8")).encode()
            for name in MIMETYPES}
