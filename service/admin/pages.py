"""Admin pages for comments: the queue, Unanswered, all comments with search, one comment, and what is done to them.

Every action is a POST of a CSRF-protected form that ends in a redirect (so reloading repeats
nothing). One form holds a whole list: a per-comment button sends `act=ACTION:ID`, a bulk
button sends `act=ACTION` with the ticked `ids`.
"""

from flask import flash, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from .. import accounts, clock, fields, management, moderation
from ..db import db
from ..errors import ApiError
from ..models import PENDING, Thread
from ..vocabulary import split_reason
from . import admin
from .auth import current_moderator, login_required, safe_next
from .queries import parents_of, parse_filters, search

ACTIONS = {
    "approve": ("approve", {"trust": True}),
    "approve-only": ("approve", {"trust": False}),
    "reject": ("reject", {}),
    "spam": ("spam", {}),
}
# "Ban" blocks the writer's commenter token and e-mail address; "ban-network" their network too.
BANS = {"ban": ("commenter", "email"), "ban-network": ("commenter", "email", "ip")}
DONE = {"approve": "approved", "approve-only": "approved", "reject": "rejected", "spam": "marked as spam",
        "ban": "banned", "ban-network": "banned with their networks"}


@admin.after_request
def harden(response):
    """Admin pages hold private data: no caching, no framing, nothing inline, nothing from elsewhere."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@admin.context_processor
def account():
    """The account on every page; for owners, the warning when no notice can reach an owner."""
    me = current_moderator()
    return {"me": me, "owner_mail_problem": accounts.owner_mail_problem() if me and me.is_owner else None}


admin.add_app_template_global(split_reason, "split_reason")  # a stored reason: (identifier, sentence)


@admin.app_template_global("thread_link")
def thread_link(thread):
    """The post a thread links to, only when it is on one of its site's origins."""
    return fields.thread_link(thread.url, thread.site.origins)


@admin.errorhandler(ApiError)
def refused(error):
    """A refusal is shown on the page: forms go back with a message, forbidden pages get an error page."""
    db.session.rollback()
    if request.method == "POST" and error.status in (400, 404, 409):
        flash(error.message, "error")
        return redirect(safe_next(request.form.get("next")), code=303)
    return render_template("admin/error.html", error=error), error.status


@admin.get("/")
@login_required
def queue():
    filters = parse_filters(MultiDict({**request.args.to_dict(), "status": PENDING}))
    held, older = search(current_moderator(), filters)
    return render_template("admin/queue.html", comments=held, older=older, filters=filters, parents=parents_of(held))


@admin.get("/unanswered")
@login_required
def unanswered():
    """Readers' comments no moderator has answered, newest first, each with a reply form."""
    filters = parse_filters(MultiDict({**request.args.to_dict(), "unanswered": "1", "status": ""}))
    waiting, older = search(current_moderator(), filters)
    return render_template("admin/unanswered.html", comments=waiting, older=older, filters=filters,
                           parents=parents_of(waiting), mailbox=accounts.reaches_a_mailbox(current_moderator().email))


@admin.post("/digest")
@login_required
def digest():
    """The daily digest mail of held and unanswered comments: on or off, for this account."""
    choice = request.form.get("daily_digest")
    if choice not in ("on", "off"):
        raise ApiError("bad_request", "Choose on or off for the daily digest.")
    accounts.set_daily_digest(current_moderator(), choice == "on")
    flash("Daily digest on: one mail a day when comments are held or unanswered." if choice == "on"
          else "Daily digest off.", "done")
    return redirect(url_for("admin.unanswered") + "#digest", code=303)


@admin.get("/comments")
@login_required
def all_comments():
    filters = parse_filters(request.args)
    found, older = search(current_moderator(), filters)
    return render_template("admin/comments.html", comments=found, older=older, filters=filters,
                           parents=parents_of(found), my_sites=management.visible_sites(current_moderator()))


@admin.get("/comments/<id:comment_id>")
@login_required
def comment(comment_id):
    shown = moderation.comments_for(current_moderator(), [comment_id])[0]
    return render_template("admin/comment.html", comment=shown, parents=parents_of([shown]))


