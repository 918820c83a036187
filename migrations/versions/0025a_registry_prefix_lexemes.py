"""The registry's word index holds every word's beginnings (PostgreSQL), so that a search looks up words
instead of merging every word that begins with them

Issue 20: ``'dong:*'`` made PostgreSQL's GIN index find every lexeme beginning with "dong" and merge their
rows (26,465 of 100,000 for "dong"), 6 to 7 ms of a 12 ms statement, where an exact lexeme takes 1.9 ms.
Each word is now stored with its beginnings, up to ten letters ("dong" as "d do don dong"), so that a
query word of up to ten letters is one exact lexeme; a longer one is still a prefix (``:*``), which finds
the whole word (stored too). The 40 benchmark searches on 100,000 rows, in-process, the old and the new
index alternated: mean 25.9 -> 20.4 ms, median 25.3 -> 19.5 ms, p95 36.7 -> 34.2 ms, the same answers.

``search_words`` (0021b), a ``tsvector`` with the name's words weighted A, is replaced by two stored
generated columns without positions: ``search_prefixes`` (the whole text) and ``name_prefixes`` (the
product's name), each with a GIN index. Weights need positions: one column with the name weighted A took
985 bytes a row on the benchmark's rows, the two stripped columns 519 + 116 (``search_words``: 378).
``registry_word_prefixes(text)`` (IMMUTABLE, as a generated column needs) makes the beginnings (about 35 us
a text). Writing a row costs more: ``registry reindex`` of the benchmark's 100,000 rows took 116 s against 73 s
(the same rows, the schema before and after), about 0.4 ms a row, most of it the GIN indexes taking each
row's beginnings; this migration took 35 s on them.

SQLite: nothing (FTS5 has prefix indexes of two and three letters, 0021b).

Revision ID: 0025a_registry_prefix_lexemes
Revises: 0024b_certificate_number_digest
Create Date: 2026-12-07 13:30:00
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0025a_registry_prefix_lexemes'
down_revision = '0024b_certificate_number_digest'
branch_labels = None
depends_on = None

#: How long a word's stored beginnings get; ``certificates.registry.fulltext.PREFIX_LEXEME_LETTERS`` says the same.
LETTERS = 10

# Words as SQLite's unicode61 cuts them (0021b): every run of letters and digits. Each word gives its first
# 1..10 letters and itself; string_agg of nothing is NULL, and a NULL tsvector would match nothing.
FUNCTION = (
    "CREATE FUNCTION registry_word_prefixes(t text) RETURNS text IMMUTABLE STRICT PARALLEL SAFE LANGUAGE sql AS $$ "
    "SELECT coalesce(string_agg(left(w, n), ' '), '') FROM regexp_split_to_table(t, '[^[:alnum:]]+') AS w, "
    f"generate_series(1, length(w)) AS n WHERE n <= {LETTERS} OR n = length(w) $$")


def _prefixes(column):
    return f"strip(to_tsvector('simple'::regconfig, registry_word_prefixes({column})))"


def _words(column):  # 0021b's
    return f"to_tsvector('simple'::regconfig, regexp_replace({column}, '[^[:alnum:]]+', ' ', 'g'))"


UP = [
    FUNCTION,
    "DROP INDEX IF EXISTS ix_registry_entry_search_words",
    "ALTER TABLE registry_entry DROP COLUMN IF EXISTS search_words, "
    f"ADD COLUMN search_prefixes tsvector GENERATED ALWAYS AS ({_prefixes('search_text')}) STORED, "
    f"ADD COLUMN name_prefixes tsvector GENERATED ALWAYS AS ({_prefixes('name_folded')}) STORED",
    "CREATE INDEX ix_registry_entry_search_prefixes ON registry_entry USING gin (search_prefixes)",
    "CREATE INDEX ix_registry_entry_name_prefixes ON registry_entry USING gin (name_prefixes)",
]
DOWN = [
    "DROP INDEX IF EXISTS ix_registry_entry_name_prefixes",
    "DROP INDEX IF EXISTS ix_registry_entry_search_prefixes",
    "ALTER TABLE registry_entry DROP COLUMN IF EXISTS name_prefixes, DROP COLUMN IF EXISTS search_prefixes, "
    "ADD COLUMN search_words tsvector GENERATED ALWAYS AS "
    f"(setweight({_words('name_folded')}, 'A') || {_words('search_text')}) STORED",
    "CREATE INDEX ix_registry_entry_search_words ON registry_entry USING gin (search_words)",
    "DROP FUNCTION IF EXISTS registry_word_prefixes(text)",
]


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        for statement in UP:
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for statement in DOWN:
            op.execute(statement)
