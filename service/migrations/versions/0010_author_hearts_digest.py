"""for the author: hearts on comments, the moderators' daily digest and the day it was last claimed

Revision ID: 0010_author_hearts_digest
Revises: 0009_signin_claims
"""
import sqlalchemy as sa
from alembic import op

revision = '0010_author_hearts_digest'
down_revision = '0009_signin_claims'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('comment') as batch:
        batch.add_column(sa.Column('hearted', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('moderator') as batch:
        batch.add_column(sa.Column('daily_digest', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column('digest_day', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('moderator') as batch:
        batch.drop_column('digest_day')
        batch.drop_column('daily_digest')
    with op.batch_alter_table('comment') as batch:
        batch.drop_column('hearted')
