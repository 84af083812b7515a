"""The words of the service: comment statuses, moderation decisions, outbox states and kinds, held reasons.

No dependencies, so every layer (policy, models, notify, admin, CLI) imports the same names.
A held reason is stored in `Comment.held_reason` as "identifier: sentence": the identifier is
stable (admin filters, mails and the API may rely on it), the sentence is for a person and may
carry details ("3 links (limit 2)", "links to spam domain example.net").
"""

from enum import StrEnum


class Status(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    SPAM = "spam"
    DELETED = "deleted"


class Decision(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"
    SPAM = "spam"


class OutboxState(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"


class OutboxKind(StrEnum):
    MAIL = "mail"
    WEBHOOK = "webhook"
    AKISMET = "akismet"
    SPAM_HOOK = "spam_hook"


class SubscriptionKind(StrEnum):
    """What an address asked to hear about: replies to its own comments, or a whole thread."""

    REPLIES = "replies"
    THREAD = "thread"


class Digest(StrEnum):
    """How a thread's follower hears of new comments: one mail each, or one mail a day."""

    EACH = "each"
    DAILY = "daily"


class Held(StrEnum):
    """Why a comment has its status (held, spam, or let through)."""

    FIRST_POST = "first_post"
    MODERATION_ALL = "moderation_all"
    LINKS = "links"
    BLOCKLIST = "blocklist"
    FILTER = "filter"
    SPAM_DOMAIN = "spam_domain"
    AKISMET = "akismet"
    HOOK = "hook"
    SPAM_CHECK = "spam_check"  # waiting for Akismet or the spam hook
    HONEYPOT = "honeypot"
    BANNED = "banned"
    SPAM_BEFORE = "spam_before"
    EDITED = "edited"
    CHALLENGE = "challenge"
    BY_MODERATOR = "by_moderator"
    MODERATION_OFF = "moderation_off"
    TRUSTED = "trusted"


SENTENCES = {
    Held.FIRST_POST: "first comment from this commenter",
    Held.MODERATION_ALL: "every comment is moderated",
    Held.LINKS: "more links than the site allows",
    Held.BLOCKLIST: "a blocklisted word",
    Held.FILTER: "the spam filter's score",
    Held.SPAM_DOMAIN: "links to a spam domain",
    Held.AKISMET: "Akismet says spam",
    Held.HOOK: "the spam hook's verdict",
    Held.SPAM_CHECK: "waiting for the spam check",
    Held.HONEYPOT: "honeypot field filled",
    Held.BANNED: "banned commenter",
    Held.SPAM_BEFORE: "marked as spam before this edit",
    Held.EDITED: "edited",
    Held.CHALLENGE: "the proof-of-work challenge failed",
    Held.BY_MODERATOR: "written by a moderator",
    Held.MODERATION_OFF: "moderation off",
    Held.TRUSTED: "trusted commenter",
}


def reason(code: Held, sentence: str | None = None) -> str:
    """The stored form of a reason: its identifier, then the sentence (the standard one by default)."""
    return f"{code}: {sentence or SENTENCES[code]}"


def split_reason(stored: str | None) -> tuple[str | None, str | None]:
    """(identifier, sentence) of a stored reason; older rows without an identifier give (None, text)."""
    if not stored:
        return None, None
    code, colon, sentence = stored.partition(": ")
    if colon and code in Held._value2member_map_:
        return code, sentence
    return None, stored
