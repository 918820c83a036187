"""/registry.csv never hands a spreadsheet a formula (issue 16, item 3).

A producer who names itself ``=HYPERLINK(...)`` (or a paper certificate imported with such a name)
must reach LibreOffice and Excel as text: every text cell starting with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return gets an apostrophe first, the rule of the .xlsx exports
(``voting.documents.exports.FORMULA_PREFIXES``). The CSV is also opened with LibreOffice itself.
"""
import csv
import datetime
import io
import os
import shutil
import subprocess

import openpyxl
import pytest
from sqlalchemy import select

from tests.support.certificates import certify, issue_certificates
from voting.core.clock import today_vn
from voting.documents.exports import FORMULA_PREFIXES, csv_text
from voting.extensions import db
from voting.documents.import_workbook import COLUMNS
from voting.models import DecisionEntry
from certificates.models import Certificate
from certificates.operations.past_imports import import_certificates
from voting.core.text import fold

HYPERLINK = '=HYPERLINK("http://evil.example","x")'
PLUS = "+cmd|' /C calc'!A0"
AT = "@SUM(1+1)*cmd|' /C calc'!A0"
MINUS = "-2+3+cmd|' /C calc'!A0"


@pytest.fixture
def formulas(app, make_user, signer, monkeypatch):
    """A producer certified under a formula's name, whose product is renamed to another since; and a
    paper certificate imported with formulas for names."""
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "1000 per minute")
    hall = certify(app, make_user, entries=1, failing=0)
    with app.app_context():
        from voting.models import Application

        application = db.session.get(Application, hall.application_ids[0])
        application.producer.name, application.producer.name_folded = HYPERLINK, fold(HYPERLINK)
        # As if decided under that name: a certificate names what its decision lists.
        listed = db.session.scalar(select(DecisionEntry).where(DecisionEntry.application_id == application.id))
        listed.producer_name = HYPERLINK
        db.session.commit()
    (certificate_id, number), = issue_certificates(app, hall)  # the snapshot holds the formula
    with app.app_context():
        product = db.session.get(Certificate, certificate_id).application.product
        product.name, product.name_folded = PLUS, fold(PLUS)  # renamed since: the current_product column
        db.session.commit()
    header = [c.header for c in COLUMNS]
    values = {"number": "T-2024-XSS-1", "level": "Cấp tỉnh", "year": 2024, "decision_number": "1/QĐ-UBND",
              "decision_on": datetime.date(2024, 3, 1), "authority_name": "UBND tỉnh", "product_name": HYPERLINK,
              "group": 2, "producer_name": AT, "province": "Hà Giang", "valid_until": None}
    with app.app_context():
        report = import_certificates(None, [header, [values[c.key] for c in COLUMNS]], "formula.xlsx", today_vn())
        assert report.ok, report.problems
        db.session.commit()
    return number


def _rows(client):
    response = client.get("/registry.csv", query_string={"status": "all"})
    assert response.status_code == 200
    return response.get_data(), list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))


def test_formula_names_are_written_as_text(client, formulas):
    _, rows = _rows(client)
    header, *body = rows
    by_number = {row[0]: dict(zip(header, row, strict=True)) for row in body}
    issued, paper = by_number[formulas], by_number["T-2024-XSS-1"]
    assert issued["producer"] == "'" + HYPERLINK
    assert issued["current_product"] == "'" + PLUS
    assert paper["product"] == "'" + HYPERLINK and paper["producer"] == "'" + AT
    for row in body:
        for cell in row:
            assert not cell.startswith(FORMULA_PREFIXES), cell


@pytest.mark.parametrize("value, written", [
    (HYPERLINK, "'" + HYPERLINK), (PLUS, "'" + PLUS), (AT, "'" + AT), (MINUS, "'" + MINUS),
    ("\t=1+1", "'=1+1"),  # surrounding white space is trimmed first: what is left is neutralised
    ("=1\r", "'=1"), ("Miến dong", "Miến dong"), ("a=b", "a=b"), ("", ""), (None, ""),
])
def test_csv_text_follows_the_rule_of_the_spreadsheet_exports(value, written):
    assert csv_text(value) == written


@pytest.fixture
def soffice():
    """LibreOffice's command; without it, a counted, printed skip (an error under CI)."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        why = "LIBREOFFICE CHECK NOT RUN: soffice is not installed (apt-get install libreoffice-calc)"
        print(why)
        if os.environ.get("CI"):
            pytest.fail(why)
        pytest.skip(why)
    return found


def open_in_libreoffice(soffice, source, tmp_path):
    """``source`` (a CSV) as LibreOffice Calc reads it: comma-separated, UTF-8, formulas evaluated
    (as Excel does, and LibreOffice by default); returned as the openpyxl sheet of its .xlsx."""
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
                    "--infilter=CSV:44,34,76,1,,0,false,true,false,false,false,-1,true",
                    "--convert-to", "xlsx", "--outdir", str(tmp_path / "out"), str(source)],
                   check=True, capture_output=True, timeout=180)
    return openpyxl.load_workbook(tmp_path / "out" / f"{source.stem}.xlsx").active


def test_libreoffice_opens_the_names_as_text(client, formulas, soffice, tmp_path):
    raw, _ = _rows(client)
    source = tmp_path / "registry.csv"
    source.write_bytes(raw)
    sheet = open_in_libreoffice(soffice, source, tmp_path)
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    texts = {c.value for c in cells}
    assert {"'" + HYPERLINK, "'" + PLUS, "'" + AT} <= texts


def test_libreoffice_would_have_run_the_formula(soffice, tmp_path):
    """The check above can fail: the same cell without its apostrophe is a formula to LibreOffice."""
    source = tmp_path / "raw.csv"
    with source.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows([["producer"], [HYPERLINK]])
    assert open_in_libreoffice(soffice, source, tmp_path)["A2"].data_type == "f"


def test_the_certified_producer_name_is_the_formula(app, formulas):
    """The fixture does what it says: the formula is in the certificate's snapshot."""
    with app.app_context():
        snapshot = db.session.scalar(select(Certificate.snapshot).where(Certificate.number == formulas))
    assert HYPERLINK.replace('"', '\\"') in snapshot
