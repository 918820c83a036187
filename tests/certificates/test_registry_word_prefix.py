"""The registry's word-prefix search (issue 20): short words, the capped count, the index, numbers.

Runs on SQLite (FTS5 ``registry_entry_words``) and PostgreSQL (``search_prefixes`` and ``name_prefixes``,
tsvectors of each word's beginnings, + GIN).
"""
import re

from sqlalchemy import event, text

from certificates.registry import search as registry_search
from certificates.registry.fulltext import matching_ids
from tests.helpers import counted_queries
from tests.support.registry import registry as registry  # noqa: PLC0414 (a fixture)
from voting.extensions import db

_NUMBERS = re.compile(r'<tr data-number="([^"]+)">')


def numbers(client, **args):
    response = client.get("/registry/", query_string=args)
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    return _NUMBERS.findall(response.get_data(as_text=True))


def test_short_words_match_the_beginning_of_words_only(registry, client):
    assert numbers(client, q="mi do") == ["MD-1"]  # "Miến dong"
    assert numbers(client, q="ong") == ["HB-1"]  # "HTX Ong Mộc Châu"; not "dong", "Phong", "Hoàng"
    assert numbers(client, q="c") and set(numbers(client, q="c")) <= {"CP-1", "HB-1", "HB-3", "CS-1", "MD-1", "HB-2"}


def test_word_prefixes_ignore_accents_and_tone_placement(registry, client):
    assert numbers(client, q="mien dong") == numbers(client, q="Miến dong") == ["MD-1"]
    assert set(numbers(client, q="hoà")) == set(numbers(client, q="hòa")) == {"HB-1", "HB-2", "HB-3"}


def test_inside_words_only_when_no_word_begins_so(registry, client):
    assert numbers(client, q="han tuy") == ["CS-1"]  # "Shan tuyết": the substring fallback
    assert numbers(client, q="zzzz") == []


def test_the_count_is_capped_and_said_as_more_than(registry, client, monkeypatch):
    monkeypatch.setattr(registry_search, "COUNT_CAP", 2)
    body = client.get("/registry/", query_string={"q": "Hoà Bình"}).get_data(as_text=True)
    assert "Hơn 2 sản phẩm phù hợp" in body
    assert _NUMBERS.findall(body)[0] == "HB-1"  # the exact accents still first among the ranked
    body = client.get("/registry/", query_string={"q": "Hoà"}).get_data(as_text=True)  # one word: planned apart
    assert "Hơn 2 sản phẩm phù hợp" in body and _NUMBERS.findall(body)[0] == "HB-1"
    data = client.get("/api/v1/products", query_string={"q": "hoa binh"}).get_json()
    assert data["total"] == 2 and len(data["items"]) == 3
    assert "Hơn" not in client.get("/registry/", query_string={"q": "mien dong"}).get_data(as_text=True)


def test_a_ranked_page_and_its_count_come_from_one_statement(registry, app, client, monkeypatch):
    """The newest matches, found once, give the count and the candidates ranked for the page: SQLite's word index
    searched them twice (a count, then the candidates) and PostgreSQL sent the candidates' ids out and back."""
    monkeypatch.setattr(registry_search, "COUNT_CAP", 2)
    with app.app_context():
        sqlite = db.engine.dialect.name == "sqlite"
    word_index = "registry_entry_words MATCH" if sqlite else "search_prefixes @@"
    for query in ("mien dong", "hoà", "hoa binh"):  # under the cap; over it with one word, and with two
        with app.app_context(), counted_queries(db.engine) as seen:
            assert numbers(client, q=query)
        searched = [s for s in seen if word_index in s]
        assert len(searched) == 1, searched
        assert ("instr(" if sqlite else "strpos(") in searched[0]


def test_pages_stop_at_the_capped_count(registry, client, monkeypatch):
    monkeypatch.setattr(registry_search, "COUNT_CAP", 2)
    shown = [client.get("/api/v1/products", query_string={"q": "hoa binh", "per_page": 1, "page": page}).get_json()
             for page in (1, 2, 3)]
    assert [data["total"] for data in shown] == [2, 2, 2]
    assert [len(data["items"]) for data in shown] == [1, 1, 0]  # "more than 2": two pages of one, then none


