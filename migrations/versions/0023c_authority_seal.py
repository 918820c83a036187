"""An issuing authority's seal image, drawn with its digital signatures

Revision ID: 0023c_authority_seal
Revises: 0023b_signed_document
Create Date: 2026-12-06 21:10:00

Issue 22: Nghị định 30/2020 draws an organisation's digital signature as its seal (a transparent PNG the
administrator uploads) over the left third of the signer's signature.
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0023c_authority_seal'
down_revision = '0023b_signed_document'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('issuing_authority') as batch_op:
        batch_op.add_column(sa.Column('seal_storage_name', sa.String(length=80), nullable=True))


def downgrade():
    with op.batch_alter_table('issuing_authority') as batch_op:
        batch_op.drop_column('seal_storage_name')
