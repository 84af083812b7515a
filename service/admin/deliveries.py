"""The owners' Deliveries page: the notification outbox's recent rows, and a test mail sent on demand."""

from flask import render_template, request

from .. import moderation
from ..notify.log import recent_deliveries, send_test_mail
from ..vocabulary import OutboxState
from . import admin
from .auth import current_moderator, login_required

STATES = tuple(OutboxState)


@admin.route("/deliveries", methods=["GET", "POST"])
@login_required
def deliveries():
    me = current_moderator()
    moderation.require_owner(me)
    tested = None
    if request.method == "POST":
        # Sent in this request on purpose: the owner waits for the answer the mail server gives.
        tested = send_test_mail(request.form.get("to", "") or me.email)
    state = request.args.get("state") if request.args.get("state") in STATES else None
    return render_template("admin/deliveries.html", rows=recent_deliveries(100, [state] if state else None),
                           tested=tested, state=state, states=STATES)
