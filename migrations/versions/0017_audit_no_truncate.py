"""The audit log and its checkpoints refuse TRUNCATE too (PostgreSQL)

Revision ID: 0017_audit_no_truncate
Revises: 0016_numbers_certified_names
Create Date: 2026-12-10 10:00:00

The row-level triggers of 0001 and 0013 refuse UPDATE and DELETE, but TRUNCATE fires no row
trigger: it needs a statement-level one. SQLite has no TRUNCATE (its DELETE without a WHERE
fires the row triggers), so there is nothing to do there.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0017_audit_no_truncate'
down_revision = '0016_numbers_certified_names'
branch_labels = None
depends_on = None

# A frozen copy of the TRUNCATE triggers in voting.models.audit (APPEND_ONLY_TRIGGERS and
# CHECKPOINT_TRIGGERS); the functions they call were created by 0001 and 0013.
TRIGGERS = [
    "CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()",
    "CREATE TRIGGER audit_checkpoint_no_truncate BEFORE TRUNCATE ON audit_checkpoint "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_checkpoint_append_only()",
]


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        for statement in TRIGGERS:
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_checkpoint_no_truncate ON audit_checkpoint")
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_event")
