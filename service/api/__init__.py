"""The public JSON API that the widget (and anyone) talks to: SPEC section 3."""

from flask import Blueprint

api = Blueprint("api", __name__, url_prefix="/api")

from . import commenters, cors, openapi, subscriptions, views  # noqa: E402,F401  (routes register on import)
