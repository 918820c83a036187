"""Certificates without expiry: a round may issue them so

Revision ID: 0020h_lasting_certificates
Revises: 0020g_registry_sort_keys
Create Date: 2026-12-05 23:30:00

``round.certificate_validity_months`` NULL: the round's certificates do not expire (the rules set no term).
``certificate.expires_on`` NULL: a certificate without expiry; its token holds 0xFFFF in ``expires_on``
(docs/verification.md). Existing rows keep their months and dates.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020h_lasting_certificates'
down_revision = '0020g_registry_sort_keys'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('round', schema=None) as batch_op:
        batch_op.alter_column('certificate_validity_months', existing_type=sa.Integer(), nullable=True)
        batch_op.drop_constraint(op.f('ck_round_validity_range'), type_='check')
        batch_op.create_check_constraint(
            op.f('ck_round_validity_range'),
            "certificate_validity_months IS NULL OR certificate_validity_months BETWEEN 1 AND 120")
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.alter_column('expires_on', existing_type=sa.Date(), nullable=True)
        batch_op.drop_constraint(op.f('ck_certificate_expires_after_issue'), type_='check')
        batch_op.create_check_constraint(op.f('ck_certificate_expires_after_issue'),
                                         "expires_on IS NULL OR expires_on > issued_on")


def downgrade():
    bind = op.get_bind()
    # Refused rather than given a date: the tokens say "no expiry" and would all need re-signing, and a
    # round's choice would silently become a term nobody chose.
    for table, column in (('certificate', 'expires_on'), ('round', 'certificate_validity_months')):
        count = bind.execute(sa.text(f"SELECT count(*) FROM {table} WHERE {column} IS NULL")).scalar()
        if count:
            raise RuntimeError(f"{count} {table} row(s) without expiry cannot be kept below this revision")
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_certificate_expires_after_issue'), type_='check')
        batch_op.create_check_constraint(op.f('ck_certificate_expires_after_issue'), "expires_on > issued_on")
        batch_op.alter_column('expires_on', existing_type=sa.Date(), nullable=False)
    with op.batch_alter_table('round', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_round_validity_range'), type_='check')
        batch_op.create_check_constraint(op.f('ck_round_validity_range'),
                                         "certificate_validity_months BETWEEN 1 AND 120")
        batch_op.alter_column('certificate_validity_months', existing_type=sa.Integer(), nullable=False)
