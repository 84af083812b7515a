"""The read side: a thread as readers see it, serialised once per thread version and cached.

`read` is used by the JSON API and by the no-JavaScript page alike, so both show the same
tree from the same cache. A page is keyed by the site's and the thread's version, which every write
bumps in its transaction, so a cached page is never stale and needs no invalidation.
"""

import base64
import binascii
import bisect
import json
from dataclasses import dataclass

from sqlalchemy import bindparam, false, select

from . import jsontext, sites
from .db import db
from .errors import ApiError
from .models import APPROVED, DELETED, Comment, Site, Thread
from .page_cache import Lookup
from .privacy import avatar_hash
from .rawsql import RawQuery

SORTS = ("oldest", "newest", "top")
DEFAULT_LIMIT, MAX_LIMIT = 50, 200
WIDGET_SETTINGS = ("moderation", "require_email", "require_author", "markdown", "max_depth", "edit_window_minutes",
                   "challenge")


def iso(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None


def public_comment(comment, secret):
    """A comment as anyone may see it: no e-mail, IP or token."""
    return {
        "id": comment.id,
        "parent": comment.parent_id,
        "author": comment.author,
        "website": comment.website,
        "avatar": "/avatar/%s.svg" % public_avatar(comment, secret),
        "html": comment.html,
        "created": iso(comment.created),
        "edited": iso(comment.edited),
        "likes": comment.likes,
        "is_author": comment.is_author,
        "pinned": comment.pinned,
        "hearted": comment.hearted,
        "replies": [],
    }


def public_avatar(comment, secret):
    """The avatar hash a comment is shown with, keyed per site.

    A comment that is not public is drawn from its writer's own commenter token only: its answer
    must not tell whether its e-mail address has written before (a silent probe with a guessed
    address would otherwise get that person's picture)."""
    if comment.status != APPROVED:
        return avatar_hash(secret, comment.site_id, commenter_hash=comment.commenter_hash or "hidden")
    return avatar_hash(secret, comment.site_id, comment.email, comment.commenter_hash, comment.author)


# What a thread page shows of each comment (plus what its avatar is made from): plain rows, no ORM
# objects, so a large thread builds quickly and a worker's memory stays small.
PAGE_COLUMNS = (
    Comment.id, Comment.site_id, Comment.parent_id, Comment.status, Comment.author, Comment.website, Comment.email,
    Comment.commenter_hash, Comment.html, Comment.created, Comment.edited, Comment.likes,
    Comment.is_author, Comment.pinned, Comment.hearted,
)


# What laying out a thread needs of each of its comments: where it hangs and how it sorts.
SKELETON_COLUMNS = (Comment.id, Comment.parent_id, Comment.status, Comment.created, Comment.pinned, Comment.likes)


def tombstone(comment):
    return {"id": comment.id, "parent": comment.parent_id, "deleted": True, "replies": []}


_LOOKUP = RawQuery(
    select(Site.id, Site.version, Thread.id, Thread.version)
    .select_from(Site)
    .outerjoin(Thread, (Thread.site_id == Site.id) & (Thread.uri == bindparam("uri")))
    .where(Site.key == bindparam("site_key"))
)


def lookup(site_key, uri):
    """One indexed query: the site and (if readers can see it) the thread with their versions.

    A thread that nothing public has happened to (version 0: made by a held or spam comment) is
    no thread to readers: its page and ETag are those of an unknown thread, revealing nothing."""
    rows = _LOOKUP.all({"site_key": site_key, "uri": uri}) if sites.is_site_key(site_key) else []
    if not rows:
        raise ApiError("unknown_site", "There is no site with this key.", "site")
    site_id, site_version, thread_id, thread_version = rows[0]
    if not thread_version:
        return Lookup(site_id, site_version, None, 0)
    return Lookup(site_id, site_version, thread_id, thread_version)


_COUNTS: dict[int, RawQuery] = {}  # list length -> its compiled counts query


def _counts_query(how_many):
    """The counts query for `how_many` URIs; one compiled statement per list length asked for."""
    query = _COUNTS.get(how_many)
    if query is None:
        uris = [bindparam("uri%d" % index) for index in range(how_many)]
        joined = (Thread.site_id == Site.id) & Thread.uri.in_(uris) if uris else (Thread.site_id == Site.id) & false()
        query = _COUNTS[how_many] = RawQuery(
            select(Site.id, Thread.uri, Thread.approved_count)
            .select_from(Site)
            .outerjoin(Thread, joined)
            .where(Site.key == bindparam("site_key"))
        )
    return query


def counts(site_key, uris):
    """Approved comments per thread URI of one site (0 for a thread nobody commented on), in one query."""
    unique = sorted(set(uris))
    params = {"site_key": site_key, **{"uri%d" % index: uri for index, uri in enumerate(unique)}}
    rows = _counts_query(len(unique)).all(params) if sites.is_site_key(site_key) else []
    if not rows:
        raise ApiError("unknown_site", "There is no site with this key.", "site")
    return {uri: count for _, uri, count in rows if uri is not None}


def parse_query(sort, limit, after):
    """Check the paging parameters of a thread read; garbage gets a 400 naming the parameter."""
    sort = sort or "oldest"
    if sort not in SORTS:
        raise ApiError("bad_request", "sort must be oldest, newest or top.", "sort")
    try:
        limit = DEFAULT_LIMIT if limit in (None, "") else int(limit)
    except ValueError:
        raise ApiError("bad_request", "limit must be a number.", "limit") from None
    if not 1 <= limit <= MAX_LIMIT:
        raise ApiError("bad_request", f"limit must be between 1 and {MAX_LIMIT}.", "limit")
    return sort, limit, _decode_cursor(after, sort) if after else None


def _sort_key(node, sort):
    pinned = 0 if node["pinned"] else 1
    if sort == "newest":
        return [pinned, "~" + _invert(node["created"]), -node["id"]]
    if sort == "top":
        return [pinned, -node["likes"], node["created"], node["id"]]
    return [pinned, node["created"], node["id"]]


def _invert(timestamp):
    """Reverse the order of ISO timestamps with a fixed width, so 'newest' sorts ascending too."""
    return "".join(chr(ord("9") - ord(c) + ord("0")) if c.isdigit() else c for c in timestamp)


def _encode_cursor(key):
    return base64.urlsafe_b64encode(json.dumps(key, separators=(",", ":")).encode()).decode().rstrip("=")


def _decode_cursor(cursor, sort):
    try:
        key = jsontext.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("utf-8"))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        key = None
    shape = [int, str, int] if sort != "top" else [int, int, str, int]
    if not isinstance(key, list) or [type(part) for part in key] != shape:
        raise ApiError("bad_request", "This paging cursor is not valid.", "after")
    return key


