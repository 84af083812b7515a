"""The public API end to end through HTTP, on SQLite and PostgreSQL (SPEC 3 and 4)."""



from service import sites
from service.cli import main as tandem
from service.db import db
from service.models import Comment

from .conftest import ORIGIN


def thread(client, uri="/post/", **params):
    response = client.get("/api/comments", query_string={"site": "blog", "uri": uri, **params})
    assert response.status_code == 200, response.json
    return response.json


def set_site(app, **settings):
    with app.app_context():
        sites.update_site(sites.get_site("blog"), settings=settings)


def test_first_comment_is_held_until_approved_then_the_next_is_published(app, runner, reader, client):
    first = reader.post("My first comment")
    assert first.status_code == 201
    assert first.json["comment"]["status"] == "pending"
    assert thread(client)["comments"] == []

    result = runner.invoke(tandem, ["moderate", "approve", str(first.json["comment"]["id"])])
    assert result.exit_code == 0, result.output
    assert [c["id"] for c in thread(client)["comments"]] == [first.json["comment"]["id"]]

    second = reader.post("Back again")
    assert second.json["comment"]["status"] == "approved"
    assert thread(client)["thread"]["total"] == 2


def test_email_alone_never_earns_trust(app, runner, make_reader):
    trusted = make_reader()
    first = trusted.post("Hi", email="ann@example.org", author="Ann")
    runner.invoke(tandem, ["moderate", "approve", str(first.json["comment"]["id"])])
    impostor = make_reader()
    forged = impostor.post("I am Ann, honest", email="ann@example.org", author="Ann")
    assert forged.json["comment"]["status"] == "pending"


def test_a_made_up_commenter_token_earns_nothing(client, site):
    response = client.post("/api/comments", json={"site": "blog", "uri": "/p/", "text": "x"},
                           headers={"Origin": ORIGIN, "X-Commenter-Token": "guessed-token"})
    assert response.json["comment"]["status"] == "pending"
    assert response.json["commenter_token"] != "guessed-token"


def test_replies_nest_under_their_parents(app, reader, client):
    set_site(app, moderation="none")
    top = reader.post("top").json["comment"]["id"]
    reply = reader.post("reply", parent=top).json["comment"]["id"]
    reader.post("reply to reply", parent=reply)
    comments = thread(client)["comments"]
    assert comments[0]["id"] == top
    assert comments[0]["replies"][0]["id"] == reply
    assert comments[0]["replies"][0]["replies"][0]["parent"] == reply


def test_a_reply_deeper_than_max_depth_attaches_to_its_deepest_allowed_ancestor(app, reader, client):
    set_site(app, moderation="none", max_depth=1)
    top = reader.post("top").json["comment"]["id"]
    reply = reader.post("depth 1", parent=top).json["comment"]["id"]
    deeper = reader.post("depth 2 wanted", parent=reply).json["comment"]
    assert deeper["parent"] == top
    assert [r["id"] for r in thread(client)["comments"][0]["replies"]] == [reply, deeper["id"]]


def test_replies_to_held_comments_stay_invisible_until_the_parent_is_approved(app, runner, reader, client):
    first = reader.post("held").json["comment"]["id"]
    reply = reader.post("my own follow-up", parent=first)
    assert reply.status_code == 201
    runner.invoke(tandem, ["moderate", "approve", str(reply.json["comment"]["id"])])
    assert thread(client)["comments"] == []
    runner.invoke(tandem, ["moderate", "approve", str(first)])
    assert thread(client)["comments"][0]["replies"][0]["id"] == reply.json["comment"]["id"]


