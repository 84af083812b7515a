"""Fixtures: an app on a fresh database, parametrised over SQLite and PostgreSQL, and its clients.

The schema is made once per run by the real migrations (on a template SQLite file, and in a
PostgreSQL database this run creates and drops); each test then starts from empty tables.
"""

import shutil
import uuid
from datetime import timedelta

import psycopg
import pytest
from sqlalchemy import text

from service import clock as service_clock
from service import create_app
from service.db import db
from service.models import utcnow

from .live import POSTGRES_ADMIN_URL

# Fixtures shared by several modules (world, smtp_sink, receiver, dovecot): registered here, so test
# modules take them as parameters without importing names that the parameters would shadow.
pytest_plugins = ["tests.admin_world", "tests.notify_support", "tests.imap_support"]

ORIGIN = "https://blog.example.com"


def _make_app(database_url, instance, **overrides):
    config = {
        "DATABASE_URL": database_url,
        "INSTANCE": str(instance),
        "SECRET_KEY": "test-secret-key",
        "RATE_LIMIT": "1000/minute",
        "TESTING": True,
        "WTF_CSRF_ENABLED": False,
    }
    config.update(overrides)
    return create_app(test_config=config, environ={})


def _migrate(app):
    from service.bootstrap import upgrade_schema

    with app.app_context():
        upgrade_schema()
        db.engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    folder = tmp_path_factory.mktemp("template")
    path = folder / "template.db"
    _migrate(_make_app(f"sqlite:///{path}", folder))
    return path


@pytest.fixture(scope="session")
def postgres_url(tmp_path_factory):
    """A database of this test run's own on the local PostgreSQL, dropped at the end."""
    name = f"tandem_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0]
    url = f"{base.replace('postgresql://', 'postgresql+psycopg://')}/{name}"
    _migrate(_make_app(url, tmp_path_factory.mktemp("pg")))
    yield url
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _empty_tables(app):
    with app.app_context():
        tables = ", ".join(f'"{table.name}"' for table in db.metadata.sorted_tables)
        db.session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        db.session.commit()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        path = tmp_path / "tandem.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def make_app(database_url, tmp_path):
    """Build an app on this test's database with extra configuration (e.g. a rate limit)."""
    made = []

    def factory(**overrides):
        app = _make_app(database_url, tmp_path / "instance", **overrides)
        if database_url.startswith("postgresql") and not made:
            _empty_tables(app)
        made.append(app)
        return app

    yield factory
    for app in made:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(make_app):
    return make_app()


class Clock:
    """A clock a test moves: it starts at the real time and stands still until `advance`d."""

    def __init__(self):
        self.moment = utcnow()

    def __call__(self):
        return self.moment

    def advance(self, **delta):
        self.moment += timedelta(**delta)


@pytest.fixture
def clock(app):
    """The app's clock, which its views pass to the service: moved by the test, never slept on."""
    moving = Clock()
    service_clock.install(app, moving)
    return moving


class Database:
    """The test's own look at the app's database: each `with db as session:` is one step in the app's
    context, closed before the next request, as a second process would see the data."""

    def __init__(self, app):
        self.app, self.contexts = app, []

    def __enter__(self):
        self.contexts.append(self.app.app_context())
        self.contexts[-1].push()
        return db.session

    def __exit__(self, *error):
        self.contexts.pop().pop()


@pytest.fixture(name="db")
def database(app):
    return Database(app)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


# Sites made for tests that are not about the proof-of-work ask none of their readers (SPEC 13);
# the product default stays `first-post`, and the challenge's own tests ask for it.
NO_CHALLENGE = {"challenge": "off"}


@pytest.fixture
def site(app):
    """A blog with the SPEC's default settings, but for the proof-of-work."""
    from service import sites

    with app.app_context():
        sites.create_site("blog", "A blog", [ORIGIN], dict(NO_CHALLENGE))
    return "blog"


class Reader:
    """A reader's browser: it keeps the commenter token the service issued, like the widget does."""

    def __init__(self, client, site="blog", origin=ORIGIN):
        self.client, self.site, self.origin = client, site, origin
        self.token = None
        self.edit_tokens = {}

    def post(self, text="Hello", uri="/post/", **fields):
        headers = {"Origin": self.origin}
        if self.token:
            headers["X-Commenter-Token"] = self.token
        response = self.client.post("/api/comments", json={"site": self.site, "uri": uri, "text": text, **fields},
                                    headers=headers)
        if response.status_code == 201:
            self.token = response.json["commenter_token"]
            self.edit_tokens[response.json["comment"]["id"]] = response.json["edit_token"]
        return response


@pytest.fixture
def reader(client, site):
    return Reader(client)


@pytest.fixture
def make_reader(client, site):
    return lambda **kwargs: Reader(client, **kwargs)


def _live_server(tmp_path_factory, kind):
    from .live import PostgresDatabase, TandemServer, server_environment

    folder = tmp_path_factory.mktemp(f"live-{kind}")
    database = PostgresDatabase() if kind == "postgresql" else None
    server = TandemServer(server_environment(folder / "instance", database and database.url), folder / "serve.log")
    return server.start(), database


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def live_server(request, tmp_path_factory):
    """`tandem serve` with two workers on each database, shared by a run's tests (each makes its own site)."""
    server, database = _live_server(tmp_path_factory, request.param)
    yield server
    server.stop()
    if database:
        database.drop()


@pytest.fixture(scope="session")
def live_sqlite_server(tmp_path_factory):
    """`tandem serve` on its embedded default, for tests where the database does not matter (browsers)."""
    server, _ = _live_server(tmp_path_factory, "sqlite")
    yield server
    server.stop()
