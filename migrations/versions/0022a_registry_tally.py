"""The summary reports' tally of the registry's certificates, and its producers with several products

Revision ID: 0022a_registry_tally
Revises: 0021c_certificate_number_index
Create Date: 2026-12-06 18:10:00

The reports (issue 21) count certificates per year, level, province, group and standing. Read from
the certificates themselves that cost 126 times a plain ``count(*)`` of them on SQLite and 25 times on
PostgreSQL at 100,000 certificates (make bench, 06/12/2026). ``registry_tally`` holds the counts per
(year, level, province and group of the entry, province as certified, status, expiry), kept in step by
``certificates.registry.tally.recount``; filled here from the registry's rows as they stand. Likewise
``registry_holder``: the producers holding certified products, how many each (for the whole country and per
province), their type and commune kind
(the producers with several products cost 70 times the count when counted from every product), keyed by
``registry_entry.holder_key``, beside each entry's ``product_key``.
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0022a_registry_tally'
down_revision = '0021c_certificate_number_index'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'registry_tally',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('level', sa.String(length=10), nullable=False),
        sa.Column('province_id', sa.Integer(), nullable=True),
        sa.Column('group_code', sa.String(length=10), nullable=False),
        sa.Column('province_then', sa.String(length=100), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('expires_on', sa.Date(), nullable=True),
        sa.Column('certificates', sa.Integer(), nullable=False),
        sa.CheckConstraint('certificates > 0', name=op.f('ck_registry_tally_registry_tally_counts_something')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_registry_tally')),
    )
    op.create_index(op.f('ix_registry_tally_province_id'), 'registry_tally', ['province_id'], unique=False)
    op.execute(
        "INSERT INTO registry_tally (year, level, province_id, group_code, province_then, status, expires_on,"
        " certificates)"
        " SELECT c.year, c.level, e.province_id, e.group_code, c.province_then, c.status, c.expires_on, count(*)"
        " FROM registry_certificate c JOIN registry_entry e ON e.id = c.entry_id"
        " WHERE c.status != 'superseded'"
        " GROUP BY c.year, c.level, e.province_id, e.group_code, c.province_then, c.status, c.expires_on")


    # Added in place (ALTER TABLE, also on SQLite): the full-text triggers on the table stay.
    op.add_column('registry_entry', sa.Column('holder_key', sa.String(length=420), nullable=False, server_default=''))
    op.add_column('registry_entry', sa.Column('product_key', sa.String(length=310), nullable=False, server_default=''))
    op.create_index(op.f('ix_registry_entry_holder_key'), 'registry_entry', ['holder_key'], unique=False)
    # The products losing their validity before the next registration: a range of the entries' last valid day.
    op.create_index(op.f('ix_registry_entry_valid_until'), 'registry_entry', ['valid_until'], unique=False)
    op.execute(
        "UPDATE registry_entry SET"
        " holder_key = CASE WHEN producer_id IS NOT NULL THEN 'p' || CAST(producer_id AS VARCHAR(20))"
        " ELSE 'n' || province_name || '|' || producer_name END,"
        " product_key = CASE WHEN product_id IS NOT NULL THEN 'p' || CAST(product_id AS VARCHAR(20))"
        " ELSE 'n' || name_folded END")
    op.create_table(
        'registry_holder',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('holder_key', sa.String(length=420), nullable=False),
        sa.Column('province_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=300), nullable=False),
        sa.Column('province_name', sa.String(length=100), nullable=False),
        sa.Column('products', sa.Integer(), nullable=False),
        sa.Column('type_code', sa.String(length=20), nullable=False),
        sa.Column('commune_kind', sa.String(length=20), nullable=False),
        sa.CheckConstraint('products >= 1', name=op.f('ck_registry_holder_registry_holder_holds_one')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_registry_holder')),
        sa.UniqueConstraint('holder_key', 'province_id', name='uq_registry_holder_key'),
    )
    op.create_index('ix_registry_holder_place_products', 'registry_holder', ['province_id', 'products'], unique=False)
    op.create_index('ix_registry_holder_place_type_kind', 'registry_holder',
                    ['province_id', 'type_code', 'commune_kind'], unique=False)
    # A row per producer for the whole country (province 0), and one per province of its entries.
    for place, where, by in (("0", "", ""), ("e.province_id", " AND e.province_id IS NOT NULL", ", e.province_id")):
        op.execute(
            "INSERT INTO registry_holder (holder_key, province_id, name, province_name, products, type_code,"
            " commune_kind)"
            " SELECT h.holder_key, h.province_id, h.name, h.province_name, h.products, coalesce(p.type_code, ''),"
            " coalesce(m.division_type, '')"
            f" FROM (SELECT e.holder_key AS holder_key, {place} AS province_id,"
            " max(coalesce(nullif(e.current_producer_name, ''), e.producer_name)) AS name,"
            " max(e.province_name) AS province_name, count(DISTINCT e.product_key) AS products,"
            " max(e.producer_id) AS producer_id"
            " FROM registry_certificate c JOIN registry_entry e ON e.id = c.entry_id"
            f" WHERE c.status != 'superseded'{where} GROUP BY e.holder_key{by}) h"
            " LEFT OUTER JOIN producer p ON p.id = h.producer_id LEFT OUTER JOIN commune m ON m.id = p.commune_id")


def downgrade():
    op.drop_index('ix_registry_holder_place_type_kind', table_name='registry_holder')
    op.drop_index('ix_registry_holder_place_products', table_name='registry_holder')
    op.drop_table('registry_holder')
    op.drop_index(op.f('ix_registry_entry_valid_until'), table_name='registry_entry')
    op.drop_index(op.f('ix_registry_entry_holder_key'), table_name='registry_entry')
    op.drop_column('registry_entry', 'product_key')  # SQLite 3.35+ drops a column in place (the triggers stay)
    op.drop_column('registry_entry', 'holder_key')
    op.drop_index(op.f('ix_registry_tally_province_id'), table_name='registry_tally')
    op.drop_table('registry_tally')