def test_a_deleted_comment_with_replies_stays_as_a_tombstone(app, reader, client):
    set_site(app, moderation="none")
    top = reader.post("soon gone", author="Ann", email="ann@example.org").json["comment"]["id"]
    reply = reader.post("answer", parent=top).json["comment"]["id"]
    lonely = reader.post("also gone").json["comment"]["id"]
    for comment_id in (top, lonely):
        response = client.delete(f"/api/comments/{comment_id}",
                                 headers={"Origin": ORIGIN, "X-Edit-Token": reader.edit_tokens[comment_id]})
        assert response.status_code == 204
    comments = thread(client)["comments"]
    assert comments == [{"id": top, "parent": None, "deleted": True, "replies": comments[0]["replies"]}]
    assert comments[0]["replies"][0]["id"] == reply
    assert "Ann" not in str(comments)


def test_top_level_comments_are_paged_with_a_cursor_and_carry_their_replies(app, reader, client):
    set_site(app, moderation="none")
    ids = [reader.post(f"comment {n}").json["comment"]["id"] for n in range(5)]
    reader.post("reply", parent=ids[1])
    first = thread(client, limit=2)
    assert [c["id"] for c in first["comments"]] == ids[:2]
    assert first["comments"][1]["replies"][0]["html"] == "<p>reply</p>"
    second = thread(client, limit=2, after=first["next"])
    third = thread(client, limit=2, after=second["next"])
    assert [c["id"] for c in second["comments"] + third["comments"]] == ids[2:]
    assert third["next"] is None


def test_sort_newest_and_top(app, reader, make_reader, client):
    set_site(app, moderation="none")
    ids = [reader.post(f"comment {n}").json["comment"]["id"] for n in range(3)]
    assert [c["id"] for c in thread(client, sort="newest")["comments"]] == ids[::-1]
    for _ in range(2):
        make_reader().client.post(f"/api/comments/{ids[1]}/like", headers={"Origin": ORIGIN,
                                  "X-Commenter-Token": make_reader().post("liker").json["commenter_token"]})
    assert thread(client, sort="top")["comments"][0]["id"] == ids[1]
    assert thread(client, sort="top")["comments"][0]["likes"] == 2


def test_unknown_thread_is_an_empty_thread(client, site):
    page = thread(client, uri="/never/commented/")
    assert page["comments"] == [] and page["thread"]["total"] == 0 and page["next"] is None


