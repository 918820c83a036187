"""Official certificate numbers: unique per issuing authority and year

Revision ID: 0019d_official_numbers
Revises: 0018_decision_entry_names
Create Date: 2026-12-05 01:00:00

Official numbers have the form "<seq>/<symbol>" ("15/GCN-UBND"): two provinces both issue
"15/GCN-UBND", and one province issues it again next year. ``certificate.number`` is no longer
unique on its own; ``(authority_id, year, number)`` is. ``certificate`` already has the authority
and the year (filled since revision 0005), so no data moves: existing certificates keep their
numbers, which were unique across the country and so are unique per authority and year too.

The server default of ``issuing_authority.number_template`` becomes the official form, for new
authorities only: existing authorities keep their templates.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019d_official_numbers'
down_revision = '0018_decision_entry_names'
branch_labels = None
depends_on = None

OLD_TEMPLATE = '{code}-{year}-{seq:04d}'
NEW_TEMPLATE = '{seq}/GCN-UBND'


def upgrade():
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_certificate_number'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_certificate_authority_id_year_number'),
                                          ['authority_id', 'year', 'number'])
    with op.batch_alter_table('issuing_authority', schema=None) as batch_op:
        batch_op.alter_column('number_template', existing_type=sa.String(length=100), existing_nullable=False,
                              server_default=NEW_TEMPLATE)


def downgrade():
    # Refused (by the unique constraint) if two authorities or two years used one number meanwhile.
    with op.batch_alter_table('issuing_authority', schema=None) as batch_op:
        batch_op.alter_column('number_template', existing_type=sa.String(length=100), existing_nullable=False,
                              server_default=OLD_TEMPLATE)
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_certificate_authority_id_year_number'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_certificate_number'), ['number'])
