"""An index on certificate numbers, so that verifying a QR code reads one row, not the whole table

Revision ID: 0021c_certificate_number_index
Revises: 0021b_registry_fts
Create Date: 2026-12-06 09:10:00

Every scan of a QR code looks its certificate up by the number the token signs
(``certificates.rules.verification``). Until 0019d_official_numbers the number was unique and so
indexed; since then only ``(authority_id, year, number)`` is unique, whose index a lookup by number
alone cannot use, and each verification scanned the certificate table: 18 ms of CPU a request at
20,000 certificates, growing with the table (make bench, 06/12/2026). A plain index on ``number``.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0021c_certificate_number_index'
down_revision = '0021b_registry_fts'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(op.f('ix_certificate_number'), 'certificate', ['number'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_certificate_number'), table_name='certificate')
