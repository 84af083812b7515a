"""The bulk writer every importer uses: comments from another system, stored like Tandem's own.

It is the import-time sibling of `comments.post_comment`: the same text rendering and
sanitising, the same depth rule, the same thread counters. Rows go in by batches inside one
transaction; replies are linked to their parents at the end, so a file may list a reply before
its parent. Source ids are kept in `Comment.import_ref`, so running an import again adds nothing.
Imported comments carry no commenter token, so they earn nobody trust, and they queue no mail.

Memory grows with the number of records, never with a value a record claims: a like count is
stored as the number it is, with no row per like, and every text is cut to its column.
"""

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy import text as sql_text

from .. import fields, text
from ..comment_upkeep import recount_threads
from ..comments import reply_position
from ..db import db
from ..errors import ApiError
from ..models import DELETED, STATUSES, Comment, Thread, utcnow
from ..privacy import anonymise_ip
from .rendering import BatchRenderer

BATCH = 1000
# Whitespace, control characters and backslashes: a browser would read such an address differently.
_UNSAFE_IN_URL = re.compile(r"[\s\x00-\x1f\x7f\\]")
_NEXT_COMMENT_IDS = sql_text("SELECT nextval(pg_get_serial_sequence('comment', 'id')) FROM generate_series(1, :count)")


@dataclass
class Record:
    """One comment as a source describes it; `markup` says how `text` becomes HTML."""

    ref: str
    thread_id: int
    status: str
    text: str
    created: datetime
    markup: str = "markdown"  # markdown | html | rendered (then `html` is the stored HTML to re-check)
    html: str = ""
    parent_ref: str | None = None
    author: str | None = None
    email: str | None = None
    website: str | None = None
    edited: datetime | None = None
    likes: int = 0
    is_author: bool = False
    pinned: bool = False
    hearted: bool = False
    held_reason: str | None = None
    commenter_hash: str | None = None
    ip: str | None = None
    notify: bool = False


@dataclass
class Summary:
    """What an import did, for the line printed at its end."""

    threads: set = field(default_factory=set)
    new_threads: int = 0
    comments: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)
    notes: list = field(default_factory=list)

    def describe(self):
        statuses = ", ".join(f"{count} {status}" for status, count in sorted(self.comments.items())) or "none"
        lines = [f"{_count(len(self.threads), 'thread')} ({self.new_threads} new), "
                 f"{_count(sum(self.comments.values()), 'comment')} imported: {statuses}."]
        if self.skipped:
            reasons = ", ".join(f"{count} {reason}" for reason, count in sorted(self.skipped.items()))
            lines.append(f"Skipped {sum(self.skipped.values())}: {reasons}.")
        return "\n".join(lines + self.notes)


def _count(number, noun):
    return f"{number} {noun}" + ("" if number == 1 else "s")


