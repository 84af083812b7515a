"""Moderation from the command line: `tandem forget`, and the table `tandem moderate list` prints."""

import click
from flask.cli import with_appcontext

from .. import erasure, sites

HELD_COLUMNS = (("id", "ID", 7), ("site", "SITE", 12), ("uri", "THREAD", 28), ("author", "AUTHOR", 18),
                ("email", "E-MAIL", 24), ("reason", "HELD BECAUSE", 30), ("text", "TEXT", 50))


def _cell(value, width):
    text = " ".join(str(value if value is not None else "").split())
    return text if len(text) <= width else text[:width - 1] + "…"


def held_table(rows):
    """Held comments as an aligned table, one line each, long values cut with an ellipsis."""
    if not rows:
        return "Nothing is waiting."
    rows = [{**row, "author": row["author"] or "Anonymous"} for row in rows]
    widths = {key: min(limit, max(len(title), *(len(_cell(row[key], limit)) for row in rows)))
              for key, title, limit in HELD_COLUMNS}
    lines = ["  ".join(title.ljust(widths[key]) for key, title, _ in HELD_COLUMNS).rstrip()]
    for row in rows:
        lines.append("  ".join(_cell(row[key], widths[key]).ljust(widths[key]) for key, _, _ in HELD_COLUMNS).rstrip())
    return "\n".join(lines)


@click.command()
@click.argument("email")
@click.option("--site", "site_key", help="Only this site's comments (default: every site).")
@click.option("--delete", "delete_comments", is_flag=True, help="Delete the comments too; replies keep their place.")
@with_appcontext
def forget(email, site_key, delete_comments):
    """Erase the personal data written with EMAIL (SPEC 9)."""
    if "@" not in email:
        raise click.BadParameter(f"{email!r} is not an e-mail address.", param_hint="EMAIL")
    site = sites.get_site(site_key) if site_key else None
    result = erasure.forget(None, email, site=site, delete_comments=delete_comments)
    verb = "deleted" if delete_comments else "anonymised"
    click.echo(f"Forgotten: {result.comments} comment(s) {verb}, {result.subscriptions} subscription(s) ended.")
