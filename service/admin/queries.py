"""The moderators' read side: comments across their sites, searched and filtered, newest first."""

from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import selectinload

from .. import fields, sites, text
from ..db import db
from ..errors import ApiError
from ..fields import thread_link
from ..models import APPROVED, STATUSES, Comment, Site, Thread
from ..moderation import require_site
from ..threads import iso
from ..vocabulary import split_reason
from ..waiting import on_sites_of, unanswered

DEFAULT_LIMIT, MAX_LIMIT = 50, 200
SORTS = ("newest", "score")  # newest first, or the spam filter's highest score first


@dataclass
class Filters:
    site: str | None = None
    status: str | None = None
    uri: str | None = None
    q: str | None = None
    limit: int = DEFAULT_LIMIT
    after: int | None = None
    sort: str = "newest"
    # Readers' approved comments no moderator has replied to yet (the "Unanswered" view, SPEC 14).
    unanswered: bool = False


def parse_filters(args):
    """Filters from query-string arguments, each checked; empty values mean "any"."""
    status = args.get("status") or None
    if status is not None and status not in STATUSES:
        raise ApiError("bad_request", f"status must be one of {', '.join(STATUSES)}.", "status")
    unanswered = _flag(args.get("unanswered"), "unanswered")
    if unanswered and status not in (None, APPROVED):
        raise ApiError("bad_request", "Unanswered comments are approved ones: leave status out.", "status")
    sort = args.get("sort") or "newest"
    if sort not in SORTS:
        raise ApiError("bad_request", f"sort must be one of {', '.join(SORTS)}.", "sort")
    return Filters(site=args.get("site") or None, status=status, uri=args.get("uri") or None,
                   q=(args.get("q") or "").strip() or None, limit=_limit(args.get("limit")),
                   after=_cursor(args.get("after")), sort=sort, unanswered=unanswered)


def _flag(raw, name):
    if raw in (None, "", "0", "false"):
        return False
    if raw in ("1", "true"):
        return True
    raise ApiError("bad_request", f"{name} must be 1 or 0.", name)


def _limit(raw):
    if raw in (None, ""):
        return DEFAULT_LIMIT
    number = fields.parse_id(raw)
    if number is None or number > MAX_LIMIT:
        raise ApiError("bad_request", f"limit must be a number from 1 to {MAX_LIMIT}.", "limit")
    return number


def _cursor(raw):
    """`after` is the id of the last comment of the page before."""
    if raw in (None, ""):
        return None
    number = fields.parse_id(raw)
    if number is None:
        raise ApiError("bad_request", "after must be a comment's id.", "after")
    return number


def search(moderator, filters):
    """One page of comments matching `filters` on the sites the account moderates, and the next cursor:
    ORM objects, for the admin pages' templates."""
    # A page's threads and sites come in one query each, not one per comment (50 sites on a big instance).
    query = select(Comment).options(selectinload(Comment.thread), selectinload(Comment.site))
    return _paged(db.session.scalars(_narrowed(query, moderator, filters)).all(), filters.limit)


def private_page(moderator, filters):
    """The same page as `search`, each comment shaped by `private_comment`, for the admin API.

    Read as plain rows of the columns shown, then the page's threads with their sites in one query,
    each thread's link worked out once: loading ORM objects (and a query each for threads and sites)
    cost more CPU than PostgreSQL spends on the search (bench/admin_list.py, 1,000,000 comments).
    A comment's site is its thread's: a comment is only ever written on a thread of its own site."""
    found = db.session.execute(_narrowed(_PRIVATE_ROWS, moderator, filters)).all()
    page, older = _paged(found, filters.limit)
    places = _places({row.thread_id for row in page})
    return [_private(row, *places[row.thread_id]) for row in page], older


def _places(thread_ids):
    """(thread, its site's key, its link) by thread id, each link worked out once."""
    if not thread_ids:
        return {}
    found = db.session.execute(_PLACES.where(Thread.id.in_(thread_ids)))
    return {place.id: (place, place.key, thread_link(place.url, place.origins)) for place in found}


