"""Pages outside the JSON API: the demo post and the health check."""

from flask import Blueprint, jsonify, render_template, request
from sqlalchemy import text

from .db import db
from .errors import ApiError

pages = Blueprint("pages", __name__)


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
