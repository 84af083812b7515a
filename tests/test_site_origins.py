"""Origins one at a time (issue 12, point 3): `tandem site origin add|remove`, and refused origins
noted for the owner without letting made-up `Origin` headers fill the database."""

from service import origins, sites
from service.cli import main as tandem
from service.db import db
from service.models import RefusedOrigin

from .conftest import ORIGIN


def run(runner, *args):
    return runner.invoke(tandem, list(args))


def origins_of(app, key="blog"):
    with app.app_context():
        return list(sites.get_site(key).origins)


def test_origin_add_and_remove_keep_the_other_origins(app, runner, site):
    added = run(runner, "site", "origin", "add", "blog", "http://localhost:8000/")
    assert added.exit_code == 0 and "http://localhost:8000 added" in added.output
    assert origins_of(app) == [ORIGIN, "http://localhost:8000"]
    again = run(runner, "site", "origin", "add", "blog", "http://localhost:8000")
    assert again.exit_code == 0 and "allowed already" in again.output
    assert origins_of(app) == [ORIGIN, "http://localhost:8000"]
    removed = run(runner, "site", "origin", "remove", "blog", ORIGIN)
    assert removed.exit_code == 0 and origins_of(app) == ["http://localhost:8000"]


def test_origin_commands_refuse_what_they_cannot_do(app, runner, site):
    not_an_origin = run(runner, "site", "origin", "add", "blog", "localhost:8000")
    assert not_an_origin.exit_code == 1 and "is not an origin" in not_an_origin.output
    unknown = run(runner, "site", "origin", "remove", "blog", "http://127.0.0.1:8000")
    assert unknown.exit_code == 1
    assert f"http://127.0.0.1:8000 is not an origin of blog (its origins: {ORIGIN})" in unknown.output
    assert origins_of(app) == [ORIGIN]


def _post_from(client, origin):
    return client.post("/api/comments", json={"site": "blog", "uri": "/post/", "text": "Hi"},
                       headers={"Origin": origin})


def test_refused_origins_are_noted_once_each_and_shown_until_allowed(app, client, runner, site):
    for _ in range(3):
        assert _post_from(client, "http://localhost:8000").status_code == 403
    assert _post_from(client, "not an origin").status_code == 403
    with app.app_context():
        shown = origins.recently_refused([sites.get_site("blog")])
        assert [(row.origin, row.times) for rows in shown.values() for row in rows] == [("http://localhost:8000", 3)]
    run(runner, "site", "origin", "add", "blog", "http://localhost:8000")
    with app.app_context():
        assert origins.recently_refused([sites.get_site("blog")]) == {}


def test_made_up_origins_cannot_fill_the_table(app, client, site):
    for number in range(origins.KEPT_PER_SITE + 15):
        assert _post_from(client, f"https://spam{number}.example").status_code == 403
    with app.app_context():
        kept = db.session.query(RefusedOrigin).count()
    assert kept == origins.KEPT_PER_SITE
