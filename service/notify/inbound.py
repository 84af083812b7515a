"""Reply by mail (SPEC 14): what an answer to a notice does, whether it came by pipe or by IMAP.

A message counts only when it is addressed to a signed reply address (`replyto`) and comes from
the address that notice went to. A moderator's answer decides the comment (first word `approve`,
`reject` or `spam`), hearts it (`heart`) or, with any other text, approves it if held and posts
the text as the author's reply; a reader's answer to a reply notice becomes their reply, moderated like their
comments. Everything goes through the same service functions as the admin and the widget.

Every message ends as one row of the delivery log (kind `inbound`): `sent` when it was handled,
`skipped` with the reason when it was refused. Nothing is ever mailed back, so a forged sender
gets no bounce.
"""

import logging
import re
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.utils import getaddresses, parseaddr
from html.parser import HTMLParser

from mailparser_reply import EmailReplyParser
from sqlalchemy import select

from .. import comments, moderation
from ..db import db
from ..errors import ApiError
from ..mail_models import Outbox, Subscription
from ..models import APPROVED, PENDING, Comment, Moderator, utcnow
from ..vocabulary import OutboxState
from . import replyto

log = logging.getLogger(__name__)

INBOUND = "inbound"
REPLY_LANGUAGES = ["en", "de", "fr", "es"]
ADDRESS_HEADERS = ("Delivered-To", "X-Original-To", "Envelope-To", "To", "Cc")
AUTOMATIC_PRECEDENCE = {"bulk", "junk", "list", "auto_reply"}
HEART = "heart"  # a moderator's answer beginning with this word hearts the comment


class Unreadable(Exception):
    """The input is not an e-mail message at all (`tandem mail receive` exits non-zero)."""


class Refused(Exception):
    """The message is deliberately not acted on; the sentence says why, for the delivery log."""


@dataclass
class Outcome:
    handled: bool
    reason: str
    facts: dict = field(default_factory=dict)


def receive(raw, config, now=None):
    """Act on one RFC 5322 message (bytes) and record it in the delivery log; returns the Outcome."""
    now = now or utcnow()
    message = parse(raw)
    facts = {"from": parseaddr(str(message.get("From", "")))[1][:254], "message_id": str(message.get("Message-ID", ""))[:300]}
    try:
        reason = _act(message, config, facts, now)
        outcome = Outcome(True, reason, facts)
    except Refused as refused:
        db.session.rollback()
        outcome = Outcome(False, str(refused), facts)
        log.info("reply by mail refused: %s", refused)
    db.session.add(Outbox(kind=INBOUND, payload=facts, state=OutboxState.SENT if outcome.handled else OutboxState.SKIPPED,
                          last_error=None if outcome.handled else f"refused: {outcome.reason}",
                          attempts=1, created=now, next_attempt=now, sent=now if outcome.handled else None))
    db.session.commit()
    return outcome


def parse(raw):
    """The message, or Unreadable when the bytes hold no header at all."""
    if not raw or not raw.strip():
        raise Unreadable("the input is empty")
    message = message_from_bytes(raw, policy=policy.default)
    if not message.keys():
        raise Unreadable("the input has no mail headers")
    return message


def _act(message, config, facts, now):
    reply_to = config.get("TANDEM_MAIL_REPLY_TO")
    if not reply_to:
        raise Refused("reply by mail is off (TANDEM_MAIL_REPLY_TO is not set)")
    signed = _token_of(message, reply_to)
    if signed is None:
        raise Refused("the message is not addressed to a reply address")
    if _is_automatic(message):
        raise Refused("an automatic message (out-of-office reply, bounce or list mail)")
    if _acted_on_already(facts["message_id"]):
        raise Refused("this message was acted on already (the same Message-ID)")
    try:
        token = replyto.read_token(config["SECRET_KEY"], signed, now)
    except replyto.TokenRefused as refused:
        raise Refused(str(refused)) from None
    comment = db.session.get(Comment, token.comment_id)
    if comment is None:
        raise Refused("the comment the notice was about no longer exists")
    facts.update(site=comment.site.key, comment_id=comment.id)
    text = reply_text(message)
    if token.kind == replyto.MODERATOR:
        return _moderator_answer(token, comment, facts["from"], text, now)
    return _reader_answer(token, comment, facts["from"], text, now)


