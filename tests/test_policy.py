"""The moderation decision (SPEC 4) as a table: facts in, (status, reason) out."""

import pytest

from service.errors import ApiError
from service.policy import AWAITING_SPAM_CHECK, Facts, awaits_spam_check, decide, decide_edit
from service.vocabulary import split_reason

FILTERED = dict(spam_threshold=0.99, hold_threshold=0.5, spam_features=(("link:pills.example", 4.0),))

CASES = [
    # description, facts, status, reason identifier: sentence contains
    ("honeypot filled is spam", Facts(honeypot_filled=True, trusted=True), "spam", "honeypot"),
    ("banned commenter is spam", Facts(banned=True, by_moderator=False, trusted=True), "spam", "banned"),
    ("a link to a spam domain is spam", Facts(spam_domain="pills.example", trusted=True), "spam",
     "spam_domain: links to spam domain pills.example"),
    ("a score at spam_threshold is spam", Facts(spam_score=0.99, trusted=True, **FILTERED), "spam",
     "filter: spam filter score 0.99 (at or above spam_threshold 0.99); weighed most: link:pills.example (+4.0)"),
    ("a score above hold_threshold is held", Facts(spam_score=0.7, trusted=True, **FILTERED), "pending",
     "filter: spam filter score 0.70 (above hold_threshold"),
    ("a score at hold_threshold passes", Facts(spam_score=0.5, trusted=True, **FILTERED), "approved", "trusted"),
    ("a low score never approves a first post", Facts(spam_score=0.0, **FILTERED), "pending", "first_post"),
    ("a low score never lifts the link limit", Facts(spam_score=0.0, link_count=3, trusted=True, **FILTERED),
     "pending", "links"),
    ("an unscored comment is decided without the filter", Facts(spam_score=None, trusted=True), "approved",
     "trusted"),
    ("a moderator's comment is approved", Facts(by_moderator=True, moderation="all"), "approved", "moderator"),
    ("a moderator may link freely", Facts(by_moderator=True, link_count=9), "approved", "moderator"),
    ("blocklisted word is held", Facts(text="Buy CHEAP pills", blocklist=("cheap",), trusted=True), "pending", "cheap"),
    ("too many links is held", Facts(link_count=3, link_limit=2, trusted=True), "pending", "3 links"),
    ("links at the limit pass", Facts(link_count=2, link_limit=2, trusted=True), "approved", "trusted"),
    ("moderation none approves", Facts(moderation="none"), "approved", "moderation off"),
    ("moderation all holds the trusted", Facts(moderation="all", trusted=True), "pending", "every comment"),
    ("first post is held", Facts(moderation="first-post"), "pending", "first comment"),
    ("trusted commenter is approved", Facts(moderation="first-post", trusted=True), "approved", "trusted"),
    ("a comment that would go live waits for the spam check", Facts(moderation="none", awaiting_spam_check=True),
     "pending", "spam_check"),
    ("a first post is held for its own reason", Facts(awaiting_spam_check=True), "pending", "first comment"),
    ("an edit does not clean a spam comment", Facts(stored_as_spam=True, moderation="none"), "spam", "spam"),
    ("moderators do not wait for Akismet", Facts(by_moderator=True, awaiting_spam_check=True), "approved", "moderator"),
]


@pytest.mark.parametrize("description, facts, status, reason", CASES, ids=[case[0] for case in CASES])
def test_decision_table(description, facts, status, reason):
    decision = decide(facts)
    assert decision.status == status
    assert reason in decision.reason
    assert split_reason(decision.reason)[0] == reason.split(":")[0] or ":" not in reason


def test_spam_looks_pending_to_the_poster():
    assert decide(Facts(honeypot_filled=True)).public_status == "pending"


def test_moderators_replies_are_marked_as_the_authors():
    assert decide(Facts(by_moderator=True)).is_author


def test_closed_thread_refuses_before_anything_else():
    with pytest.raises(ApiError) as refused:
        decide(Facts(thread_closed=True, by_moderator=True, honeypot_filled=True))
    assert refused.value.code == "thread_closed" and refused.value.status == 403


def test_unknown_parent_refuses():
    with pytest.raises(ApiError) as refused:
        decide(Facts(parent_ok=False))
    assert refused.value.code == "unknown_parent" and refused.value.field == "parent"


def test_spam_checks_come_before_the_moderator_rule():
    assert decide(Facts(by_moderator=True, banned=True)).status == "spam"


def test_an_edit_is_decided_like_a_new_comment_and_says_it_was_edited():
    facts = Facts(link_count=3, link_limit=2, trusted=True)
    assert decide_edit(facts).status == decide(facts).status == "pending"
    assert decide_edit(facts).reason == "edited: " + decide(facts).reason


def test_an_edit_in_a_closed_thread_is_refused_like_a_new_comment():
    with pytest.raises(ApiError) as refused:
        decide_edit(Facts(thread_closed=True, trusted=True))
    assert refused.value.code == "thread_closed"


def test_an_edit_of_spam_still_looks_pending_to_its_writer():
    assert decide_edit(Facts(stored_as_spam=True, trusted=True)).public_status == "pending"


def test_new_and_edited_comments_can_wait_for_akismet():
    waiting = decide_edit(Facts(moderation="none", awaiting_spam_check=True))
    assert awaits_spam_check(waiting.reason) and awaits_spam_check(AWAITING_SPAM_CHECK)
    assert not awaits_spam_check("edited: first_post: first comment from this commenter")


def test_every_reason_is_a_stable_identifier_and_a_sentence():
    for _, facts, _, _ in CASES:
        code, sentence = split_reason(decide(facts).reason)
        assert code and sentence