def test_the_word_index_answers(registry, app):
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            plan = db.session.execute(text(
                "EXPLAIN QUERY PLAN SELECT rowid FROM registry_entry_words WHERE registry_entry_words MATCH "
                "'\"mien\"*' ORDER BY rowid DESC LIMIT 10")).all()
            assert any("VIRTUAL TABLE INDEX" in str(row) for row in plan), plan
        else:
            db.session.execute(text("SET LOCAL enable_seqscan = off"))
            for column in ("search_prefixes", "name_prefixes"):
                plan = db.session.execute(text(
                    f"EXPLAIN SELECT id FROM registry_entry WHERE {column} @@ to_tsquery('simple', 'mien')"
                )).scalars().all()
                assert any(f"ix_registry_entry_{column}" in line for line in plan), plan
            db.session.rollback()


def _import_products(app, names):
    """Certificates of past rounds for products named ``names`` (numbers "W-1", "W-2"...), valid a year more."""
    import datetime

    from certificates.operations.past_imports import import_certificates
    from voting.core.clock import today_vn
    from voting.documents.import_workbook import COLUMNS

    values = {"level": "Cấp tỉnh", "year": 2024, "decision_on": datetime.date(2024, 3, 1),
              "authority_name": "Ủy ban nhân dân tỉnh", "group": 1, "province": "Sơn La",
              "valid_until": today_vn() + datetime.timedelta(days=365)}
    rows = [[{**values, "number": f"W-{n}", "decision_number": f"W-{n}/QĐ-UBND", "product_name": name,
              "producer_name": f"Hộ kinh doanh {n}"}[c.key] for c in COLUMNS] for n, name in enumerate(names, 1)]
    with app.app_context():
        report = import_certificates(None, [[c.header for c in COLUMNS], *rows], "san-pham.xlsx", today_vn())
        assert report.ok, report.problems[:5]
        db.session.commit()


def test_long_words_are_found_by_any_beginning(app, client):
    """PostgreSQL stores a word's first ten letters as lexemes of their own and the word whole: a query word of
    ten letters or fewer is looked up as it is, a longer one as a prefix of the whole word. The same on SQLite."""
    _import_products(app, ["Nước mắm Hoàngsamphuong", "Tương ớt Hoàngsa"])
    assert sorted(numbers(client, q="hoa")) == sorted(numbers(client, q="Hoàngsa")) == ["W-1", "W-2"]
    for beginning in ("hoangsam", "Hoàngsamph", "hoangsamphu", "hoangsamphuong", "mắm hoàngsamphuon"):
        assert numbers(client, q=beginning) == ["W-1"], beginning  # 8, 10, 11, 14 letters; two words
    with app.app_context():  # the word index alone (a page would go on to the substrings and near misses)
        for beginning in ("hoangsam", "hoangsamph", "hoangsamphu", "hoangsamphuong"):
            assert len(db.session.scalars(matching_ids([beginning])).all()) == 1, beginning
        for not_a_beginning in ("hoangsamphx", "hoangsamphuongg", "ngsamphuong", "oangsa"):
            assert not db.session.scalars(matching_ids([not_a_beginning])).all(), not_a_beginning
        assert len(db.session.scalars(matching_ids(["hoangsamphuon"], name_only=True)).all()) == 1
        assert not db.session.scalars(matching_ids(["ho", "kinh"], name_only=True)).all()  # the producer's
    assert numbers(client, q="ngsamphuong") == ["W-1"]  # inside the word: the substring fallback


def test_numbers_are_looked_up_only_for_a_query_with_a_digit(registry, app, client):
    with app.app_context(), counted_queries(db.engine) as seen:
        assert numbers(client, q="mien dong") == ["MD-1"]
    assert not any("number_folded" in s for s in seen)
    response = client.get("/registry/", query_string={"q": "md-1"})
    assert response.status_code == 302 and "/registry/certificates/MD-1" in response.headers["Location"]


def test_a_search_statement_carries_a_few_parameters_however_many_rows_match(app, client, monkeypatch):
    """The page is ranked among up to 1,301 candidate ids, which stay in the database (the statement that counts the
    matches ranks them): never an IN list of as many placeholders, which SQLAlchemy rendered and psycopg parsed
    afresh on every search (about 3 ms of CPU a request on PostgreSQL)."""
    _import_products(app, [f"Mật ong rừng {n}" for n in range(1, 41)])
    monkeypatch.setattr(registry_search, "COUNT_CAP", 5)  # beyond the cap too: the newest and the name matches
    parameters = []

    def seen(conn, cursor, statement, values, context, executemany):
        parameters.append(len(values or ()))

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", seen)
        try:
            assert len(numbers(client, q="mat ong")) == 25
            assert len(numbers(client, q="ong rung")) == 25  # several words: the PostgreSQL path with its CTE
            assert len(numbers(client, q="mat")) == 25  # one word: each part planned apart
        finally:
            event.remove(db.engine, "before_cursor_execute", seen)
    assert parameters and max(parameters) < 30, parameters
