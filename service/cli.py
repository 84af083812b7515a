"""The `tandem` command: serve, database, sites, accounts, tokens and moderation (SPEC section 9).

Commands are thin: they parse arguments, call the same audited service functions as the admin
page (with `moderator=None`, recorded as "command line"), and print. Any refusal becomes one
line on stderr and a non-zero exit.
"""

import json
import sys

import click
from flask.cli import AppGroup, ScriptInfo
from sqlalchemy import select
from sqlalchemy.exc import OperationalError, ProgrammingError

from . import accounts, create_app, management, moderation, sites, spam
from .bootstrap import bootstrap, upgrade_schema, upgrade_schema_in_child
from .config import SERVE_HOST, SERVE_PORT, load_config, missing_instance
from .db import db
from .errors import ApiError
from .models import PENDING, Comment
from .server import port_refusal

NO_TABLES = ("no such table", "does not exist")


class TandemGroup(AppGroup):
    """Tandem's commands only (none of Flask's options or plugins); refusals become `Error: <one line>`
    and exit status 1."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except ApiError as error:
            raise click.ClickException(error.message) from None
        except (OperationalError, ProgrammingError) as error:
            if any(words in str(error.orig) for words in NO_TABLES):
                raise click.ClickException(
                    "This database has no Tandem tables yet: run `tandem serve` (or `tandem db upgrade`) "
                    "once with the same TANDEM_INSTANCE / TANDEM_DATABASE_URL.") from None
            raise click.ClickException(f"The database is unreachable: {error.orig}") from None


def makes_instance(command):
    """Mark a command that may create an instance where none is (serve, db upgrade); others refuse."""
    command.makes_instance = True
    return command


def _app_for_command():
    """The app for the running command, refusing to make a stray instance for one that needs it."""
    if not getattr(click.get_current_context().command, "makes_instance", False):
        problem = missing_instance(load_config())
        if problem:
            raise click.ClickException(problem)
    return create_app()


@click.group(cls=TandemGroup, context_settings={"max_content_width": 100})
@click.pass_context
def main(ctx):
    """Tandem: self-hosted comments for blogs.

    Commands act on the instance in ./instance, or the one named by TANDEM_INSTANCE,
    TANDEM_DATABASE_URL or a TANDEM_CONFIG file.
    """
    if ctx.obj is None:  # tests pass their own app in a ScriptInfo
        ctx.obj = ScriptInfo(create_app=_app_for_command, set_debug_flag=False)


@makes_instance
@main.command(with_appcontext=False)
@click.option("--host", default=SERVE_HOST, show_default=True, help="The address to listen on.")
@click.option("--port", default=SERVE_PORT, show_default=True, type=click.IntRange(1, 65535), help="The port to listen on.")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64),
              help="Server processes; each handles many readers at once.")
@click.option("--no-worker", is_flag=True, help="Do not deliver notifications from this process.")
@click.pass_obj
def serve(script_info, host, port, workers, no_worker):
    """Run the server (gunicorn); an empty instance is set up first."""
    refused = port_refusal(host, port)
    if refused:
        raise click.ClickException(refused)
    app = script_info.load_app()
    # Links in mails and snippets name this server unless a public address is configured.
    app.config["TANDEM_PUBLIC_URL"] = app.config["TANDEM_PUBLIC_URL"] or f"http://{host}:{port}"
    # Bootstrapping gets an app context of its own, popped before gunicorn forks: a context still
    # pushed in the master would be inherited by every worker and shared by all their requests
    # (one `g`, one CSRF token, one database session), as Flask reuses a pushed app context.
    with app.app_context():
        if not upgrade_schema_in_child():
            raise click.ClickException("The database schema could not be brought up to date (see above).")
        message = bootstrap(port, _owner_email(app), app.config["TANDEM_ADMIN_PASSWORD"])
        warning = accounts.owner_mail_problem()
        db.session.remove()
    if message:
        click.echo(message)
    if warning:
        click.echo(f"Warning: {warning}")
    _observe(app)
    click.echo(f"Tandem on http://{host}:{port}/  (admin: http://{host}:{port}/admin)")
    if not no_worker:
        from .notify import start_delivery_process

        start_delivery_process(app)
    from .server import serve as run_gunicorn

    run_gunicorn(app, host, port, workers)


def _owner_email(app):
    """TANDEM_ADMIN_EMAIL, else (on a terminal, when the instance has no account yet) the owner's answer."""
    configured = app.config["TANDEM_ADMIN_EMAIL"]
    if configured or not sys.stdin.isatty() or not accounts.no_accounts_yet():
        return configured
    return click.prompt("The owner's e-mail address (held comments are announced there)",
                        value_proc=_mailbox)


