"""For the author by mail (SPEC 14): `heart` in an answer to a notice, and the moderators' daily digest."""

from .notify_support import smtp_sink, text_of  # noqa: F401  (fixture)
from .test_reply_by_mail import app, answer, comment, held_notice, moderated_site, receive, replies_to  # noqa: F401


def test_moderator_answering_heart_approves_and_hearts_the_comment_without_a_reply(
        app, moderated_site, reader, smtp_sink, client):
    comment_id, notice = held_notice(app, reader, smtp_sink)
    outcome = receive(app, answer(notice, "Heart! What a lovely note."))
    assert outcome.handled and outcome.reason == f"hearted comment {comment_id}"
    assert comment(app, comment_id).status == "approved" and replies_to(app, comment_id) == []
    shown = client.get(f"/api/comments?site={moderated_site}&uri=/post/").json["comments"]
    assert [(c["id"], c["hearted"]) for c in shown] == [(comment_id, True)]
