"""The organiser's decision on a producer flagged as perhaps not rural, kept on its application

Revision ID: 0019b_application_rural_decision
Revises: 0018_decision_entry_names
Create Date: 2026-12-05 01:00:00

``application`` gains ``rural_flags`` (the flags a producer's place raised when it was accepted:
"ward" for a commune that is a phường, "industrial_zone" for an address naming an industrial zone
or cluster, comma-separated) and ``rural_reason`` (why the organiser accepted it as rural industry
all the same). A flagged entry is accepted only with a reason (CHECK ``rural_decision_reasoned``).

Applications decided before this revision raised no flag then, so they get empty values: nothing
was decided about the flag, and the screening page says so. The server default only lets the
columns be added to existing rows; it is dropped afterwards (the application always sets them).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019b_application_rural_decision'
down_revision = '0018_decision_entry_names'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('application', sa.Column('rural_flags', sa.String(length=40), nullable=False, server_default=''))
    op.add_column('application', sa.Column('rural_reason', sa.Text(), nullable=False, server_default=''))
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.alter_column('rural_flags', existing_type=sa.String(length=40), existing_nullable=False,
                              server_default=None)
        batch_op.alter_column('rural_reason', existing_type=sa.Text(), existing_nullable=False,
                              server_default=None)
        batch_op.create_check_constraint(
            'rural_flags_known', "rural_flags IN ('', 'ward', 'industrial_zone', 'ward,industrial_zone')")
        batch_op.create_check_constraint(
            'rural_decision_reasoned', "rural_flags = '' OR (status = 'accepted' AND rural_reason <> '')")


def downgrade():
    # The recorded decisions stay in the audit log (each acceptance's event holds the flags and the reason).
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.drop_constraint('rural_decision_reasoned', type_='check')
        batch_op.drop_constraint('rural_flags_known', type_='check')
        batch_op.drop_column('rural_reason')
        batch_op.drop_column('rural_flags')
