"""A chain of replies deeper than Python's recursion limit (stored before max_depth was bounded, or
written straight into the database) is read, exported and forgotten without a 500 (SPEC 4, 11)."""

import json
import sys
from datetime import timedelta

from service import sites
from service.cli import main as tandem
from service.db import db
from service.models import APPROVED, DELETED, Comment, Thread, utcnow

CHAIN = sys.getrecursionlimit() + 500


def store_chain(app, length=CHAIN, uri="/deep/", deleted=()):
    """One top-level comment and `length - 1` replies, each to the one before; ids in order."""
    with app.app_context():
        site = sites.get_site("blog")
        thread = Thread(site_id=site.id, uri=uri, approved_count=length, version=1)  # public, as approved
        db.session.add(thread)
        db.session.flush()
        ids, parent, start = [], None, utcnow() - timedelta(days=1)
        for depth in range(length):
            comment = Comment(site_id=site.id, thread_id=thread.id, parent_id=parent, depth=depth,
                              status=DELETED if depth in deleted else APPROVED, text="t", html="<p>t</p>",
                              email="deep@example.org", created=start + timedelta(seconds=depth))
            db.session.add(comment)
            db.session.flush()
            ids.append(parent := comment.id)
        db.session.commit()
    return ids


def nesting(node):
    """How many levels of replies hang under `node`, counted without recursion."""
    deepest, stack = 0, [(node, 0)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((reply, depth + 1) for reply in node["replies"])
    return deepest


def every_id(node):
    found, stack = [], [node]
    while stack:
        node = stack.pop()
        found.append(node["id"])
        stack.extend(node["replies"])
    return found


def test_a_reply_chain_deeper_than_the_recursion_limit_reads_as_a_thread_of_max_depth(app, client, site):
    ids = store_chain(app)
    response = client.get("/api/comments?site=blog&uri=/deep/")
    assert response.status_code == 200
    [top] = response.json["comments"]
    assert nesting(top) == 5  # the default max_depth
    assert sorted(every_id(top)) == ids
    deepest_shown = top
    for _ in range(5):
        deepest_shown = deepest_shown["replies"][0]
    assert [reply["id"] for reply in deepest_shown["replies"]] == []
    hung = [reply["id"] for reply in top["replies"][0]["replies"][0]["replies"][0]["replies"][0]["replies"]]
    assert hung == ids[5:]  # the fifth level holds the rest of the chain, oldest first


def test_tombstones_in_a_deep_chain_keep_their_place(app, client, site):
    ids = store_chain(app, length=CHAIN, deleted={1, CHAIN - 1})
    [top] = client.get("/api/comments?site=blog&uri=/deep/").json["comments"]
    assert top["replies"][0] == {"id": ids[1], "parent": ids[0], "deleted": True, "replies": top["replies"][0]["replies"]}
    assert ids[-1] not in every_id(top)  # a deleted comment without replies is not shown


def test_the_thread_page_without_javascript_shows_a_deep_chain(app, client, site):
    store_chain(app)
    page = client.get("/t/blog/?uri=/deep/")
    assert page.status_code == 200
    assert page.get_data(as_text=True).count('class="comment') == CHAIN


def test_a_deep_chain_is_exported_and_forgotten(app, runner, site):
    ids = store_chain(app)
    exported = runner.invoke(tandem, ["export", "--site", "blog"])
    assert exported.exit_code == 0, exported.output
    assert len(json.loads(exported.output)["comments"]) == len(ids)
    forgotten = runner.invoke(tandem, ["forget", "deep@example.org"])
    assert forgotten.exit_code == 0, forgotten.output
