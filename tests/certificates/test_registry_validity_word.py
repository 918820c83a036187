"""The registry's default search (valid today) on SQLite asks the word index for the rows valid until this
year or later (migration 0024a's validity words) before it compares the day: the rows it finds must be
exactly those valid that day, on both databases, whatever the day and the ends on file.
"""
import datetime
from datetime import date

import pytest
from sqlalchemy import event, select, text

from certificates.models import ImportedCertificate, RegistryEntry
from certificates.registry import fulltext
from certificates.registry.search import parse, search
from tests.support.registry import registry as registry  # noqa: PLC0414 (a fixture)
from voting.extensions import db

LAST_DAY = date(2026, 12, 31)


def _set_valid_until(numbers, day):
    for record in db.session.scalars(select(ImportedCertificate).where(ImportedCertificate.number.in_(numbers))):
        record.valid_until = day
    db.session.commit()  # the registry's rows are rebuilt before the commit


def _found(query, day, status=None):
    params = {"q": query, "per_page": "100"} | ({"status": status} if status else {})
    return {e.name for e in search(parse(params), day).items}


@pytest.mark.parametrize(("valid_until", "found"), [
    (LAST_DAY, True),                          # its last day
    (LAST_DAY - datetime.timedelta(days=1), False),
    (date(2027, 1, 1), True),                  # valid into next year
    (date(2025, 12, 31), False),               # ended in an earlier year: left out by the index already
    (None, True),                              # a paper certificate that states no end
    (date(2099, 6, 30), True),                 # beyond the words' years: every match's day is compared
])
def test_a_row_is_found_exactly_when_it_is_valid_that_day(registry, app, valid_until, found):
    with app.app_context():
        _set_valid_until(["MD-1"], valid_until)
        assert ("Miến dong" in _found("miến dong", LAST_DAY)) is found
        assert "Miến dong" in _found("miến dong", LAST_DAY, status="all")


def test_the_default_search_finds_what_the_valid_filter_on_every_row_finds(registry, app):
    """Over the turns of several years and a spread of ends, the default search equals "every status" narrowed
    by each row's ``valid_until``."""
    ends = {"MD-1": date(2025, 1, 1), "CP-1": date(2025, 12, 31), "HB-1": date(2026, 6, 15), "HB-2": date(2027, 1, 1),
            "HB-3": None, "EX-1": date(2028, 2, 29), "CS-1": date(2026, 1, 1)}
    with app.app_context():
        for number, end in ends.items():
            _set_valid_until([number], end)
        valid_until = dict(db.session.execute(select(RegistryEntry.name, RegistryEntry.valid_until)).all())
        days = [date(year, month, day) for year in (2024, 2025, 2026, 2027, 2028, 2029)
                for month, day in ((1, 1), (6, 15), (12, 31))]
        for query in ("c", "hoa binh", "mien", "cao phong"):
            for day in days:
                everything = _found(query, day, status="all")
                assert _found(query, day) == {n for n in everything if valid_until[n] >= day}, (query, day)


