"""Pages outside the JSON API: the demo post, the health check and the favicon."""

from pathlib import Path

from flask import Blueprint, jsonify, render_template, request, send_from_directory
from sqlalchemy import text

from .db import db
from .errors import ApiError
from .text import clean_line

pages = Blueprint("pages", __name__)
STATIC_FOLDER = Path(__file__).resolve().parent / "static"


@pages.app_template_filter("one_line")
def one_line(value):
    """A stored name or title as one line of a page's `<title>`, whatever it was stored with."""
    return clean_line(value)


@pages.get("/")
def demo_post():
    """A sample blog post with the widget under it, so a new install shows itself working."""
    return render_template("demo.html", site_key="demo", service_url=request.host_url.rstrip("/"))


@pages.get("/healthz")
def health():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any failure to reach the database means "not healthy"
        db.session.rollback()
        raise ApiError("unavailable", "The database is unreachable.") from None
    return jsonify(ok=True)


@pages.get("/favicon.ico")
def favicon_ico():
    """Browsers ask every server for its icon; Tandem's, so tabs and bookmarks show it."""
    return _static_file("favicon.ico", "image/vnd.microsoft.icon")


@pages.get("/favicon.svg")
def favicon_svg():
    return _static_file("favicon.svg", "image/svg+xml")


def _static_file(name, mimetype):
    response = send_from_directory(STATIC_FOLDER, name, mimetype=mimetype, max_age=86400)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
