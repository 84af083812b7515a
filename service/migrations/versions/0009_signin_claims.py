"""sign-in links by e-mail: one claim per link asked for, kept hashed for an hour

Revision ID: 0009_signin_claims
Revises: 0008_follow_thread
"""
import sqlalchemy as sa
from alembic import op

revision = '0009_signin_claims'
down_revision = '0008_follow_thread'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'sign_in_claim',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('site_id', sa.Integer(), sa.ForeignKey('site.id', ondelete='CASCADE'), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('url', sa.Text(), nullable=False),
        sa.Column('claim_hash', sa.String(length=64), nullable=True),
        sa.Column('expires', sa.DateTime(), nullable=False),
        sa.Column('created', sa.DateTime(), nullable=False),
        sa.UniqueConstraint('claim_hash', name='uq_sign_in_claim_claim_hash'),
    )
    op.create_index('ix_sign_in_claim_expires', 'sign_in_claim', ['expires'])


def downgrade():
    op.drop_index('ix_sign_in_claim_expires', table_name='sign_in_claim')
    op.drop_table('sign_in_claim')
