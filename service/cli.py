"""The `tandem` command: serve, database, sites, accounts, tokens and moderation (SPEC section 9).

Commands are thin: they parse arguments, call the same audited service functions as the admin
page (with `moderator=None`, recorded as "command line"), and print. Any refusal becomes one
line on stderr and a non-zero exit.
"""

import json
import sys

import click
from flask.cli import FlaskGroup
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from . import accounts, create_app, management, moderation, sites
from .bootstrap import bootstrap, upgrade_schema, upgrade_schema_in_child
from .db import db
from .errors import ApiError
from .models import PENDING, Comment, Site


class TandemGroup(FlaskGroup):
    """Turns the service's refusals into `Error: <one line>` and exit status 1."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except ApiError as error:
            raise click.ClickException(error.message) from None
        except OperationalError as error:
            raise click.ClickException(f"The database is unreachable: {error.orig}") from None


@click.group(cls=TandemGroup, create_app=lambda: create_app(), add_default_commands=False, add_version_option=False)
def main():
    """Tandem: self-hosted comments for blogs."""


@main.command(with_appcontext=False)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8080, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64))
@click.option("--no-worker", is_flag=True, help="Do not deliver notifications from this process.")
@click.pass_obj
def serve(script_info, host, port, workers, no_worker):
    """Run the production server (gunicorn), bootstrapping an empty instance first."""
    app = script_info.load_app()
    # Links in mails and snippets name this server unless a public address is configured.
    app.config["TANDEM_PUBLIC_URL"] = app.config["TANDEM_PUBLIC_URL"] or f"http://{host}:{port}"
    # Bootstrapping gets an app context of its own, popped before gunicorn forks: a context still
    # pushed in the master would be inherited by every worker and shared by all their requests
    # (one `g`, one CSRF token, one database session), as Flask reuses a pushed app context.
    with app.app_context():
        if not upgrade_schema_in_child():
            raise click.ClickException("The database schema could not be brought up to date (see above).")
        message = bootstrap(port, app.config["TANDEM_ADMIN_EMAIL"], app.config["TANDEM_ADMIN_PASSWORD"])
        db.session.remove()
    if message:
        click.echo(message)
    _observe(app)
    click.echo(f"Tandem on http://{host}:{port}/  (admin: http://{host}:{port}/admin)")
    if not no_worker:
        from .notify import start_background_worker

        start_background_worker(app)
    from .server import serve as run_gunicorn

    run_gunicorn(app, host, port, workers)


def _observe(app):
    """Log lines in TANDEM_LOG_FORMAT, and metrics counted by every worker in one folder (SPEC 15)."""
    from pathlib import Path

    from . import metrics, requestlog

    try:
        requestlog.configure(app.config["TANDEM_LOG_FORMAT"])
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    metrics.use_folder(Path(app.config["TANDEM_INSTANCE"]) / "metrics")


@main.group(name="db")
def database():
    """The database schema."""


@database.command()
def upgrade():
    """Apply pending migrations; every comment is kept."""
    upgrade_schema()
    click.echo("Database is up to date.")


@main.group()
def site():
    """Sites (blogs) served by this instance."""


@site.command(name="add")
@click.argument("key")
@click.option("--name", required=True)
@click.option("--origin", "origins", multiple=True, required=True, help="An origin allowed to post; repeatable.")
@click.option("--moderation", type=click.Choice(["first-post", "all", "none"]), default="first-post")
def site_add(key, name, origins, moderation):
    """Add a site."""
    created = management.create_site(None, key, name, list(origins), {"moderation": moderation})
    click.echo(f"Site {created.key} added.")


@site.command(name="list")
def site_list():
    for each in db.session.scalars(select(Site).order_by(Site.key)):
        click.echo(f"{each.key}\t{each.name}\t{' '.join(each.origins)}")


@site.command(name="show")
@click.argument("key")
def site_show(key):
    shown = sites.get_site(key)
    click.echo(json.dumps({"key": shown.key, "name": shown.name, "origins": shown.origins,
                           "settings": shown.effective_settings}, indent=2, ensure_ascii=False))


@site.command(name="set")
@click.argument("key")
@click.argument("setting")
@click.argument("value")
def site_set(key, setting, value):
    """Change one setting, e.g. `tandem site set myblog moderation all`."""
    target = sites.get_site(key)
    if setting == "origins":
        management.update_site(None, target, origins=value.split())
    elif setting == "name":
        management.update_site(None, target, name=value)
    else:
        management.update_site(None, target, settings={setting: value})
    click.echo(f"{key}: {setting} set.")


@site.command(name="snippet")
@click.argument("key")
def site_snippet(key):
    """Print the embed snippet to paste into the blog's template."""
    click.echo(sites.snippet(sites.get_site(key), sites.public_url()))


