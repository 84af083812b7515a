"""Atom feeds of approved comments, read with feedparser like a feed reader would."""

import feedparser

from service import comments

from .conftest import ORIGIN


def approve(app, comment_id):
    with app.app_context():
        comments.moderate([comment_id], "approve")


def test_site_feed_is_atom_with_only_approved_comments(app, client, make_reader):
    shown = make_reader().post("Shown *here*", uri="/one/", author="Ann", title="Post one").json["comment"]["id"]
    make_reader().post("Still held", uri="/one/")
    make_reader().post("Spam", uri="/two/", hp="filled")
    other = make_reader().post("Elsewhere", uri="/two/").json["comment"]["id"]
    approve(app, shown)
    approve(app, other)

    response = client.get("/api/feed?site=blog")
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    feed = feedparser.parse(response.data)
    assert not feed.bozo and feed.version == "atom10"
    assert [entry.author for entry in feed.entries] == ["Anonymous", "Ann"]  # newest first
    ann = feed.entries[1]
    assert ann.link == f"{ORIGIN}/one/#comment-{shown}"
    assert ann.title == "Ann on Post one"
    assert "<em>here</em>" in ann.content[0].value
    text = response.text
    assert "Still held" not in text and "Spam" not in text


def test_thread_feed_holds_only_that_thread(app, client, make_reader):
    for uri in ("/one/", "/two/"):
        approve(app, make_reader().post(f"On {uri}", uri=uri).json["comment"]["id"])
    feed = feedparser.parse(client.get("/api/feed?site=blog&uri=/two/?utm=x").data)
    assert not feed.bozo
    assert [entry.content[0].value for entry in feed.entries] == ["<p>On /two/</p>"]


def test_feed_of_an_unknown_thread_is_empty_and_of_an_unknown_site_an_error(client, site):
    feed = feedparser.parse(client.get("/api/feed?site=blog&uri=/nothing/").data)
    assert not feed.bozo and feed.entries == []
    missing = client.get("/api/feed?site=nope")
    assert missing.status_code == 404 and missing.json["error"]["code"] == "unknown_site"
