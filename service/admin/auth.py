"""Who is using the admin page: login (rate-limited), logout, and the session that remembers them.

The session is Flask's signed cookie: HttpOnly and SameSite=Lax (set in `create_app`), and
Secure whenever the request came over HTTPS. It holds the account id, a stamp of the password
hash and the account's session generation, kept in the database: changing a password,
removing the account, logging out or an owner's "end all sessions" ends every session of the
account, a copied cookie included. A session lives `sessions.SESSION_LIFETIME` after its last use (the
cookie's signed timestamp is renewed on every admin request), so an idle one expires. `create_app`
installs the session (service/sessions.py).
"""

from functools import wraps

from flask import current_app, flash, g, redirect, render_template, request, session, url_for

from .. import accounts
from ..db import db
from ..extensions import limiter
from ..limiting import RateLimited
from ..models import Moderator
from ..privacy import keyed_hash
from . import admin


def _stamp(moderator):
    """Changes with the password; keyed, so the cookie (signed, not encrypted) reveals nothing of the hash."""
    return keyed_hash(current_app.config["SECRET_KEY"], "session:" + (moderator.password_hash or ""))[:16]


def current_moderator():
    """The logged-in account, or None."""
    if "moderator" not in g:
        account = db.session.get(Moderator, session.get("moderator_id") or 0)
        if account is not None and (session.get("stamp") != _stamp(account)
                                    or session.get("generation") != account.session_generation):
            account = None
        g.moderator = account
    return g.moderator


def login_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        if current_moderator() is None:
            return redirect(url_for("admin.login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return wrapped


def safe_next(target, default="admin.queue"):
    """Only our own admin pages are followed after a form, never another site; a control character
    (a CR/LF would split the Location header) makes it no page of ours."""
    if (target and target.startswith("/admin") and not target.startswith("//") and "\\" not in target
            and target.isprintable()):
        return target
    return url_for(default)


@admin.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["TANDEM_LOGIN_RATE_LIMIT"], methods=["POST"])
def login():
    if request.method == "GET":
        return render_template("admin/login.html", next=request.args.get("next", ""))
    try:
        account = accounts.log_in(request.form.get("email", ""), request.form.get("password", ""),
                                  current_app.config["SECRET_KEY"])
    except accounts.TooManyFailures:
        flash("Too many failed attempts for this account. Please wait a quarter of an hour and try again.", "error")
        return render_template("admin/login.html", next="", email=""), 429, {"Retry-After": "900"}
    if account is None:
        flash("The e-mail address or the password is wrong.", "error")
        return render_template("admin/login.html", next=request.form.get("next", ""),
                               email=request.form.get("email", "")), 401
    session.clear()
    session.permanent = True
    session["moderator_id"], session["stamp"] = account.id, _stamp(account)
    session["generation"] = account.session_generation
    return redirect(safe_next(request.form.get("next")), code=303)


@admin.post("/logout")
def logout():
    """Log out everywhere: the account's session generation moves on, so no copy of any cookie works."""
    account = current_moderator()
    if account is not None:
        accounts.end_sessions(account)
        db.session.commit()
    session.clear()
    return redirect(url_for("admin.login"), code=303)


@admin.errorhandler(RateLimited)
def too_many_attempts(error):
    flash("Too many attempts. Please wait a minute and try again.", "error")
    response = render_template("admin/login.html", next="", email="")
    return response, 429, {"Retry-After": "60"}
