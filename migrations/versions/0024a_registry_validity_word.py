"""The registry's word index knows until which year each row is valid (SQLite)

Issue 20: on twenty years of rows, 15 % in force, the registry's default search (valid today) read every
match's row to compare its ``valid_until`` ("miến dong": 5,556 rows read to count 833), so that SQLite's p95 was
5.6 times a LIKE scan's where the target is 7. A search now asks the FTS5 index for the words *and* for the
rows whose validity ends this year or later, and compares ``valid_until`` only on those.

SQLite: ``registry_entry.validity_word``, a virtual generated column (computed as it is read, never stored,
never out of step): ``"y"`` and the year of ``valid_until`` ("y2028"; "y9999" for a certificate that does not
end; nothing when no certificate is valid). The FTS5 table ``registry_entry_words`` of 0021b is made again
with it as a third column (a search names its columns, so a reader's words never meet these), its
update trigger also fires on ``valid_until``, and the rows are indexed again ('rebuild', about a second
for 100,000 rows).

PostgreSQL: nothing (its planner reads the matches' ``valid_until`` from the heap it already visits; its
search meets its target).

Revision ID: 0024a_registry_validity_word
Revises: 0023c_authority_seal
Create Date: 2026-12-07 07:00:00
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0024a_registry_validity_word'
down_revision = '0023c_authority_seal'
branch_labels = None
depends_on = None

VALIDITY_WORD = "'y' || substr(valid_until, 1, 4)"  # SQLite keeps a date as 'YYYY-MM-DD'


def _words_index(columns, updated_by):
    """0021b's FTS5 table over ``columns`` of ``registry_entry``, its three triggers, and its rows."""
    listed = ", ".join(columns)
    old = ", ".join(f"old.{c}" for c in columns)
    new = ", ".join(f"new.{c}" for c in columns)
    return [
        f"CREATE VIRTUAL TABLE registry_entry_words USING fts5({listed}, content='registry_entry', "
        "content_rowid='id', tokenize='unicode61 remove_diacritics 2', prefix='2 3')",
        "CREATE TRIGGER registry_entry_words_ai AFTER INSERT ON registry_entry BEGIN "
        f"INSERT INTO registry_entry_words(rowid, {listed}) VALUES (new.id, {new}); END",
        "CREATE TRIGGER registry_entry_words_ad AFTER DELETE ON registry_entry BEGIN "
        f"INSERT INTO registry_entry_words(registry_entry_words, rowid, {listed}) VALUES ('delete', old.id, {old}); END",
        f"CREATE TRIGGER registry_entry_words_au AFTER UPDATE OF {', '.join(updated_by)} ON registry_entry BEGIN "
        f"INSERT INTO registry_entry_words(registry_entry_words, rowid, {listed}) VALUES ('delete', old.id, {old}); "
        f"INSERT INTO registry_entry_words(rowid, {listed}) VALUES (new.id, {new}); END",
        "INSERT INTO registry_entry_words(registry_entry_words) VALUES ('rebuild')",
    ]


_DROP_WORDS_INDEX = ["DROP TRIGGER IF EXISTS registry_entry_words_au", "DROP TRIGGER IF EXISTS registry_entry_words_ad",
                     "DROP TRIGGER IF EXISTS registry_entry_words_ai", "DROP TABLE IF EXISTS registry_entry_words"]


def upgrade():
    if op.get_bind().dialect.name != "sqlite":
        return
    for statement in _DROP_WORDS_INDEX:
        op.execute(statement)
    op.execute(f"ALTER TABLE registry_entry ADD COLUMN validity_word TEXT GENERATED ALWAYS AS ({VALIDITY_WORD}) VIRTUAL")
    for statement in _words_index(("name_folded", "search_text", "validity_word"),
                                  updated_by=("name_folded", "search_text", "valid_until")):
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name != "sqlite":
        return
    for statement in _DROP_WORDS_INDEX:
        op.execute(statement)
    op.execute("ALTER TABLE registry_entry DROP COLUMN validity_word")
    for statement in _words_index(("name_folded", "search_text"), updated_by=("name_folded", "search_text")):
        op.execute(statement)