class ImportWriter:
    """Collects a source's threads and comments for one site and stores them in one transaction."""

    def __init__(self, site, default_reason, workers=1):
        self.site = site
        self._origins = {origin.rstrip("/").lower() for origin in site.origins or ()}
        self.default_reason = default_reason
        self.max_depth = site.setting("max_depth")
        self.summary = Summary()
        # uri -> (id, has a title) of the site's threads, so each is looked up once.
        self._thread_ids = {
            uri: (id_, bool(title))
            for id_, uri, title in db.session.execute(
                select(Thread.id, Thread.uri, Thread.title).where(Thread.site_id == site.id)
            )
        }
        self._batch = []
        self._renderer = BatchRenderer(workers)
        # ref -> (id, depth, parent_id) of comments stored before; ref -> (id, parent_ref) of new ones.
        self._placed = {
            ref: (id_, depth, parent_id)
            for ref, id_, depth, parent_id in db.session.execute(
                select(Comment.import_ref, Comment.id, Comment.depth, Comment.parent_id).where(
                    Comment.site_id == site.id, Comment.import_ref.is_not(None)
                )
            )
        }
        self._new = {}
        self._queued = set()
        self._skipped_parent = {}

    def thread(self, uri, title=None, url=None, created=None, closed=False):
        """The id of the site's thread for `uri`, made when it is new; a missing title is filled in.

        `uri` is already normalised by the importer; `url` is kept only when it is an address on
        one of the site's origins, so a file cannot send mails and feed links elsewhere."""
        uri = uri[:1000]
        url = url if self._on_site(url) else None
        title = fields.check_title(title)
        if uri in self._thread_ids:
            thread_id, has_title = self._thread_ids[uri]
            if title and not has_title:
                db.session.execute(update(Thread).where(Thread.id == thread_id).values(title=title))
                self._thread_ids[uri] = (thread_id, True)
            return thread_id
        values = dict(site_id=self.site.id, uri=uri, title=title, url=url, closed=closed,
                      created=created or utcnow())
        thread_id = db.session.scalar(insert(Thread).values(values).returning(Thread.id))
        self.summary.new_threads += 1
        self.summary.threads.add(thread_id)
        self._thread_ids[uri] = (thread_id, bool(title))
        return thread_id

    def _on_site(self, url):
        if not url or len(url) > 2000 or _UNSAFE_IN_URL.search(url):
            return False
        scheme, _, rest = url.partition("://")
        return f"{scheme}://{rest.split('/', 1)[0]}".lower() in self._origins

    def _seen(self, ref):
        return ref in self._placed or ref in self._new or ref in self._queued

    def skip(self, reason, ref=None, parent_ref=None):
        """Count a comment left out; its replies then hang from its own parent."""
        self.summary.skipped[reason] += 1
        if ref is not None and _fit(ref) not in self._placed:
            self._skipped_parent[_fit(ref)] = parent_ref and _fit(parent_ref)

    def add(self, record):
        if record.status not in STATUSES:
            raise ApiError("bad_request", f"Comment {record.ref} has the unknown status {record.status!r}.")
        record.ref, record.parent_ref = _fit(record.ref), record.parent_ref and _fit(record.parent_ref)
        if self._seen(record.ref):
            self.summary.skipped["already imported"] += 1
            return
        self._queued.add(record.ref)
        self._batch.append(record)
        self.summary.comments[record.status] += 1
        self.summary.threads.add(record.thread_id)
        if len(self._batch) >= BATCH:
            self._send_batch()

    def __enter__(self):
        return self

    def __exit__(self, *error):
        self._renderer.close()

    def finish(self):
        """Link replies to their parents, recount the touched threads, and commit everything at once."""
        self._send_batch(last=True)
        for records, htmls in self._renderer.done(everything=True):
            self._store(records, htmls)
        self._link_replies()
        recount_threads(self.summary.threads)
        db.session.commit()
        return self.summary

    # --- helpers -------------------------------------------------------------------------------

    def _send_batch(self, last=False):
        """Hand the batch's text to the renderer and store whichever batches it has finished."""
        if self._batch:
            for record in self._batch:
                record.text = text.clean_text(record.text or "")
            self._renderer.submit(self._batch, [(r.markup, r.text, r.html) for r in self._batch], last=last)
            self._batch = []
        for records, htmls in self._renderer.done():
            self._store(records, htmls)

    def _row(self, record, html):
        return dict(
            site_id=self.site.id, thread_id=record.thread_id, depth=0, status=record.status,
            held_reason=(record.held_reason or self.default_reason or "")[:200] or None, author=_author(record.author),
            email=_email(record.email), website=_website(record.website), text=record.text, html=html,
            created=record.created, edited=record.edited, likes=record.likes, is_author=record.is_author,
            pinned=record.pinned, hearted=record.hearted, commenter_hash=record.commenter_hash,
            ip=anonymise_ip(record.ip), notify=bool(record.notify), import_ref=record.ref,
        )

    def _store(self, records, htmls):
        """Insert a batch in as few statements as the database allows, knowing each row's id."""
        table = Comment.__table__
        rows = [self._row(r, html) for r, html in zip(records, htmls, strict=True)]
        if db.session.get_bind().dialect.name == "postgresql":
            # Ids drawn from the sequence first: a plain multi-row INSERT is several times faster
            # on PostgreSQL than one with RETURNING.
            for row, id_ in zip(rows, db.session.scalars(_NEXT_COMMENT_IDS, {"count": len(rows)}), strict=True):
                row["id"] = id_
            db.session.execute(table.insert(), rows)
            ids = {row["import_ref"]: row["id"] for row in rows}
        else:
            ids = dict(db.session.execute(table.insert().returning(table.c.import_ref, table.c.id), rows).all())
        for record in records:
            self._new[record.ref] = (ids[record.ref], record.parent_ref)
            self._queued.discard(record.ref)

    def _visible_parent(self, parent_ref):
        """The nearest ancestor that was stored, climbing over skipped comments; None for the top level."""
        climbed = set()
        while parent_ref is not None and parent_ref not in self._new and parent_ref not in self._placed:
            if parent_ref in climbed or parent_ref not in self._skipped_parent:
                return None
            climbed.add(parent_ref)
            parent_ref = self._skipped_parent[parent_ref]
        return parent_ref

    def _link_replies(self):
        """Give each new reply its parent and depth; deeper than `max_depth` hangs from the deepest allowed."""
        updates = []
        for ref in self._new:
            chain, current = [], ref
            while current is not None and current not in self._placed and current not in chain:
                chain.append(current)
                current = self._visible_parent(self._new[current][1])
            anchor = self._placed.get(current)
            for each in reversed(chain):
                id_ = self._new[each][0]
                if anchor is None:
                    anchor = self._placed[each] = (id_, 0, None)
                    continue
                attach_to, depth = reply_position(*anchor, self.max_depth)
                anchor = self._placed[each] = (id_, depth, attach_to)
                updates.append({"reply": id_, "new_depth": anchor[1], "new_parent": attach_to})
        table = Comment.__table__
        statement = (update(table).where(table.c.id == bindparam("reply"))
                     .values(depth=bindparam("new_depth"), parent_id=bindparam("new_parent")))
        for start in range(0, len(updates), BATCH):
            db.session.execute(statement, updates[start:start + BATCH])


def tombstone(record):
    """A comment deleted at the source keeps its place for its replies, and nothing of what it said or who said it."""
    return replace(record, status=DELETED, text="", html="", author=None, email=None, website=None, ip=None,
                   notify=False, likes=0)


def _fit(ref):
    """A source id short enough for `import_ref`; a long one keeps its start and a hash of the rest."""
    if len(ref) <= 200:
        return ref
    return ref[:135] + "#" + hashlib.sha256(ref.encode("utf-8", "surrogatepass")).hexdigest()


def _author(value):
    return text.clean_line(value)[: fields.AUTHOR_MAX] or None


def _email(value):
    """A valid address is kept; anything else is dropped rather than stopping the import."""
    try:
        return fields.check_email(text.clean_text(value or ""))
    except ApiError:
        return None


def _website(value):
    try:
        return fields.check_website(text.clean_text(value or ""))
    except ApiError:
        return None
