"""The registry's full-text conditions: word prefixes from the index, substrings as a fallback.

The texts are folded by the application (:func:`voting.core.text.fold`: no case, no diacritics,
"đ" as "d", one Unicode form, tone marks wherever placed), so both databases only ever see plain
lower-case words, cut at every character that is not a letter or a digit:

- **Word prefixes** (migration ``0021b_registry_fts``): every word of the query must begin a word of
  the row ("mien dong" and "mi do" find "Miến dong"; "an" finds "An Giang" but no longer "Lan").
  SQLite answers from the FTS5 table ``registry_entry_words`` (prefix indexes of 2 and 3 letters),
  PostgreSQL from the GIN indexes on two ``tsvector`` columns (``simple`` configuration) that hold each
  word with its beginnings (migration ``0025a_registry_prefix_lexemes``): a query word of up to
  :data:`PREFIX_LEXEME_LETTERS` letters is one exact lexeme, a longer one a prefix (``:*``).
  Both have the product's name apart (an FTS5 column; ``name_prefixes`` beside ``search_prefixes``), for
  ``name_only``.
- **Valid on a day** (SQLite, migration ``0024a_registry_validity_word``; PostgreSQL, ``0025b``): the index
  also holds the year each row's validity ends (SQLite: "y2028" in a column of its own; PostgreSQL: the lexeme
  "valid-2028" in both word columns), so that the registry's default search (valid today) asks it for the rows
  valid until this year or later with the words, and reads only those rows to compare the day
  (:func:`matching_ids`' ``years``, :func:`validity_years`): 833 rows for "miến dong" in twenty years of rows,
  not its 5,556 matches.
- **Substrings** (migration ``0011_registry_search``, the trigram indexes), only when the word
  prefixes find nothing: every word must occur *inside* a word of the row ("han tuy" finds "Shan
  tuyết"); on PostgreSQL a word may also be a near miss of a word of the row (``pg_trgm``'s word
  similarity, ``<%``), so that one typo still finds something.
"""
import re

from sqlalchemy import cast, column, func, literal, literal_column, or_, select, table, text
from sqlalchemy.dialects.postgresql import TSQUERY

from certificates.models import RegistryEntry
from certificates.models.registry import NO_EXPIRY
from voting.extensions import db

_WORD = re.compile(r"[^\W_]+")
#: PostgreSQL stores each word's first 1 to this many letters, and the word itself (migration 0025a).
PREFIX_LEXEME_LETTERS = 10
_FTS = table("registry_entry_words", column("rowid"))
#: Beyond this many years of validity words, a search compares ``valid_until`` on every match instead (a paper
#: certificate typed as valid until 2099 would otherwise make the index read a word per year).
_MAX_VALIDITY_YEARS = 30


def words(folded):
    """The words of a folded query, cut as the indexes cut the text they index."""
    return _WORD.findall(folded)


def _sqlite_match(terms, name_only, years=None):
    # Each word is letters and digits only (words()), quoted all the same: FTS5 reads "and", "or",
    # "not" and "near" unquoted as operators.
    # The whole text (which begins with the product's name) or the name alone: each a column of its own.
    phrase = " AND ".join(f'"{w}"*' for w in terms)
    match = f"{{{'name_folded' if name_only else 'search_text'}}} : ({phrase})"
    if years:
        match += " AND {validity_word} : (" + " OR ".join(f'"y{year}"' for year in years) + ")"
    return match


def validity_years(day):
    """The years whose validity words mark the rows that may be valid on ``day``: from ``day``'s year to the
    latest end on file, and 9999 (no end); None when there would be too many (then no word narrows)."""
    latest = db.session.scalar(select(func.max(RegistryEntry.valid_until)).where(RegistryEntry.valid_until < NO_EXPIRY))
    last = max(day.year, latest.year if latest else day.year)
    if last - day.year >= _MAX_VALIDITY_YEARS:
        return None
    return [*range(day.year, last + 1), NO_EXPIRY.year]


def _tsquery(terms):
    # A word's beginnings are lexemes of their own up to PREFIX_LEXEME_LETTERS: an exact lexeme is one entry
    # of the GIN index, where a prefix makes it merge the rows of every lexeme that begins so ("dong:*":
    # 6-7 ms on 100,000 rows, "dong" 1.9 ms). A longer word finds the whole words it begins (stored too).
    return " & ".join(w if len(w) <= PREFIX_LEXEME_LETTERS else f"{w}:*" for w in terms)


def _condition(terms, name_only, years=None):
    # Anonymous bound parameters: two conditions in one statement (all matches, name matches) keep apart.
    if db.engine.dialect.name == "sqlite":
        return literal_column("registry_entry_words").op("MATCH")(_sqlite_match(terms, name_only, years))
    query = func.to_tsquery(literal_column("'simple'::regconfig"), _tsquery(terms))
    if years:  # one of the validity lexemes (0025b), given as a tsquery: to_tsquery would cut them at the hyphen
        query = query.op("&&")(cast(literal(" | ".join(f"'valid-{year}'" for year in years)), TSQUERY))
    column = "name_prefixes" if name_only else "search_prefixes"
    return literal_column(f"registry_entry.{column}").op("@@")(query)


def matching_ids(terms, name_only=False, years=None):
    """A select of the ids of rows holding every word in ``terms`` as a word prefix (in the
    product's name when ``name_only``), newest rows first (highest id).

    ``years``: :func:`validity_years` of the day the caller keeps rows valid on (``valid_until``); the index
    then leaves out those whose validity ended in an earlier year, so fewer rows are read to compare.
    """
    if db.engine.dialect.name == "sqlite":
        # Joined, for the filters on the row; the FTS5 table leads and gives its rows newest first.
        return (select(RegistryEntry.id).select_from(_FTS.join(RegistryEntry, RegistryEntry.id == _FTS.c.rowid))
                .where(_condition(terms, name_only, years)).order_by(_FTS.c.rowid.desc()))
    return select(RegistryEntry.id).where(_condition(terms, name_only, years)).order_by(RegistryEntry.id.desc())


def word_condition(terms, name_only=False, years=None):
    """The rows holding every word as a word prefix: a condition on ``RegistryEntry``; ``years`` as for
    :func:`matching_ids`."""
    if db.engine.dialect.name == "sqlite":
        return RegistryEntry.id.in_(select(_FTS.c.rowid).where(_condition(terms, name_only, years)))
    return _condition(terms, name_only, years)


def substring_conditions(folded_words):
    """The fallback: each word anywhere inside the row's text, answered by the trigram indexes (a word
    of three letters or more; shorter ones narrow what those found), on PostgreSQL also a near miss."""
    long_words = [w for w in folded_words if len(w) >= 3]
    short_words = [w for w in folded_words if len(w) < 3]
    conditions = []
    if db.engine.dialect.name == "sqlite":
        if long_words:
            expression = " AND ".join('"' + w.replace('"', '""') + '"' for w in long_words)
            conditions.append(RegistryEntry.id.in_(select(literal_column("rowid")).select_from(
                text("registry_entry_fts")).where(text("registry_entry_fts MATCH :fts").bindparams(fts=expression))))
    else:
        conditions += [or_(RegistryEntry.search_text.contains(w, autoescape=True),
                           RegistryEntry.search_text.op("%>")(w)) for w in long_words]
    conditions += [RegistryEntry.search_text.contains(w, autoescape=True) for w in short_words]
    return conditions
