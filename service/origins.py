"""Origins a site's posts were refused from: noted cheaply, shown to the owner, allowed with one click.

A blogger whose snippet runs on `http://localhost:8000` while the site lists
`http://127.0.0.1:8000` sees only "refused" in the widget; the owner's Sites page names the
origin instead. Every worker and host shares the table. A refusal costs one small write, and
a site keeps at most `KEPT_PER_SITE` origins, so made-up `Origin` headers cannot fill the database.
"""

from datetime import timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from .db import db
from .models import RefusedOrigin, utcnow
from .sites import ORIGIN

KEPT_PER_SITE = 10
RECENT = timedelta(days=14)


def note_refused(site_id, origin, now=None):
    """Remember that a post for the site came from `origin`, which it does not allow."""
    if not origin or len(origin) > 300 or not ORIGIN.match(origin):
        return
    now = now or utcnow()
    seen = db.session.execute(update(RefusedOrigin).where(RefusedOrigin.site_id == site_id,
                                                          RefusedOrigin.origin == origin)
                              .values(times=RefusedOrigin.times + 1, last_seen=now))
    if not seen.rowcount:
        _make_room(site_id)
        db.session.add(RefusedOrigin(site_id=site_id, origin=origin, times=1, last_seen=now))
    try:
        db.session.commit()
    except IntegrityError:  # another worker noted it first
        db.session.rollback()


def _make_room(site_id):
    kept = select(RefusedOrigin.origin).where(RefusedOrigin.site_id == site_id)
    oldest = db.session.scalars(kept.order_by(RefusedOrigin.last_seen.desc()).offset(KEPT_PER_SITE - 1)).all()
    if oldest:
        db.session.execute(delete(RefusedOrigin).where(RefusedOrigin.site_id == site_id,
                                                       RefusedOrigin.origin.in_(oldest)))


def recently_refused(sites, now=None):
    """{site id: [RefusedOrigin, newest first]} for the given sites, leaving out what they now allow."""
    if not sites:
        return {}
    now = now or utcnow()
    rows = db.session.scalars(select(RefusedOrigin).where(RefusedOrigin.site_id.in_([site.id for site in sites]),
                                                          RefusedOrigin.last_seen > now - RECENT)
                              .order_by(RefusedOrigin.last_seen.desc()))
    allowed = {site.id: set(site.origins) for site in sites}
    found = {}
    for row in rows:
        if row.origin not in allowed[row.site_id]:
            found.setdefault(row.site_id, []).append(row)
    return found

