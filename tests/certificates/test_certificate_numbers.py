"""Certificate numbers with "Đ" are found (issue 16, item 13).

639 of the demo's 992 paper certificates are numbered "…/GCN-CTĐP"; SQLite's ``lower()`` folds ASCII
only, so their pages answered 404. Numbers are now folded once, in Python (``voting.core.text.fold_number``),
stored in the indexed ``number_folded`` of both certificate tables, and every lookup compares that.
"""
import datetime
import re
import unicodedata
from urllib.parse import quote, unquote

import pytest
from flask_migrate import upgrade
from sqlalchemy import insert, select, text

from tests.support.certificates import certify, issue_certificates
from tests.support.databases import fresh_database as fresh_database  # noqa: PLC0414 (a fixture)
from voting import create_app
from voting.core.clock import today_vn
from voting.extensions import db
from voting.documents.import_workbook import COLUMNS
from voting.models import Round
from certificates.models import Certificate, ImportedCertificate
from certificates.operations.past_imports import import_certificates
from voting.core.text import fold_number

PAPER = "KVN-028/2024/GCN-CTĐP"
_LINKS = re.compile(r'href="(/registry/certificates/[^"]+)"')


def _paper_row(number, product="Nước mắm Phú Quốc"):
    values = {"number": number, "level": "Cấp khu vực", "year": 2024, "decision_number": "1102/QĐ-CTĐP",
              "decision_on": datetime.date(2024, 11, 29), "authority_name": "Cục Công Thương địa phương",
              "product_name": product, "group": 1, "producer_name": "Công ty Nước mắm Phú Quốc",
              "province": "Kiên Giang", "valid_until": datetime.date(2099, 11, 29)}
    return [values[c.key] for c in COLUMNS]


def _import(app, *rows):
    with app.app_context():
        report = import_certificates(None, [[c.header for c in COLUMNS], *rows], "ctdp.xlsx", today_vn())
        db.session.commit()
        return report


@pytest.fixture
def paper(app):
    assert _import(app, _paper_row(PAPER)).ok


@pytest.fixture
def issued(app, make_user, signer, monkeypatch):
    """A certificate issued here under a template that writes "Đ"; returns its number."""
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "1000 per minute")
    hall = certify(app, make_user, entries=1, failing=0)
    with app.app_context():
        db.session.get(Round, hall.round_id).authority.number_template = "{seq:03d}/{year}/GCN-CTĐP"
        db.session.commit()
    (_, number), = issue_certificates(app, hall)
    assert "Đ" in number
    return number


def _typed_forms(number):
    return [number, number.lower(), fold_number(number), unicodedata.normalize("NFD", number),
            unicodedata.normalize("NFD", number.lower()), number.replace("/", " / ")]


@pytest.mark.parametrize("typed", [
    "KVN-028/2024/GCN-CTĐP", "kvn-028/2024/gcn-ctđp", "kvn-028/2024/gcn-ctdp", "KVN-028/2024/GCN-CTDP",
    unicodedata.normalize("NFD", "kvn-028/2024/gcn-ctđp"), " KVN-028 / 2024 / GCN-CTĐP ", "KVN-028/2024/GCN-CTĐP\t",
])
def test_fold_number_gives_one_key(typed):
    assert fold_number(typed) == "kvn-028/2024/gcn-ctdp"


def test_fold_number_keeps_different_numbers_apart():
    assert fold_number("QG-2019-001") != fold_number("QG-2019-010")
    assert fold_number("KVN-028/2024/GCN-CTĐP") != fold_number("KVB-028/2024/GCN-CTĐP")


@pytest.mark.parametrize("kind", ["paper", "issued"])
def test_the_list_links_to_a_page_that_answers(app, client, request, kind):
    number = PAPER if kind == "paper" else request.getfixturevalue("issued")
    if kind == "paper":
        request.getfixturevalue("paper")
    body = client.get("/registry/", query_string={"status": "all"}).get_data(as_text=True)
    links = [link for link in _LINKS.findall(body) if unquote(link).endswith(number)]
    assert links, body[:2000]
    for link in links:
        page = client.get(link)
        assert page.status_code == 200, link
        assert f"Giấy chứng nhận số {number}" in page.get_data(as_text=True)


@pytest.mark.parametrize("kind", ["paper", "issued"])
def test_an_exact_number_search_opens_the_certificate_however_it_is_typed(app, client, request, kind):
    number = PAPER if kind == "paper" else request.getfixturevalue("issued")
    if kind == "paper":
        request.getfixturevalue("paper")
    for typed in _typed_forms(number):
        response = client.get("/registry/", query_string={"q": typed})
        assert response.status_code == 302, typed
        assert unquote(response.headers["Location"]).endswith(f"/registry/certificates/{number}")
        page = client.get("/registry/certificates/" + quote(typed.strip(), safe="/"))
        assert page.status_code == 200, typed
        assert f"Giấy chứng nhận số {number}" in page.get_data(as_text=True)


