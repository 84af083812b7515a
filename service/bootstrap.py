"""First start of an empty instance: the schema, a demo site and an owner account."""

import os
import secrets
import sys
import traceback

from flask import current_app
from sqlalchemy import select

from . import accounts, sites
from .db import db
from .models import Moderator, Site


def upgrade_schema():
    """Bring the schema to the newest migration (Alembic, through Flask-Migrate, imported only here)."""
    from flask_migrate import Migrate, upgrade

    from . import MIGRATIONS

    if "migrate" not in current_app.extensions:
        Migrate(current_app, db, directory=str(MIGRATIONS))
    upgrade(directory=str(MIGRATIONS))


def upgrade_schema_in_child():
    """`upgrade_schema` in a forked child: Alembic's 12 MB then never reach the server process,
    whose memory every gunicorn worker starts with. Returns whether it succeeded."""
    child = os.fork()
    if child == 0:
        try:
            upgrade_schema()
            code = 0
        except BaseException:  # the parent reports the failure; the child only says why
            traceback.print_exc()
            code = 1
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    _, status = os.waitpid(child, 0)
    return os.waitstatus_to_exitcode(status) == 0


# The owner nobody gave an address to; `accounts.owner_mail_problem` tells them so.
UNREACHABLE_OWNER = "admin@localhost"


def bootstrap(port, admin_email=None, admin_password=None):
    """Create the demo site and an owner on an instance that has none; returns a line to print, or None."""
    if db.session.scalar(select(Site.id).limit(1)) is None:
        sites.create_site("demo", "Demo blog", [f"http://127.0.0.1:{port}", f"http://localhost:{port}"])
    if db.session.scalar(select(Moderator.id).limit(1)) is not None:
        return None
    email = admin_email or UNREACHABLE_OWNER
    password = admin_password or secrets.token_urlsafe(12)
    demo = sites.get_site("demo")
    accounts.create_moderator(email, password, sites=[demo], owner=True)
    if admin_password:
        return f"Owner account {email} created (password from TANDEM_ADMIN_PASSWORD)."
    return f"Owner account created: {email} / {password}  (shown once; change it with `tandem user password`)"
