"""`tandem site ...`: add, list, show and change sites, their origins, and print the snippet."""

import json

import click
from flask.cli import AppGroup
from sqlalchemy import select

from . import management, recipes, sites
from .db import db
from .models import Site


@click.group(cls=AppGroup)
def site():
    """Sites (blogs) served by this instance."""


@site.command(name="add")
@click.argument("key")
@click.option("--name", required=True, help="The blog's name, shown in mails and on the admin pages.")
@click.option("--origin", "origins", multiple=True, required=True,
              help="An origin allowed to post, such as https://blog.example.com; repeatable.")
@click.option("--moderation", type=click.Choice(["first-post", "all", "none"]), default="first-post",
              show_default=True, help="Which comments wait for a moderator.")
def site_add(key, name, origins, moderation):
    """Add a site."""
    created = management.create_site(None, key, name, list(origins), {"moderation": moderation})
    click.echo(f"Site {created.key} added.")


@site.command(name="list")
def site_list():
    """List the sites: key, name and origins."""
    for each in db.session.scalars(select(Site).order_by(Site.key)):
        click.echo(f"{each.key}\t{each.name}\t{' '.join(each.origins)}")


@site.command(name="show")
@click.argument("key")
def site_show(key):
    """Print a site's origins and settings as JSON."""
    shown = sites.get_site(key)
    click.echo(json.dumps({"key": shown.key, "name": shown.name, "origins": shown.origins,
                           "settings": shown.effective_settings}, indent=2, ensure_ascii=False))


@site.command(name="set")
@click.argument("key")
@click.argument("setting")
@click.argument("value")
def site_set(key, setting, value):
    """Change a site's name, origins or one setting.

    For example `tandem site set myblog moderation all`; `origins` replaces the whole list
    (see `tandem site origin` to add or remove one).
    """
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
@click.option("--for", "engine", type=click.Choice(list(recipes.RECIPES)),
              help="Write this blog engine's template variable for the post's path into the link.")
def site_snippet(key, engine):
    """Print the embed snippet to paste into the blog's post template."""
    target = sites.get_site(key)
    if engine is None:
        click.echo(sites.snippet(target, sites.public_url()))
        click.echo("\n".join(recipes.where_the_path_goes(target.key)), err=True)
        return
    click.echo(recipes.recipe_snippet(target.key, sites.public_url(), engine))
    click.echo(f"Paste it into {recipes.RECIPES[engine].template_file}, where the comments should appear.", err=True)


@site.group(name="origin", cls=AppGroup)
def origin():
    """Allow or stop one origin, keeping the others."""


@origin.command(name="add")
@click.argument("key")
@click.argument("origin_to_allow", metavar="ORIGIN")
def origin_add(key, origin_to_allow):
    """Allow posts from ORIGIN (scheme://host[:port]) on the site KEY."""
    target = sites.get_site(key)
    added = management.allow_origin(None, target, origin_to_allow)
    state = "added" if added else "was allowed already"
    click.echo(f"{key}: {origin_to_allow.rstrip('/')} {state}; origins: {' '.join(target.origins)}")


@origin.command(name="remove")
@click.argument("key")
@click.argument("origin_to_stop", metavar="ORIGIN")
def origin_remove(key, origin_to_stop):
    """Stop posts from ORIGIN on the site KEY."""
    target = sites.get_site(key)
    management.refuse_origin(None, target, origin_to_stop)
    click.echo(f"{key}: {origin_to_stop.rstrip('/')} removed; origins: {' '.join(target.origins) or 'none'}")
