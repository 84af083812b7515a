"""The pages links in e-mails open. A GET only shows what the button would do, so mail scanners
that follow links change nothing; the form's POST acts. The signed token in the address is the
credential, so these forms need no session and no CSRF token.
"""

from flask import Blueprint, render_template, request

from .. import clock
from . import actions, links

notify_pages = Blueprint("notify_pages", __name__)

VERBS = {"approve": "Approve", "reject": "Reject", "spam": "Mark as spam"}


def register(app):
    from ..extensions import csrf

    csrf.exempt(notify_pages)
    app.register_blueprint(notify_pages)


@notify_pages.errorhandler(links.LinkRefused)
def link_refused(error):
    status = 410 if error.expired else 400
    return render_template("notify/refused.html", expired=error.expired), status


def _page(template, **context):
    response = render_template(template, **context)
    return response, 200, {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex"}


def _subscription_page(purpose, subscription):
    blog_name, blog_url = actions.blog_of(subscription)
    return _page("notify/subscription.html", purpose=purpose, subscription=subscription,
                 posted=request.method == "POST", blog_name=blog_name, blog_url=blog_url)


@notify_pages.route("/moderate/<token>", methods=["GET", "POST"])
def moderate(token):
    if request.method == "POST":
        found, done = actions.moderate(token, now=clock.now())
    else:
        found, done = actions.look_moderation(token, now=clock.now()), False
    return _page("notify/moderate.html", link=found, done=done, posted=request.method == "POST",
                 verb=VERBS[found.action], status_after=actions.STATUS_AFTER[found.action])


@notify_pages.route("/confirm/<token>", methods=["GET", "POST"])
def confirm(token):
    if request.method == "POST":
        subscription = actions.confirm(token, now=clock.now())
    else:
        subscription = actions.look_subscription(links.CONFIRM, token, now=clock.now())
    return _subscription_page("confirm", subscription)


@notify_pages.route("/unsubscribe/<token>", methods=["GET", "POST"])
def unsubscribe(token):
    """GET asks; POST (the page's button, or a mail client's one-click `List-Unsubscribe-Post`) ends it."""
    if request.method == "POST":
        subscription = actions.unsubscribe(token, now=clock.now())
    else:
        subscription = actions.look_subscription(links.UNSUBSCRIBE, token, now=clock.now())
    return _subscription_page("unsubscribe", subscription)


@notify_pages.route("/leave/<token>", methods=["GET", "POST"])
def leave(token):
    """Stop mail about a thread. POST is also RFC 8058's one-click: no cookie, no CSRF token, idempotent."""
    return _leave_page(links.LEAVE, token)


@notify_pages.route("/stop/<token>", methods=["GET", "POST"])
def stop_all(token):
    """Stop all mail from the site to one address."""
    return _leave_page(links.STOP_ALL, token)


def _leave_page(purpose, token):
    if request.method == "POST":
        leaving = actions.leave(purpose, token, now=clock.now())
    else:
        leaving = actions.look_leaving(purpose, token, now=clock.now())[0]
    blog_name, blog_url = actions.blog_of(leaving)
    return _page("notify/leave.html", leaving=leaving, blog_name=blog_name, blog_url=blog_url)