@dataclass
class _Layout:
    """Where each visible comment of a thread hangs, worked out from the thread's skeleton alone (no
    text, no HTML), so a thread of tens of thousands of comments costs little until a page is cut."""

    roots: list[int]  # the top-level comments shown, in thread order
    keys: dict[int, dict]  # every comment's sort facts (`_node_key`)
    members: dict[int, list[tuple[int, int | None]]]  # per root: (comment, the one it hangs from), parents first


def _layout(skeleton, max_depth):
    """Approved comments threaded; deleted ones stay as tombstones only when they hold visible replies.

    A reply deeper than `max_depth` (stored before the site lowered it) hangs from its deepest
    allowed ancestor, as a new one would, so the document nests at most `max_depth` levels. Built
    with loops, not recursion: no chain of replies is too long for it.
    """
    keys, children, deleted = {}, {}, set()
    for comment in skeleton:
        keys[comment.id] = _node_key(comment)
        children.setdefault(comment.parent_id, []).append(comment.id)
        if comment.status != APPROVED:
            deleted.add(comment.id)

    placed = _place(children, max_depth)
    shown = set()
    for node_id, anchor in reversed(placed):  # replies before the comments they hang from
        if node_id in shown or node_id not in deleted:
            shown.add(node_id)
            shown.add(anchor)
    roots, members, root_of = [], {}, {}
    for node_id, anchor in placed:
        if node_id not in shown:
            continue
        if anchor is None:
            roots.append(node_id)
            members[node_id] = []
        root_of[node_id] = node_id if anchor is None else root_of[anchor]
        members[root_of[node_id]].append((node_id, anchor))
    return _Layout(roots, keys, members)