def _mailbox(value):
    if not accounts.EMAIL.match(value.strip()) or not accounts.reaches_a_mailbox(value):
        raise click.BadParameter(f"{value!r} cannot receive mail; give an address such as you@example.org.")
    return value.strip()


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


@makes_instance
@database.command()
def upgrade():
    """Apply pending migrations; every comment is kept."""
    upgrade_schema()
    click.echo("Database is up to date.")


@main.command()
def doctor():
    """Check this instance's setup; exit 1 when a check fails."""
    from . import doctor as checks
    from .doctor_facts import gather

    findings = checks.diagnose(gather())
    for finding in findings:
        click.echo(finding.line())
    if checks.failed(findings):
        sys.exit(1)


@main.group()
def user():
    """Moderator accounts."""


@user.command(name="add")
@click.argument("email")
@click.option("--password", help="Asked for when not given.")
@click.option("--site", "site_keys", multiple=True, help="A site the account moderates; repeatable.")
@click.option("--owner", is_flag=True, help="An owner: every site, the settings and the accounts.")
def user_add(email, password, site_keys, owner):
    """Add a moderator of some sites, or an owner of all."""
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    management.add_moderator(None, email, password, site_keys, owner)
    click.echo(f"Account {email} added.")


@user.command(name="password")
@click.argument("email")
@click.option("--password", help="Asked for when not given.")
def user_password(email, password):
    """Set an account's password."""
    moderator = _moderator(email)
    if password is None:
        password = click.prompt("New password", hide_input=True, confirmation_prompt=True)
    management.set_password(None, moderator, password)
    click.echo("Password changed.")


@user.command(name="email")
@click.argument("email")
@click.argument("new_email")
def user_email(email, new_email):
    """Change an account's e-mail address (login and notices)."""
    management.change_email(None, _moderator(email), new_email)
    click.echo(f"Account {email} is now {new_email.strip().lower()}.")


@main.group()
def token():
    """Admin API tokens."""


@token.command(name="create")
@click.argument("email")
def token_create(email):
    """Print a new admin API token for an account (shown only once)."""
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
@click.option("--site", "site_key", help="Only this site's held comments.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def moderate_list(site_key, as_json):
    """List the held comments, newest first."""
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


moderate.command(name="approve")(click.option("--no-trust", is_flag=True, help="Approve without trusting the writer.")(
    _decide("approve")))
moderate.command(name="reject")(_decide("reject"))
moderate.command(name="spam")(_decide("spam"))

@main.group(name="spam")
def spam_group():
    """The learning spam filter (SPEC 13)."""


@spam_group.command(name="train")
@click.option("--site", "site_key", required=True, help="The site whose filter to rebuild.")
def spam_train(site_key):
    """Rebuild a site's filter from its decisions and imports."""
    site = sites.get_site(site_key)
    spam_count, ham_count = spam.rebuild(site)
    click.echo(f"Trained the filter of {site.key} on {spam_count} spam and {ham_count} approved comments.")


@spam_group.command(name="explain")
@click.argument("comment_id", type=int)
def spam_explain(comment_id):
    """Why a comment has its status: reason, score, top features."""
    comment = moderation.comments_for(None, [comment_id])[0]
    click.echo("\n".join(spam.explain(comment)))


from .site_cli import site  # noqa: E402  (sites and their origins)

main.add_command(site)

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
