"""The moderation decision of SPEC section 4: facts in, (status, reason) out.

Pure: no Flask, no database. The statements below follow the SPEC's order, so reading
`decide` top to bottom is reading the rule.
"""

from dataclasses import dataclass, field, replace

from .errors import ApiError


AWAITING_AKISMET = "waiting for Akismet's verdict"
EDITED = "edited: "  # a reader's edit is decided again; its reason says so


@dataclass(frozen=True)
class Facts:
    """Everything the decision needs to know about a new (or edited) comment."""

    moderation: str = "first-post"  # none | all | first-post
    link_limit: int = 2
    blocklist: tuple = ()
    thread_closed: bool = False
    parent_ok: bool = True
    honeypot_filled: bool = False
    banned: bool = False
    akismet_spam: bool = False
    by_moderator: bool = False
    text: str = ""
    link_count: int = 0
    trusted: bool = False
    # An edit of a comment already stored as spam: new words do not clean it.
    stored_as_spam: bool = False
    # Akismet is asked by the worker after the request; until it answers, nothing goes live.
    awaiting_spam_check: bool = False


@dataclass(frozen=True)
class Decision:
    status: str
    reason: str
    is_author: bool = False
    # Spam looks like an ordinary held comment to whoever posted it.
    public_status: str = field(default="")

    def __post_init__(self):
        if not self.public_status:
            object.__setattr__(self, "public_status", "pending" if self.status == "spam" else self.status)


def blocklisted_word(text, blocklist):
    """The first blocklist entry found in the text (case-insensitive), or None."""
    lowered = text.casefold()
    for word in blocklist:
        if word and word.casefold() in lowered:
            return word
    return None


def decide(facts):
    """Decide a new comment's status and the reason moderators are shown."""
    # 1. Refusals.
    if facts.thread_closed:
        raise ApiError("thread_closed", "This thread is closed for new comments.")
    if not facts.parent_ok:
        raise ApiError("unknown_parent", "The comment you reply to does not exist here.", "parent")
    # 2. Spam, stored quietly.
    if facts.honeypot_filled:
        return Decision("spam", "honeypot field filled")
    if facts.banned:
        return Decision("spam", "banned commenter")
    if facts.stored_as_spam:
        return Decision("spam", "marked as spam before this edit")
    if facts.akismet_spam:
        return Decision("spam", "Akismet says spam")
    # 3. The site's own moderators.
    if facts.by_moderator:
        return Decision("approved", "written by a moderator", is_author=True)
    # 4. Suspicious content.
    word = blocklisted_word(facts.text, facts.blocklist)
    if word:
        return Decision("pending", f"blocklisted word: {word}")
    if facts.link_count > facts.link_limit:
        return Decision("pending", f"{facts.link_count} links (limit {facts.link_limit})")
    # 5. The site's moderation mode.
    if facts.moderation == "all":
        return Decision("pending", "every comment is moderated")
    if facts.moderation == "first-post" and not facts.trusted:
        return Decision("pending", "first comment from this commenter")
    if facts.awaiting_spam_check:
        return Decision("pending", AWAITING_AKISMET)
    return Decision("approved", "moderation off" if facts.moderation == "none" else "trusted commenter")


def decide_edit(facts):
    """Decide a reader's edit exactly as a new comment (SPEC 3: "the edit is moderated again");
    the reason moderators see starts with "edited: "."""
    decision = decide(facts)
    return replace(decision, reason=EDITED + decision.reason)


def awaits_spam_check(reason):
    """Whether a held comment waits only for Akismet's verdict (new, or edited)."""
    return reason in (AWAITING_AKISMET, EDITED + AWAITING_AKISMET)
