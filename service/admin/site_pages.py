"""Admin pages for managing: sites and their settings, moderators, bans, tokens, the audit log, erasure."""

from flask import flash, redirect, render_template, request, url_for

from .. import audit, clock, erasure, management, moderation, origins, recipes, sites
from ..errors import ApiError
from ..models import DEFAULT_SETTINGS
from ..text import clean_line
from . import admin
from .auth import current_moderator, login_required

SETTING_KINDS = {name: ("flag" if isinstance(default, bool) else "fraction" if isinstance(default, float)
                        else "number" if isinstance(default, int)
                        else "words" if isinstance(default, list) else "choice" if name in sites.CHOICES
                        else "url") for name, default in DEFAULT_SETTINGS.items()}


def service_url():
    return sites.public_url(request.host_url)


def _done(message, endpoint, **values):
    flash(message, "done")
    return redirect(url_for(endpoint, **values), code=303)


def _origins(form):
    return form.get("origins", "").split()


def _settings(form):
    """Every setting from the form: unticked boxes mean false, word lists are one per line or comma."""
    settings = {}
    for name, kind in SETTING_KINDS.items():
        if kind == "flag":
            settings[name] = name in form
        elif kind == "words":
            settings[name] = [word.strip() for word in form.get(name, "").replace(",", "\n").splitlines()]
        elif name in form:
            settings[name] = form[name]
    return settings


@admin.route("/sites", methods=["GET", "POST"])
@login_required
def site_list():
    moderation.require_owner(current_moderator())
    if request.method == "POST":
        created = management.create_site(current_moderator(), request.form.get("key", "").strip(),
                                         request.form.get("name", "").strip(), _origins(request.form))
        return _done(f"Site {created.key} created. Paste its snippet into your blog.", "admin.site_page",
                     key=created.key)
    shown = management.visible_sites(current_moderator())
    return render_template("admin/sites.html", sites=shown, refused=origins.recently_refused(shown))


@admin.post("/sites/<key>/origins")
@login_required
def site_allow_origin(key):
    """The Sites page's "Allow" button: one more origin, the others kept."""
    site = sites.get_site(key)
    origin = request.form.get("origin", "")
    management.allow_origin(current_moderator(), site, origin)
    return _done(f"{site.key} now accepts posts from {origin.rstrip('/')}.", "admin.site_list")


@admin.route("/sites/<key>", methods=["GET", "POST"])
@login_required
def site_page(key):
    moderation.require_owner(current_moderator())
    site = sites.get_site(key)
    if request.method == "POST":
        management.update_site(current_moderator(), site, name=request.form.get("name", "").strip() or None,
                               origins=_origins(request.form), settings=_settings(request.form))
        return _done("Site saved.", "admin.site_page", key=key)
    return render_template("admin/site.html", site=site, kinds=SETTING_KINDS, choices=sites.CHOICES,
                           snippet=sites.snippet(site, service_url()), post_path=recipes.POST_PATH,
                           recipes=recipes.RECIPES.values())


@admin.route("/moderators", methods=["GET", "POST"])
@login_required
def moderator_list():
    me = current_moderator()
    moderation.require_owner(me)
    if request.method == "POST":
        management.add_moderator(me, request.form.get("email", ""), request.form.get("password", ""),
                                 request.form.getlist("sites"), owner="owner" in request.form)
        return _done("Account added. Tell them their password in person or by a private channel.",
                     "admin.moderator_list")
    return render_template("admin/moderators.html", accounts=management.moderators(me),
                           sites=management.visible_sites(me))


@admin.post("/moderators/<id:account_id>/sites")
@login_required
def moderator_sites(account_id):
    account = management.assign_sites(current_moderator(), account_id, request.form.getlist("sites"))
    return _done(f"Sites of {account.email} saved.", "admin.moderator_list")


@admin.post("/moderators/<id:account_id>/sessions")
@login_required
def moderator_sessions(account_id):
    account = management.end_sessions(current_moderator(), account_id)
    return _done(f"Every session of {account.email} has ended; they must log in again.", "admin.moderator_list")


@admin.post("/moderators/<id:account_id>/remove")
@login_required
def moderator_remove(account_id):
    management.remove_moderator(current_moderator(), account_id)
    return _done("Account removed.", "admin.moderator_list")


@admin.route("/bans", methods=["GET", "POST"])
@login_required
def ban_list():
    me = current_moderator()
    if request.method == "POST":
        site = management.site_for(me, request.form.get("site", ""))
        moderation.ban_address(me, site, email=request.form.get("email") or None, ip=request.form.get("ip") or None,
                               note=request.form.get("note") or None, now=clock.now())
        return _done("Ban added.", "admin.ban_list")
    visible = {site.id: site for site in management.visible_sites(me)}
    return render_template("admin/bans.html", bans=moderation.bans(me), sites=visible)


@admin.post("/bans/<id:ban_id>/lift")
@login_required
def ban_lift(ban_id):
    moderation.lift_ban(current_moderator(), ban_id, now=clock.now())
    return _done("Ban lifted.", "admin.ban_list")


@admin.get("/audit")
@login_required
def audit_log():
    me = current_moderator()
    return render_template("admin/audit.html", entries=audit.entries(me),
                           sites={site.id: site for site in management.visible_sites(me)})


@admin.route("/tokens", methods=["GET", "POST"])
@login_required
def token_list():
    me = current_moderator()
    created = None
    if request.method == "POST":
        created = management.create_token(me, clean_line(request.form.get("label"))[:200] or None)
    # The new token is rendered in this response only (never stored in clear, never redirected with).
    return render_template("admin/tokens.html", tokens=management.tokens(me), created=created)


@admin.post("/tokens/<id:token_id>/revoke")
@login_required
def token_revoke(token_id):
    management.revoke_token(current_moderator(), token_id)
    return _done("Token revoked; programs using it are locked out.", "admin.token_list")


@admin.route("/forget", methods=["GET", "POST"])
@login_required
def forget():
    me = current_moderator()
    moderation.require_owner(me)
    if request.method == "POST":
        email = request.form.get("email", "").strip()
        if not email:
            raise ApiError("validation_failed", "Give the e-mail address to forget.", "email")
        site_key = request.form.get("site") or None
        result = erasure.forget(me, email, site=sites.get_site(site_key) if site_key else None,
                                delete_comments="delete" in request.form, now=clock.now())
        return _done(f"Forgotten: {result.comments} comment(s), {result.subscriptions} subscription(s).",
                     "admin.forget")
    return render_template("admin/forget.html", sites=management.visible_sites(me))