@main.group()
def user():
    """Moderator accounts."""


@user.command(name="add")
@click.argument("email")
@click.option("--password", help="Asked for when not given.")
@click.option("--site", "site_keys", multiple=True)
@click.option("--owner", is_flag=True)
def user_add(email, password, site_keys, owner):
    """Add a moderator of the given sites (or an owner of all)."""
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    management.add_moderator(None, email, password, site_keys, owner)
    click.echo(f"Account {email} added.")


@user.command(name="password")
@click.argument("email")
@click.option("--password", help="Asked for when not given.")
def user_password(email, password):
    moderator = _moderator(email)
    if password is None:
        password = click.prompt("New password", hide_input=True, confirmation_prompt=True)
    management.set_password(None, moderator, password)
    click.echo("Password changed.")


@main.group()
def token():
    """Admin API tokens."""


@token.command(name="create")
@click.argument("email")
def token_create(email):
    """Print a new admin API token for the account; it is shown only this once."""
    click.echo(management.create_token(None, label="cli", account=_moderator(email)))


def _moderator(email):
    found = accounts.find_moderator(email)
    if found is None:
        raise click.ClickException(f"There is no account {email}.")
    return found


@main.group()
def moderate():
    """List and decide held comments."""


@moderate.command(name="list")
@click.option("--site", "site_key")
@click.option("--json", "as_json", is_flag=True)
def moderate_list(site_key, as_json):
    query = select(Comment).where(Comment.status == PENDING).order_by(Comment.created.desc())
    if site_key:
        query = query.where(Comment.site_id == sites.get_site(site_key).id)
    held = db.session.scalars(query).all()
    rows = [{"id": c.id, "site": c.site.key, "uri": c.thread.uri, "author": c.author, "email": c.email,
             "reason": c.held_reason, "created": c.created.isoformat() + "Z", "text": c.text} for c in held]
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    click.echo(held_table(rows))


def _decide(action):
    @click.argument("ids", nargs=-1, required=True, type=int)
    def command(ids, **options):
        done = moderation.decide(None, list(ids), action, trust=not options.get("no_trust"))
        click.echo(f"{action}: {', '.join(str(c.id) for c in done)}")

    command.__doc__ = f"{action.capitalize()} comments by id."
    return command


moderate.command(name="approve")(click.option("--no-trust", is_flag=True)(_decide("approve")))
moderate.command(name="reject")(_decide("reject"))
moderate.command(name="spam")(_decide("spam"))

from .importers.cli import export, import_comments  # noqa: E402  (import/export, SPEC 8)

main.add_command(import_comments)
main.add_command(export)


from .notify.cli import COMMANDS as notify_commands  # noqa: E402  (worker, mail, webhook)

for command in notify_commands:
    main.add_command(command)


from .operate.cli import COMMANDS as operate_commands  # noqa: E402  (backup, restore: SPEC 15)

for command in operate_commands:
    main.add_command(command)


from .admin.cli import forget, held_table  # noqa: E402  (erasure, the held-comments table)

main.add_command(forget)


if __name__ == "__main__":
    sys.exit(main())
