"""First start of an empty instance: the schema, a demo site and an owner account."""

import secrets

from flask import current_app
from flask_migrate import upgrade
from sqlalchemy import select

from . import accounts, sites
from .db import db
from .models import Moderator, Site


def upgrade_schema():
    upgrade(directory=current_app.extensions["migrate"].directory)


def bootstrap(port, admin_email=None, admin_password=None):
    """Create the demo site and an owner on an instance that has none; returns a line to print, or None."""
    if db.session.scalar(select(Site.id).limit(1)) is None:
        sites.create_site("demo", "Demo blog", [f"http://127.0.0.1:{port}", f"http://localhost:{port}"])
    if db.session.scalar(select(Moderator.id).limit(1)) is not None:
        return None
    email = admin_email or "admin@localhost"
    password = admin_password or secrets.token_urlsafe(12)
    demo = sites.get_site("demo")
    accounts.create_moderator(email, password, sites=[demo], owner=True)
    if admin_password:
        return f"Owner account {email} created (password from TANDEM_ADMIN_PASSWORD)."
    return f"Owner account created: {email} / {password}  (shown once; change it with `tandem user password`)"
