"""Tandem: self-hosted threaded comments for blogs. `create_app` builds the Flask application."""

from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from . import clock, sessions
from .config import DEFAULTS, ensure_secret_key, load_config, prepare_instance
from .ratelimits import storage_uri

PACKAGE_ROOT = Path(__file__).resolve().parent
MIGRATIONS = PACKAGE_ROOT / "migrations"
EMBED_FOLDER = PACKAGE_ROOT / "embed"  # a link to the repository's embed/, so an installed package has the widget too


def create_app(test_config=None, environ=None):
    """Make the app from the environment (or `test_config`), with its extensions and blueprints."""
    settings = load_config(environ, test_config)
    app = Flask(__name__, instance_path=settings["INSTANCE"], static_folder=None)
    # The SQLite file lives here even when the secret key comes from the environment.
    prepare_instance(settings["INSTANCE"], settings["DATABASE_URL"])
    app.config.update({f"TANDEM_{key}": value for key, value in settings.items()})
    app.config.update(
        SECRET_KEY=settings["SECRET_KEY"] or ensure_secret_key(settings["INSTANCE"]),
        SQLALCHEMY_DATABASE_URI=settings["DATABASE_URL"],
        SQLALCHEMY_ENGINE_OPTIONS=_engine_options(settings["DATABASE_URL"]),
        MAX_CONTENT_LENGTH=settings["MAX_BODY_BYTES"],
        JSON_SORT_KEYS=False,
        # One limit per host without Redis (counters in the instance folder), across hosts with it.
        RATELIMIT_STORAGE_URI=settings["REDIS_URL"] or storage_uri(settings["INSTANCE"]),
        RATELIMIT_KEY_PREFIX="",  # hosts sharing one Redis for several services tell their counters apart
        COMPRESS_MIN_SIZE=1024,
        COMPRESS_ALGORITHM=["gzip"],
        COMPRESS_MIMETYPES=["application/json", "text/html", "text/css", "application/javascript",
                            "text/javascript", "image/svg+xml", "application/atom+xml"],
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        EMBED_FOLDER=str(EMBED_FOLDER),
    )
    if test_config:
        app.config.update({key: value for key, value in test_config.items() if key not in DEFAULTS})
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    if settings["TRUSTED_PROXIES"]:
        proxies = settings["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    sessions.init_app(app)
    clock.install(app)
    _init_extensions(app)
    _register_blueprints(app)
    return app


def _engine_options(url):
    """Reuse the most recent pooled connection (its cache is warm); ping it first only where a
    server can drop it, which a SQLite file cannot. A statement's parameters (a commenter's
    e-mail, name, text) never appear in an error's message, so never in a log."""
    options = {"pool_use_lifo": True, "hide_parameters": True}
    return options if url.startswith("sqlite") else {**options, "pool_pre_ping": True}


def _init_extensions(app):
    from .db import db
    from .extensions import compress, csrf, limiter

    db.init_app(app)
    limiter.init_app(app)
    compress.init_app(app)
    csrf.init_app(app)


def _register_blueprints(app):
    from .api import api
    from .api.errors import register as register_error_handlers
    from .api.requests import IdConverter
    from .extensions import csrf
    from .pages import pages
    from .widget import widget

    app.url_map.converters["id"] = IdConverter
    csrf.exempt(api)
    app.register_blueprint(api)
    app.register_blueprint(pages)
    app.register_blueprint(widget)
    from .feeds import feeds
    from .notify.views import register as register_notify_pages

    app.register_blueprint(feeds)
    register_notify_pages(app)
    from .admin import admin, admin_api

    csrf.exempt(admin_api)
    app.register_blueprint(admin)
    app.register_blueprint(admin_api)
    register_error_handlers(app)
    from . import observe

    observe.init_app(app)
