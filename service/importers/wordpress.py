"""WordPress eXtended RSS (WXR 1.0, 1.1, 1.2) to Tandem: each post with comments becomes a thread.

The file is read one `<item>` at a time. Comment HTML goes through the sanitiser; pingbacks,
trackbacks, trashed comments and any other non-comment type are skipped and counted.
"""

from datetime import datetime

from .. import text
from ..models import APPROVED, PENDING, SPAM
from .writer import ImportWriter, Record
from .xmlstream import BadImportFile, local_name, records, text_of

STATUS = {"1": APPROVED, "approve": APPROVED, "0": PENDING, "hold": PENDING, "spam": SPAM}
SKIPPED_STATUS = {"trash": "trash", "post-trashed": "trash"}


def import_file(site, path, progress=None, workers=1):
    author_emails = {}
    with ImportWriter(site, "imported from WordPress", workers) as writer:
        for element, line in records(path, lambda tag: local_name(tag) == "rss", 2, progress):
            name = local_name(element.tag)
            if name == "author" and _is_wp(element.tag):
                fields = _wp_fields(element)
                author_emails[fields.get("author_login", "")] = fields.get("author_email", "").lower()
            elif name == "item":
                _import_item(writer, element, line, author_emails, path)
        return writer.finish()


def _import_item(writer, item, line, author_emails, path):
    comments = [child for child in item if local_name(child.tag) == "comment" and _is_wp(child.tag)]
    if not comments:
        return
    post = _wp_fields(item)
    link = text_of(item.find("link")) or text_of(item.find("guid"))
    if not link:
        raise BadImportFile(f"{path}, line {line}: the post {text_of(item.find('title'))!r} has comments "
                            "but no <link>, so there is no page to put them on.")
    uri = thread_uri(link)
    creator = next((text_of(child) for child in item if local_name(child.tag) == "creator"), "")
    post_author_email = author_emails.get(creator, "")
    thread_id = writer.thread(uri, title=text_of(item.find("title")), url=link,
                              created=_date(post.get("post_date_gmt"), post.get("post_date")))
    scope = post.get("post_id") or uri
    for comment in comments:
        _import_comment(writer, _wp_fields(comment), thread_id, scope, post_author_email, path, line)


def _import_comment(writer, fields, thread_id, scope, post_author_email, path, line):
    ref = f"wordpress:{scope}:{fields.get('comment_id', '')}"
    parent = fields.get("comment_parent", "0")
    parent_ref = f"wordpress:{scope}:{parent}" if parent not in ("", "0") else None
    kind = fields.get("comment_type", "") or "comment"
    approved = fields.get("comment_approved", "1") or "1"
    if kind != "comment":
        return writer.skip(kind, ref, parent_ref)
    if approved in SKIPPED_STATUS:
        return writer.skip(SKIPPED_STATUS[approved], ref, parent_ref)
    if approved not in STATUS:
        raise BadImportFile(f"{path}: comment {fields.get('comment_id')} of the post at line {line} has the "
                            f"unknown status <wp:comment_approved>{approved}</wp:comment_approved>.")
    created = _date(fields.get("comment_date_gmt"), fields.get("comment_date"))
    if created is None:
        raise BadImportFile(f"{path}: comment {fields.get('comment_id')} of the post at line {line} "
                            "has no readable <wp:comment_date_gmt>.")
    email = fields.get("comment_author_email", "")
    writer.add(Record(
        ref=ref, parent_ref=parent_ref, thread_id=thread_id, status=STATUS[approved], markup="html",
        text=fields.get("comment_content", ""), created=created, author=fields.get("comment_author"),
        email=email, website=fields.get("comment_author_url"),
        is_author=bool(email) and email.lower() == post_author_email,
    ))


def thread_uri(link):
    """The thread's key from a post's link: the same rule as the API's (`/?p=123` stays itself)."""
    return text.normalise_uri(link)


def _is_wp(tag):
    return "wordpress.org/export/" in tag


def _wp_fields(element):
    """The `wp:` children of an element as {local name: text}; the namespace differs between versions."""
    return {local_name(child.tag): (child.text or "").strip() for child in element if _is_wp(child.tag)}


def _date(gmt, local=None):
    """WordPress dates are 'YYYY-MM-DD HH:MM:SS'; an unset GMT date is zeros, so fall back to local time."""
    for value in (gmt, local):
        if value and not value.startswith("0000"):
            try:
                return datetime.fromisoformat(value)
            except ValueError:
                continue
    return None
