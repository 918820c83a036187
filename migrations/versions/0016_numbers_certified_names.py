"""Certificate numbers folded in Python and indexed; the registry keeps names as certified

``certificate.number_folded`` and ``imported_certificate.number_folded`` hold the number as every
lookup compares it (``voting.core.text.fold_number``: case, diacritics, "Đ"/"đ", Unicode form and
spaces ignored); SQLite's ``lower()`` folds ASCII only, so "GCN-CTĐP" was not found. Existing rows
are folded here, in batches, by a frozen copy of that function.

The registry's search table gains the product's and producer's current names beside the certified
ones, and each certificate row its own certified names. Existing rows get the names they showed
until now (the current ones); ``flask --app wsgi registry reindex`` after upgrading puts the names
as certified in their place.

Revision ID: 0016_numbers_certified_names
Revises: 0015_sessions_lockout
Create Date: 2026-12-03 10:00:00

"""
import re
import unicodedata

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016_numbers_certified_names'
down_revision = '0015_sessions_lockout'
branch_labels = None
depends_on = None

BATCH = 1000
NUMBERED = ('certificate', 'imported_certificate')
_SPACES = re.compile(r"\s+")


def fold_number(value):
    """A frozen copy of ``voting.core.text.fold_number`` (with ``fold``) as of this revision."""
    if not value:
        return ""
    decomposed = unicodedata.normalize("NFD", str(value))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.replace("đ", "d").replace("Đ", "D")
    return "".join(_SPACES.sub(" ", stripped.casefold()).strip().split())


def _fold_numbers(bind, name):
    table = sa.table(name, sa.column('id', sa.Integer), sa.column('number', sa.String),
                     sa.column('number_folded', sa.String))
    update = (table.update().where(table.c.id == sa.bindparam('row_id'))
              .values(number_folded=sa.bindparam('folded')))
    last = 0
    while True:
        rows = bind.execute(sa.select(table.c.id, table.c.number).where(table.c.id > last)
                            .order_by(table.c.id).limit(BATCH)).all()
        if not rows:
            return
        bind.execute(update, [{'row_id': row_id, 'folded': fold_number(number)} for row_id, number in rows])
        last = rows[-1][0]


def upgrade():
    bind = op.get_bind()
    for name in NUMBERED:
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.add_column(sa.Column('number_folded', sa.String(length=120), nullable=True))
        _fold_numbers(bind, name)
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.alter_column('number_folded', existing_type=sa.String(length=120), nullable=False)
            batch_op.create_index(batch_op.f(f'ix_{name}_number_folded'), ['number_folded'], unique=False)

    # Not in batch mode: SQLite would rebuild registry_entry and lose its full-text triggers (0011).
    # ADD COLUMN needs a default for NOT NULL; it stays (the application always sets these columns).
    for name, column, length in (('registry_entry', 'current_name', 300),
                                 ('registry_entry', 'current_producer_name', 300),
                                 ('registry_certificate', 'product_name', 300),
                                 ('registry_certificate', 'producer_name', 300),
                                 ('registry_certificate', 'group_name', 200),
                                 ('registry_certificate', 'province_name', 100),
                                 ('registry_certificate', 'province_then', 100)):
        op.add_column(name, sa.Column(column, sa.String(length=length), nullable=False, server_default=''))
    op.execute("UPDATE registry_entry SET current_name = name WHERE product_id IS NOT NULL")
    op.execute("UPDATE registry_entry SET current_producer_name = producer_name WHERE product_id IS NOT NULL")
    for column, source in (('product_name', 'name'), ('producer_name', 'producer_name'),
                           ('group_name', 'group_name'), ('province_name', 'province_name'),
                           ('province_then', 'province_then')):
        op.execute(f"UPDATE registry_certificate SET {column} = "
                   f"(SELECT e.{source} FROM registry_entry e WHERE e.id = registry_certificate.entry_id)")


def downgrade():
    for name, column in (('registry_certificate', 'province_then'), ('registry_certificate', 'province_name'),
                         ('registry_certificate', 'group_name'), ('registry_certificate', 'producer_name'),
                         ('registry_certificate', 'product_name'), ('registry_entry', 'current_producer_name'),
                         ('registry_entry', 'current_name')):
        op.drop_column(name, column)  # SQLite 3.35+ drops a column in place (the triggers stay)
    for name in reversed(NUMBERED):
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f'ix_{name}_number_folded'))
            batch_op.drop_column('number_folded')
