"""sessions: a session generation per account, failed logins counted per account

Revision ID: 0003_sessions
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = '0003_sessions'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('moderator') as batch:
        batch.add_column(sa.Column('session_generation', sa.Integer(), nullable=False, server_default='0'))
    op.create_table('login_failure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_hash', sa.String(length=64), nullable=False),
    sa.Column('created', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_login_failure_account_hash'), 'login_failure', ['account_hash'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_login_failure_account_hash'), table_name='login_failure')
    op.drop_table('login_failure')
    with op.batch_alter_table('moderator') as batch:
        batch.drop_column('session_generation')
