"""Indexes for the summary report's path upward

Revision ID: 0022c_path_upward_indexes
Revises: 0022b_decision_tally
Create Date: 2026-12-06 19:30:00

The path upward (issue 21) counts the nominations per higher round and nominating province, each entry's
status and its place on a decided list: at 9,500 nominations it read each nomination's row and each list line's
row, and sorted the nominations to group them (SQLite: 19.5 times a plain count of the certificates, against a
target of 20, make bench 06/12/2026). Two covering indexes let it read the nominations in their groups' order
and the list lines from the indexes alone (median 16.0 → 10.8 ms on the benchmark's rows).
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0022c_path_upward_indexes'
down_revision = '0022b_decision_tally'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_nomination_path_upward', 'nomination',
                    ['target_round_id', 'province_id', 'withdrawn_at', 'target_application_id'], unique=False)
    op.create_index('ix_decision_entry_application_decision', 'decision_entry', ['application_id', 'decision_id'],
                    unique=False)


def downgrade():
    op.drop_index('ix_decision_entry_application_decision', table_name='decision_entry')
    op.drop_index('ix_nomination_path_upward', table_name='nomination')
