"""Atom 1.0 feeds of the newest approved comments of a site or of one thread: `GET /api/feed`."""

import re
from xml.etree import ElementTree

from flask import Blueprint, Response, request
from sqlalchemy import select

from .db import db
from .errors import ApiError
from .models import APPROVED, Comment, Thread
from .notify.links import comment_url
from .sites import find_site, public_url
from .text import clean_line, normalise_uri
from .threads import iso

ATOM = "http://www.w3.org/2005/Atom"
ENTRIES = 50

feeds = Blueprint("feeds", __name__)


@feeds.get("/api/feed")
def comment_feed():
    site = find_site(request.args.get("site", ""))
    if site is None:
        raise ApiError("unknown_site", "There is no site with this key.", "site")
    uri = request.args.get("uri")
    body = atom_feed(site, normalise_uri(uri) if uri else None, request.url)
    return Response(body, mimetype="application/atom+xml",
                    headers={"Access-Control-Allow-Origin": "*", "Cache-Control": "public, max-age=300"})


def _newest(site, uri):
    query = (select(Comment).join(Thread).where(Comment.site_id == site.id, Comment.status == APPROVED)
             .order_by(Comment.created.desc(), Comment.id.desc()).limit(ENTRIES))
    if uri is not None:
        query = query.where(Thread.uri == uri)
    return list(db.session.scalars(query))


# Characters XML 1.0 cannot hold at all; ElementTree would write them and make the feed ill-formed.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _add(parent, tag, text=None, **attributes):
    """A child element; whatever a stored value holds, the feed stays well-formed XML."""
    element = ElementTree.SubElement(parent, tag, {name: _NOT_XML.sub("", value) for name, value in attributes.items()})
    element.text = _NOT_XML.sub("", text) if text is not None else None
    return element


def _where(thread):
    return clean_line(thread.title) or thread.uri


def atom_feed(site, uri, self_url):
    """The feed document as UTF-8 bytes; an unknown thread gives a valid feed without entries."""
    newest = _newest(site, uri)
    feed = ElementTree.Element("feed", xmlns=ATOM)
    title = f"Comments on {clean_line(site.name)}"
    if uri is not None:
        thread = newest[0].thread if newest else None
        title = f"Comments on {_where(thread) if thread else uri} ({clean_line(site.name)})"
    _add(feed, "title", title)
    _add(feed, "id", self_url)
    _add(feed, "link", rel="self", href=self_url)
    _add(feed, "link", rel="alternate", href=(site.origins[0] if site.origins else public_url()) + (uri or "/"))
    _add(feed, "updated", iso(max((c.edited or c.created for c in newest), default=site.created)))
    _add(feed, "generator", "Tandem")
    for comment in newest:
        _entry(feed, site, comment)
    return ElementTree.tostring(feed, encoding="utf-8", xml_declaration=True)


def _entry(feed, site, comment):
    thread = comment.thread
    link = comment_url(site, thread, comment.id)
    entry = _add(feed, "entry")
    _add(entry, "title", f"{clean_line(comment.author) or 'Anonymous'} on {_where(thread)}")
    _add(entry, "id", f"{public_url()}/api/comments/{comment.id}")
    _add(entry, "link", rel="alternate", type="text/html", href=link)
    _add(entry, "published", iso(comment.created))
    _add(entry, "updated", iso(comment.edited or comment.created))
    author = _add(entry, "author")
    _add(author, "name", clean_line(comment.author) or "Anonymous")
    if comment.website:
        _add(author, "uri", comment.website)
    _add(entry, "content", comment.html, type="html")
