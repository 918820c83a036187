"""The registry's word index on PostgreSQL also holds the year each row's validity ends, as SQLite's has (0024a)

Issue 20: the default search (valid today) found every row holding the words and then read each from the
table to compare ``valid_until``: "mat ong hoa" matched 12,521 of the benchmark's 100,000 rows, read from
12,073 heap pages (22 of its 30 ms), to keep the few hundred still valid. The planner took the words for
independent and expected one match, so it never combined the word index with the index on ``valid_until``.
Each row's two word columns now also hold one lexeme for the year its validity ends (``valid-2028``;
``valid-9999`` for no end, ``valid-none`` for a row with nothing valid), so that the search asks the GIN index
for the words and one of the years from today's to the latest end (``certificates.registry.fulltext``), and
reads only those rows to compare the day. The 40 benchmark searches on those rows, in-process, five times each,
before and after (the same totals and ids for all 40): p95 60.6 -> 38.8 / 35.7 ms, median 29.1 -> 26.8 / 25.1
ms; "lâm đồng" 74.7 -> 38.5, "mật ong" 65.5 -> 33.1, "mây tre đan" 47.0 -> 33.0 ms; one-word searches, which
find enough among the newest rows, within the noise (±5 ms). The upgrade took 45 s on them; the columns are
533 and 130 bytes a row (519 and 116 before).

No query word can be such a lexeme: a word is letters and digits only, and a query's words are looked up as
the words of the text are (``to_tsquery``), never with a hyphen; the row's own ``valid_until`` is compared
all the same, so the lexeme only narrows.

SQLite: nothing (its FTS5 table has the validity word in a column of its own, 0024a).

Revision ID: 0025b_registry_validity_lexemes
Revises: 0025a_registry_prefix_lexemes
Create Date: 2026-12-07 16:40:00
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0025b_registry_validity_lexemes'
down_revision = '0025a_registry_prefix_lexemes'
branch_labels = None
depends_on = None

VALIDITY = ("array_to_tsvector(ARRAY[coalesce('valid-' || extract(year FROM valid_until)::integer::text, "
            "'valid-none')])")


def _prefixes(column, validity):  # 0025a's, with or without the validity lexeme
    words = f"strip(to_tsvector('simple'::regconfig, registry_word_prefixes({column})))"
    return f"{words} || {VALIDITY}" if validity else words


def _columns(validity):
    return [
        "DROP INDEX IF EXISTS ix_registry_entry_name_prefixes",
        "DROP INDEX IF EXISTS ix_registry_entry_search_prefixes",
        "ALTER TABLE registry_entry DROP COLUMN IF EXISTS name_prefixes, DROP COLUMN IF EXISTS search_prefixes, "
        f"ADD COLUMN search_prefixes tsvector GENERATED ALWAYS AS ({_prefixes('search_text', validity)}) STORED, "
        f"ADD COLUMN name_prefixes tsvector GENERATED ALWAYS AS ({_prefixes('name_folded', validity)}) STORED",
        "CREATE INDEX ix_registry_entry_search_prefixes ON registry_entry USING gin (search_prefixes)",
        "CREATE INDEX ix_registry_entry_name_prefixes ON registry_entry USING gin (name_prefixes)",
    ]


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        for statement in _columns(validity=True):
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for statement in _columns(validity=False):
            op.execute(statement)
