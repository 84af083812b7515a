"""The thread without JavaScript: `/t/KEY/?uri=U` shows what the API shows, as plain HTML."""

import re
from datetime import timedelta

from service import comments
from service.db import db
from service.models import Comment


def _approve(app, *ids):
    with app.app_context():
        comments.moderate(ids, "approve")


def _comment_ids(html):
    return [int(n) for n in re.findall(r'id="comment-(\d+)"', html)]


def test_approved_comments_are_shown_threaded_with_a_link_back(app, client, reader):
    first = reader.post("First **words**", author="Ada", website="https://ada.example").json["comment"]["id"]
    reply = reader.post("A reply", parent=first).json["comment"]["id"]
    _approve(app, first, reply)
    page = client.get("/t/blog/?uri=/post/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "<strong>words</strong>" in html
    assert '<a class="name" href="https://ada.example" rel="nofollow ugc noopener">Ada</a>' in html
    assert re.search(r'id="comment-%d".*class="replies".*id="comment-%d"' % (first, reply), html, re.S)
    assert '<a href="https://blog.example.com/post/">' in html
    assert "2 comments" in html


def test_held_comments_stay_hidden(app, client, make_reader):
    shown = make_reader().post("Shown").json["comment"]["id"]
    _approve(app, shown)
    assert make_reader().post("Not yet").json["comment"]["status"] == "pending"
    html = client.get("/t/blog/?uri=/post/").get_data(as_text=True)
    assert "Not yet" not in html
    assert "Shown" in html


def test_the_page_shows_the_same_comments_as_the_api(app, client, reader):
    ids = [reader.post(f"Comment {n}").json["comment"]["id"] for n in range(3)]
    _approve(app, *ids)
    api = client.get("/api/comments?site=blog&uri=/post/").json
    html = client.get("/t/blog/?uri=/post/").get_data(as_text=True)
    assert _comment_ids(html) == [c["id"] for c in api["comments"]]


def test_markup_in_names_is_shown_as_text(app, client, reader):
    posted = reader.post("<script>alert(1)</script>", author="<img src=x onerror=alert(1)>").json["comment"]["id"]
    _approve(app, posted)
    html = client.get("/t/blog/?uri=/post/").get_data(as_text=True)
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_deleted_comments_with_replies_leave_a_tombstone(app, client, reader):
    parent = reader.post("Parent").json["comment"]["id"]
    child = reader.post("Child", parent=parent).json["comment"]["id"]
    _approve(app, parent, child)
    with app.app_context():
        comments.delete_own_comment(parent, reader.edit_tokens[parent])
    html = client.get("/t/blog/?uri=/post/").get_data(as_text=True)
    assert "This comment was deleted." in html and "Child" in html and "Parent" not in html


def test_an_empty_thread_is_a_page_not_an_error(client, site):
    page = client.get("/t/blog/?uri=/never-commented/")
    assert page.status_code == 200
    assert "No comments yet." in page.get_data(as_text=True)


def test_an_unknown_site_is_not_found(client, site):
    assert client.get("/t/nosuchblog/?uri=/post/").status_code == 404


def test_long_threads_page_on(app, client, reader):
    first_id = reader.post("Comment 0").json["comment"]["id"]
    _approve(app, first_id)
    with app.app_context():  # many rows at once: posting each through the API would be slow
        model = db.session.get(Comment, first_id)
        db.session.add_all(
            Comment(site_id=model.site_id, thread_id=model.thread_id, status="approved", text="More", html="<p>More</p>",
                    created=model.created + timedelta(seconds=n))
            for n in range(1, 205)
        )
        db.session.commit()
    first = client.get("/t/blog/?uri=/post/").get_data(as_text=True)
    assert len(_comment_ids(first)) == 200
    more = re.search(r'class="more" href="([^"]+)"', first).group(1).replace("&amp;", "&")
    rest = client.get("/t/blog/" + more).get_data(as_text=True)
    assert len(_comment_ids(rest)) == 5


def test_the_page_runs_no_script_and_loads_only_its_own_files(client, site):
    page = client.get("/t/blog/?uri=/post/")
    assert "default-src 'none'" in page.headers["Content-Security-Policy"]
    assert "<script" not in page.get_data(as_text=True)
