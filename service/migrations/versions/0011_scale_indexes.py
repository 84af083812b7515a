"""indexes for a million comments: the moderation queue, the newest-first list and the admin search

The admin list is newest first, across all sites for the owner: (status, created, id) serves the
queue and (created, id) the unfiltered list, on both databases. On PostgreSQL the search's
`ILIKE '%words%'` on text and author uses trigram indexes (pg_trgm, a trusted extension since
PostgreSQL 13); where the extension cannot be created the search stays correct, only slower, and
this migration says so. SQLite has no trigram index: there the search reads the comments
(bench/README.md, "A million comments").

Revision ID: 0011_scale_indexes
Revises: 0010_author_hearts_digest
"""
import logging

from alembic import op
from sqlalchemy.exc import DBAPIError

revision = '0011_scale_indexes'
down_revision = '0010_author_hearts_digest'
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")
TRIGRAM_INDEXES = (("ix_comment_text_trgm", "text"), ("ix_comment_author_trgm", "author"))


def upgrade():
    op.create_index('ix_comment_status_created', 'comment', ['status', 'created', 'id'])
    op.create_index('ix_comment_created', 'comment', ['created', 'id'])
    if op.get_bind().dialect.name == 'postgresql' and _trigram_extension():
        for name, column in TRIGRAM_INDEXES:
            op.execute(f'CREATE INDEX IF NOT EXISTS {name} ON comment USING gin ({column} gin_trgm_ops)')


def _trigram_extension():
    """Whether pg_trgm is there or could be made; a refusal is logged, not fatal."""
    bind = op.get_bind()
    savepoint = bind.begin_nested()
    try:
        bind.exec_driver_sql('CREATE EXTENSION IF NOT EXISTS pg_trgm')
    except DBAPIError as error:
        savepoint.rollback()
        log.warning("pg_trgm is not available (%s): the admin search works without its index, "
                    "more slowly on large databases.", str(error.orig).splitlines()[0])
        return False
    savepoint.commit()
    return True


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        for name, _ in TRIGRAM_INDEXES:
            op.execute(f'DROP INDEX IF EXISTS {name}')
    op.drop_index('ix_comment_created', table_name='comment')
    op.drop_index('ix_comment_status_created', table_name='comment')
