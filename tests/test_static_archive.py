"""SPEC 15: `tandem export --static DIR [--site K]`, an archive of approved comments that needs no Tandem."""

import json
import re

import pytest

from service import moderation, sites
from service.cli import main as tandem
from service.operate.archive import thread_folder

from .conftest import ORIGIN, Reader


@pytest.fixture
def open_site(app):
    """A blog where comments appear at once, and a second one that must stay out of a one-site archive."""
    with app.app_context():
        sites.create_site("essays", "Essays <&> notes", [ORIGIN], {"moderation": "none", "challenge": "off"})
        sites.create_site("other", "Other", [ORIGIN], {"moderation": "none", "challenge": "off"})
    return "essays"


def _list_markup(html):
    return re.search(r'<div class="list">.*?(?=\n\s*(<p class="notice">Writing|</main>))', html, re.S).group(0)


def test_static_archive_has_each_thread_threaded_with_only_approved_comments(app, client, runner, open_site, tmp_path):
    reader = Reader(client, site=open_site)
    first = reader.post("A **first** thought", uri="/2026/11/like-a-dance/", email="ann@example.org").json["comment"]
    reply = reader.post("A reply", uri="/2026/11/like-a-dance/", parent=first["id"]).json["comment"]
    hidden = reader.post("Rejected words", uri="/2026/11/like-a-dance/").json["comment"]
    reader.post("On the about page", uri="/about")
    with app.app_context():
        moderation.decide(None, [hidden["id"]], "reject")

    done = runner.invoke(tandem, ["export", "--static", str(tmp_path / "archive")])
    assert done.exit_code == 0, done.output
    assert "Wrote 2 thread page(s) of 2 site(s)" in done.output

    folder = tmp_path / "archive" / "essays" / "2026" / "11" / "like-a-dance"
    page = (folder / "index.html").read_text()
    assert "<strong>first</strong>" in page and "A reply" in page
    assert "Rejected words" not in page and "ann@example.org" not in page and "<script" not in page
    # The reply is inside its parent's article, as on the no-JavaScript page, whose markup it shares.
    assert re.search(rf'id="comment-{first["id"]}".*class="replies">\s*<article[^>]*id="comment-{reply["id"]}"', page, re.S)
    live = client.get("/t/essays/", query_string={"uri": "/2026/11/like-a-dance/"}).get_data(as_text=True)
    assert _list_markup(page).replace('src="../../../../avatar/', 'src="/avatar/') == _list_markup(live)
    avatar = re.search(r'src="(\.\./\.\./\.\./\.\./avatar/[0-9a-f]+\.svg)"', page).group(1)
    assert (folder / avatar).resolve().read_text().startswith("<svg")
    assert (folder / "../../../../embed.css").resolve().is_file()

    document = json.loads((folder / "comments.json").read_text())
    assert document["uri"] == "/2026/11/like-a-dance/" and document["total"] == 2
    assert [node["id"] for node in document["comments"]] == [first["id"]]
    assert document["comments"][0]["replies"][0]["id"] == reply["id"]
    assert "email" not in json.dumps(document)

    index = (tmp_path / "archive" / "index.html").read_text()
    assert 'href="essays/2026/11/like-a-dance/index.html"' in index and 'href="essays/about/index.html"' in index
    assert "Essays &lt;&amp;&gt; notes" in index
    assert (tmp_path / "archive" / "essays" / "about" / "comments.json").is_file()


def test_static_archive_of_one_site_leaves_the_others_out(client, runner, open_site, tmp_path):
    Reader(client, site="other").post("Elsewhere", uri="/elsewhere/")
    Reader(client, site=open_site).post("Here", uri="/here/")
    done = runner.invoke(tandem, ["export", "--static", str(tmp_path / "a"), "--site", open_site])
    assert done.exit_code == 0, done.output
    assert (tmp_path / "a" / "essays" / "here" / "index.html").is_file()
    assert not (tmp_path / "a" / "other").exists()
    assert "Other" not in (tmp_path / "a" / "index.html").read_text()


def test_export_without_site_or_static_says_what_is_missing(runner):
    refused = runner.invoke(tandem, ["export"])
    assert refused.exit_code == 2 and "--site KEY" in refused.output


@pytest.mark.parametrize("uri, folder", [
    ("/2026/11/like-a-dance/", "2026/11/like-a-dance"),
    ("/about", "about"),
    ("/?p=12", "p-12"),
    ("/?page_id=7", "page_id-7"),
    ("/", "."),
    ("/../../etc/passwd", "etc/passwd"),
    ("/caf\u00e9 au lait/", "caf-au-lait"),
])
def test_a_thread_folder_comes_from_its_uri_and_stays_inside_the_archive(uri, folder):
    assert str(thread_folder(uri)) == folder
