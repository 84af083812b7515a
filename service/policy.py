"""The moderation decision of SPEC section 4: facts in, (status, reason) out.

Pure: no Flask, no database. The statements below follow the SPEC's order, so reading
`decide` top to bottom is reading the rule.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from .errors import ApiError
from .spamfilter import describe
from .vocabulary import Held, Status, reason

# Held until Akismet or the spam hook answers; the worker then lets it through as the policy would have.
AWAITING_SPAM_CHECK = reason(Held.SPAM_CHECK, "waiting for the spam check (Akismet or the spam hook)")
EDITED = Held.EDITED + ": "  # a reader's edit is decided again; its reason says so


@dataclass(frozen=True)
class Facts:
    """Everything the decision needs to know about a new (or edited) comment."""

    moderation: str = "first-post"  # none | all | first-post
    link_limit: int = 2
    blocklist: tuple[str, ...] = ()
    thread_closed: bool = False
    parent_ok: bool = True
    honeypot_filled: bool = False
    banned: bool = False
    by_moderator: bool = False
    text: str = ""
    link_count: int = 0
    trusted: bool = False
    # An edit of a comment already stored as spam: new words do not clean it.
    stored_as_spam: bool = False
    # Akismet is asked by the worker after the request; until it answers, nothing goes live.
    awaiting_spam_check: bool = False
    # The learning filter (None: not scored) and the site's thresholds; a spam domain linked to.
    spam_score: float | None = None
    spam_features: tuple[tuple[str, float], ...] = ()  # the weights that counted most
    spam_threshold: float = 0.99
    hold_threshold: float = 0.5
    spam_domain: str | None = None


@dataclass(frozen=True)
class Decision:
    status: str
    reason: str
    is_author: bool = False
    # Spam looks like an ordinary held comment to whoever posted it.
    public_status: str = field(default="")

    def __post_init__(self) -> None:
        if not self.public_status:
            public = Status.PENDING if self.status == Status.SPAM else self.status
            object.__setattr__(self, "public_status", public)


def blocklisted_word(text: str, blocklist: Iterable[str]) -> str | None:
    """The first blocklist entry found in the text (case-insensitive), or None."""
    lowered = text.casefold()
    for word in blocklist:
        if word and word.casefold() in lowered:
            return word
    return None


def decide(facts: Facts) -> Decision:
    """Decide a new comment's status and the reason moderators are shown.

    The filter's score only ever makes the decision stricter: it may mark spam (step 2) or hold
    (step 4), never approve."""
    # 1. Refusals.
    if facts.thread_closed:
        raise ApiError("thread_closed", "This thread is closed for new comments.")
    if not facts.parent_ok:
        raise ApiError("unknown_parent", "The comment you reply to does not exist here.", "parent")
    # 2. Spam, stored quietly.
    spam = _spam(facts)
    if spam is not None:
        return spam
    # 3. The site's own moderators.
    if facts.by_moderator:
        return Decision(Status.APPROVED, reason(Held.BY_MODERATOR), is_author=True)
    # 4. Suspicious content.
    held = _suspicious(facts)
    if held is not None:
        return held
    # 5. The site's moderation mode.
    if facts.moderation == "all":
        return Decision(Status.PENDING, reason(Held.MODERATION_ALL))
    if facts.moderation == "first-post" and not facts.trusted:
        return Decision(Status.PENDING, reason(Held.FIRST_POST))
    if facts.awaiting_spam_check:
        return Decision(Status.PENDING, AWAITING_SPAM_CHECK)
    return Decision(Status.APPROVED, reason(Held.MODERATION_OFF if facts.moderation == "none" else Held.TRUSTED))


def _spam(facts: Facts) -> Decision | None:
    """Step 2: the spam decision, or None."""
    if facts.honeypot_filled:
        return Decision(Status.SPAM, reason(Held.HONEYPOT))
    if facts.banned:
        return Decision(Status.SPAM, reason(Held.BANNED))
    if facts.stored_as_spam:
        return Decision(Status.SPAM, reason(Held.SPAM_BEFORE))
    if facts.spam_domain:
        return Decision(Status.SPAM, reason(Held.SPAM_DOMAIN, f"links to spam domain {facts.spam_domain}"))
    if facts.spam_score is not None and facts.spam_score >= facts.spam_threshold:
        return Decision(Status.SPAM, _filter_reason(facts, "spam_threshold", facts.spam_threshold))
    return None


def _suspicious(facts: Facts) -> Decision | None:
    """Step 4: held for a look at the content, or None."""
    word = blocklisted_word(facts.text, facts.blocklist)
    if word:
        return Decision(Status.PENDING, reason(Held.BLOCKLIST, f"blocklisted word: {word}"))
    if facts.link_count > facts.link_limit:
        return Decision(Status.PENDING, reason(Held.LINKS, f"{facts.link_count} links (limit {facts.link_limit})"))
    if facts.spam_score is not None and facts.spam_score > facts.hold_threshold:
        return Decision(Status.PENDING, _filter_reason(facts, "hold_threshold", facts.hold_threshold))
    return None


def _filter_reason(facts: Facts, name: str, threshold: float) -> str:
    relation = "at or above" if name == "spam_threshold" else "above"
    sentence = f"spam filter score {facts.spam_score:.2f} ({relation} {name} {threshold:g})"
    if facts.spam_features:
        sentence += f"; weighed most: {describe(facts.spam_features)}"
    return reason(Held.FILTER, sentence)


def decide_edit(facts: Facts) -> Decision:
    """Decide a reader's edit exactly as a new comment (SPEC 3: "the edit is moderated again");
    the reason moderators see starts with "edited: "."""
    decision = decide(facts)
    return replace(decision, reason=EDITED + decision.reason)


def awaits_spam_check(reason: str | None) -> bool:
    """Whether a held comment waits only for Akismet's or the spam hook's verdict (new, or edited)."""
    return reason in (AWAITING_SPAM_CHECK, EDITED + AWAITING_SPAM_CHECK)
