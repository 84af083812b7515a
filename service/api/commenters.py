"""Public API for readers on a new device (SPEC 14): ask for a sign-in link, exchange it."""

from flask import current_app, jsonify

from .. import signin
from ..extensions import limiter
from . import api
from .requests import check_origin, parse_body, site_or_404
from .schemas import SignInClaimRequest, SignInLinkRequest


def _signin_rate_limit():
    return current_app.config["TANDEM_SIGNIN_RATE_LIMIT"]


@api.post("/commenters/link")
@limiter.limit(_signin_rate_limit)
def ask_for_sign_in_link():
    """Always 202 with nothing in it: whether a mail goes out is not the caller's to know."""
    asked = parse_body(SignInLinkRequest)
    site = site_or_404(asked.site)
    check_origin(site)
    signin.request_link(site, asked.email, asked.url)
    return jsonify({}), 202


@api.post("/commenters/claim")
@limiter.limit(_signin_rate_limit)
def claim_sign_in_link():
    claimed = parse_body(SignInClaimRequest)
    site = site_or_404(claimed.site)
    check_origin(site)
    signed_in = signin.claim(site, claimed.claim)
    return jsonify(commenter_token=signed_in.commenter_token, author=signed_in.author, email=signed_in.email,
                   website=signed_in.website)
