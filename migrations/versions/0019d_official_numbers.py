"""Official certificate numbers: unique per issuing authority and year

Revision ID: 0019d_official_numbers
Revises: 0019c_signer_block
Create Date: 2026-12-05 01:00:00

Official numbers have the form "<seq>/<symbol>" ("15/GCN-UBND"): two provinces both issue
"15/GCN-UBND", and one province issues it again next year. ``certificate.number`` is no longer
unique on its own; ``(authority_id, year, number)`` is, and ``imported_certificate.number`` (paper
certificates) is unique per ``(authority_name, year, number)``. ``certificate`` already has the authority
and the year (filled since revision 0005), so no data moves: existing certificates keep their
numbers, which were unique across the country and so are unique per authority and year too.

The server default of ``issuing_authority.number_template`` becomes the official form, for new
authorities only: existing authorities keep their templates.

The registry's copy of each certificate (``registry_certificate``) gains the issuing authority and
the producer's address as certified, so that a search by a shared number shows whose each one is;
they are filled here from the certificates' snapshots and the paper records.

``decision_entry.address`` keeps the producer's public address (commune and province) as the
council's vote listed it, for the public results. Lists voted before this revision stay as they
were published: their address is empty and they print the province alone.
"""
import json

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019d_official_numbers'
down_revision = '0019c_signer_block'
branch_labels = None
depends_on = None

OLD_TEMPLATE = '{code}-{year}-{seq:04d}'
NEW_TEMPLATE = '{seq}/GCN-UBND'


def _fill_registry():
    bind = op.get_bind()
    registry = sa.table('registry_certificate', sa.column('id', sa.Integer), sa.column('token', sa.Text),
                        sa.column('on_paper', sa.Boolean), sa.column('authority_name', sa.String),
                        sa.column('address', sa.String))
    # A certificate issued here: its row holds its token (a re-issued paper one's row is on paper).
    update = registry.update().where(registry.c.token == sa.bindparam('the_token'),
                                     registry.c.on_paper.is_(False)).values(
        authority_name=sa.bindparam('authority'), address=sa.bindparam('the_address'))
    rows = bind.execute(sa.text(
        "SELECT c.token, c.snapshot, a.name FROM certificate c "
        "LEFT JOIN issuing_authority a ON a.id = c.authority_id")).all()
    changes = []
    for token, snapshot, authority in rows:
        facts = json.loads(snapshot or '{}')
        changes.append({'the_token': token,
                        'authority': (facts.get('decision_authority') or facts.get('authority_name')
                                      or authority or '')[:300],
                        'the_address': (facts.get('producer_address') or '')[:300]})
    if changes:
        bind.execute(update, changes)
    # Paper certificates (re-issued or not): the authority as printed.
    op.execute("UPDATE registry_certificate SET authority_name = COALESCE((SELECT i.authority_name "
               "FROM imported_certificate i WHERE i.number = registry_certificate.number), '') "
               "WHERE on_paper")


def upgrade():
    # Paper certificates too: provinces' archives share numbers; one is unique per authority (as
    # printed) and year.
    with op.batch_alter_table('imported_certificate', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_imported_certificate_number'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_imported_certificate_authority_name_year_number'),
                                          ['authority_name', 'year', 'number'])
    op.add_column('decision_entry', sa.Column('address', sa.String(length=510), nullable=False, server_default=''))
    with op.batch_alter_table('decision_entry', schema=None) as batch_op:
        batch_op.alter_column('address', existing_type=sa.String(length=510), existing_nullable=False,
                              server_default=None)
    with op.batch_alter_table('registry_certificate', schema=None) as batch_op:
        batch_op.add_column(sa.Column('authority_name', sa.String(length=300), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('address', sa.String(length=300), nullable=False, server_default=''))
    with op.batch_alter_table('registry_certificate', schema=None) as batch_op:
        batch_op.alter_column('authority_name', existing_type=sa.String(length=300), existing_nullable=False,
                              server_default=None)
        batch_op.alter_column('address', existing_type=sa.String(length=300), existing_nullable=False,
                              server_default=None)
    _fill_registry()
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_certificate_number'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_certificate_authority_id_year_number'),
                                          ['authority_id', 'year', 'number'])
    with op.batch_alter_table('issuing_authority', schema=None) as batch_op:
        batch_op.alter_column('number_template', existing_type=sa.String(length=100), existing_nullable=False,
                              server_default=NEW_TEMPLATE)


def downgrade():
    with op.batch_alter_table('decision_entry', schema=None) as batch_op:
        batch_op.drop_column('address')
    with op.batch_alter_table('registry_certificate', schema=None) as batch_op:
        batch_op.drop_column('address')
        batch_op.drop_column('authority_name')
    # Refused (by the unique constraint) if two authorities or two years used one number meanwhile.
    with op.batch_alter_table('issuing_authority', schema=None) as batch_op:
        batch_op.alter_column('number_template', existing_type=sa.String(length=100), existing_nullable=False,
                              server_default=OLD_TEMPLATE)
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_certificate_authority_id_year_number'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_certificate_number'), ['number'])
    with op.batch_alter_table('imported_certificate', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_imported_certificate_authority_name_year_number'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_imported_certificate_number'), ['number'])
