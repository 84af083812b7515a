"""The admin API's part of `/api/openapi.json`, made from the same schemas that validate its requests."""

from pydantic.json_schema import models_json_schema

from .. import fields
from . import schemas
from .queries import SORTS

REF = "#/components/schemas/{model}"
SECURITY = [{"adminToken": []}]
ERRORS = {"400": "Bad input", "401": "No valid admin token", "403": "Not a site this account moderates",
          "404": "Not found", "409": "Conflict", "415": "Body not sent as application/json"}
ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1, "maximum": fields.ID_MAX}}
KEY = {"name": "key", "in": "path", "required": True, "schema": {"type": "string"}}


def _json(model):
    return {"content": {"application/json": {"schema": {"$ref": REF.format(model=model.__name__)}}}}


def _operation(summary, ok_status, ok_model=None, body=None, parameters=(), errors=("400", "401", "403", "404")):
    responses = {ok_status: {"description": "OK" if ok_status == "200" else "Done", **(_json(ok_model) if ok_model else {})}}
    errors = (*errors, "415") if body is not None else errors
    responses.update({status: {"description": ERRORS[status], **_json_error()} for status in errors})
    operation = {"summary": summary, "security": SECURITY, "parameters": list(parameters), "responses": responses}
    if body is not None:
        operation["requestBody"] = {"required": body is not schemas.Approval, **_json(body)}
    return operation


def _json_error():
    return {"content": {"application/json": {"schema": {"$ref": REF.format(model="Error")}}}}


def _query(name, schema=None, description=None):
    parameter = {"name": name, "in": "query", "required": False, "schema": schema or {"type": "string"}}
    return {**parameter, "description": description} if description else parameter


def _decision(summary, body=None):
    return {"post": _operation(summary, "200", schemas.AdminComment, body, [ID])}


def paths():
    listing = [_query("site"), _query("status", {"type": "string", "enum": ["pending", "approved", "spam", "deleted"]}),
               _query("uri"), _query("q", description="Text or author contains this."),
               _query("limit", {"type": "integer", "minimum": 1, "maximum": 200}),
               _query("after", {"type": "integer", "minimum": 1}, "The `next` of the previous page."),
               _query("sort", {"type": "string", "enum": list(SORTS)}, "newest first, or highest spam score first."),
               _query("unanswered", {"type": "string", "enum": ["1", "0"]},
                      "1: only readers' approved comments that no moderator has replied to (the admin's Unanswered "
                      "view); a moderator's reply takes a comment off the list.")]
    return {
        "/api/admin/comments": {
            "get": _operation("Comments of the sites this account moderates, newest first, private fields included",
                              "200", schemas.AdminComments, parameters=listing),
            "post": _operation("Reply as the blog's author (approved, is_author)", "201", schemas.AdminComment,
                               schemas.AuthorReply),
        },
        "/api/admin/comments/{id}": {
            "patch": _operation("Change a comment's text", "200", schemas.AdminComment, schemas.CommentText, [ID]),
            "delete": _operation("Delete a comment for good (a tombstone keeps its replies' place)", "204",
                                 parameters=[ID]),
        },
        "/api/admin/comments/{id}/approve": _decision("Approve; trusts the commenter unless trust is false",
                                                      schemas.Approval),
        "/api/admin/comments/{id}/reject": _decision("Reject (hide) a comment"),
        "/api/admin/comments/{id}/spam": _decision("Mark a comment as spam"),
        "/api/admin/comments/{id}/pin": _decision("Pin a comment to the top of its thread"),
        "/api/admin/comments/{id}/unpin": _decision("Unpin a comment"),
        "/api/admin/comments/{id}/heart": _decision("Heart a shown or held comment: readers see \"♥ by the author\" "
                                                    "(404 for a comment of a site this account does not moderate)"),
        "/api/admin/comments/{id}/unheart": _decision("Take the author's heart back"),
        "/api/admin/sites": {
            "get": _operation("The sites this account moderates", "200", schemas.SiteList, errors=("401",)),
            "post": _operation("Create a site (owners)", "201", schemas.OneSite, schemas.NewSite,
                               errors=("400", "401", "403", "409")),
        },
        "/api/admin/sites/{key}": {
            "patch": _operation("Change a site's name, origins or settings (owners)", "200", schemas.OneSite,
                                schemas.SiteChange, [KEY]),
        },
        "/api/admin/bans": {
            "post": _operation("Ban a comment's writer, or an e-mail or IP on a site", "201", schemas.BanResult,
                               schemas.NewBan),
        },
        "/api/admin/threads/close": {
            "post": _operation("Close a thread to new comments, or open it again", "200", schemas.ThreadResult,
                               schemas.ThreadClosing),
        },
        "/api/admin/threads": {
            "patch": _operation("Correct a thread's title or link (audited)", "200", schemas.CorrectedThread,
                                schemas.ThreadCorrection),
        },
    }


def extend(document):
    """Add the admin paths, their schemas and the bearer-token scheme to the public API's document."""
    models = schemas.REQUESTS + schemas.RESPONSES
    _, definitions = models_json_schema([(model, "validation") for model in models], ref_template=REF)
    document["paths"].update(paths())
    document["components"]["schemas"].update(definitions.get("$defs", {}))
    document["components"]["securitySchemes"] = {
        "adminToken": {"type": "http", "scheme": "bearer", "description": "From `tandem token create` or /admin/tokens"}}
    return document
