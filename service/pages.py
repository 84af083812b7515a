"""Pages outside the JSON API: the demo post, the widget's files and the health check."""

from flask import Blueprint, current_app, jsonify, render_template, request, send_from_directory
from sqlalchemy import text

from .db import db
from .errors import ApiError

pages = Blueprint("pages", __name__)

EMBED_FILES = {"embed.js", "embed.css", "count.js"}


@pages.get("/")
def demo_post():
    """A sample blog post with the widget under it, so a new install shows itself working."""
    return render_template("demo.html", site_key="demo", service_url=request.host_url.rstrip("/"))


@pages.get("/<any(embed.js, embed.css, count.js):filename>")
def embed_file(filename):
    response = send_from_directory(current_app.config["EMBED_FOLDER"], filename, max_age=3600)
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@pages.get("/healthz")
def health():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any failure to reach the database means "not healthy"
        db.session.rollback()
        raise ApiError("unavailable", "The database is unreachable.") from None
    return jsonify(ok=True)
