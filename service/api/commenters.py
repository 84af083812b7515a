"""Public API for readers on a new device (SPEC 14): ask for a sign-in link, exchange it."""

from flask import jsonify

from .. import signin
from ..extensions import limiter
from . import api
from .requests import check_origin, configured_limit, parse_body, site_or_404
from .schemas import SignInClaimRequest, SignInLinkRequest


@api.post("/commenters/link")
@limiter.limit(configured_limit("SIGNIN_RATE_LIMIT"))
def ask_for_sign_in_link():
    """Always 202 with nothing in it: whether a mail goes out is not the caller's to know."""
    asked = parse_body(SignInLinkRequest)
    site = site_or_404(asked.site)
    check_origin(site)
    signin.request_link(site, asked.email, asked.url)
    return jsonify({}), 202


@api.post("/commenters/claim")
@limiter.limit(configured_limit("SIGNIN_RATE_LIMIT"))
def claim_sign_in_link():
    claimed = parse_body(SignInClaimRequest)
    site = site_or_404(claimed.site)
    check_origin(site)
    signed_in = signin.claim(site, claimed.claim)
    return jsonify(commenter_token=signed_in.commenter_token, author=signed_in.author, email=signed_in.email,
                   website=signed_in.website)
