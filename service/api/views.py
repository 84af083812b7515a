"""Public API views: each translates HTTP into one service call and its result back into JSON."""

from flask import Response, current_app, jsonify, request

from .. import challenge, clock, commenters, comments, page_cache, threads
from ..db import db
from ..errors import ApiError, not_found
from ..extensions import limiter
from ..models import APPROVED, Comment
from ..text import normalise_uri
from . import api
from .requests import check_origin, client_ip, configured_limit, parse_body, site_or_404
from .schemas import COUNTS_URIS_MAX, CommentEdit, CountsQuery, NewComment


def _secret():
    return current_app.config["SECRET_KEY"]


def _uri_argument(value):
    if not value:
        raise ApiError("bad_request", "uri is required.", "uri")
    return normalise_uri(value)


@api.get("/comments")
def read_thread():
    site_key = request.args.get("site", "")
    uri = _uri_argument(request.args.get("uri"))
    found = threads.read(site_key, uri, request.args.get("sort"), request.args.get("limit"), request.args.get("after"),
                         secret=_secret(), cache=page_cache.of(current_app), known=request.if_none_match)
    if found.body is None:
        return Response(status=304, headers={"ETag": f'"{found.etag}"'})
    return Response(found.body, mimetype="application/json",
                    headers={"ETag": f'"{found.etag}"', "Cache-Control": "no-cache"})


@api.get("/comments/<id:comment_id>")
def read_comment(comment_id):
    comment = db.session.get(Comment, comment_id)
    token = request.headers.get("X-Commenter-Token")
    if comment is None or not commenters.own_pending_visible(comment, token):
        raise not_found()
    own = commenters.written_by(comment, token)
    return jsonify(comment=_shown(comment, comment.status if own else None))


def _shown(comment, status=None):
    """The public view of a comment, with its status only for the commenter who wrote it."""
    shown = threads.public_comment(comment, _secret())
    if status is not None:
        shown["status"] = "approved" if status == "approved" else "pending"
    return shown


@api.post("/comments")
@limiter.limit(configured_limit("RATE_LIMIT"), methods=["POST"])
def create_comment():
    new = parse_body(NewComment)
    site = site_or_404(new.site)
    check_origin(site)
    author = comments.Author(
        name=new.author, email=new.email, website=new.website, notify=new.notify, honeypot=new.hp or "",
        challenge=new.challenge,
        commenter_token=request.headers.get("X-Commenter-Token"), ip=client_ip(),
    )
    posted = comments.post_comment(
        site, new.uri, new.text, author, parent_id=new.parent, title=new.title, url=new.url, now=clock.now(),
    )
    body = {
        "comment": _shown(posted.comment, posted.public_status),
        "commenter_token": posted.commenter_token,
        "edit_token": posted.edit_token,
        "editable_until": threads.iso(posted.editable_until),
    }
    return jsonify(body), 201


@api.get("/challenge")
def new_challenge():
    """A fresh proof-of-work for a comment on the site; never cached, as each is good once."""
    site = site_or_404(request.args.get("site", ""))
    made = challenge.create(site.key, site.setting("challenge_cost"), _secret(), clock.now())
    response = jsonify(made)
    response.headers["Cache-Control"] = "no-store"
    return response


def _own_comment_site(comment_id):
    """The comment an edit or delete names, once the request may know it exists (SPEC 11: the
    same answer whether or not a hidden comment has this id), then checked against its blog's origins."""
    comment = db.session.get(Comment, comment_id)
    if comment is None or not commenters.known_to_editor(comment, request.headers.get("X-Edit-Token")):
        raise not_found()
    check_origin(comment.site)
    return comment.id


def _likable_comment(comment_id):
    """Only approved comments can be liked; any other id is not found before the origin is looked at."""
    comment = db.session.get(Comment, comment_id)
    if comment is None or comment.status != APPROVED:
        raise not_found()
    check_origin(comment.site)
    return comment.id


@api.patch("/comments/<id:comment_id>")
def edit_comment(comment_id):
    target = _own_comment_site(comment_id)
    edit = parse_body(CommentEdit)
    comment, public_status = comments.edit_comment(target, request.headers.get("X-Edit-Token"), edit.text,
                                                   now=clock.now())
    return jsonify(comment=_shown(comment, public_status))


@api.delete("/comments/<id:comment_id>")
def delete_comment(comment_id):
    target = _own_comment_site(comment_id)
    comments.delete_own_comment(target, request.headers.get("X-Edit-Token"), now=clock.now())
    return Response(status=204)


@api.route("/comments/<id:comment_id>/like", methods=["POST", "DELETE"])
@limiter.limit(configured_limit("LIKE_RATE_LIMIT"))
def like_comment(comment_id):
    target = _likable_comment(comment_id)
    voter = commenters.voter_hash(_secret(), request.headers.get("X-Commenter-Token"), client_ip())
    return jsonify(likes=comments.set_like(target, voter, request.method == "POST"))


@api.route("/counts", methods=["GET", "POST"])
def count_comments():
    if request.method == "POST":
        query = parse_body(CountsQuery)
        site_key, uris = query.site, query.uris
    else:
        site_key, uris = request.args.get("site", ""), request.args.getlist("uri")
        if len(uris) > COUNTS_URIS_MAX:
            raise ApiError("bad_request", f"Ask for at most {COUNTS_URIS_MAX} URIs at once.", "uri")
    wanted = {uri: normalise_uri(uri) for uri in uris}
    found = threads.counts(site_key, wanted.values())
    return jsonify(counts={uri: found.get(key, 0) for uri, key in wanted.items()})
