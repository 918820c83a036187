"""A word-prefix full-text index on the public registry, so that a search reads only its matches

SQLite: an FTS5 table ``registry_entry_words`` over ``registry_entry.name_folded`` and ``search_text``
(tokenizer ``unicode61 remove_diacritics 2``; prefix indexes of two and three characters, so that
"mi" and "mie" are answered from the index as well as whole words). It is an *external content*
table, like 0011's trigram table: the text lives once, in ``registry_entry``, and three triggers
keep the index in step inside the statement that changes a row, so that every writer (the ORM, the
index's Core inserts in bulk, a test's cleanup) keeps it current without a statement of its own.
PostgreSQL: a stored generated column ``search_words`` (a ``tsvector`` of the ``simple``
configuration, the product's name weighted A) and a GIN index on it; generated, it can never
disagree with the text it is made of.

The texts are folded by the application (``voting.core.text.fold``) before they get here; both
databases cut them into words at every character that is not a letter or a digit. 0011's trigram
indexes stay: the search falls back on them, for words found inside other words and typos, when
the word-prefix query finds nothing. Existing rows are indexed here ('rebuild'; PostgreSQL computes
the generated column as it adds it).

``registry_entry.valid_until``: the last day one of the entry's certificates is valid (9999-12-31 when
one does not end; NULL when none is valid), so that the default filter, valid today, is a comparison
on the row rather than a look at its certificates; filled here for existing rows.

Certificate numbers need nothing here: ``certificate.number_folded`` and
``imported_certificate.number_folded`` are stored and indexed since 0016.

Revision ID: 0021b_registry_fts
Revises: 0021a_criterion_guidance
Create Date: 2026-12-06 05:30:00
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0021b_registry_fts'
down_revision = '0021a_criterion_guidance'
branch_labels = None
depends_on = None

_COLUMNS = "name_folded, search_text"
SQLITE_UP = [
    f"CREATE VIRTUAL TABLE registry_entry_words USING fts5({_COLUMNS}, content='registry_entry', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 2', prefix='2 3')",
    "CREATE TRIGGER registry_entry_words_ai AFTER INSERT ON registry_entry BEGIN "
    f"INSERT INTO registry_entry_words(rowid, {_COLUMNS}) VALUES (new.id, new.name_folded, new.search_text); END",
    "CREATE TRIGGER registry_entry_words_ad AFTER DELETE ON registry_entry BEGIN "
    f"INSERT INTO registry_entry_words(registry_entry_words, rowid, {_COLUMNS}) "
    "VALUES ('delete', old.id, old.name_folded, old.search_text); END",
    "CREATE TRIGGER registry_entry_words_au AFTER UPDATE OF name_folded, search_text ON registry_entry BEGIN "
    f"INSERT INTO registry_entry_words(registry_entry_words, rowid, {_COLUMNS}) "
    "VALUES ('delete', old.id, old.name_folded, old.search_text); "
    f"INSERT INTO registry_entry_words(rowid, {_COLUMNS}) VALUES (new.id, new.name_folded, new.search_text); END",
    "INSERT INTO registry_entry_words(registry_entry_words) VALUES ('rebuild')",
]
SQLITE_DOWN = ["DROP TRIGGER IF EXISTS registry_entry_words_au", "DROP TRIGGER IF EXISTS registry_entry_words_ad",
               "DROP TRIGGER IF EXISTS registry_entry_words_ai", "DROP TABLE IF EXISTS registry_entry_words"]


def _vector(column):
    # Words as SQLite's unicode61 cuts them: every run of letters and digits ("kvn-028/2024" is three).
    return f"to_tsvector('simple'::regconfig, regexp_replace({column}, '[^[:alnum:]]+', ' ', 'g'))"


POSTGRESQL_UP = [
    "ALTER TABLE registry_entry ADD COLUMN search_words tsvector GENERATED ALWAYS AS "
    f"(setweight({_vector('name_folded')}, 'A') || {_vector('search_text')}) STORED",
    "CREATE INDEX ix_registry_entry_search_words ON registry_entry USING gin (search_words)",
]
POSTGRESQL_DOWN = ["DROP INDEX IF EXISTS ix_registry_entry_search_words",
                   "ALTER TABLE registry_entry DROP COLUMN IF EXISTS search_words"]


def _run(statements):
    for statement in statements.get(op.get_bind().dialect.name, []):
        op.execute(statement)


VALID_UNTIL = (
    "UPDATE registry_entry SET valid_until = (SELECT max(coalesce(c.expires_on, '9999-12-31')) "
    "FROM registry_certificate c WHERE c.entry_id = registry_entry.id AND c.status = 'valid')")


def upgrade():
    # Not in batch mode: SQLite would rebuild registry_entry and lose its full-text triggers.
    _run({"sqlite": SQLITE_UP, "postgresql": POSTGRESQL_UP})
    op.add_column('registry_entry', sa.Column('valid_until', sa.Date(), nullable=True))
    op.execute(VALID_UNTIL)


def downgrade():
    op.drop_column('registry_entry', 'valid_until')  # SQLite 3.35+ drops a column in place (the triggers stay)
    _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRESQL_DOWN})
