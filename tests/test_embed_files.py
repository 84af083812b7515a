"""The widget's files: served cacheable, revalidated by ETag, gzipped, loadable from any blog."""

import gzip
from pathlib import Path

import pytest

from service import create_app

FILES = {"/embed.js": "text/javascript", "/embed.css": "text/css", "/count.js": "text/javascript",
         "/solver.js": "text/javascript", "/mail.js": "text/javascript", "/own.js": "text/javascript"}
LOADED_BY_EMBED_JS = ["/solver.js", "/mail.js", "/own.js"]  # when a reader needs them, from the service's own origin


@pytest.fixture(scope="module")
def files_client(tmp_path_factory):
    """The files need no database, so one app serves every test here."""
    folder = tmp_path_factory.mktemp("embed")
    app = create_app({"DATABASE_URL": f"sqlite:///{folder}/x.db", "INSTANCE": str(folder), "SECRET_KEY": "k"}, environ={})
    return app.test_client()


@pytest.mark.parametrize("path", FILES)
def test_widget_files_are_cacheable_and_open_to_every_origin(files_client, path):
    response = files_client.get(path)
    assert response.status_code == 200
    assert response.mimetype == FILES[path]
    assert "max-age=" in response.headers["Cache-Control"] and "public" in response.headers["Cache-Control"]
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["ETag"]


@pytest.mark.parametrize("path", FILES)
def test_an_unchanged_file_is_not_sent_again(files_client, path):
    etag = files_client.get(path).headers["ETag"]
    assert files_client.get(path, headers={"If-None-Match": etag}).status_code == 304


@pytest.mark.parametrize("path", ["/embed.js", *LOADED_BY_EMBED_JS])
def test_the_widget_is_gzipped_and_revalidates_in_gzip_too(files_client, path):
    response = files_client.get(path, headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.data) == files_client.get(path).data
    again = files_client.get(path, headers={"Accept-Encoding": "gzip", "If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_the_widget_fits_its_budget_of_12_kb_gzipped(files_client):
    """What every reader downloads; the files embed.js loads only when needed come on top."""
    sizes = [len(files_client.get(path, headers={"Accept-Encoding": "gzip"}).data) for path in ("/embed.js", "/embed.css")]
    assert sum(sizes) <= 12 * 1024


@pytest.mark.parametrize("path", FILES)
def test_the_served_files_are_the_sources_minified(files_client, path):
    """The sources keep their comments for people; readers' browsers do not download them."""
    source = (Path(__file__).parent.parent / "embed" / path.lstrip("/")).read_bytes()
    served = files_client.get(path).data
    assert b"/*" in source and b"/*" not in served
    assert len(served) < 0.85 * len(source)