def test_sqlite_asks_the_index_for_the_years_and_keeps_it_in_step(registry, app):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite's FTS5 validity words (PostgreSQL compares valid_until on the rows it reads)")
        matches = []

        def seen(conn, cursor, statement, parameters, context, executemany):
            matches.extend(p for p in (parameters or ()) if isinstance(p, str) and "{search_text}" in p)

        event.listen(db.engine, "before_cursor_execute", seen)
        try:
            _found("miến dong", LAST_DAY)
        finally:
            event.remove(db.engine, "before_cursor_execute", seen)
        assert matches and all('{validity_word} : ("y2026" OR ' in m and '"y9999")' in m for m in matches), matches
        # A search on another status reads the words alone (the certificates decide).
        matches.clear()
        event.listen(db.engine, "before_cursor_execute", seen)
        try:
            _found("miến dong", LAST_DAY, status="expired")
        finally:
            event.remove(db.engine, "before_cursor_execute", seen)
        assert matches and not any("validity_word" in m for m in matches), matches

        # The generated word follows every change of the row's end, and the index agrees with the rows.
        _set_valid_until(["MD-1"], date(2031, 5, 1))
        word = db.session.execute(text("SELECT validity_word FROM registry_entry WHERE name = 'Miến dong'"))
        assert word.scalar() == "y2031"
        # rank 1: compared with the rows of registry_entry too (a word the trigger missed would fail it)
        db.session.execute(text("INSERT INTO registry_entry_words(registry_entry_words, rank) "
                                "VALUES ('integrity-check', 1)"))
        hits = db.session.execute(text("SELECT count(*) FROM registry_entry_words WHERE registry_entry_words "
                                       "MATCH '{validity_word} : y2031'")).scalar()
        assert hits == 1
        # A refresh writes the row anew; an UPDATE in SQL (as before a `registry reindex`) moves the word too.
        db.session.execute(text("UPDATE registry_entry SET valid_until = '2033-03-03' WHERE name = 'Miến dong'"))
        db.session.execute(text("INSERT INTO registry_entry_words(registry_entry_words, rank) "
                                "VALUES ('integrity-check', 1)"))
        assert "Miến dong" in _found("miến dong", date(2033, 3, 3))
        db.session.rollback()


def test_postgresql_asks_the_index_for_the_years_and_keeps_them_in_step(registry, app):
    """Migration 0025b: the validity lexeme in both word columns follows the row's end, and the default search
    asks for the years from today's to the latest end (another status for the words alone)."""
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("PostgreSQL's validity lexemes (SQLite has its own validity word: the test above)")
        from tests.helpers import counted_queries

        with counted_queries(db.engine) as statements:
            _found("miến dong", LAST_DAY)
        assert any("AS TSQUERY)" in s and "&&" in s for s in statements), statements
        with counted_queries(db.engine) as statements:
            _found("miến dong", LAST_DAY, status="expired")
        assert not any("&&" in s for s in statements), statements

        def lexemes():
            return set(db.session.execute(text(
                "SELECT array_to_string(tsvector_to_array(search_prefixes), ' ') || ' ' || "
                "array_to_string(tsvector_to_array(name_prefixes), ' ') FROM registry_entry "
                "WHERE name = 'Miến dong'")).scalar().split())

        _set_valid_until(["MD-1"], date(2031, 5, 1))
        assert {"valid-2031"} == {w for w in lexemes() if w.startswith("valid-")}
        assert "Miến dong" in _found("miến dong", date(2031, 5, 1))
        assert "Miến dong" not in _found("miến dong", date(2031, 5, 2))
        _set_valid_until(["MD-1"], None)  # a paper certificate stating no end
        assert {w for w in lexemes() if w.startswith("valid-")} == {"valid-9999"}
        assert "Miến dong" in _found("miến dong", date(2040, 1, 1))
        assert not {w for w in lexemes() if w.startswith("valid-") and w != "valid-9999"}


def test_a_wide_spread_of_ends_turns_the_words_off_not_the_rows(registry, app):
    with app.app_context():
        _set_valid_until(["MD-1"], date(2090, 1, 1))
        assert fulltext.validity_years(LAST_DAY) is None  # 64 years of words: the days are compared instead
        _set_valid_until(["MD-1"], date(2030, 1, 1))
        assert fulltext.validity_years(LAST_DAY) == [2026, 2027, 2028, 2029, 2030, 9999]


def test_a_search_reads_the_latest_end_once(registry, app):
    """The validity words' years come from the latest end on file: read once per search, for both the matches and
    the product-name matches (it was read for each)."""
    from tests.helpers import counted_queries

    with app.app_context():
        with counted_queries(db.engine) as statements:
            assert "Miến dong" in _found("miến dong", LAST_DAY)
        latest_end = [s for s in statements if "max(registry_entry.valid_until)" in s]
        assert len(latest_end) == 1, statements
