"""Akismet, asked by the worker after the reader's request: is this new comment spam?

The endpoint is `TANDEM_AKISMET_URL` (Akismet's own by default) so tests use a local stand-in.
"""

from ..threads import iso
from .links import comment_url

TIMEOUT = (3, 5)


class AkismetFailed(Exception):
    """Akismet could not answer; the check is retried through the outbox."""


def _fields(config, comment):
    site, thread = comment.site, comment.thread
    return {
        "api_key": config["TANDEM_AKISMET_KEY"],
        "blog": site.origins[0] if site.origins else "",
        "user_ip": comment.ip or "",
        "permalink": comment_url(site, thread, comment.id),
        "comment_type": "reply" if comment.parent_id else "comment",
        "comment_author": comment.author or "",
        "comment_author_email": comment.email or "",
        "comment_author_url": comment.website or "",
        "comment_content": comment.text,
        "comment_date_gmt": iso(comment.created),
    }


def _ask(config, method, comment, answers):
    import requests  # loaded where mail and hooks are sent, not in the web workers (outbound.post)

    url = config["TANDEM_AKISMET_URL"].rstrip("/") + "/1.1/" + method
    try:
        response = requests.post(url, data=_fields(config, comment), timeout=TIMEOUT)
    except requests.RequestException as error:
        raise AkismetFailed(f"{url}: {error}") from None
    answer = response.text.strip()
    if response.status_code != 200 or answer not in answers:
        hint = response.headers.get("X-akismet-debug-help", answer[:200])
        raise AkismetFailed(f"{url} answered HTTP {response.status_code}: {hint}")
    return answer


def is_spam(config, comment):
    """Akismet's verdict on `comment`: True (spam) or False, or AkismetFailed when it cannot tell."""
    return _ask(config, "comment-check", comment, ("true", "false")) == "true"


def report(config, comment, verdict):
    """Tell Akismet a moderator's verdict (`spam` or `ham`) so it learns from its mistakes."""
    _ask(config, f"submit-{verdict}", comment, ("Thanks for making the web a better place.",))
