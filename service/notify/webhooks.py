"""Webhooks: a signed JSON `POST` per event to the site's `webhook_url`.

The body is built when the event happens (so a retry sends the same bytes) and signed at
delivery with the site's webhook secret: `X-Tandem-Signature: sha256=<hex HMAC of the body>`.
The secret is derived from the instance secret and the site key, so nothing extra is stored;
`tandem webhook secret KEY` prints it for the blogger's receiving end.
"""

import hashlib
import hmac
import json

from .. import outbound
from ..fields import thread_link
from ..privacy import keyed_hash
from ..threads import iso
from .links import comment_url

TIMEOUT = (5, 10)  # seconds to connect, seconds to answer


class WebhookFailed(Exception):
    """The receiver did not take the event; the outbox retries it later."""


def site_secret(instance_secret, site_key):
    """Each site's signing secret, derived from the instance secret so nothing more is stored."""
    return keyed_hash(instance_secret, f"webhook:{site_key}")


def signature(secret, body):
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def event_payload(event, site, comment):
    """What the outbox keeps for a webhook: the event and its JSON body, free of e-mails and IPs."""
    thread = comment.thread
    link = comment_url(site, thread, comment.id)
    who = comment.author or "Anonymous"
    where = thread.title or thread.uri
    headline = f"New comment ({comment.status})" if event == "comment.created" else "Comment approved"
    excerpt = " ".join(comment.text.split())[:280]
    body = {
        "event": event,
        "site": site.key,
        # Slack-compatible receivers show `text` as the message.
        "text": f"{headline} by {who} on {where}: {excerpt}\n{link}",
        "comment": {
            "id": comment.id, "parent": comment.parent_id, "status": comment.status, "author": comment.author,
            "website": comment.website, "text": comment.text, "html": comment.html,
            "created": iso(comment.created), "is_author": comment.is_author, "url": link,
        },
        "thread": {"uri": thread.uri, "title": thread.title, "url": thread_link(thread.url, site.origins)},
    }
    return {"site": site.key, "event": event, "comment_id": comment.id, "body": body}


def deliver(url, body, secret, event, permitted=outbound.is_public):
    """POST the exact bytes that were signed; anything but a 2xx answer is a failure to retry.

    Only addresses `permitted` are called (see `outbound`). A failure's message names neither
    the URL (its path may hold a secret) nor anything the receiver answered: it lands in the
    log and in the owners' delivery list, and an owner must not read a private service through it.
    """
    import requests  # loaded where mail and hooks are sent, not in the web workers (outbound.post)

    data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Tandem-Webhook",
        "X-Tandem-Event": event,
        "X-Tandem-Signature": signature(secret, data),
    }
    try:
        response = outbound.post(url, data=data, headers=headers, timeout=TIMEOUT, permitted=permitted)
    except outbound.Refused as refused:
        raise WebhookFailed(f"webhook {refused}") from None
    except requests.Timeout:
        raise WebhookFailed(f"the webhook did not answer in time ({TIMEOUT[0]} s to connect, {TIMEOUT[1]} s to answer)") from None
    except requests.RequestException as error:
        raise WebhookFailed(f"the webhook could not be reached ({type(error).__name__})") from None
    with response:
        if not 200 <= response.status_code < 300:
            raise WebhookFailed(f"the webhook answered HTTP {response.status_code}")
