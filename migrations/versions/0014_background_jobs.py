"""Background jobs of several kinds (issuance, re-issuance, bulk exports) replace issuance jobs

Revision ID: 0014_background_jobs
Revises: 0013_audit_checkpoints
Create Date: 2026-12-02 16:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014_background_jobs'
down_revision = '0013_audit_checkpoints'
branch_labels = None
depends_on = None

ACTIVE = sa.text("status IN ('queued', 'running')")
COLUMNS = "id, round_id, requested_by_id, status, total, done, error, created_at, started_at, finished_at, updated_at"


def upgrade():
    op.create_table('background_job',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('runner', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('done', sa.Integer(), nullable=False),
    sa.Column('error', sa.Text(), nullable=False),
    sa.Column('result_key', sa.String(length=200), nullable=True),
    sa.Column('result_name', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name=op.f('ck_background_job_status_known')),
    sa.CheckConstraint("kind IN ('issue_round', 'reissue_round', 'certificates_zip', 'certificates_pdf')",
                       name=op.f('ck_background_job_kind_known')),
    sa.CheckConstraint('done >= 0 AND done <= total', name=op.f('ck_background_job_progress_in_range')),
    sa.CheckConstraint("result_key IS NULL OR status = 'done'", name=op.f('ck_background_job_result_only_when_done')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['user.id'], name=op.f('fk_background_job_requested_by_id_user')),
    sa.ForeignKeyConstraint(['round_id'], ['round.id'], name=op.f('fk_background_job_round_id_round')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_background_job'))
    )
    with op.batch_alter_table('background_job', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_background_job_round_id'), ['round_id'], unique=False)
    op.create_index('uq_background_job_active', 'background_job', ['kind', 'round_id'],
                    unique=True, sqlite_where=ACTIVE, postgresql_where=ACTIVE)
    # Earlier issuance jobs keep their ids and history; one still queued or running is left as it was
    # (its worker, if alive, goes on writing progress into the same id).
    op.execute(f"INSERT INTO background_job (kind, runner, {COLUMNS}) "
               f"SELECT 'issue_round', 'process', {COLUMNS} FROM issuance_job")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("SELECT setval(pg_get_serial_sequence('background_job', 'id'), "
                   "coalesce((SELECT max(id) FROM background_job), 0) + 1, false)")
    with op.batch_alter_table('issuance_job', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_issuance_job_round_id'))
    op.drop_table('issuance_job')


def downgrade():
    op.create_table('issuance_job',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('done', sa.Integer(), nullable=False),
    sa.Column('error', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name=op.f('ck_issuance_job_status_known')),
    sa.CheckConstraint('done >= 0 AND done <= total', name=op.f('ck_issuance_job_progress_in_range')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['user.id'], name=op.f('fk_issuance_job_requested_by_id_user')),
    sa.ForeignKeyConstraint(['round_id'], ['round.id'], name=op.f('fk_issuance_job_round_id_round')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_issuance_job'))
    )
    with op.batch_alter_table('issuance_job', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_issuance_job_round_id'), ['round_id'], unique=False)
    # Only issuance jobs existed before; the other kinds' history goes with their table.
    op.execute(f"INSERT INTO issuance_job ({COLUMNS}) "
               f"SELECT {COLUMNS} FROM background_job WHERE kind = 'issue_round'")
    op.drop_index('uq_background_job_active', table_name='background_job')
    with op.batch_alter_table('background_job', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_background_job_round_id'))
    op.drop_table('background_job')