@admin.post("/comments/act")
@login_required
def act():
    """Approve (with or without trust), reject, mark as spam or ban (with or without the writer's
    network): one comment or the ticked ones."""
    action, _, single = request.form.get("act", "").partition(":")
    comment_ids = [fields.parse_id(value) for value in ([single] if single else request.form.getlist("ids"))]
    if None in comment_ids or action not in (*ACTIONS, *BANS):
        raise ApiError("bad_request", "Choose an action and at least one comment.")
    if not comment_ids:
        raise ApiError("bad_request", "Tick at least one comment first.")
    if action in BANS:
        moderation.ban_writers(current_moderator(), comment_ids, BANS[action], now=clock.now())
    else:
        name, options = ACTIONS[action]
        moderation.decide(current_moderator(), comment_ids, name, **options, now=clock.now())
    flash(f"{len(comment_ids)} comment{'s' if len(comment_ids) != 1 else ''} {DONE[action]}.", "done")
    return redirect(safe_next(request.form.get("next")), code=303)


@admin.post("/comments/<id:comment_id>/edit")
@login_required
def edit(comment_id):
    moderation.edit(current_moderator(), comment_id, request.form.get("text", ""), now=clock.now())
    flash("Comment saved.", "done")
    return redirect(url_for("admin.comment", comment_id=comment_id), code=303)


@admin.post("/comments/<id:comment_id>/delete")
@login_required
def delete(comment_id):
    moderation.delete(current_moderator(), comment_id, now=clock.now())
    flash("Comment deleted.", "done")
    return redirect(safe_next(request.form.get("next"), "admin.all_comments"), code=303)


@admin.post("/comments/<id:comment_id>/pin")
@login_required
def pin(comment_id):
    pinned = request.form.get("pinned") == "1"
    moderation.set_pinned(current_moderator(), comment_id, pinned, now=clock.now())
    flash("Comment pinned." if pinned else "Comment unpinned.", "done")
    return redirect(safe_next(request.form.get("next"), "admin.all_comments"), code=303)


@admin.post("/comments/<id:comment_id>/heart")
@login_required
def heart(comment_id):
    hearted = request.form.get("hearted") == "1"
    moderation.set_hearted(current_moderator(), comment_id, hearted)
    flash("Comment hearted: readers see \u201c\u2665 by the author\u201d." if hearted else "Heart taken back.", "done")
    return redirect(safe_next(request.form.get("next"), "admin.all_comments"), code=303)


@admin.post("/comments/<id:comment_id>/reply")
@login_required
def reply(comment_id):
    parent = moderation.comments_for(current_moderator(), [comment_id])[0]
    posted = moderation.reply(current_moderator(), parent.site, parent.thread.uri, request.form.get("text", ""),
                              parent_id=parent.id, author_name=request.form.get("author") or None, now=clock.now())
    flash("Your reply is published.", "done")
    if request.form.get("then"):  # the Unanswered view goes on with the next comment
        return redirect(safe_next(request.form["then"]), code=303)
    return redirect(url_for("admin.comment", comment_id=posted.comment.id), code=303)


def _thread_or_404(thread_id):
    thread = db.session.get(Thread, thread_id)
    if thread is None:
        raise ApiError("not_found", "There is no such thread.")
    return thread


@admin.post("/threads/<id:thread_id>/correct")
@login_required
def correct_thread(thread_id):
    thread = _thread_or_404(thread_id)
    moderation.correct_thread(current_moderator(), thread.site, thread.uri, title=request.form.get("title", ""),
                              url=request.form.get("url", ""), now=clock.now())
    flash("Thread title and link saved.", "done")
    return redirect(safe_next(request.form.get("next"), "admin.all_comments"), code=303)


@admin.post("/threads/<id:thread_id>/close")
@login_required
def close_thread(thread_id):
    thread = _thread_or_404(thread_id)
    closed = request.form.get("closed") == "1"
    moderation.set_closed(current_moderator(), thread.site, thread.uri, closed, now=clock.now())
    flash("Thread closed to new comments." if closed else "Thread open again.", "done")
    return redirect(safe_next(request.form.get("next"), "admin.all_comments"), code=303)