def test_etag_gives_304_until_the_thread_changes(app, reader, client):
    set_site(app, moderation="none")
    reader.post("one")
    first = client.get("/api/comments?site=blog&uri=/post/")
    etag = first.headers["ETag"]
    assert client.get("/api/comments?site=blog&uri=/post/", headers={"If-None-Match": etag}).status_code == 304
    reader.post("two")
    changed = client.get("/api/comments?site=blog&uri=/post/", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.json["thread"]["total"] == 2


def test_a_settings_change_changes_the_etag(app, reader, client):
    etag = client.get("/api/comments?site=blog&uri=/post/").headers["ETag"]
    set_site(app, max_depth=2)
    response = client.get("/api/comments?site=blog&uri=/post/", headers={"If-None-Match": etag})
    assert response.status_code == 200 and response.json["config"]["max_depth"] == 2


def test_large_responses_are_gzipped(app, reader, client):
    set_site(app, moderation="none")
    for _ in range(5):
        reader.post("A longer comment that fills the page. " * 10)
    response = client.get("/api/comments?site=blog&uri=/post/", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"


def test_likes_count_once_per_commenter(app, reader, make_reader, client):
    set_site(app, moderation="none")
    comment_id = reader.post("like me").json["comment"]["id"]
    fan = make_reader()
    fan.post("I am a fan")
    headers = {"Origin": ORIGIN, "X-Commenter-Token": fan.token}
    assert client.post(f"/api/comments/{comment_id}/like", headers=headers).json == {"likes": 1}
    assert client.post(f"/api/comments/{comment_id}/like", headers=headers).json == {"likes": 1}
    assert client.post(f"/api/comments/{comment_id}/like", headers={"Origin": ORIGIN}).json == {"likes": 2}
    assert client.delete(f"/api/comments/{comment_id}/like", headers=headers).json == {"likes": 1}


def test_own_held_comment_is_visible_to_its_commenter_only(reader, client):
    comment_id = reader.post("held").json["comment"]["id"]
    assert client.get(f"/api/comments/{comment_id}").status_code == 404
    own = client.get(f"/api/comments/{comment_id}", headers={"X-Commenter-Token": reader.token})
    assert own.status_code == 200 and own.json["comment"]["status"] == "pending"


def test_edit_within_the_window_is_moderated_again(app, reader, client):
    set_site(app, moderation="all")
    comment_id = reader.post("first words").json["comment"]["id"]
    response = client.patch(f"/api/comments/{comment_id}", json={"text": "better *words*"},
                            headers={"Origin": ORIGIN, "X-Edit-Token": reader.edit_tokens[comment_id]})
    assert response.status_code == 200
    assert response.json["comment"]["html"] == "<p>better <em>words</em></p>"
    assert response.json["comment"]["status"] == "pending" and response.json["comment"]["edited"]


def test_edit_with_a_wrong_token_is_refused(app, reader, client):
    set_site(app, moderation="none")
    comment_id = reader.post("mine").json["comment"]["id"]
    response = client.patch(f"/api/comments/{comment_id}", json={"text": "hijacked"},
                            headers={"Origin": ORIGIN, "X-Edit-Token": "wrong"})
    assert response.status_code == 403 and response.json["error"]["code"] == "forbidden"


def test_a_held_comment_is_not_found_without_its_edit_token(reader, client):
    comment_id = reader.post("mine, held").json["comment"]["id"]
    for headers in ({"Origin": ORIGIN, "X-Edit-Token": "wrong"}, {"Origin": ORIGIN}, {}):
        edited = client.patch(f"/api/comments/{comment_id}", json={"text": "hijacked"}, headers=headers)
        deleted = client.delete(f"/api/comments/{comment_id}", headers=headers)
        assert edited.status_code == deleted.status_code == 404
        assert edited.json == deleted.json == client.delete("/api/comments/424242", headers=headers).json


def test_edit_and_delete_after_the_window_are_refused(clock, reader, client):
    comment_id = reader.post("old words").json["comment"]["id"]
    clock.advance(minutes=16)
    headers = {"Origin": ORIGIN, "X-Edit-Token": reader.edit_tokens[comment_id]}
    edited = client.patch(f"/api/comments/{comment_id}", json={"text": "new"}, headers=headers)
    assert edited.status_code == 409 and edited.json["error"]["code"] == "edit_window_over"
    assert client.delete(f"/api/comments/{comment_id}", headers=headers).status_code == 409


def test_counts_for_many_uris_in_one_request(app, reader, client):
    set_site(app, moderation="none")
    reader.post("a", uri="/a/")
    reader.post("b1", uri="/b/")
    reader.post("b2", uri="/b/?utm_source=x")
    expected = {"/a/": 1, "/b/": 2, "/c/": 0}
    assert client.post("/api/counts", json={"site": "blog", "uris": ["/a/", "/b/", "/c/"]}).json == {"counts": expected}
    assert client.get("/api/counts?site=blog&uri=/a/&uri=/b/&uri=/c/").json == {"counts": expected}


def test_public_responses_never_show_emails_ips_or_tokens(app, reader, client):
    set_site(app, moderation="none")
    reader.post("hello", email="secret@example.org", author="Ann", website="https://ann.example.org")
    body = client.get("/api/comments?site=blog&uri=/post/").get_data(as_text=True)
    assert "secret@example.org" not in body and reader.token not in body and "127.0.0" not in body
    assert "https://ann.example.org" in body


def test_closed_thread_refuses_new_comments(app, clock, reader):
    reader.post("first")
    set_site(app, close_after_days=1)
    clock.advance(days=2)
    response = reader.post("too late")
    assert response.status_code == 403 and response.json["error"]["code"] == "thread_closed"


def test_honeypot_comment_looks_pending_but_is_spam(db, reader):
    response = reader.post("buy now", hp="filled by a bot")
    assert response.status_code == 201 and response.json["comment"]["status"] == "pending"
    with db as session:
        stored = session.get(Comment, response.json["comment"]["id"])
        assert stored.status == "spam" and stored.held_reason == "honeypot: honeypot field filled"


def test_held_reason_is_stored_for_moderators(app, db, reader):
    set_site(app, link_limit=0)
    comment_id = reader.post("see https://example.com").json["comment"]["id"]
    with db as session:
        assert session.get(Comment, comment_id).held_reason == "links: 1 links (limit 0)"


def test_ips_are_stored_anonymised(db, client, site):
    response = client.post("/api/comments", json={"site": "blog", "uri": "/p/", "text": "x"},
                           headers={"Origin": ORIGIN}, environ_base={"REMOTE_ADDR": "203.0.113.77"})
    with db as session:
        assert session.get(Comment, response.json["comment"]["id"]).ip == "203.0.113.0"


def test_preflight_and_cors_headers(client, site):
    preflight = client.options("/api/comments", headers={"Origin": ORIGIN, "Access-Control-Request-Method": "POST",
                                                         "Access-Control-Request-Headers": "content-type"})
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert "X-Commenter-Token" in preflight.headers["Access-Control-Allow-Headers"]
    read = client.get("/api/comments?site=blog&uri=/x/", headers={"Origin": "https://anyone.example"})
    assert read.headers["Access-Control-Allow-Origin"] == "https://anyone.example"


def test_a_site_change_made_by_another_worker_applies_to_the_next_comment(make_app, reader):
    set_site(reader.client.application, moderation="none")
    assert reader.post("Published at once").json["comment"]["status"] == "approved"
    set_site(make_app(), moderation="all")  # another worker's app on the same database
    assert reader.post("Held now").json["comment"]["status"] == "pending"


def test_a_closing_age_set_by_another_worker_closes_old_threads_at_once(make_app, clock, reader):
    reader.post("first")
    clock.advance(days=2)
    assert reader.post("still open").status_code == 201
    set_site(make_app(), close_after_days=1)  # another worker's app on the same database
    response = reader.post("too late")
    assert response.status_code == 403 and response.json["error"]["code"] == "thread_closed"


def test_banning_a_writer_makes_their_held_comments_spam_however_the_address_is_written(app, make_reader):
    from service import moderation

    first = make_reader().post("one", email="sam@example.org").json["comment"]["id"]
    other = make_reader().post("two", email="SAM+x@Example.org").json["comment"]["id"]
    stranger = make_reader().post("three", email="samuel@example.org").json["comment"]["id"]
    with app.app_context():
        _, spam = moderation.ban_writers(None, [first])
        assert sorted(comment.id for comment in spam) == [first, other]
        assert db.session.get(Comment, stranger).status == "pending"


def test_an_empty_thread_made_by_a_held_comment_reads_like_no_thread(client, reader):
    before = client.get("/api/comments?site=blog&uri=/post/")
    assert reader.post("held", title="A title").json["comment"]["status"] == "pending"
    after = client.get("/api/comments?site=blog&uri=/post/")
    assert after.headers["ETag"] == before.headers["ETag"] and after.json == before.json


def test_a_comment_is_dated_and_its_edit_window_counted_by_the_apps_clock(clock, reader, client):
    clock.advance(days=-400)
    posted = reader.post("from last year").json
    assert posted["comment"]["created"] == clock().strftime("%Y-%m-%dT%H:%M:%SZ")
    clock.advance(minutes=14)  # 400 days ago by the wall clock, 14 minutes by the app's
    headers = {"Origin": ORIGIN, "X-Edit-Token": posted["edit_token"]}
    edited = client.patch(f"/api/comments/{posted['comment']['id']}", json={"text": "still mine"}, headers=headers)
    assert edited.status_code == 200 and edited.json["comment"]["edited"] == clock().strftime("%Y-%m-%dT%H:%M:%SZ")
