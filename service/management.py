"""What owners (and, for their own tokens, every moderator) manage: sites, accounts and API tokens.

Thin audited wrappers over `sites` and `accounts`: the audit entry is added first and
commits with the change, so a refused change leaves no entry behind. The admin page and API
pass the acting account; the command line passes `moderator=None` (audited as "command line").
"""

from sqlalchemy import select

from . import accounts, audit, sites
from .db import db
from .errors import ApiError, not_found
from .models import ApiToken, Moderator, Site
from .moderation import require_owner, require_site


def visible_sites(moderator):
    """The sites an account sees: all for owners, else those it moderates."""
    query = select(Site).order_by(Site.key)
    if not moderator.is_owner:
        query = query.where(Site.id.in_([site.id for site in moderator.sites]))
    return db.session.scalars(query).all()


def site_for(moderator, key):
    """The site by key, if the account moderates it (unknown key 404, another's site 403)."""
    return require_site(moderator, sites.get_site(key))


def create_site(moderator, key, name, origins, settings=None):
    require_owner(moderator)
    audit.record(moderator, "site.create", target=key, details={"origins": list(origins)})
    return sites.create_site(key, name, origins, settings)


def update_site(moderator, site, *, name=None, origins=None, settings=None):
    """Change a site's name, origins or settings; the audit entry lists what was set."""
    require_owner(moderator)
    changed = {setting: ("(set)" if setting in sites.OWNER_ONLY_SETTINGS and value else value)
               for setting, value in (settings or {}).items()}
    if name is not None:
        changed["name"] = name
    if origins is not None:
        changed["origins"] = list(origins)
    audit.record(moderator, "site.update", site=site, target=site.key, details=changed)
    return sites.update_site(site, name=name, origins=origins, settings=settings)


def allow_origin(moderator, site, origin):
    """Add one origin to a site's list (the others are kept); returns whether it was new."""
    origin = sites.check_origins([origin])[0]
    if origin in site.origins:
        return False
    update_site(moderator, site, origins=[*site.origins, origin])
    return True


def refuse_origin(moderator, site, origin):
    """Remove one origin from a site's list; an origin the site does not have is a refusal."""
    origin = origin.rstrip("/")
    if origin not in site.origins:
        raise ApiError("not_found", f"{origin} is not an origin of {site.key} (its origins: "
                                    f"{' '.join(site.origins) or 'none'}).", "origin")
    update_site(moderator, site, origins=[each for each in site.origins if each != origin])


def add_moderator(moderator, email, password, site_keys=(), owner=False):
    require_owner(moderator)
    moderated = [sites.get_site(key) for key in site_keys]
    audit.record(moderator, "moderator.add", target=email.strip().lower(),
                 details={"sites": list(site_keys), "owner": bool(owner)})
    return accounts.create_moderator(email, password, moderated, owner)


def set_password(moderator, account, password):
    """Set an account's password: its holder may, an owner may, the command line may."""
    if moderator is not None and moderator.id != account.id:
        require_owner(moderator)
    audit.record(moderator, "moderator.password", target=account.email)
    accounts.set_password(account, password)


def change_email(moderator, account, email):
    """Change an account's e-mail address: its holder may, an owner may, the command line may."""
    if moderator is not None and moderator.id != account.id:
        require_owner(moderator)
    audit.record(moderator, "moderator.email", target=account.email, details={"email": email.strip().lower()})
    accounts.change_email(account, email)


def account_for(moderator, account_id):
    require_owner(moderator)
    account = db.session.get(Moderator, account_id)
    if account is None:
        raise not_found("There is no such account.")
    return account


def assign_sites(moderator, account_id, site_keys):
    account = account_for(moderator, account_id)
    account.sites = [sites.get_site(key) for key in site_keys]
    audit.record(moderator, "moderator.sites", target=account.email, details={"sites": list(site_keys)})
    db.session.commit()
    return account


def end_sessions(moderator, account_id):
    """End every admin session of an account (an owner's "end all sessions"); its tokens are kept."""
    account = account_for(moderator, account_id)
    audit.record(moderator, "moderator.sessions", target=account.email)
    accounts.end_sessions(account)
    db.session.commit()
    return account


def remove_moderator(moderator, account_id):
    """Remove an account (its tokens go with it); nobody removes themselves, so an owner always remains."""
    account = account_for(moderator, account_id)
    if moderator is not None and account.id == moderator.id:
        raise ApiError("conflict", "You cannot remove your own account.")
    audit.record(moderator, "moderator.remove", target=account.email)
    db.session.execute(ApiToken.__table__.delete().where(ApiToken.moderator_id == account.id))
    db.session.delete(account)
    db.session.commit()


def moderators(moderator):
    require_owner(moderator)
    return db.session.scalars(select(Moderator).order_by(Moderator.email)).all()


def create_token(moderator, label=None, *, account=None):
    """A new admin API token for the account itself, or for `account` (owners and the command
    line); the clear token is returned once."""
    account = account or moderator
    if moderator is not None and account.id != moderator.id:
        require_owner(moderator)
    audit.record(moderator, "token.create", target=label or "token", details={"account": account.email})
    return accounts.create_token(account, label=label)


def tokens(moderator):
    query = select(ApiToken).where(ApiToken.moderator_id == moderator.id, ApiToken.revoked.is_(False))
    return db.session.scalars(query.order_by(ApiToken.created.desc())).all()


def revoke_token(moderator, token_id):
    record = db.session.get(ApiToken, token_id)
    if record is None or record.moderator_id != moderator.id:
        raise not_found("There is no such token.")
    record.revoked = True
    audit.record(moderator, "token.revoke", target=record.label or f"token {record.id}")
    db.session.commit()
