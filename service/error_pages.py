"""Errors as pages for people: outside the JSON API, every error is an HTML page in the product's
look with a way back (to the page the reader came from, and to the admin). The JSON API keeps the
SPEC's envelope; `api.errors` chooses between the two."""

from urllib.parse import urlsplit

from flask import make_response, render_template, request

# status: (heading, the sentence shown when the error brings none of its own)
WORDS = {
    400: ("Bad request", "This request could not be understood."),
    403: ("Not allowed", "You may not open this page."),
    404: ("Page not found", "There is nothing at this address. The link may be old or mistyped."),
    405: ("Not allowed here", "This address does not take this kind of request."),
    413: ("Too large", "What was sent is larger than this server accepts."),
    429: ("Too many requests", "Too many requests came from your address; please wait a moment."),
    500: ("Something went wrong", "Something went wrong on our side. It has been logged; please try again later."),
    503: ("Unavailable for a moment", "Comments are unavailable for a moment; please try again."),
}
# Error pages hold nothing from elsewhere and run no script.
ERROR_PAGE_CSP = "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'"


def error_page(status, message=None, retry_after=None):
    """The HTML page for an error `status`, with `message` (or the status's own sentence)."""
    heading, default_message = WORDS.get(status) or WORDS[500 if status >= 500 else 400]
    html = render_template("error.html", status=status, heading=heading, message=message or default_message,
                           retry_after=retry_after, back_url=_came_from())
    response = make_response(html, status)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Content-Security-Policy"] = ERROR_PAGE_CSP
    if retry_after:
        response.headers["Retry-After"] = str(retry_after)
    return response


def _came_from():
    """The page that linked here, when it is an http(s) page other than this one: the way back."""
    referrer = request.referrer or ""
    try:
        scheme = urlsplit(referrer).scheme
    except ValueError:
        return None
    if scheme not in ("http", "https") or referrer == request.url:
        return None
    return referrer