def _narrowed(query, moderator, filters):
    """`query` (of comments) limited to `filters` on the account's sites, in order, one row past the page."""
    if filters.site:
        query = query.where(Comment.site_id == require_site(moderator, sites.get_site(filters.site)).id)
    else:
        query = query.where(on_sites_of(moderator))
    if filters.status:
        query = query.where(Comment.status == filters.status)
    if filters.unanswered:
        query = query.where(*unanswered())
    if filters.uri:
        query = query.join(Thread, Comment.thread_id == Thread.id).where(Thread.uri == text.normalise_uri(filters.uri))
    if filters.q:
        pattern = "%" + filters.q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(or_(Comment.text.ilike(pattern, escape="\\"), Comment.author.ilike(pattern, escape="\\")))
    if filters.after:
        query = query.where(_after(filters.after, filters.sort))
    order = (_SCORE.desc(), Comment.id.desc()) if filters.sort == "score" else (Comment.created.desc(), Comment.id.desc())
    return query.order_by(*order).limit(filters.limit + 1)


def _paged(found, limit):
    page = found[:limit]
    return page, (page[-1].id if len(found) > limit else None)


_SCORE = func.coalesce(Comment.spam_score, -1.0)  # unscored comments come last


def _after(comment_id, sort):
    cursor = db.session.get(Comment, comment_id)
    if cursor is None:
        raise ApiError("bad_request", "This paging cursor is not valid.", "after")
    if sort == "score":
        score = -1.0 if cursor.spam_score is None else cursor.spam_score
        return or_(_SCORE < score, and_(_SCORE == score, Comment.id < cursor.id))
    return or_(Comment.created < cursor.created, and_(Comment.created == cursor.created, Comment.id < cursor.id))


def private_comment(comment):
    """A comment as its site's moderators see it: the public fields and the private ones."""
    return _private(comment, comment.thread, comment.site.key, thread_link(comment.thread.url, comment.site.origins))


# What `_private` reads, for `private_page`'s plain rows (an ORM comment, thread and site have them too);
# built once, as building a statement of twenty columns costs more than running it from the cache.
_PRIVATE_ROWS = select(Comment.id, Comment.thread_id, Comment.parent_id, Comment.status, Comment.held_reason,
                       Comment.spam_score, Comment.spam_features, Comment.author, Comment.email, Comment.website,
                       Comment.ip, Comment.text, Comment.html, Comment.created, Comment.edited, Comment.likes,
                       Comment.is_author, Comment.pinned, Comment.hearted)
_PLACES = select(Thread.id, Thread.uri, Thread.title, Thread.url, Thread.closed, Site.key, Site.origins).join(
    Site, Thread.site_id == Site.id)


def _private(comment, thread, site_key, thread_url):
    held_reason, held_sentence = split_reason(comment.held_reason)
    return {
        "id": comment.id,
        "site": site_key,
        "uri": thread.uri,
        "thread_title": thread.title,
        "thread_url": thread_url,
        "thread_closed": thread.closed,
        "parent": comment.parent_id,
        "status": comment.status,
        "held_reason": held_reason,
        "held_sentence": held_sentence,
        "spam_score": comment.spam_score,
        "spam_features": [{"feature": feature, "weight": weight} for feature, weight in comment.spam_features or ()],
        "author": comment.author,
        "email": comment.email,
        "website": comment.website,
        "ip": comment.ip,
        "text": comment.text,
        "html": comment.html,
        "created": iso(comment.created),
        "edited": iso(comment.edited),
        "likes": comment.likes,
        "is_author": comment.is_author,
        "pinned": comment.pinned,
        "hearted": comment.hearted,
    }


def parents_of(comments):
    """The comments these reply to, by id, so moderators see what a reply answers."""
    wanted = {comment.parent_id for comment in comments if comment.parent_id}
    if not wanted:
        return {}
    return {parent.id: parent for parent in db.session.scalars(select(Comment).where(Comment.id.in_(wanted)))}
