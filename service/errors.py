"""The one exception every API error is made from; `api.errors` turns it into the SPEC's envelope."""

STATUS_BY_CODE = {
    "bad_request": 400,
    "validation_failed": 400,
    "challenge_failed": 400,
    "unauthorized": 401,
    "forbidden": 403,
    "origin_not_allowed": 403,
    "thread_closed": 403,
    "not_found": 404,
    "unknown_site": 404,
    "unknown_parent": 404,
    "method_not_allowed": 405,
    "edit_window_over": 409,
    "conflict": 409,
    "too_large": 413,
    "unsupported_media_type": 415,
    "rate_limited": 429,
    "internal": 500,
    "unavailable": 503,
}


class ApiError(Exception):
    """A failure a client should read: a stable `code`, a sentence for a person, the field at fault."""

    def __init__(self, code: str, message: str, field: str | None = None, status: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        self.status = status or STATUS_BY_CODE[code]

    def to_dict(self) -> dict[str, dict[str, str | None]]:
        return {"error": {"code": self.code, "message": self.message, "field": self.field}}


def validation_failed(field: str, message: str) -> ApiError:
    return ApiError("validation_failed", message, field)


def not_found(message: str = "There is no such comment.") -> ApiError:
    return ApiError("not_found", message)
