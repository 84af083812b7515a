"""The admin JSON API (SPEC 6): each view checks the bearer token, parses, makes one service call, serialises.

Errors are `ApiError`s, so they leave in the SPEC 11 envelope: 401 without a valid token,
403 for a site the account does not moderate.
"""

from flask import Response, g, jsonify, request

from .. import clock, management, moderation, sites
from ..accounts import moderator_for_token
from ..api.requests import parse_body
from ..errors import ApiError
from . import admin_api
from .queries import parse_filters, private_comment, private_page
from .schemas import Approval, AuthorReply, CommentText, NewBan, NewSite, SiteChange, ThreadClosing, ThreadCorrection


@admin_api.before_request
def authenticate():
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    account = moderator_for_token(token.strip()) if scheme.lower() == "bearer" else None
    if account is None:
        raise ApiError("unauthorized", "Send a valid admin token: Authorization: Bearer TOKEN.")
    g.api_moderator = account


def _me():
    return g.api_moderator


def _one(comment):
    return jsonify(comment=private_comment(comment))


def _site_info(site):
    return {"key": site.key, "name": site.name, "origins": site.origins, "settings": sites.settings_for(site, _me().is_owner),
            "snippet": sites.snippet(site, request.host_url.rstrip("/"))}


@admin_api.get("/comments")
def list_comments():
    found, older = private_page(_me(), parse_filters(request.args))
    return jsonify(comments=found, next=older)


@admin_api.post("/comments/<id:comment_id>/approve")
def approve(comment_id):
    approval = parse_body(Approval) if request.get_data() else Approval()
    return _one(moderation.decide(_me(), [comment_id], "approve", trust=approval.trust, now=clock.now())[0])


@admin_api.post("/comments/<id:comment_id>/<any(reject, spam):action>")
def reject_or_spam(comment_id, action):
    return _one(moderation.decide(_me(), [comment_id], action, now=clock.now())[0])


@admin_api.post("/comments/<id:comment_id>/<any(pin, unpin):action>")
def pin(comment_id, action):
    return _one(moderation.set_pinned(_me(), comment_id, action == "pin", now=clock.now()))


@admin_api.post("/comments/<id:comment_id>/<any(heart, unheart):action>")
def heart(comment_id, action):
    return _one(moderation.set_hearted(_me(), comment_id, action == "heart"))


@admin_api.patch("/comments/<id:comment_id>")
def edit(comment_id):
    return _one(moderation.edit(_me(), comment_id, parse_body(CommentText).text, now=clock.now()))


@admin_api.delete("/comments/<id:comment_id>")
def delete(comment_id):
    moderation.delete(_me(), comment_id, now=clock.now())
    return Response(status=204)


@admin_api.post("/comments")
def reply():
    body = parse_body(AuthorReply)
    site = management.site_for(_me(), body.site)
    posted = moderation.reply(_me(), site, body.uri, body.text, parent_id=body.parent, author_name=body.author,
                              now=clock.now())
    return jsonify(comment=private_comment(posted.comment)), 201


@admin_api.get("/sites")
def list_sites():
    return jsonify(sites=[_site_info(site) for site in management.visible_sites(_me())])


@admin_api.post("/sites")
def create_site():
    body = parse_body(NewSite)
    created = management.create_site(_me(), body.key, body.name, body.origins, body.settings)
    return jsonify(site=_site_info(created)), 201


@admin_api.patch("/sites/<key>")
def change_site(key):
    site = management.site_for(_me(), key)
    body = parse_body(SiteChange)
    return jsonify(site=_site_info(management.update_site(_me(), site, name=body.name, origins=body.origins,
                                                          settings=body.settings)))


@admin_api.post("/bans")
def ban():
    body = parse_body(NewBan)
    if body.comment is not None:
        banned, spam = moderation.ban_writers(_me(), [body.comment], body.kinds, now=clock.now())
        return jsonify(banned=banned, spam=[comment.id for comment in spam]), 201
    if not body.site:
        raise ApiError("validation_failed", "Give a comment, or a site with an e-mail or IP address.", "site")
    site = management.site_for(_me(), body.site)
    banned = moderation.ban_address(_me(), site, email=body.email, ip=body.ip, note=body.note, now=clock.now())
    return jsonify(banned=banned, spam=[]), 201


@admin_api.post("/threads/close")
def close_thread():
    body = parse_body(ThreadClosing)
    thread = moderation.set_closed(_me(), management.site_for(_me(), body.site), body.uri, body.closed, now=clock.now())
    return jsonify(thread={"site": body.site, "uri": thread.uri, "closed": thread.closed})


@admin_api.patch("/threads")
def correct_thread():
    body = parse_body(ThreadCorrection)
    site = management.site_for(_me(), body.site)
    thread = moderation.correct_thread(_me(), site, body.uri, title=body.title, url=body.url, now=clock.now())
    return jsonify(thread={"site": site.key, "uri": thread.uri, "title": thread.title, "url": thread.url,
                           "closed": thread.closed})
