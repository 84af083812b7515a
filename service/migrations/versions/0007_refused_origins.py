"""origins a site's posts were refused from, for the owner to allow

Revision ID: 0007_refused_origins
Revises: 0006_spam_filter
"""
import sqlalchemy as sa
from alembic import op

revision = '0007_refused_origins'
down_revision = '0006_spam_filter'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'refused_origin',
        sa.Column('site_id', sa.Integer(), sa.ForeignKey('site.id', ondelete='CASCADE'), primary_key=True),
        sa.Column('origin', sa.String(length=300), primary_key=True),
        sa.Column('times', sa.Integer(), nullable=False),
        sa.Column('last_seen', sa.DateTime(), nullable=False),
    )


def downgrade():
    op.drop_table('refused_origin')
