"""The site's spam hook: an outside classifier the worker asks about a new or edited comment.

The request is `POST {"event": "comment.check", "comment": {...private fields...}}`, signed as
webhooks are (`X-Tandem-Signature`, the site's webhook secret) and sent through `outbound`'s
guard; the answer is `{"verdict": "spam" | "hold" | "ham"}`. Anything else (a timeout, an error
status, an unreachable host, an answer that is not one of those) is a failure: the comment stays
held, and the outbox asks again later. The hook never fails open.
"""

import json

from .. import outbound
from ..threads import iso
from .webhooks import signature

TIMEOUT = (5, 10)
VERDICTS = ("spam", "hold", "ham")
MAX_ANSWER = 10_000


class HookFailed(Exception):
    """The hook gave no verdict; the comment stays held and the check is retried."""


def check_body(site, comment):
    """What the hook is sent: the comment with its private fields, as moderators see it."""
    return {
        "event": "comment.check",
        "site": site.key,
        "comment": {
            "id": comment.id, "parent": comment.parent_id, "uri": comment.thread.uri, "status": comment.status,
            "author": comment.author, "email": comment.email, "website": comment.website, "ip": comment.ip,
            "text": comment.text, "html": comment.html, "created": iso(comment.created),
            "edited": iso(comment.edited), "spam_score": comment.spam_score,
        },
    }


def ask(url, body, secret, permitted=outbound.is_public):
    """The hook's verdict (`spam`, `hold` or `ham`), or HookFailed; the message never names the URL."""
    import requests  # loaded where mail and hooks are sent, not in the web workers (outbound.post)

    data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    headers = {"Content-Type": "application/json", "User-Agent": "Tandem-Spam-Hook",
               "X-Tandem-Event": "comment.check", "X-Tandem-Signature": signature(secret, data)}
    try:
        response = outbound.post(url, data=data, headers=headers, timeout=TIMEOUT, permitted=permitted)
    except outbound.Refused as refused:
        raise HookFailed(f"spam hook {refused}") from None
    except requests.Timeout:
        raise HookFailed("the spam hook did not answer in time") from None
    except requests.RequestException as error:
        raise HookFailed(f"the spam hook could not be reached ({type(error).__name__})") from None
    with response:
        if not 200 <= response.status_code < 300:
            raise HookFailed(f"the spam hook answered HTTP {response.status_code}")
        try:
            verdict = json.loads(response.content[:MAX_ANSWER]).get("verdict")
        except (ValueError, AttributeError):
            verdict = None
    if verdict not in VERDICTS:
        raise HookFailed("the spam hook's answer had no verdict of spam, hold or ham")
    return verdict
