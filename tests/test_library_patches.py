"""Where Tandem leans on another library, a test here says what a user would notice if it changed:
the session and the XML tree builder use the documented APIs."""

from xml.etree.ElementTree import TreeBuilder

from service.importers import xmlstream
from service.sessions import CookieSessionInterface


def test_the_app_installs_its_cookie_session_without_the_admin_blueprint(app, client):
    assert isinstance(app.session_interface, CookieSessionInterface)
    assert app.config["SESSION_REFRESH_EACH_REQUEST"] is True
    assert "Set-Cookie" not in client.get("/api/comments?site=blog&uri=/post/").headers


def test_imports_build_their_tree_with_elementtrees_public_builder(tmp_path):
    export = tmp_path / "export.xml"
    export.write_text("<root>\n  <item>one</item>\n\n  <item>two</item>\n</root>\n")
    found = [(element.text, line) for element, line in xmlstream.records(export, lambda tag: tag == "root", 1)]
    assert found == [("one", 2), ("two", 4)]
    assert isinstance(xmlstream._LineRecorder().builder, TreeBuilder)
