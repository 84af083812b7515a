"""Disqus XML export to Tandem: threads by their link, posts with their parents.

Threads come before their posts in Disqus exports; a post naming a thread not seen yet waits
in a temporary file (not in memory: a file may list every post first) until the end of the file,
and is skipped when its thread never comes. Deleted posts stay as tombstones without words or
personal data, so their replies keep their place.
"""

import json
import tempfile
from datetime import datetime

from .. import text
from ..models import APPROVED, SPAM
from . import checks
from .writer import ImportWriter, Record, tombstone
from .xmlstream import BadImportFile, local_name, records, text_of

NS = "{http://disqus.com}"
INTERNALS_ID = "{http://disqus.com/disqus-internals}id"


def import_file(site, path, progress=None, workers=1):
    threads = {}
    with ImportWriter(site, "imported from Disqus", workers) as writer, _Waiting() as waiting:
        for element, line in records(path, lambda tag: tag == NS + "disqus", 1, progress):
            name = local_name(element.tag)
            if name == "thread":
                threads[element.get(INTERNALS_ID)] = _thread(element)
            elif name == "post":
                post = _post(element, line, path)
                if post["thread"] in threads:
                    _store(writer, post, threads[post["thread"]])
                else:
                    waiting.add(post)
        for post in waiting:
            _store(writer, post, threads.get(post["thread"]))
        return writer.finish()


class _Waiting:
    """Posts whose thread has not been read yet, one JSON line each in a temporary file."""

    def __enter__(self):
        self._file = tempfile.TemporaryFile("w+", encoding="utf-8")
        return self

    def __exit__(self, *error):
        self._file.close()

    def add(self, post):
        created = post["created"] and post["created"].isoformat()
        self._file.write(json.dumps({**post, "created": created}) + "\n")

    def __iter__(self):
        self._file.seek(0)
        for line in self._file:
            post = json.loads(line)
            yield {**post, "created": post["created"] and datetime.fromisoformat(post["created"])}


def _thread(element):
    return {
        "link": text_of(element.find(NS + "link")),
        "title": text_of(element.find(NS + "title")),
        "created": _date(text_of(element.find(NS + "createdAt"))),
        "closed": text_of(element.find(NS + "isClosed")) == "true",
        "deleted": text_of(element.find(NS + "isDeleted")) == "true",
        "id": None,
    }


def _post(element, line, path):
    post_id = element.get(INTERNALS_ID)
    created = _date(text_of(element.find(NS + "createdAt")))
    if post_id and created is None:
        raise checks.refuse(path, f"line {line}, post {post_id}", "createdAt", "a time such as 2026-11-25T10:22:41Z",
                            text_of(element.find(NS + "createdAt")))
    author = element.find(NS + "author")
    parent = element.find(NS + "parent")
    thread = element.find(NS + "thread")
    return {
        "ref": f"disqus:{post_id}" if post_id else None,
        "parent_ref": f"disqus:{parent.get(INTERNALS_ID)}" if parent is not None else None,
        "thread": thread.get(INTERNALS_ID) if thread is not None else None,
        "message": text_of(element.find(NS + "message")),
        "created": created,
        "deleted": text_of(element.find(NS + "isDeleted")) == "true",
        "spam": text_of(element.find(NS + "isSpam")) == "true",
        "author": text_of(author.find(NS + "name")) if author is not None else "",
        "email": text_of(author.find(NS + "email")) if author is not None else "",
    }


def _store(writer, post, thread):
    if post["ref"] is None:
        return writer.skip("no Disqus id")
    if thread is None or not thread["link"]:
        return writer.skip("no thread", post["ref"], post["parent_ref"])
    if thread["deleted"]:
        return writer.skip("thread deleted", post["ref"], post["parent_ref"])
    if thread["id"] is None:
        thread["id"] = writer.thread(text.normalise_uri(thread["link"]), title=thread["title"],
                                     url=thread["link"], created=thread["created"], closed=thread["closed"])
    record = Record(
        ref=post["ref"], parent_ref=post["parent_ref"], thread_id=thread["id"], markup="html",
        status=SPAM if post["spam"] else APPROVED, text=post["message"], created=post["created"],
        author=post["author"], email=post["email"],
    )
    writer.add(tombstone(record) if post["deleted"] else record)


def _date(value):
    """Disqus writes ISO 8601 in UTC with a `Z`; stored times are naive UTC; None when unreadable."""
    try:
        return checks.iso_time(value or None, "", "", "createdAt")
    except BadImportFile:
        return None
