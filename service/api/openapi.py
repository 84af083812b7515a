"""`GET /api/openapi.json`: the whole HTTP API (public, feed, health, admin) described in one place.

Bodies come from the pydantic models that validate them; query parameters take their enums,
bounds and defaults from the constants the parsing code checks against, so the document cannot
drift from behaviour. tests/test_openapi.py fails when a route under /api is missing here.
"""

from flask import jsonify
from pydantic.json_schema import models_json_schema

from .. import challenge, feeds, fields, threads
from ..admin import queries
from ..admin import schemas as admin_schemas
from ..models import STATUSES
from . import api, schemas

REF = "#/components/schemas/{model}"
ERRORS = {"400": "Bad input", "401": "No valid admin token", "403": "Origin not allowed, or not yours",
          "404": "Not found", "409": "Edit window over", "413": "Body too large",
          "415": "Body not sent as application/json", "429": "Rate limited", "503": "Database unavailable"}
ADMIN_ERRORS = {**ERRORS, "403": "Not a site this account moderates", "409": "Conflict"}
ADMIN_SECURITY: list[dict[str, list[str]]] = [{"adminToken": []}]
SECURITY_SCHEMES = {"adminToken": {"type": "http", "scheme": "bearer",
                                   "description": "From `tandem token create` or /admin/tokens"}}
ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1, "maximum": fields.ID_MAX}}
KEY = {"name": "key", "in": "path", "required": True, "schema": {"type": "string"}}
SITE = {"name": "site", "in": "query", "required": True, "schema": {"type": "string", "minLength": 1}}
PUBLIC_MODELS = [schemas.ThreadPage, schemas.NewComment, schemas.CreatedComment, schemas.OneComment,
                 schemas.CommentEdit, schemas.Challenge, schemas.LikeCount, schemas.CountsQuery, schemas.Counts,
                 schemas.NewSubscription, schemas.Accepted, schemas.SignInLinkRequest, schemas.SignInClaimRequest,
                 schemas.SignedIn, schemas.Health, schemas.Error]


def _json(model):
    return {"content": {"application/json": {"schema": {"$ref": REF.format(model=model.__name__)}}}}


def _query(name, schema=None, description=None):
    parameter = {"name": name, "in": "query", "required": False, "schema": schema or {"type": "string"}}
    return {**parameter, "description": description} if description else parameter


def _header(name, description):
    return {"name": name, "in": "header", "required": False, "schema": {"type": "string"}, "description": description}


def _limit(default, maximum):
    return _query("limit", {"type": "integer", "minimum": 1, "maximum": maximum, "default": default})


def _operation(summary, ok_status, ok_model=None, *, body=None, parameters=(), errors=("400", "404", "503"),
               wording=ERRORS, body_required=True):
    """One operation: its success answer, the SPEC 11 error envelope for each listed status."""
    ok = {"description": {"200": "OK", "201": "Created", "202": "Accepted", "204": "Deleted"}[ok_status]}
    responses = {ok_status: {**ok, **(_json(ok_model) if ok_model else {})}}
    responses.update({status: {"description": wording[status], **_json(schemas.Error)} for status in errors})
    operation = {"summary": summary, "parameters": list(parameters), "responses": responses}
    if body is not None:
        operation["requestBody"] = {"required": body_required, **_json(body)}
    return operation


def _admin(summary, ok_status, ok_model=None, *, body=None, parameters=(), errors=("400", "401", "403", "404")):
    """An admin operation: bearer token, and 415 wherever it takes a body."""
    errors = (*errors, "415") if body is not None else errors
    return {**_operation(summary, ok_status, ok_model, body=body, parameters=parameters, errors=errors,
                         wording=ADMIN_ERRORS, body_required=body is not admin_schemas.Approval),
            "security": ADMIN_SECURITY}


