"""`GET /api/openapi.json`: the API described from the same schemas that validate it."""

from flask import jsonify
from pydantic.json_schema import models_json_schema

from ..admin.openapi import extend as add_admin_api
from .. import fields
from . import api, schemas

REF = "#/components/schemas/{model}"
ERROR_STATUSES = {"400": "Bad input", "403": "Origin not allowed, or not yours", "404": "Not found",
                  "409": "Edit window over", "413": "Body too large",
                  "415": "Body not sent as application/json", "429": "Rate limited",
                  "503": "Database unavailable"}


def _json(model):
    return {"content": {"application/json": {"schema": {"$ref": REF.format(model=model.__name__)}}}}


def _responses(ok_status, ok_model=None, errors=("400", "404", "503"), description="OK"):
    responses = {ok_status: {"description": description, **(_json(ok_model) if ok_model else {})}}
    for status in errors:
        responses[status] = {"description": ERROR_STATUSES[status], **_json(schemas.Error)}
    return responses


def _query(name, required=False, schema=None, description=None):
    parameter = {"name": name, "in": "query", "required": required, "schema": schema or {"type": "string"}}
    if description:
        parameter["description"] = description
    return parameter


def _header(name, description):
    return {"name": name, "in": "header", "required": False, "schema": {"type": "string"}, "description": description}


ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1, "maximum": fields.ID_MAX}}
WRITE_ERRORS = ("400", "403", "404", "409", "413", "503")


def _paths():
    thread_query = [
        _query("site", True, {"type": "string", "minLength": 1}),
        _query("uri", True, {"type": "string", "minLength": 1}),
        _query("sort", schema={"type": "string", "enum": ["oldest", "newest", "top"]}),
        _query("limit", schema={"type": "integer", "minimum": 1, "maximum": 200}),
        _query("after", description="The `next` cursor of the previous page."),
    ]
    return {
        "/api/comments": {
            "get": {"summary": "A thread: approved comments as a tree, top level paged",
                    "parameters": thread_query,
                    "responses": {**_responses("200", schemas.ThreadPage), "304": {"description": "Not modified"}}},
            "post": {"summary": "Post a comment",
                     "parameters": [_header("X-Commenter-Token", "The token issued with an earlier comment")],
                     "requestBody": {"required": True, **_json(schemas.NewComment)},
                     "responses": _responses("201", schemas.CreatedComment, ("400", "403", "404", "413", "415", "429", "503"),
                                             "Created")},
        },
        "/api/comments/{id}": {
            "get": {"summary": "One comment; its own commenter also sees it while held",
                    "parameters": [ID, _header("X-Commenter-Token", "Shows the commenter's own held comment")],
                    "responses": _responses("200", schemas.OneComment)},
            "patch": {"summary": "Edit your own comment within the edit window",
                      "parameters": [ID, _header("X-Edit-Token", "The edit token given when posting")],
                      "requestBody": {"required": True, **_json(schemas.CommentEdit)},
                      "responses": _responses("200", schemas.OneComment, (*WRITE_ERRORS, "415"))},
            "delete": {"summary": "Delete your own comment within the edit window",
                       "parameters": [ID, _header("X-Edit-Token", "The edit token given when posting")],
                       "responses": _responses("204", None, WRITE_ERRORS, "Deleted")},
        },
        "/api/comments/{id}/like": {
            method: {"summary": summary,
                     "parameters": [ID, _header("X-Commenter-Token", "Counts the like once per commenter token "
                                                   "the service issued; without one, once per anonymised network")],
                     "responses": _responses("200", schemas.LikeCount, ("403", "404", "409", "429", "503"))}
            for method, summary in (("post", "Like a comment"), ("delete", "Take a like back"))
        },
        "/api/challenge": {
            "get": {"summary": "A proof-of-work challenge (ALTCHA v1) for a new comment, good for 10 minutes",
                    "parameters": [_query("site", True, {"type": "string", "minLength": 1})],
                    "responses": _responses("200", schemas.Challenge)},
        },
        "/api/counts": {
            "get": {"summary": "Approved comment counts for many URIs",
                    "parameters": [_query("site", True), _query("uri", schema={"type": "array", "items": {"type": "string"}})],
                    "responses": _responses("200", schemas.Counts)},
            "post": {"summary": "Approved comment counts for many URIs",
                     "requestBody": {"required": True, **_json(schemas.CountsQuery)},
                     "responses": _responses("200", schemas.Counts, ("400", "404", "413", "415", "503"))},
        },
        "/api/subscriptions": {
            "post": {"summary": "Follow a thread: after confirming by mail, each new approved comment or a daily digest",
                     "requestBody": {"required": True, **_json(schemas.NewSubscription)},
                     "responses": _responses("202", schemas.Accepted, ("400", "403", "404", "413", "415", "429", "503"),
                                             "Asked; a confirmation mail follows unless the address follows already")},
        },
        "/api/commenters/link": {
            "post": {"summary": "Mail a sign-in link for another browser, when a comment on the site was written "
                                "with the address; the same answer either way",
                     "requestBody": {"required": True, **_json(schemas.SignInLinkRequest)},
                     "responses": _responses("202", schemas.Accepted, ("400", "403", "404", "413", "415", "429", "503"),
                                             "Taken (a mail goes only to an address that has commented here)")},
        },
        "/api/commenters/claim": {
            "post": {"summary": "Exchange a sign-in link (once, within the hour) for a commenter token with the "
                                "trust the address earned on the site",
                     "requestBody": {"required": True, **_json(schemas.SignInClaimRequest)},
                     "responses": _responses("200", schemas.SignedIn, ("400", "403", "404", "413", "415", "429", "503"))},
        },
        "/healthz": {
            "get": {"summary": "Whether the service can reach its database",
                    "responses": {"200": {"description": "OK", **_json(schemas.Health)},
                                  "503": {"description": "Database unreachable", **_json(schemas.Error)}}},
        },
    }


def document():
    models = [schemas.ThreadPage, schemas.NewComment, schemas.CreatedComment, schemas.OneComment,
              schemas.CommentEdit, schemas.Challenge, schemas.LikeCount, schemas.CountsQuery, schemas.Counts,
              schemas.NewSubscription, schemas.Accepted, schemas.SignInLinkRequest, schemas.SignInClaimRequest,
              schemas.SignedIn, schemas.Health, schemas.Error]
    _, definitions = models_json_schema([(model, "validation") for model in models], ref_template=REF)
    return add_admin_api({
        "openapi": "3.1.0",
        "info": {"title": "Tandem comments API", "version": "1"},
        "paths": _paths(),
        "components": {"schemas": definitions.get("$defs", {})},
    })


@api.get("/openapi.json")
def openapi_document():
    return jsonify(document())
