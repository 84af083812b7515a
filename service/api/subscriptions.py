"""`POST /api/subscriptions`: follow a thread (SPEC 14). The view parses; `notify.following` does the work."""

from flask import jsonify

from .. import fields
from ..extensions import limiter
from ..notify import following
from ..text import normalise_uri
from . import api
from .requests import check_origin, configured_limit, parse_body, site_or_404
from .schemas import NewSubscription


@api.post("/subscriptions")
@limiter.limit(configured_limit("RATE_LIMIT"))
def follow_thread():
    """Always `202 {}` once the input is valid: whether the address already follows stays unsaid."""
    asked = parse_body(NewSubscription)
    site = site_or_404(asked.site)
    check_origin(site)
    email = fields.check_email(asked.email, required=True)
    following.follow(site, normalise_uri(asked.uri), email, asked.digest)
    return jsonify({}), 202
