"""WordPress's plain permalinks (issue 12, point 11; SPEC 1): a blog whose posts live at `/?p=123`
gets one thread per post, and the importer's threads are the ones the API and the widget ask for."""

from pathlib import Path

from service import sites
from service.cli import main as tandem

FIXTURES = Path(__file__).parent / "fixtures" / "imports"


def test_posts_at_plain_permalinks_get_a_thread_each(app, reader, client):
    with app.app_context():
        sites.update_site(sites.get_site("blog"), settings={"moderation": "none"})
    assert reader.post("On post 12", uri="/?p=12").status_code == 201
    assert reader.post("On post 13", uri="/?p=13&replytocom=4").status_code == 201
    counts = client.get("/api/counts", query_string=[("site", "blog"), ("uri", "/?p=12"), ("uri", "/?p=13"),
                                                      ("uri", "/")]).json["counts"]
    assert counts == {"/?p=12": 1, "/?p=13": 1, "/": 0}
    pages = client.post("/api/counts", json={"site": "blog", "uris": ["/?page_id=12", "/?p=12#comments"]}).json
    assert pages["counts"] == {"/?page_id=12": 0, "/?p=12#comments": 1}


def test_imported_plain_permalink_comments_are_reachable(app, site, client):
    result = app.test_cli_runner().invoke(tandem, ["import", "wordpress", str(FIXTURES / "wordpress.xml"),
                                                   "--site", "blog"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    counts = client.get("/api/counts", query_string={"site": "blog", "uri": "/?p=12"}).json["counts"]
    assert counts == {"/?p=12": 1}
    thread = client.get("/api/comments", query_string={"site": "blog", "uri": "/?p=12&utm_medium=feed"}).json
    assert thread["thread"]["uri"] == "/?p=12"
    assert [comment["author"] for comment in thread["comments"]] == ["Line Breaker"]
