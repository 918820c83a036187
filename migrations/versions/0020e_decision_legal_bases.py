"""The legal bases a recognition decision cites

Revision ID: 0020e_decision_legal_bases
Revises: 0020a_council_as_founded
Create Date: 2026-12-05 04:00:00

``decision.legal_bases``: the "Căn cứ …" and "Xét đề nghị …" lines of the recognition decision, one a line,
recorded with the decision. Decisions recorded before keep an empty text, which prints the usual bases of
the round's level (voting/documents/decision.py).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020e_decision_legal_bases'
down_revision = '0020a_council_as_founded'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.add_column(sa.Column('legal_bases', sa.Text(), nullable=False, server_default=''))
    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.alter_column('legal_bases', server_default=None)


def downgrade():
    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.drop_column('legal_bases')
