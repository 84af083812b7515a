"""`tandem export --static DIR`: every thread as a plain HTML page that needs no Tandem (SPEC 15).

Each thread gets a folder `DIR/<site>/<post path>/` with `index.html` (the no-JavaScript thread
page's own template: approved comments, threaded) and `comments.json` (the same document the
API serves); `DIR/index.html` lists them all. Stylesheet and avatars are copied beside them, so
the folder can be published anywhere and read for as long as files can.
"""

import hashlib
import json
import re
import shutil
from pathlib import Path, PurePosixPath

from flask import current_app, render_template
from sqlalchemy import select

from .. import identicon, threads
from ..db import db
from ..models import Site, Thread

EVERYTHING = 10**9  # one page holds the whole thread
_UNSAFE = re.compile(r"[^A-Za-z0-9._~-]+")


def thread_folder(uri):
    """The folder a thread's page is written to, from its URI: `/2026/11/a-post/` is `2026/11/a-post`,
    WordPress's `/?p=12` is `p-12`; nothing in it can climb out of the archive."""
    path, _, query = uri.partition("?")
    parts = [_UNSAFE.sub("-", part).strip("-") for part in path.split("/")]
    parts = [part if part not in ("", ".", "..") else None for part in parts]
    parts = [part for part in parts if part] + ([_UNSAFE.sub("-", query).strip("-")] if query else [])
    return PurePosixPath(*parts) if parts else PurePosixPath(".")


def write_archive(folder, site_keys=None):
    """Write the archive of the given sites (all when None) into `folder`; returns (sites, threads) written."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    query = select(Site).order_by(Site.key)
    if site_keys:
        query = query.where(Site.key.in_(site_keys))
    shutil.copyfile(Path(current_app.config["EMBED_FOLDER"]) / "embed.css", folder / "embed.css")
    listed, avatars = [], set()
    for site in db.session.scalars(query).all():
        listed.append((site, [_write_thread(folder, site, thread, avatars) for thread in _public_threads(site)]))
    _write_avatars(folder, avatars)
    (folder / "index.html").write_text(render_template("archive_index.html", sites=listed), encoding="utf-8")
    return len(listed), sum(len(written) for _, written in listed)


def _public_threads(site):
    query = select(Thread).where(Thread.site_id == site.id, Thread.approved_count > 0, Thread.version > 0)
    return db.session.scalars(query.order_by(Thread.uri)).all()


def _write_thread(folder, site, thread, avatars):
    """One thread's `index.html` and `comments.json`; returns what the index lists of it."""
    relative = PurePosixPath(site.key) / thread_folder(thread.uri)
    target = folder / relative
    if (target / "comments.json").exists():  # two URIs that read the same as folders
        relative = relative / hashlib.blake2b(thread.uri.encode(), digest_size=4).hexdigest()
        target = folder / relative
    target.mkdir(parents=True, exist_ok=True)
    page = threads.build_page(site, thread, "oldest", EVERYTHING, None, current_app.config["SECRET_KEY"])
    _collect_avatars(page["comments"], avatars)
    back = "../" * len(relative.parts)
    post_url = site.origins[0] + thread.uri if site.origins else None
    html = render_template("thread.html", site=site, uri=thread.uri, page=page, post_url=post_url,
                           asset_root=back.rstrip("/"), stylesheet=back + "embed.css", archived=True)
    (target / "index.html").write_text(html, encoding="utf-8")
    document = {"site": site.key, "uri": thread.uri, "url": post_url, **page["thread"], "comments": page["comments"]}
    (target / "comments.json").write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
    return {"href": f"{relative}/index.html", "title": thread.title or thread.uri, "uri": thread.uri,
            "total": page["thread"]["total"]}


def _collect_avatars(nodes, avatars):
    stack = list(nodes)
    while stack:
        node = stack.pop()
        if node.get("avatar"):
            avatars.add(node["avatar"].rsplit("/", 1)[-1].removesuffix(".svg"))
        stack.extend(node["replies"])


def _write_avatars(folder, avatars):
    (folder / "avatar").mkdir(exist_ok=True)
    for avatar_hash in avatars:
        (folder / "avatar" / f"{avatar_hash}.svg").write_text(identicon.svg(avatar_hash), encoding="utf-8")
