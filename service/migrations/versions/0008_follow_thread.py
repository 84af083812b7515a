"""follow a thread: subscription kind, thread and digest; news waiting for a mail; mails counted per hour

Revision ID: 0008_follow_thread
Revises: 0007_refused_origins
"""
import sqlalchemy as sa
from alembic import op

revision = '0008_follow_thread'
down_revision = '0007_refused_origins'
branch_labels = None
depends_on = None

# The first schema left the (site_id, email) unique constraint unnamed; SQLite's copy is named by this
# convention when the table is rebuilt, PostgreSQL's is found by its columns.
NAMING = {"uq": "uq_%(table_name)s_%(column_0_name)s"}


def _old_unique_name():
    for constraint in sa.inspect(op.get_bind()).get_unique_constraints('subscription'):
        if constraint['column_names'] == ['site_id', 'email'] and constraint['name']:
            return constraint['name']
    return 'uq_subscription_site_id'


def upgrade():
    with op.batch_alter_table('subscription', naming_convention=NAMING) as batch_op:
        batch_op.drop_constraint(_old_unique_name(), type_='unique')
        batch_op.add_column(sa.Column('kind', sa.String(length=16), nullable=False, server_default='replies'))
        batch_op.add_column(sa.Column('thread_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('digest', sa.String(length=8), nullable=False, server_default='each'))
        batch_op.add_column(sa.Column('last_digest', sa.DateTime(), nullable=True))
        batch_op.create_foreign_key('fk_subscription_thread_id', 'thread', ['thread_id'], ['id'], ondelete='CASCADE')
    op.create_index('uq_subscription_replies', 'subscription', ['site_id', 'email'], unique=True,
                    sqlite_where=sa.text("kind = 'replies'"), postgresql_where=sa.text("kind = 'replies'"))
    op.create_index('uq_subscription_thread', 'subscription', ['thread_id', 'email'], unique=True)
    op.create_table(
        'follow_news',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('subscription_id', sa.Integer(), sa.ForeignKey('subscription.id', ondelete='CASCADE'), nullable=False),
        sa.Column('comment_id', sa.Integer(), sa.ForeignKey('comment.id', ondelete='CASCADE'), nullable=False),
        sa.Column('folded', sa.Boolean(), nullable=False),
        sa.Column('mailed', sa.DateTime(), nullable=True),
        sa.Column('created', sa.DateTime(), nullable=False),
        sa.UniqueConstraint('subscription_id', 'comment_id'),
    )
    op.create_index('ix_follow_news_subscription_id', 'follow_news', ['subscription_id'])
    op.create_table(
        'mail_sent',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('address_hash', sa.String(length=64), nullable=False),
        sa.Column('sent', sa.DateTime(), nullable=False),
    )
    op.create_index('ix_mail_sent_address', 'mail_sent', ['address_hash', 'sent'])


def downgrade():
    op.drop_table('mail_sent')
    op.drop_table('follow_news')
    op.execute("DELETE FROM subscription WHERE kind != 'replies'")
    op.drop_index('uq_subscription_thread', 'subscription')
    op.drop_index('uq_subscription_replies', 'subscription')
    with op.batch_alter_table('subscription') as batch_op:
        batch_op.drop_constraint('fk_subscription_thread_id', type_='foreignkey')
        batch_op.drop_column('last_digest')
        batch_op.drop_column('digest')
        batch_op.drop_column('thread_id')
        batch_op.drop_column('kind')
        batch_op.create_unique_constraint('uq_subscription_site_id', ['site_id', 'email'])