def _acted_on_already(message_id):
    """A mailbox polled twice (`tandem serve` and a `tandem worker` both reading it), or a message
    delivered twice, must not post the same answer twice. (A message without a Message-ID, which no
    mail client sends, cannot be told apart.)"""
    if not message_id:
        return False
    handled = select(Outbox.id).where(Outbox.kind == INBOUND, Outbox.state == OutboxState.SENT,
                                      Outbox.payload["message_id"].as_string() == message_id)
    return db.session.scalar(handled.limit(1)) is not None


def _moderator_answer(token, comment, sender, text, now):
    moderator = db.session.get(Moderator, token.recipient_id)
    if moderator is None or not _same_address(moderator.email, sender):
        raise Refused("the sender is not the moderator the notice was sent to")
    first = re.match(r"\s*([A-Za-z]+)", text or "")
    word = first.group(1).lower() if first else ""
    try:
        if word in moderation.DECISIONS:
            moderation.decide(moderator, [comment.id], word, now=now)
            return f"{word} comment {comment.id}"
        if word == HEART:
            return _heart(moderator, comment, now)
        if not text:
            raise Refused("no text left once the quoted mail and signature are removed")
        if comment.status not in (PENDING, APPROVED):
            raise Refused(f"the comment is {comment.status}; a reply needs it shown")
        if comment.status == PENDING:
            moderation.decide(moderator, [comment.id], "approve", now=now)
        posted = moderation.reply(moderator, comment.site, comment.thread.uri, text, parent_id=comment.id, now=now)
    except ApiError as error:
        raise Refused(error.message) from None
    return f"approved comment {comment.id} and posted the author's reply {posted.comment.id}"


def _heart(moderator, comment, now):
    """`heart`: a held comment the author loves is approved too, as any other answer would approve it."""
    if comment.status == PENDING:
        moderation.decide(moderator, [comment.id], "approve", now=now)
    moderation.set_hearted(moderator, comment.id, True, now=now)
    return f"hearted comment {comment.id}"


def _reader_answer(token, comment, sender, text, now):
    subscription = db.session.get(Subscription, token.recipient_id)
    own = db.session.get(Comment, token.own_comment_id)
    if subscription is None or not _same_address(subscription.email, sender):
        raise Refused("the sender is not the reader the notice was sent to")
    if own is None or not own.email or not _same_address(own.email, subscription.email):
        raise Refused("the reader's own comment no longer exists")
    if own.thread_id != comment.thread_id:
        raise Refused("the reply address is for another thread")
    if not text:
        raise Refused("no text left once the quoted mail and signature are removed")
    author = comments.Author(name=own.author, email=own.email, website=own.website, notify=own.notify,
                             known_commenter_hash=own.commenter_hash)
    try:
        posted = comments.post_comment(comment.site, comment.thread.uri, text, author, parent_id=comment.id, now=now)
    except ApiError as error:
        raise Refused(error.message) from None
    return f"posted the reader's reply {posted.comment.id} ({posted.comment.status})"


def _token_of(message, reply_to):
    for name in ADDRESS_HEADERS:
        for _, address in getaddresses([str(value) for value in message.get_all(name, [])]):
            token = replyto.token_in(address, reply_to)
            if token:
                return token
    return None


def _is_automatic(message):
    auto = str(message.get("Auto-Submitted", "no")).strip().lower()
    precedence = str(message.get("Precedence", "")).strip().lower()
    return (auto != "no" or precedence in AUTOMATIC_PRECEDENCE or "X-Autoreply" in message
            or "X-Autorespond" in message or message.get_content_type() == "multipart/report")


def _same_address(one, other):
    return bool(one and other) and one.strip().lower() == other.strip().lower()


def reply_text(message):
    """What the person wrote: the plain-text part (or the HTML part as text) without quotes and signature."""
    part = message.get_body(("plain", "html"))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, UnicodeError):
        return ""
    if part.get_content_type() == "text/html":
        content = _html_as_text(content)
    parsed = EmailReplyParser(languages=REPLY_LANGUAGES).read(text=content)
    return (parsed.replies[0].body if parsed.replies else content).strip()


class _TextOfHtml(HTMLParser):
    BLOCKS = {"p", "div", "br", "li", "tr", "blockquote", "h1", "h2", "h3"}

    def __init__(self):
        super().__init__()
        self.parts, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script", "head"):
            self.skip += 1
        elif tag == "blockquote":
            self.skip += 1  # the quoted notice
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("style", "script", "head", "blockquote"):
            self.skip = max(0, self.skip - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def _html_as_text(html):
    parser = _TextOfHtml()
    parser.feed(html)
    return re.sub(r"\n{3,}", "\n\n", "".join(parser.parts))
