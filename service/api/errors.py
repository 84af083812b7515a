"""Every error becomes a response here, and nowhere else: the SPEC's envelope for the JSON API,
an HTML page (`service.error_pages`) for everything a person opens in a browser."""

import logging

from flask import current_app, jsonify, request
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException

from ..db import db
from ..error_pages import error_page
from ..errors import ApiError
from ..limiting import RateLimited
from ..privacy import redacted

log = logging.getLogger(__name__)

CODE_BY_HTTP_STATUS = {
    400: ("bad_request", "The request could not be understood."),
    401: ("unauthorized", "Please authenticate."),
    403: ("forbidden", "You may not do this."),
    404: ("not_found", "There is nothing here."),
    405: ("method_not_allowed", "This method is not allowed here."),
    413: ("too_large", "The request is too large."),
    415: ("unsupported_media_type", "Send JSON."),
    429: ("rate_limited", "Too many requests; please wait a moment."),
}


def wants_json():
    return request.path.startswith("/api/") or request.path == "/healthz"


def error_response(error):
    response = jsonify(error.to_dict())
    response.status_code = error.status
    return response


def respond(error, retry_after=None):
    """`error` as the JSON envelope on the API's paths, else as an error page."""
    if not wants_json():
        return error_page(error.status, error.message, retry_after)
    response = error_response(error)
    if retry_after:
        response.headers["Retry-After"] = str(retry_after)
    return response


def handle_api_error(error):
    return respond(error)


def handle_rate_limit(error):
    refused = ApiError("rate_limited", "You are sending requests too fast; please wait a moment.")
    return respond(refused, error.retry_after)


def handle_http_error(error):
    if error.code is None or error.code < 400:
        return error
    if not wants_json():
        # Our sentence for a plain 404 or 500; the specific one (say, a missing CSRF token) otherwise.
        specific = error.code not in (404, 500) and error.description != type(error).description
        return error_page(error.code, error.description if specific else None)
    code, message = CODE_BY_HTTP_STATUS.get(error.code, ("bad_request", error.description))
    response = error_response(ApiError(code, message, status=error.code))
    if error.code == 405 and getattr(error, "valid_methods", None):
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


def database_error_summary(error):
    """The kind of a database error and the first line of the driver's message, for the log.

    Never the statement's parameters (the engine hides them too) or the driver's DETAIL line,
    which quote the row: a commenter's e-mail, name, text and token hashes.
    """
    original = getattr(error, "orig", None) or error
    first_line = (str(original).strip().splitlines() or [""])[0]
    return f"{type(original).__name__}: {redacted(first_line)[:200]}"


def handle_database_down(error):
    """The database is unreachable: say so, drop the broken connection, and recover on the next request."""
    log.warning("database unavailable: %s", database_error_summary(error))
    db.session.rollback()
    if isinstance(error, DBAPIError) and not error.connection_invalidated:
        db.engine.dispose()
    return respond(ApiError("unavailable", "Comments are unavailable for a moment; please try again."))


def handle_conflict(error):
    """Two requests raced for the same row (a double like, a duplicate import): the loser is told."""
    db.session.rollback()
    return respond(ApiError("conflict", "This was changed at the same moment; please try again."))


def handle_bad_data(error):
    db.session.rollback()
    return respond(ApiError("bad_request", "The request holds a value the database cannot store."))


def handle_unexpected(error):
    log.exception("unexpected error")
    db.session.rollback()
    if current_app.config.get("PROPAGATE_EXCEPTIONS"):
        raise error
    if wants_json():
        return error_response(ApiError("internal", "Something went wrong on our side."))
    return error_page(500)


def register(app):
    app.register_error_handler(ApiError, handle_api_error)
    app.register_error_handler(RateLimited, handle_rate_limit)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(IntegrityError, handle_conflict)
    app.register_error_handler(DataError, handle_bad_data)
    app.register_error_handler(OperationalError, handle_database_down)
    app.register_error_handler(InterfaceError, handle_database_down)
    app.register_error_handler(DBAPIError, handle_database_down)
    app.register_error_handler(Exception, handle_unexpected)
