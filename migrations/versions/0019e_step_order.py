"""The order of a round's last steps, and the day its certificates are dated on

Revision ID: 0019e_step_order
Revises: 0019d_official_numbers
Create Date: 2026-12-05 01:00:00

``round.step_order``: "announce_first" (the rules' order: the council's proposal is announced, complaints
are taken and settled, then the authority decides) or "decide_first" (the order the platform ran until
now). ``round.validity_from``: certificates dated on the decision ("decision") or on the day they are
issued ("issue", as until now). Existing rounds keep the order and dating they were run with; the model's
defaults give new rounds the rules' order.

A round gains the status "announced" (results announced, the decision still to come), and a vote may be
published before it is decided: ``decision``'s check "published only when decided" becomes "published
only when carried".
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019e_step_order'
down_revision = '0019d_official_numbers'
branch_labels = None
depends_on = None

OLD_STATUSES = ('draft', 'registration_open', 'screening', 'scoring', 'field_visits', 'second_scoring',
                'deliberation', 'decided', 'certifying', 'closed')
NEW_STATUSES = OLD_STATUSES[:7] + ('announced',) + OLD_STATUSES[7:]


def _in(values):
    return ', '.join(f"'{value}'" for value in values)


def upgrade():
    with op.batch_alter_table('round', schema=None) as batch_op:
        batch_op.add_column(sa.Column('step_order', sa.String(length=20), nullable=False,
                                      server_default='decide_first'))
        batch_op.add_column(sa.Column('validity_from', sa.String(length=10), nullable=False,
                                      server_default='issue'))
        batch_op.drop_constraint(op.f('ck_round_status_known'), type_='check')
        batch_op.create_check_constraint(op.f('ck_round_status_known'), f"status IN ({_in(NEW_STATUSES)})")
        batch_op.create_check_constraint(op.f('ck_round_step_order_known'),
                                         "step_order IN ('announce_first', 'decide_first')")
        batch_op.create_check_constraint(op.f('ck_round_validity_from_known'),
                                         "validity_from IN ('decision', 'issue')")
    with op.batch_alter_table('round', schema=None) as batch_op:
        # Only existing rows take the old behaviour; the application sets both on every new round.
        batch_op.alter_column('step_order', server_default=None)
        batch_op.alter_column('validity_from', server_default=None)
    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_decision_published_when_decided'), type_='check')
        batch_op.create_check_constraint(op.f('ck_decision_published_when_carried'), "published_at IS NULL OR carried")


def downgrade():
    # A round announced but not yet decided cannot be expressed before this revision: back to deliberation.
    op.execute("UPDATE round SET status = 'deliberation' WHERE status = 'announced'")
    op.execute("UPDATE decision SET published_at = NULL, complaints_close_on = NULL WHERE decision_number IS NULL")
    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_decision_published_when_carried'), type_='check')
        batch_op.create_check_constraint(op.f('ck_decision_published_when_decided'),
                                         "published_at IS NULL OR decision_number IS NOT NULL")
    with op.batch_alter_table('round', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_round_validity_from_known'), type_='check')
        batch_op.drop_constraint(op.f('ck_round_step_order_known'), type_='check')
        batch_op.drop_constraint(op.f('ck_round_status_known'), type_='check')
        batch_op.create_check_constraint(op.f('ck_round_status_known'), f"status IN ({_in(OLD_STATUSES)})")
        batch_op.drop_column('validity_from')
        batch_op.drop_column('step_order')
