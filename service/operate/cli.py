"""`tandem backup [--output FILE]` and `tandem restore FILE [--force]` (SPEC 15)."""

from datetime import datetime, timezone

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import inspect, select

from ..db import db
from ..models import Comment
from . import backup


@click.command(name="backup")
@click.option("--output", type=click.Path(dir_okay=False), help="The file to write (default: tandem-DATE.db or .pgdump here).")
@with_appcontext
def backup_command(output):
    """Copy the database while the service keeps running."""
    url = current_app.config["TANDEM_DATABASE_URL"]
    output = output or backup.default_name(url, datetime.now(timezone.utc))
    made = backup.make_backup(url, output)
    click.echo(f"Backup written to {made} ({made.stat().st_size:,} bytes).")


@click.command(name="restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--force", is_flag=True, help="Overwrite an instance that already holds comments.")
@with_appcontext
def restore_command(file, force):
    """Fill this instance from a `tandem backup` file."""
    from ..bootstrap import upgrade_schema

    url = current_app.config["TANDEM_DATABASE_URL"]
    backup.backup_kind(file)  # refuse a file that is no backup before looking at the instance
    if _holds_comments() and not force:
        raise click.ClickException("This instance already holds comments; restoring would replace them all. "
                                   "Add --force to do so.")
    db.session.remove()
    db.engine.dispose()  # no pooled connection may keep the old database open
    backup.restore_backup(url, file)
    upgrade_schema()  # a backup from an older version gets this version's migrations
    count = db.session.scalar(select(db.func.count(Comment.id)))
    click.echo(f"Restored {file}: {count} comment(s).")


def _holds_comments():
    if not inspect(db.engine).has_table(Comment.__tablename__):
        return False
    return db.session.scalar(select(Comment.id).limit(1)) is not None


COMMANDS = (backup_command, restore_command)

# restoring fills an instance that may not exist yet (click keeps any attribute; mypy knows only its own)
restore_command.makes_instance = True  # type: ignore[attr-defined]
