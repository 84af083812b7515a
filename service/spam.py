"""The learning filter and spam domains as stored per site: scoring a new comment, learning from
a moderator's decision, rebuilding a model, explaining a score.

The rules are `spamfilter`'s (pure); this module keeps their state in the database. Each worker
keeps the prepared model of a site it has scored for, checked against the model's version on every
use (one indexed read of an integer), so a decision in any worker or host applies to the next
comment everywhere, and preparing (a few ms) happens once per decision, not per comment.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Union

from sqlalchemy import bindparam, delete, select, update

from . import spamfilter
from .db import db
from .models import APPROVED, SPAM, Comment, Site, SpamDomain, SpamModel, utcnow
from .rawsql import SessionQuery

if TYPE_CHECKING:
    from .sites import SiteView

AnySite = Union[Site, "SiteView"]


@dataclass(frozen=True)
class Assessment:
    """What the filter and the spam domains say of a text about to be stored."""

    score: float | None = None
    top: tuple[tuple[str, float], ...] = ()
    spam_domain: str | None = None


_MODEL_VERSION = SessionQuery(select(SpamModel.version).where(SpamModel.site_id == bindparam("site_id")))
_DOMAIN_HELD = select(SpamDomain.domain).where(SpamDomain.site_id == bindparam("site_id"),
                                               SpamDomain.domain.in_(bindparam("domains", expanding=True)))
_prepared: dict[int, tuple[int, spamfilter.Model]] = {}  # site id -> (version, Model), per worker process


def assess(site: AnySite, text: str, *, author: str | None = None, email: str | None = None,
           website: str | None = None) -> Assessment:
    """The filter's score and the first spam domain the comment links to (for anyone but a moderator)."""
    if not site.setting("spam_filter"):
        return Assessment()
    hosts = spamfilter.link_domains(text, website)
    spam_domain = _spam_domain(site, hosts) if hosts else None
    scored = _model(site.id).score(spamfilter.features(text, author=author, email=email, website=website))
    if scored is None:
        return Assessment(spam_domain=spam_domain)
    return Assessment(scored.score, scored.top, spam_domain)


def _spam_domain(site, hosts):
    """The spam domain among the hosts (or their parent domains), unless the site allows it."""
    allowed = _own_domains(site)
    candidates = {host for host in hosts if not spamfilter.matches_domain(host, allowed)}
    for host in list(candidates):
        parts = host.split(".")
        candidates.update(".".join(parts[i:]) for i in range(1, len(parts) - 1))
    if not candidates:
        return None
    found = set(db.session.connection().scalars(_DOMAIN_HELD, {"site_id": site.id, "domains": sorted(candidates)}))
    for host in hosts:
        domain = spamfilter.matches_domain(host, found)
        if domain:
            return domain
    return None


def _own_domains(site):
    """Domains never counted as spam on this site: its own origins and `spam_domains_allow`."""
    own = {spamfilter.host_of(origin) for origin in site.origins}
    own.update(spamfilter.host_of(name) for name in site.setting("spam_domains_allow") or ())
    return {domain for domain in own if domain}


def _model(site_id):
    found = _MODEL_VERSION.first({"site_id": site_id})
    version = found[0] if found else None
    cached = _prepared.get(site_id)
    if cached is not None and cached[0] == version:
        return cached[1]
    row = db.session.get(SpamModel, site_id) if version is not None else None
    model = spamfilter.Model.prepare(row.counts if row else None)
    _prepared[site_id] = (version, model)
    return model


def facts_of(comment):
    return spamfilter.features(comment.text or "", author=comment.author, email=comment.email,
                               website=comment.website)


def label_for(status):
    return {SPAM: spamfilter.SPAM, APPROVED: spamfilter.HAM}.get(status)


def learn_decision(comment: Comment, new_status: str) -> None:
    """A moderator approved or marked spam: the site's model counts the comment under its new label,
    and its link domains become (or stop being) spam domains. A reject teaches nothing: it takes
    back what an earlier decision on the comment taught, as `rebuild` would."""
    label = label_for(new_status)
    if comment.is_author or label == comment.trained_as == spamfilter.HAM:
        return
    if comment.trained_as != label:
        row = _model_row(comment.site_id)
        counts = row.counts
        found = facts_of(comment)
        if comment.trained_as:
            spamfilter.learn(counts, found, comment.trained_as, -1)
        if label:
            spamfilter.learn(counts, found, label)
        _save(row, counts)
        comment.trained_as = label
    if label == spamfilter.SPAM:
        _hold_domains(comment)
    else:
        db.session.execute(delete(SpamDomain).where(SpamDomain.comment_id == comment.id))


