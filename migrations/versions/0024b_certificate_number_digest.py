"""Certificates indexed by number and digest, so that a scan seeks its certificate instead of reading
every certificate of its number

Revision ID: 0024b_certificate_number_digest
Revises: 0024a_registry_validity_word
Create Date: 2026-12-07 07:00:00

A token names its certificate by number and the beginning of its digest
(``certificates.rules.verification``). An official number repeats once per authority and year, so 0021c's
index on the number alone left the database to read each certificate of that number and compare its
digest: 160 rows for "1/GCN-UBND" in the benchmark's twenty years of 34 provinces, 158 us a lookup, against
3 us with the digest in the index (read as a range). The index on (number, digest) replaces 0021c's:
a lookup by number alone uses it too.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0024b_certificate_number_digest'
down_revision = '0024a_registry_validity_word'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_certificate_number_digest', 'certificate', ['number', 'digest'], unique=False)
    op.drop_index('ix_certificate_number', table_name='certificate')


def downgrade():
    op.create_index('ix_certificate_number', 'certificate', ['number'], unique=False)
    op.drop_index('ix_certificate_number_digest', table_name='certificate')
