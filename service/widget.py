"""What readers' browsers fetch outside the JSON API: the widget's files, identicons, and the
thread as a plain HTML page for readers and search engines without JavaScript."""

import hashlib
import json

from flask import Blueprint, Response, abort, current_app, render_template, request

from . import embedfiles, identicon, page_cache, threads
from .db import db
from .errors import ApiError
from .models import Site
from .text import normalise_uri

widget = Blueprint("widget", __name__)
# Blogs link the widget by a fixed URL, so browsers keep it an hour and then revalidate by ETag.
EMBED_CACHE = "public, max-age=3600, stale-while-revalidate=86400"
AVATAR_CACHE = "public, max-age=31536000, immutable"
THREAD_PAGE_CSP = "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'"


def _cacheable(body, mimetype, cache_control):
    """A response validated by a hash of its body; Flask-Compress gzips it and suffixes the ETag."""
    response = Response(body, mimetype=mimetype)
    response.set_etag(hashlib.blake2b(body, digest_size=12).hexdigest())
    response.headers["Cache-Control"] = cache_control
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response.make_conditional(request)


@widget.record_once
def _minify_widget_files(state):
    """The widget's files are minified once, as the app is created (see embedfiles)."""
    state.app.extensions["tandem_embed_files"] = embedfiles.load(state.app.config["EMBED_FOLDER"])


@widget.get(f"/<any({', '.join(embedfiles.MIMETYPES)}):filename>")
def embed_file(filename):
    body = current_app.extensions["tandem_embed_files"][filename]
    response = _cacheable(body, embedfiles.MIMETYPES[filename], EMBED_CACHE)
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@widget.get("/avatar/<avatar_hash>.svg")
def avatar(avatar_hash):
    try:
        picture = identicon.svg(avatar_hash)
    except ValueError:
        abort(404)
    response = _cacheable(picture.encode(), "image/svg+xml", AVATAR_CACHE)
    response.headers["Content-Security-Policy"] = "default-src 'none'"
    return response


@widget.get("/t/<site_key>/")
def thread_page(site_key):
    """The thread as the API serialises it, rendered as HTML: approved comments, threaded, paged."""
    uri = normalise_uri(request.args.get("uri") or "/")
    try:
        found = threads.read(site_key, uri, "oldest", threads.MAX_LIMIT, request.args.get("after"),
                             secret=current_app.config["SECRET_KEY"], cache=page_cache.of(current_app))
    except ApiError:
        abort(404)
    page = json.loads(found.body)  # the service's own page, as the API serves it
    site = db.session.get(Site, found.site_id)
    html = render_template(
        "thread.html", site=site, uri=uri, page=page, post_url=site.origins[0] + uri if site.origins else None,
    )
    response = Response(html, mimetype="text/html")
    response.headers["Content-Security-Policy"] = THREAD_PAGE_CSP
    return response