def public_paths():
    thread_query = [
        SITE, {**_query("uri", {"type": "string", "minLength": 1}), "required": True},
        _query("sort", {"type": "string", "enum": list(threads.SORTS), "default": threads.SORTS[0]}),
        _limit(threads.DEFAULT_LIMIT, threads.MAX_LIMIT),
        _query("after", description="The `next` cursor of the previous page."),
    ]
    commenter = _header("X-Commenter-Token", "The token issued with an earlier comment")
    editor = _header("X-Edit-Token", "The edit token given when posting")
    write_errors = ("400", "403", "404", "409", "413", "503")
    thread = _operation("A thread: approved comments as a tree, top level paged", "200", schemas.ThreadPage,
                        parameters=thread_query)
    thread["responses"]["304"] = {"description": "Not modified"}
    like = _header("X-Commenter-Token", "Counts the like once per commenter token the service issued; "
                                        "without one, once per anonymised network")
    minutes = int(challenge.LIFETIME.total_seconds() // 60)
    return {
        "/api/comments": {
            "get": thread,
            "post": _operation("Post a comment", "201", schemas.CreatedComment, body=schemas.NewComment,
                               parameters=[commenter], errors=("400", "403", "404", "413", "415", "429", "503")),
        },
        "/api/comments/{id}": {
            "get": _operation("One comment; its own commenter also sees it while held", "200", schemas.OneComment,
                              parameters=[ID, _header("X-Commenter-Token", "Shows the commenter's own held comment")]),
            "patch": _operation("Edit your own comment within the edit window", "200", schemas.OneComment,
                                body=schemas.CommentEdit, parameters=[ID, editor], errors=(*write_errors, "415")),
            "delete": _operation("Delete your own comment within the edit window", "204", parameters=[ID, editor],
                                 errors=write_errors),
        },
        "/api/comments/{id}/like": {
            method: _operation(summary, "200", schemas.LikeCount, parameters=[ID, like],
                               errors=("403", "404", "409", "429", "503"))
            for method, summary in (("post", "Like a comment"), ("delete", "Take a like back"))
        },
        "/api/challenge": {
            "get": _operation(f"A proof-of-work challenge (ALTCHA v1) for a new comment, good for {minutes} minutes",
                              "200", schemas.Challenge, parameters=[SITE]),
        },
        "/api/counts": {
            "get": _operation("Approved comment counts for many URIs", "200", schemas.Counts, parameters=[
                {**SITE, "schema": {"type": "string"}},
                _query("uri", {"type": "array", "items": {"type": "string"}, "maxItems": schemas.COUNTS_URIS_MAX})]),
            "post": _operation("Approved comment counts for many URIs", "200", schemas.Counts,
                               body=schemas.CountsQuery, errors=("400", "404", "413", "415", "503")),
        },
        "/api/subscriptions": {
            "post": _operation("Follow a thread: after confirming by mail, each new approved comment or a daily digest",
                               "202", schemas.Accepted, body=schemas.NewSubscription,
                               errors=("400", "403", "404", "413", "415", "429", "503")),
        },
        "/api/commenters/link": {
            "post": _operation("Mail a sign-in link for another browser, when a comment on the site was written "
                               "with the address; the same answer either way", "202", schemas.Accepted,
                               body=schemas.SignInLinkRequest, errors=("400", "403", "404", "413", "415", "429", "503")),
        },
        "/api/commenters/claim": {
            "post": _operation("Exchange a sign-in link (once, within the hour) for a commenter token with the "
                               "trust the address earned on the site", "200", schemas.SignedIn,
                               body=schemas.SignInClaimRequest, errors=("400", "403", "404", "413", "415", "429", "503")),
        },
        "/api/feed": {"get": _feed()},
        "/healthz": {
            "get": {"summary": "Whether the service can reach its database", "parameters": [],
                    "responses": {"200": {"description": "OK", **_json(schemas.Health)},
                                  "503": {"description": "Database unreachable", **_json(schemas.Error)}}},
        },
    }


def _feed():
    operation = _operation(f"An Atom 1.0 feed of the {feeds.ENTRIES} newest approved comments of a site, "
                           "or of one thread", "200", parameters=[SITE, _query("uri", description="Only this thread.")],
                           errors=("404", "503"))
    operation["responses"]["200"]["content"] = {"application/atom+xml": {"schema": {"type": "string"}}}
    return operation


def admin_paths():
    listing = [_query("site"), _query("status", {"type": "string", "enum": list(STATUSES)}),
               _query("uri"), _query("q", description="Text or author contains this."),
               _limit(queries.DEFAULT_LIMIT, queries.MAX_LIMIT),
               _query("after", {"type": "integer", "minimum": 1}, "The `next` of the previous page."),
               _query("sort", {"type": "string", "enum": list(queries.SORTS), "default": queries.SORTS[0]},
                      "newest first, or highest spam score first.")]
    comment = admin_schemas.AdminComment

    def decision(summary, body=None, errors=("400", "401", "403", "404")):
        return {"post": _admin(summary, "200", comment, body=body, parameters=[ID], errors=errors)}

    return {
        "/api/admin/comments": {
            "get": _admin("Comments of the sites this account moderates, newest first, private fields included",
                          "200", admin_schemas.AdminComments, parameters=listing),
            "post": _admin("Reply as the blog's author (approved, is_author)", "201", comment,
                           body=admin_schemas.AuthorReply),
        },
        "/api/admin/comments/{id}": {
            "patch": _admin("Change a comment's text", "200", comment, body=admin_schemas.CommentText, parameters=[ID]),
            "delete": _admin("Delete a comment for good (a tombstone keeps its replies' place)", "204",
                             parameters=[ID]),
        },
        "/api/admin/comments/{id}/approve": decision("Approve; trusts the commenter unless trust is false",
                                                     admin_schemas.Approval),
        "/api/admin/comments/{id}/reject": decision("Reject (hide) a comment"),
        "/api/admin/comments/{id}/spam": decision("Mark a comment as spam"),
        "/api/admin/comments/{id}/pin": decision("Pin a comment to the top of its thread"),
        "/api/admin/comments/{id}/unpin": decision("Unpin a comment"),
        "/api/admin/comments/{id}/heart": decision("Heart a shown or held comment: readers see \"♥ by the author\"",
                                                     errors=("400", "401", "403", "404", "409")),
        "/api/admin/comments/{id}/unheart": decision("Take the author's heart back", errors=("400", "401", "403", "404", "409")),
        "/api/admin/sites": {
            "get": _admin("The sites this account moderates", "200", admin_schemas.SiteList, errors=("401",)),
            "post": _admin("Create a site (owners)", "201", admin_schemas.OneSite, body=admin_schemas.NewSite,
                           errors=("400", "401", "403", "409")),
        },
        "/api/admin/sites/{key}": {
            "patch": _admin("Change a site's name, origins or settings (owners)", "200", admin_schemas.OneSite,
                            body=admin_schemas.SiteChange, parameters=[KEY]),
        },
        "/api/admin/bans": {
            "post": _admin("Ban a comment's writer, or an e-mail or IP on a site", "201", admin_schemas.BanResult,
                           body=admin_schemas.NewBan),
        },
        "/api/admin/threads/close": {
            "post": _admin("Close a thread to new comments, or open it again", "200", admin_schemas.ThreadResult,
                           body=admin_schemas.ThreadClosing),
        },
        "/api/admin/threads": {
            "patch": _admin("Correct a thread's title or link (audited)", "200", admin_schemas.CorrectedThread,
                            body=admin_schemas.ThreadCorrection),
        },
    }


def document():
    models = PUBLIC_MODELS + admin_schemas.REQUESTS + admin_schemas.RESPONSES
    _, definitions = models_json_schema([(model, "validation") for model in models], ref_template=REF)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Tandem comments API", "version": "1"},
        "paths": {**public_paths(), **admin_paths()},
        "components": {"schemas": definitions.get("$defs", {}), "securitySchemes": SECURITY_SCHEMES},
    }


@api.get("/openapi.json")
def openapi_document():
    return jsonify(document())
