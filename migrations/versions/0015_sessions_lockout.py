"""Server-side sessions, registrations awaiting e-mail confirmation, lockout per account and client address

Revision ID: 0015_sessions_lockout
Revises: 0014_background_jobs
Create Date: 2026-12-03 10:00:00

Every signed-in browser becomes a row of its own (``user_session``), replacing the per-account
``user.session_token``: everyone signs in again once after the upgrade. Wrong-password counts move
from the account to (account, client address) pairs (``login_failure``); running counts and locks
are dropped.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015_sessions_lockout'
down_revision = '0014_background_jobs'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('user_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('remember', sa.Boolean(), nullable=False),
    sa.Column('client', sa.String(length=100), nullable=False),
    sa.Column('address', sa.String(length=45), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_user_session_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_session')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_user_session_token_hash'))
    )
    with op.batch_alter_table('user_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_session_user_id'), ['user_id'], unique=False)

    op.create_table('login_failure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('client', sa.String(length=64), nullable=False),
    sa.Column('wrong_passwords', sa.Integer(), server_default='0', nullable=False),
    sa.Column('last_failed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('wrong_passwords >= 0', name=op.f('ck_login_failure_wrong_passwords_not_negative')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_login_failure_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_failure')),
    sa.UniqueConstraint('user_id', 'client', name=op.f('uq_login_failure_user_id_client'))
    )

    op.create_table('pending_registration',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('email = lower(email)', name=op.f('ck_pending_registration_email_lower')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pending_registration')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_pending_registration_token_hash'))
    )
    with op.batch_alter_table('pending_registration', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pending_registration_email'), ['email'], unique=False)

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('session_token')
        batch_op.drop_column('failed_logins')
        batch_op.drop_column('locked_until')


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('failed_logins', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('session_token', sa.String(length=64), nullable=True))
    # A fresh token per account: the sessions of this revision's rows are not carried back.
    if op.get_bind().dialect.name == "postgresql":
        op.execute("UPDATE \"user\" SET session_token = md5(random()::text || id::text)")
    else:
        op.execute("UPDATE user SET session_token = lower(hex(randomblob(24)))")
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.alter_column('session_token', existing_type=sa.String(length=64), nullable=False)

    with op.batch_alter_table('pending_registration', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pending_registration_email'))
    op.drop_table('pending_registration')
    op.drop_table('login_failure')
    with op.batch_alter_table('user_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_session_user_id'))
    op.drop_table('user_session')
