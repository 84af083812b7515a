"""a held comment keeps the page title and address it was written on

A thread's title and link come only from comments that were accepted: a comment held for
moderation keeps what its page said, and its thread takes it when a moderator approves it.

Revision ID: 0004
Revises: 0003_sessions
"""
import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003_sessions'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('comment') as batch_op:
        batch_op.add_column(sa.Column('page_title', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('page_url', sa.String(length=2000), nullable=True))


def downgrade():
    with op.batch_alter_table('comment') as batch_op:
        batch_op.drop_column('page_url')
        batch_op.drop_column('page_title')
