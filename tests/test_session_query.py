"""`rawsql.SessionQuery` reads and writes what Core would, inside the request's transaction, on both
databases: the create path's statements run through it."""

from datetime import datetime

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, bindparam, select, update
from sqlalchemy import insert as core_insert
from sqlalchemy.exc import DBAPIError

from service import comment_store, sites
from service.db import db
from service.models import Comment, Site, Thread
from service.rawsql import SessionQuery

_SITE = select(Site.id, Site.origins, Site.settings).where(Site.key == bindparam("key"))
_THREAD = select(Thread.id, Thread.closed, Thread.created, Thread.title).where(Thread.id == bindparam("id"))
_RENAME = update(Thread).where(Thread.id == bindparam("id")).values(title=bindparam("title"))


def test_rows_read_as_core_reads_them_json_datetimes_and_booleans(app):
    with app.app_context():
        site = sites.create_site("blog", "Blog", ["https://blog.example"], {"moderation": "none", "link_limit": 3})
        thread = Thread(site_id=site.id, uri="/a/", created=datetime(2026, 11, 30, 1, 2, 3, 456789), closed=True,
                        title="Über “quotes” <3 😀")
        db.session.add(thread)
        db.session.commit()
        for statement, params in ((_SITE, {"key": "blog"}), (_THREAD, {"id": thread.id})):
            core = tuple(db.session.connection().execute(statement, params).one())
            assert SessionQuery(statement).first(params) == core
        assert SessionQuery(_THREAD).first({"id": thread.id})[2] == datetime(2026, 11, 30, 1, 2, 3, 456789)
        assert SessionQuery(_SITE).first({"key": "elsewhere"}) is None


def _blog_with_a_thread():
    site = sites.create_site("blog", "Blog", ["https://blog.example"])
    thread = Thread(site_id=site.id, uri="/a/", created=datetime(2026, 11, 30))
    db.session.add(thread)
    db.session.commit()
    return site, thread


def test_a_write_belongs_to_the_sessions_transaction(app):
    with app.app_context():
        _, thread = _blog_with_a_thread()
        thread_id = thread.id
        SessionQuery(_RENAME).rows({"id": thread_id, "title": "renamed"})
        db.session.rollback()
        assert db.session.get(Thread, thread_id).title is None
        SessionQuery(_RENAME).rows({"id": thread_id, "title": "kept"})
        db.session.commit()
        db.session.expire_all()
        assert db.session.get(Thread, thread_id).title == "kept"


def test_a_database_error_is_sqlalchemys_own(app):
    missing = Table("no_such_table", MetaData(), Column("id", Integer))
    with app.app_context(), pytest.raises(DBAPIError):
        SessionQuery(select(missing.c.id).where(missing.c.id == bindparam("id"))).rows({"id": 1})


def test_a_comment_is_stored_as_cores_insert_would_store_it(app):
    """Byte for byte in the database: datetimes, JSON (a list, and none), booleans, a score."""
    with app.app_context():
        site, thread = _blog_with_a_thread()
        row = {column.name: None for column in Comment.__table__.columns if column.name != "id"}
        row.update(site_id=site.id, thread_id=thread.id, depth=0, status="approved", held_reason="",
                   text="“Curly” <3 😀", html="<p>“Curly” &lt;3 😀</p>", created=datetime(2026, 11, 30, 1, 2, 3, 4),
                   likes=0, is_author=True, pinned=False, hearted=False, notify=True,
                   spam_score=0.125, spam_features=[["link:example.org", 1.5]], trained_as=None)
        by_core = db.session.connection().execute(core_insert(Comment.__table__), row).inserted_primary_key[0]
        by_store = comment_store.insert(dict(row, spam_features=None)).id
        core_none = db.session.connection().execute(core_insert(Comment.__table__), dict(row, spam_features=None))
        db.session.commit()
        stored = {number: tuple(found) for number, *found in db.session.connection().exec_driver_sql(
            "SELECT * FROM comment ORDER BY id").fetchall()}
        with_list = comment_store.insert(dict(row)).id
        db.session.commit()
        stored_list = tuple(db.session.connection().exec_driver_sql(
            f"SELECT * FROM comment WHERE id = {with_list}").one())[1:]
        assert stored_list == stored[by_core]
        assert stored[by_store] == stored[core_none.inserted_primary_key[0]]
