"""A thread's url and an audit entry's target hold what they are given; max_depth is at most 20

A page address (the Referer) longer than 2,000 characters, or an audit target naming a thread
uri longer than 200, made PostgreSQL refuse an ordinary comment or moderation action. Sites
that chose a max_depth above the new limit get the limit.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 10:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

MAX_DEPTH_LIMIT = 20  # service.sites.MAX_DEPTH_LIMIT when this was written


def upgrade():
    with op.batch_alter_table('thread', schema=None) as batch_op:
        batch_op.alter_column('url', existing_type=sa.String(length=2000), type_=sa.Text(), existing_nullable=True)
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.alter_column('target', existing_type=sa.String(length=200), type_=sa.Text(),
                              existing_nullable=True)
    _limit_max_depth()


def _limit_max_depth():
    site = sa.table('site', sa.column('id', sa.Integer), sa.column('settings', sa.JSON),
                    sa.column('version', sa.Integer))
    connection = op.get_bind()
    for id_, settings, version in connection.execute(sa.select(site.c.id, site.c.settings, site.c.version)).all():
        depth = (settings or {}).get('max_depth')
        if isinstance(depth, int) and depth > MAX_DEPTH_LIMIT:
            connection.execute(site.update().where(site.c.id == id_).values(
                settings={**settings, 'max_depth': MAX_DEPTH_LIMIT}, version=(version or 1) + 1))


def downgrade():
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.alter_column('target', existing_type=sa.Text(), type_=sa.String(length=200), existing_nullable=True)
    with op.batch_alter_table('thread', schema=None) as batch_op:
        batch_op.alter_column('url', existing_type=sa.Text(), type_=sa.String(length=2000), existing_nullable=True)