def _assemble(members, rows, keys, secret):
    """The page's comments nested as `members` places them, from their full rows."""
    nodes = {row.id: public_comment(row, secret) if row.status == APPROVED else tombstone(row) for row in rows}
    roots, regrouped = [], set()
    for node_id, anchor in members:
        node = nodes[node_id]
        (roots if anchor is None else nodes[anchor]["replies"]).append(node)
        if anchor is not None and node["parent"] != anchor:
            regrouped.add(anchor)
    for anchor in regrouped:
        nodes[anchor]["replies"].sort(key=lambda node: (keys[node["id"]]["created"], node["id"]))
    return roots


def _place(children, max_depth):
    """Every comment reachable from the top level, parents first, with the comment it hangs from."""
    placed, stack = [], [(root, None, 0) for root in reversed(children.get(None, []))]
    while stack:
        node_id, anchor, depth = stack.pop()
        placed.append((node_id, anchor))
        below, depth_below = (node_id, depth + 1) if depth < max_depth else (anchor, depth)
        stack.extend((child, below, depth_below) for child in reversed(children.get(node_id, [])))
    return placed


def _node_key(comment):
    """What the sort orders need of a comment (a tombstone sorts as unpinned and unliked)."""
    if comment.status != APPROVED:
        return {"pinned": False, "created": iso(comment.created) or "", "id": comment.id, "likes": 0}
    return {"pinned": comment.pinned, "created": iso(comment.created), "id": comment.id, "likes": comment.likes}


def _page_rows(comment_ids):
    """The full rows of a page's comments, a few thousand ids per query (SQLite's limit of bound values)."""
    rows = []
    for start in range(0, len(comment_ids), 5000):
        rows += db.session.execute(select(*PAGE_COLUMNS).where(Comment.id.in_(comment_ids[start:start + 5000]))).all()
    return rows


def build_page(site, thread, sort, limit, after, secret):
    """The thread document of `GET /api/comments`, built from the database."""
    document = {
        "thread": {"uri": thread.uri if thread else None, "title": thread.title if thread else None,
                   "closed": bool(thread and thread.closed), "total": thread.approved_count if thread else 0},
        "config": {name: site.setting(name) for name in WIDGET_SETTINGS},
        "comments": [],
        "next": None,
    }
    if thread is None:
        return document
    skeleton = db.session.execute(
        select(*SKELETON_COLUMNS)
        .where(Comment.thread_id == thread.id, Comment.status.in_((APPROVED, DELETED)))
        .order_by(Comment.created, Comment.id)
    ).all()
    layout = _layout(skeleton, site.setting("max_depth"))
    keyed = sorted(((_sort_key(layout.keys[root], sort), root) for root in layout.roots), key=lambda pair: pair[0])
    keys = [key for key, _ in keyed]
    start = bisect.bisect_right(keys, after) if after else 0
    page = keyed[start:start + limit]
    members = [pair for _, root in page for pair in layout.members[root]]
    document["comments"] = _assemble(members, _page_rows([node_id for node_id, _ in members]), layout.keys, secret)
    if start + limit < len(keyed):
        document["next"] = _encode_cursor(page[-1][0])
    return document


@dataclass
class ThreadRead:
    """One read of a thread's page: its ETag, and the page as JSON unless the reader has that version."""

    etag: str
    body: bytes | None
    site_id: int


def read(site_key, uri, sort=None, limit=None, after=None, *, secret, cache, known=()):
    """The page of thread `uri` (normalised) in the order and size asked, from `cache` when this
    version was built before; `body` is None when its ETag is among those the reader `known`s."""
    sort, limit, cursor = parse_query(sort, limit, after)
    found = lookup(site_key, uri)
    etag = found.etag(sort, limit, after or "")
    if etag in known:
        return ThreadRead(etag, None, found.site_id)
    slot = (found.site_id, uri, sort, limit, after or "")
    body = cache.get(slot, etag)
    if body is None:
        site = db.session.get(Site, found.site_id)
        thread = db.session.get(Thread, found.thread_id) if found.thread_id else None
        page = build_page(site, thread, sort, limit, cursor, secret)
        page["thread"]["uri"] = uri
        body = json.dumps(page, ensure_ascii=False, separators=(",", ":")).encode()
        cache.put(slot, etag, body)
    return ThreadRead(etag, body, found.site_id)
