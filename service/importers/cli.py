"""`tandem import wordpress|disqus|isso|tandem FILE --site KEY` and `tandem export --site KEY`.

Thin adapters: find the site, run the importer with a progress bar on a terminal, print the
summary. A refused file is one line on stderr, exit status 1, and nothing stored.
"""

import os
import sys

import click
from flask.cli import AppGroup, with_appcontext
from sqlalchemy.exc import DataError, IntegrityError
from tqdm import tqdm

from .. import sites, spam
from ..db import db
from . import disqus, isso, tandem, wordpress

SOURCES = {
    "wordpress": (wordpress, "a WordPress export (WXR 1.0 to 1.2)"),
    "disqus": (disqus, "a Disqus XML export"),
    "isso": (isso, "an Isso SQLite database"),
    "tandem": (tandem, "a Tandem export (JSON)"),
}


@click.group(name="import", cls=AppGroup)
def import_comments():
    """Import comments from WordPress, Disqus, Isso or Tandem."""


def _import_command(name, module, description):
    @import_comments.command(name=name, help=f"Import {description}. Running it again adds nothing twice.")
    @click.argument("file", type=click.Path(exists=True, dir_okay=False))
    @click.option("--site", "site_key", required=True, help="The key of the site the comments belong to.")
    def command(file, site_key, **options):
        site = sites.get_site(site_key)
        with _progress(module, file) as bar:
            try:
                summary = module.import_file(site, file, progress=bar.update, workers=os.cpu_count() or 1,
                                             **options)
            except (DataError, IntegrityError) as error:
                db.session.rollback()
                raise click.ClickException(f"{file}: the database refused a row, nothing was imported "
                                           f"({str(error.orig).splitlines()[0]}).") from None
            except BaseException:
                db.session.rollback()
                raise
        click.echo(f"Imported {file} into {site.key}: " + summary.describe())
        spam_count, ham_count = spam.rebuild(site)  # imported statuses are the filter's best teacher
        click.echo(f"The spam filter of {site.key} now knows {spam_count} spam and {ham_count} approved comments.")

    if module is tandem:
        # Trust lets a token's comments skip moderation: a file from elsewhere grants it only when asked.
        command = click.option("--keep-trust", is_flag=True,
                               help="Keep the file's readers' tokens and the trust they earned there.")(command)
    return command


for _name, (_module, _description) in SOURCES.items():
    _import_command(_name, _module, _description)


def _progress(module, file):
    """Bytes read for XML files, comments for databases; drawn only when a person is watching."""
    if module is isso:
        total, unit, scale = isso.count_comments(file), "comments", False
    elif module is tandem:
        total, unit, scale = None, "comments", False
    else:
        total, unit, scale = os.path.getsize(file), "B", True
    return tqdm(total=total, unit=unit, unit_scale=scale, file=sys.stderr, disable=not sys.stderr.isatty(),
                leave=False)


@click.command(name="export")
@click.option("--site", "site_key", help="The key of the site to export (with --static: only this site).")
@click.option("--static", "static_folder", type=click.Path(file_okay=False),
              help="Write plain HTML pages (and comments.json) of every thread into this folder instead.")
@with_appcontext
def export(site_key, static_folder):
    """A site as JSON on stdout, or (--static) a plain HTML archive.

    The JSON holds every thread, comment, like count and trust, for another Tandem; the archive holds
    the approved comments as pages that need no Tandem.
    """
    if static_folder:
        from ..operate.archive import write_archive

        site_keys = [sites.get_site(site_key).key] if site_key else None
        written_sites, written_threads = write_archive(static_folder, site_keys)
        click.echo(f"Wrote {written_threads} thread page(s) of {written_sites} site(s) to {static_folder}.")
        return
    if not site_key:
        raise click.UsageError("Name the site to export with --site KEY (or write an archive with --static DIR).")
    site = sites.get_site(site_key)
    stream = sys.stdout.buffer  # bytes: the export is UTF-8 whatever the terminal's encoding
    tandem.export_site(site, lambda chunk: stream.write(chunk.encode("utf-8")))
    stream.flush()
