"""the learning spam filter: per-site model, spam domains, each comment's score

Revision ID: 0006_spam_filter
Revises: 0005_challenge
"""
import sqlalchemy as sa
from alembic import op

revision = '0006_spam_filter'
down_revision = '0005_challenge'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('comment') as batch_op:
        batch_op.add_column(sa.Column('spam_score', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('spam_features', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('trained_as', sa.String(length=8), nullable=True))
    op.create_table(
        'spam_model',
        sa.Column('site_id', sa.Integer(), sa.ForeignKey('site.id', ondelete='CASCADE'), primary_key=True),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('counts', sa.JSON(), nullable=False),
        sa.Column('updated', sa.DateTime(), nullable=False),
    )
    op.create_table(
        'spam_domain',
        sa.Column('site_id', sa.Integer(), sa.ForeignKey('site.id', ondelete='CASCADE'), primary_key=True),
        sa.Column('domain', sa.String(length=253), primary_key=True),
        sa.Column('comment_id', sa.Integer(), sa.ForeignKey('comment.id', ondelete='CASCADE'), primary_key=True),
        sa.Column('created', sa.DateTime(), nullable=False),
    )


def downgrade():
    op.drop_table('spam_domain')
    op.drop_table('spam_model')
    with op.batch_alter_table('comment') as batch_op:
        batch_op.drop_column('trained_as')
        batch_op.drop_column('spam_features')
        batch_op.drop_column('spam_score')
