"""The public registry's search table and its full-text index

SQLite: an FTS5 table with the trigram tokenizer over ``registry_entry.search_text``
(external content, kept in step by triggers). PostgreSQL: the ``pg_trgm`` extension
and a GIN trigram index on the same column; a production administrator must allow
``CREATE EXTENSION pg_trgm`` (it ships with PostgreSQL's contrib package) or create
it beforehand. ``unaccent`` is not needed: the application folds the text itself.

Revision ID: 0011_registry_search
Revises: 0010_imported_product
Create Date: 2026-12-01 20:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011_registry_search'
down_revision = '0010_imported_product'
branch_labels = None
depends_on = None

SQLITE_UP = [
    "CREATE VIRTUAL TABLE registry_entry_fts USING fts5(search_text, content='registry_entry', "
    "content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER registry_entry_fts_ai AFTER INSERT ON registry_entry BEGIN "
    "INSERT INTO registry_entry_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER registry_entry_fts_ad AFTER DELETE ON registry_entry BEGIN "
    "INSERT INTO registry_entry_fts(registry_entry_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER registry_entry_fts_au AFTER UPDATE ON registry_entry BEGIN "
    "INSERT INTO registry_entry_fts(registry_entry_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO registry_entry_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
]
SQLITE_DOWN = ["DROP TRIGGER IF EXISTS registry_entry_fts_au", "DROP TRIGGER IF EXISTS registry_entry_fts_ad",
               "DROP TRIGGER IF EXISTS registry_entry_fts_ai", "DROP TABLE IF EXISTS registry_entry_fts"]
POSTGRESQL_UP = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX ix_registry_entry_search_trgm ON registry_entry USING gin (search_text gin_trgm_ops)",
]
# The extension stays: other databases objects may use it, and dropping it needs more rights.
POSTGRESQL_DOWN = ["DROP INDEX IF EXISTS ix_registry_entry_search_trgm"]


def upgrade():
    op.create_table('registry_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=True),
    sa.Column('imported_id', sa.Integer(), nullable=True),
    sa.Column('producer_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('name_folded', sa.String(length=300), nullable=False),
    sa.Column('producer_name', sa.String(length=300), nullable=False),
    sa.Column('province_id', sa.Integer(), nullable=True),
    sa.Column('region_id', sa.Integer(), nullable=True),
    sa.Column('province_name', sa.String(length=100), nullable=False),
    sa.Column('province_name_folded', sa.String(length=100), nullable=False),
    sa.Column('province_then', sa.String(length=100), nullable=False),
    sa.Column('group_code', sa.String(length=10), nullable=False),
    sa.Column('group_name', sa.String(length=200), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('exact_text', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_registry_entry')),
    sa.UniqueConstraint('imported_id', name=op.f('uq_registry_entry_imported_id')),
    sa.UniqueConstraint('product_id', name=op.f('uq_registry_entry_product_id'))
    )
    with op.batch_alter_table('registry_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_registry_entry_group_code'), ['group_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_registry_entry_name_folded'), ['name_folded'], unique=False)
        batch_op.create_index(batch_op.f('ix_registry_entry_province_id'), ['province_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_registry_entry_region_id'), ['region_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_registry_entry_year'), ['year'], unique=False)

    op.create_table('registry_certificate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=60), nullable=False),
    sa.Column('level', sa.String(length=10), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('expires_on', sa.Date(), nullable=True),
    sa.Column('on_paper', sa.Boolean(), nullable=False),
    sa.Column('token', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['entry_id'], ['registry_entry.id'],
                            name=op.f('fk_registry_certificate_entry_id_registry_entry'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_registry_certificate'))
    )
    with op.batch_alter_table('registry_certificate', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_registry_certificate_entry_id'), ['entry_id'], unique=False)
        batch_op.create_index('ix_registry_certificate_filters', ['level', 'year', 'status'], unique=False)

    dialect = op.get_bind().dialect.name
    for statement in SQLITE_UP if dialect == "sqlite" else POSTGRESQL_UP if dialect == "postgresql" else []:
        op.execute(statement)
    # Existing data is indexed by ``flask --app wsgi registry reindex`` (run after upgrading).


def downgrade():
    dialect = op.get_bind().dialect.name
    for statement in SQLITE_DOWN if dialect == "sqlite" else POSTGRESQL_DOWN if dialect == "postgresql" else []:
        op.execute(statement)
    with op.batch_alter_table('registry_certificate', schema=None) as batch_op:
        batch_op.drop_index('ix_registry_certificate_filters')
        batch_op.drop_index(batch_op.f('ix_registry_certificate_entry_id'))
    op.drop_table('registry_certificate')
    with op.batch_alter_table('registry_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_registry_entry_year'))
        batch_op.drop_index(batch_op.f('ix_registry_entry_region_id'))
        batch_op.drop_index(batch_op.f('ix_registry_entry_province_id'))
        batch_op.drop_index(batch_op.f('ix_registry_entry_name_folded'))
        batch_op.drop_index(batch_op.f('ix_registry_entry_group_code'))
    op.drop_table('registry_entry')