def _hold_domains(comment):
    site = comment.site
    allowed = _own_domains(site)
    for host in spamfilter.link_domains(comment.text or "", comment.website):
        if spamfilter.matches_domain(host, allowed):
            continue
        if db.session.get(SpamDomain, (site.id, host, comment.id)) is None:
            db.session.add(SpamDomain(site_id=site.id, domain=host, comment_id=comment.id, created=utcnow()))


def _model_row(site_id):
    query = select(SpamModel).where(SpamModel.site_id == site_id)
    if db.engine.dialect.name == "postgresql":
        query = query.with_for_update()  # two moderators deciding at once both count
    row = db.session.scalar(query)
    if row is None:
        row = SpamModel(site_id=site_id, version=0, counts=spamfilter.empty_counts(), updated=utcnow())
        db.session.add(row)
        db.session.flush()
    row.counts = {"docs": dict(row.counts["docs"]), "spam": dict(row.counts["spam"]),
                  "ham": dict(row.counts["ham"])}
    return row


def _save(row, counts):
    row.counts = counts
    row.version = (row.version or 0) + 1
    row.updated = utcnow()


def rebuild(site):
    """Recount the site's model from the stored decisions: comments a moderator approved or marked
    spam, and imported comments with their imported status. Returns the (spam, ham) counts.

    Spam domains are rebuilt from moderators' spam decisions only: an imported archive's spam
    linked to years of domains (some of them ordinary sites), which no moderator here has judged."""
    row = _model_row(site.id)
    counts = spamfilter.empty_counts()
    taught = (Comment.site_id == site.id) & Comment.status.in_((APPROVED, SPAM)) & Comment.is_author.is_(False) & (
        Comment.trained_as.is_not(None) | Comment.import_ref.is_not(None))
    columns = select(Comment.id, Comment.status, Comment.text, Comment.author, Comment.email, Comment.website,
                     Comment.import_ref).where(taught)
    db.session.execute(delete(SpamDomain).where(SpamDomain.site_id == site.id))
    allowed, held, now = _own_domains(site), set(), utcnow()
    for found in db.session.execute(columns):
        label = label_for(found.status)
        spamfilter.learn(counts, facts_of(found), label)
        if label == spamfilter.SPAM and found.import_ref is None:
            held.update((host, found.id) for host in spamfilter.link_domains(found.text or "", found.website)
                        if not spamfilter.matches_domain(host, allowed))
    db.session.add_all(SpamDomain(site_id=site.id, domain=host, comment_id=comment_id, created=now)
                       for host, comment_id in held)
    for status in (APPROVED, SPAM):
        db.session.execute(update(Comment).where(taught, Comment.status == status)
                           .values(trained_as=label_for(status)))
    db.session.execute(update(Comment).where(Comment.site_id == site.id, Comment.status.not_in((APPROVED, SPAM)))
                       .values(trained_as=None))
    _save(row, counts)
    db.session.commit()
    return counts["docs"][spamfilter.SPAM], counts["docs"][spamfilter.HAM]


def explain(comment):
    """Lines that say why the comment has its status: the reason, the score and its top features."""
    lines = [f"comment {comment.id} on {comment.site.key}: {comment.status}",
             f"reason: {comment.held_reason or '-'}"]
    if comment.spam_score is None:
        lines.append("spam score: not scored (a moderator wrote it, the filter is off, or it had not "
                     f"learnt from {spamfilter.MIN_EXAMPLES} spam and {spamfilter.MIN_EXAMPLES} approved comments)")
    else:
        lines.append(f"spam score: {comment.spam_score:.2f}")
        for feature, weight in comment.spam_features or ():
            lines.append(f"  {feature}: {weight:+.2f} ({'towards spam' if weight > 0 else 'towards ham'})")
    return lines


