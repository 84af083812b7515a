"""Where Tandem leans on another library beyond its documented use, a test here fails loudly when
that library changes: Flask-Limiter's app-wide hooks (service/limiting.py). The session and the
XML tree builder use the documented APIs; their tests say what a user would notice if they broke."""

from xml.etree.ElementTree import TreeBuilder

import pytest
from flask import Flask
from flask_limiter import Limiter

from service import limiting
from service.extensions import limiter
from service.importers import xmlstream
from service.sessions import CookieSessionInterface


def _limiter_hooks(app, limiter):
    hooks = [*app.before_request_funcs[None], *app.after_request_funcs[None], *app.teardown_request_funcs[None]]
    return [hook for hook in hooks
            if getattr(hook, "__self__", None) is limiter or limiter in getattr(hook, "args", ())]


def test_flask_limiter_installs_the_three_hooks_that_limiting_removes():
    """Fails when a Flask-Limiter release hooks into the app differently: then service/limiting.py
    must be looked at again (it also refuses to start the app)."""
    app, bare = Flask("plain"), Limiter(key_func=lambda: "everyone", storage_uri="memory://")
    bare.init_app(app)
    assert len(_limiter_hooks(app, bare)) == 3
    assert app.before_request_funcs[None] == [bare._check_request_limit]

    app, contained = Flask("contained"), Limiter(key_func=lambda: "everyone", storage_uri="memory://")
    limiting.init_app(app, contained)
    assert _limiter_hooks(app, contained) == []


def test_a_limiter_whose_hooks_are_not_found_stops_the_app_from_starting(monkeypatch):
    app, changed = Flask("changed"), Limiter(key_func=lambda: "everyone", storage_uri="memory://")
    changed.init_app(app)
    app.teardown_request_funcs[None].clear()  # as if a release stopped using this hook
    monkeypatch.setattr(changed, "init_app", lambda app: None)  # attached above, hooks as a release might leave them
    with pytest.raises(RuntimeError, match="Flask-Limiter's app-wide hooks"):
        limiting.init_app(app, changed)


def test_the_app_keeps_no_limiter_hook_yet_limits_posts_in_the_view(app, client, site):
    assert _limiter_hooks(app, limiter) == []
    app.config["TANDEM_RATE_LIMIT"] = "2/minute"
    statuses = [client.post("/api/comments", json={"site": "blog", "uri": "/post/", "text": f"Hello {n}"},
                            headers={"Origin": "https://blog.example.com"}).status_code for n in range(3)]
    assert statuses == [201, 201, 429]


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
