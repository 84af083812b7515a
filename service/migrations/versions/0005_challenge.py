"""proof-of-work solutions are accepted once: the spent ones are kept until they expire

Revision ID: 0005_challenge
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = '0005_challenge'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'spent_challenge',
        sa.Column('challenge', sa.String(length=64), nullable=False),
        sa.Column('expires', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('challenge'),
    )
    op.create_index('ix_spent_challenge_expires', 'spent_challenge', ['expires'])


def downgrade():
    op.drop_index('ix_spent_challenge_expires', table_name='spent_challenge')
    op.drop_table('spent_challenge')