def test_the_product_page_links_to_the_issued_certificate(app, client, issued):
    body = client.get("/registry/", query_string={"q": issued}, follow_redirects=True).get_data(as_text=True)
    assert "Không tìm thấy giấy chứng nhận" not in body
    with app.app_context():
        certificate = db.session.scalar(select(Certificate).where(Certificate.number == issued))
        from certificates.registry.slugs import product_slug

        product_url = f"/registry/{product_slug(certificate.application.product)}"
    links = [link for link in _LINKS.findall(client.get(product_url).get_data(as_text=True))
             if unquote(link).endswith(issued)]
    assert links and all(client.get(link).status_code == 200 for link in links)


def test_the_folded_number_is_stored_on_insert_and_update(app, paper, issued):
    with app.app_context():
        record = db.session.scalar(select(ImportedCertificate).where(ImportedCertificate.number == PAPER))
        assert record.number_folded == "kvn-028/2024/gcn-ctdp"
        certificate = db.session.scalar(select(Certificate).where(Certificate.number == issued))
        assert certificate.number_folded == fold_number(issued) and "đ" not in certificate.number_folded
        record.number = "KVB-001/2024/GCN-CTĐP"
        db.session.commit()
        assert db.session.scalar(select(ImportedCertificate.number_folded).where(
            ImportedCertificate.id == record.id)) == "kvb-001/2024/gcn-ctdp"
        # A Core insert (no ORM object) is folded too: the column's default.
        values = {c.name: getattr(record, c.name) for c in ImportedCertificate.__table__.columns
                  if c.name not in ("id", "number", "number_folded")}
        db.session.execute(insert(ImportedCertificate).values(number="KVT-002/2024/GCN-CTĐP", **values))
        assert db.session.scalar(select(ImportedCertificate.number_folded).where(
            ImportedCertificate.number == "KVT-002/2024/GCN-CTĐP")) == "kvt-002/2024/gcn-ctdp"
        db.session.rollback()


def test_a_number_already_imported_in_another_spelling_is_refused(app, paper):
    report = _import(app, _paper_row("kvn-028/2024/gcn-ctdp", product="Nước mắm khác"))
    assert not report.ok
    assert [p.code for p in report.problems] == ["duplicate_in_database"]
    report = _import(app, _paper_row("KVN-029/2024/GCN-CTĐP"), _paper_row("kvn-029/2024/gcn-ctđp"))
    assert [p.code for p in report.problems] == ["duplicate_in_file"]


def test_the_migration_folds_existing_numbers(fresh_database):  # noqa: F811
    app = create_app({"SQLALCHEMY_DATABASE_URI": fresh_database})
    with app.app_context():
        upgrade(revision="0014_background_jobs")
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO product_group (id, code, name) VALUES (1, '1', 'Chế biến')"))
            for n, number in enumerate([PAPER, "QG 2019 001", unicodedata.normalize("NFD", "T-2023/ĐB")], start=1):
                conn.execute(text(
                    "INSERT INTO imported_certificate (id, number, level, year, decision_number, decision_on, "
                    "authority_name, product_name, product_name_folded, group_code, producer_name, "
                    "producer_name_folded, province_name_then, imported_at, source_file_name, row_number) "
                    "VALUES (:id, :number, 'khu_vuc', 2024, '1/QĐ', '2024-11-29', 'Cục', 'Mắm', 'mam', '1', "
                    "'Công ty', 'cong ty', 'Kiên Giang', '2026-01-01 00:00:00', 'f.xlsx', :row)"),
                    {"id": n, "number": number, "row": n + 1})
            # A paper certificate re-issued here: the issued table's row keeps the paper number.
            conn.execute(text(
                "INSERT INTO issuing_authority (id, code, name, parent_name, place_name, number_template, active, "
                "updated_at, jurisdiction_level) VALUES (1, 'BCT', 'Bộ Công Thương', '', 'Hà Nội', "
                "'{code}-{year}-{seq:04d}', true, '2026-01-01 00:00:00', 'quoc_gia')"))
            conn.execute(text(
                "INSERT INTO signing_key (id, kid, public_key, scope, status, created_at) "
                "VALUES (1, 'kid', 'key', 'platform', 'active', '2026-01-01 00:00:00')"))
            conn.execute(text(
                "INSERT INTO certificate (id, number, authority_id, level, year, imported_certificate_id, snapshot, "
                "digest, issued_on, expires_on, status, reason_category, reason, signing_key_id, token, created_at) "
                "VALUES (1, :number, 1, 'khu_vuc', 2024, 1, '{}', 'd', '2026-01-01', '2099-01-01', 'valid', '', '', "
                "1, 't', '2026-01-01 00:00:00')"), {"number": PAPER})
        upgrade()
        with db.engine.connect() as conn:
            folded = [f for _, f in conn.execute(text(
                "SELECT id, number_folded FROM imported_certificate ORDER BY id")).all()]
            issued = conn.execute(text("SELECT number_folded FROM certificate")).scalar_one()
        assert folded == ["kvn-028/2024/gcn-ctdp", "qg2019001", "t-2023/db"]
        assert issued == "kvn-028/2024/gcn-ctdp"
        db.engine.dispose()
