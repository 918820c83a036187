"""ICU sort keys on the public registry, so that its pages sort names in Vietnamese alphabetical order in SQL

Revision ID: 0020g_registry_sort_keys
Revises: 0020f_registration_form
Create Date: 2026-12-05 05:10:00

``registry_entry.name_sort`` and ``province_sort``: CLDR's Vietnamese collation keys (PyICU) of the product's
name and of the province's name without its kind word ("Thành phố Hồ Chí Minh" under H). Keys compare byte by
byte (SQLite's BLOB, PostgreSQL's bytea), so ``ORDER BY name_sort`` puts "Lạng Sơn" before "Lâm Đồng" and
"Đ" after "D", which the folded names sorted before could not. Existing rows get their keys here, computed as
``voting.core.text`` computed them at this revision (a migration keeps its own copy of the rule).
"""
import unicodedata

from alembic import op
import icu
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020g_registry_sort_keys'
down_revision = '0020f_registration_form'
branch_labels = None
depends_on = None

PROVINCE_PREFIXES = ("tinh ", "thanh pho ", "tp. ", "tp ")


def _fold(value):
    decomposed = unicodedata.normalize("NFD", value.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn").casefold()


def _without_kind(name):
    name = unicodedata.normalize("NFC", name or "")
    folded = _fold(name)
    for prefix in PROVINCE_PREFIXES:
        if folded.startswith(prefix):
            return name[len(prefix):].lstrip()
    return name


def upgrade():
    bind = op.get_bind()
    # Not in batch mode: SQLite would rebuild registry_entry and lose its full-text triggers (0011).
    # ADD COLUMN needs a default for NOT NULL; it stays (the application always sets these columns).
    empty = sa.text("X''" if bind.dialect.name == 'sqlite' else "''::bytea")
    for column in ('name_sort', 'province_sort'):
        op.add_column('registry_entry', sa.Column(column, sa.LargeBinary(), nullable=False, server_default=empty))
    collator = icu.Collator.createInstance(icu.Locale("vi_VN"))
    entries = sa.table('registry_entry', sa.column('id', sa.Integer), sa.column('name', sa.String),
                       sa.column('province_name', sa.String), sa.column('name_sort', sa.LargeBinary),
                       sa.column('province_sort', sa.LargeBinary))
    rows = bind.execute(sa.select(entries.c.id, entries.c.name, entries.c.province_name)).all()
    keys = [{'row_id': row_id,
             'name_key': collator.getSortKey(unicodedata.normalize("NFC", name or "")),
             'province_key': collator.getSortKey(_without_kind(province_name))}
            for row_id, name, province_name in rows]
    if keys:
        bind.execute(entries.update().where(entries.c.id == sa.bindparam('row_id')).values(
            name_sort=sa.bindparam('name_key'), province_sort=sa.bindparam('province_key')), keys)
    op.create_index(op.f('ix_registry_entry_name_sort'), 'registry_entry', ['name_sort'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_registry_entry_name_sort'), table_name='registry_entry')
    op.drop_column('registry_entry', 'province_sort')  # SQLite 3.35+ drops a column in place (the triggers stay)
    op.drop_column('registry_entry', 'name_sort')
