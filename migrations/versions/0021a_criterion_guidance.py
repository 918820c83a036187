"""Guidance for jurors per criterion of a round's scoring sheet

Revision ID: 0021a_criterion_guidance
Revises: 0020h_lasting_certificates
Create Date: 2026-12-06 05:30:00

``round_criterion.guidance``: what jurors should look at and how to grade, set by the organiser while the
sheet may still change, at most 1,000 characters (CHECK ``guidance_length``). The official sheet
(Phụ lục 4, Thông tư 26/2014/TT-BCT) gives no such text, so existing criteria get none: an empty
string. The server default only lets the column be added to existing rows; it is dropped afterwards.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0021a_criterion_guidance'
down_revision = '0020h_lasting_certificates'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('round_criterion', sa.Column('guidance', sa.Text(), nullable=False, server_default=''))
    with op.batch_alter_table('round_criterion', schema=None) as batch_op:
        batch_op.alter_column('guidance', existing_type=sa.Text(), existing_nullable=False, server_default=None)
        batch_op.create_check_constraint(op.f('ck_round_criterion_guidance_length'), "length(guidance) <= 1000")


def downgrade():
    # The texts stay in the audit log (each change's event holds them).
    with op.batch_alter_table('round_criterion', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_round_criterion_guidance_length'), type_='check')
        batch_op.drop_column('guidance')
