"""Importing certificates issued on paper before the platform: all rows or none, by content."""
import datetime
import hashlib
import io
import unicodedata
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from tests.conftest import csrf_from
from tests.helpers import xlsx_bytes
from tests.support.certificate_imports import HEADERS, URL, row
from voting.extensions import db
from voting.documents.import_workbook import MAX_ROWS
from voting.models import AuditEvent, Province, Role
from certificates.models import ImportedCertificate
from certificates.operations.past_imports import import_certificates

SAMPLE = Path(__file__).resolve().parents[2] / "data/samples/chung-nhan-lich-su.xlsx"
TODAY = datetime.date(2026, 11, 22)


def xlsx(rows, headers=HEADERS):
    return xlsx_bytes(rows, headers)


@pytest.fixture
def admin_client(client, logged_in):
    logged_in(Role.ADMIN)
    return client


def upload(client, data, name="chung-nhan.xlsx"):
    token = csrf_from(client.get(URL))
    return client.post(URL, data={"csrf_token": token, "file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def imported_count(app):
    with app.app_context():
        return db.session.scalar(select(func.count(ImportedCertificate.id)))


def assert_refused(app, response, *fragments):
    body = response.get_data(as_text=True)
    assert response.status_code == 400, body[:2000]
    assert "không có dòng nào được ghi" in body
    for fragment in fragments:
        assert fragment in body, fragment
    assert imported_count(app) == 0
    with app.app_context():
        assert db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "certificate.import")) == 0


def test_sample_file_imports_fully(app, admin_client):
    data = SAMPLE.read_bytes()
    response = upload(admin_client, data, "chung-nhan-lich-su.xlsx")
    body = response.get_data(as_text=True)
    assert response.status_code == 200, body[:2000]
    assert "Đã nhập 40 giấy chứng nhận" in body
    with app.app_context():
        rows = db.session.scalars(select(ImportedCertificate)).all()
        assert len(rows) == 40
        assert {r.level for r in rows} == {"quoc_gia", "khu_vuc", "tinh", "huyen"}
        for record in rows:
            for text in (record.product_name, record.producer_name, record.authority_name, record.province_name_then):
                assert text == unicodedata.normalize("NFC", text).strip()
            assert record.province_id is not None
            assert record.source_file_name == "chung-nhan-lich-su.xlsx"
        bac_kan = db.session.scalars(select(ImportedCertificate).where(
            ImportedCertificate.province_name_then == "Bắc Kạn")).all()
        assert bac_kan and all(r.province.name == "Thái Nguyên" for r in bac_kan)
        assert db.session.scalar(select(ImportedCertificate).where(ImportedCertificate.level == "huyen")).year == 2023
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "certificate.import"))
        assert hashlib.sha256(data).hexdigest() in event.data and '"imported": 40' in event.data


def test_template_download_has_the_header_and_an_example(admin_client):
    response = admin_client.get(URL + "/template.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS and len(rows) == 2


def test_wrong_columns_are_refused_naming_the_missing_ones(app, admin_client):
    headers = [h for h in HEADERS if h not in ("Năm", "Tên cơ sở")] + ["Ghi chú"]
    response = upload(admin_client, xlsx([row()[:len(headers)]], headers))
    assert_refused(app, response, "Tệp thiếu cột: Năm, Tên cơ sở")


def test_headers_match_after_nfc_trim_and_case_folding(app, admin_client):
    headers = ["  " + unicodedata.normalize("NFD", h.upper()) + " " for h in HEADERS]
    response = upload(admin_client, xlsx([row()], headers))
    assert response.status_code == 200
    assert imported_count(app) == 1


def test_duplicate_number_within_the_file(app, admin_client):
    response = upload(admin_client, xlsx([row(), row(product_name="Chè móc câu"), row(number=" t-2023-tn-900")]))
    assert_refused(app, response, "Số T-2023-TN-900 trùng với dòng 2 của tệp.",
                   "Số t-2023-tn-900 trùng với dòng 2 của tệp.")


def test_duplicate_number_already_in_the_database(app, admin_client):
    with app.app_context():
        report = import_certificates(None, [HEADERS, row()], "truoc.xlsx", TODAY)
        assert report.ok
        db.session.commit()
    response = upload(admin_client, xlsx([row(number="T-2023-TN-901"), row()]))
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Số T-2023-TN-900 đã có trên nền tảng." in body
    assert imported_count(app) == 1  # the earlier one only: T-2023-TN-901 was not written


def test_unknown_province_is_refused_with_a_suggestion(app, admin_client):
    response = upload(admin_client, xlsx([row(province="Bắc Cạn")]))
    assert_refused(app, response, "Không có tỉnh, thành phố “Bắc Cạn”", "Có phải “Bắc Kạn”?")


def test_future_decision_date_is_refused(app, admin_client):
    future = datetime.date.today() + datetime.timedelta(days=30)
    response = upload(admin_client, xlsx([row(decision_on=future.strftime("%d/%m/%Y"), valid_until=None)]))
    assert_refused(app, response, "chưa đến")


def test_malformed_date_and_expiry_before_decision(app, admin_client):
    response = upload(admin_client, xlsx([row(decision_on="31/02/2023"),
                                          row(number="X-2", valid_until=datetime.datetime(2023, 1, 1))]))
    assert_refused(app, response, "Ngày “31/02/2023” không đúng dạng ngày/tháng/năm",
                   "Ngày hết giá trị phải sau ngày quyết định.")


def test_unknown_level_and_year_out_of_range(app, admin_client):
    response = upload(admin_client, xlsx([row(level="Cấp thôn", year=2012)]))
    assert_refused(app, response, "Cấp “Cấp thôn” không có trong danh mục", "Năm phải từ 2014 đến")


def test_nfd_text_and_stray_spaces_are_normalised(app, admin_client):
    nfd = lambda text: unicodedata.normalize("NFD", text)  # noqa: E731
    response = upload(admin_client, xlsx([row(product_name=nfd("  Chè   đinh  "), producer_name=nfd("Hợp tác xã  chè\u00a0thử "),
                                              province=nfd(" tỉnh Bắc Kạn "), decision_on="20/11/2023",
                                              level=" cấp  huyện ")]))
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    with app.app_context():
        record = db.session.scalar(select(ImportedCertificate))
        assert record.product_name == "Chè đinh"
        assert record.producer_name == "Hợp tác xã chè thử"
        assert record.product_name_folded == "che dinh"
        assert record.province_name_then == "tỉnh Bắc Kạn"
        assert record.province_id == db.session.scalar(select(Province.id).where(Province.code == "19"))
        assert record.decision_on == datetime.date(2023, 11, 20) and record.level == "huyen"


def test_a_file_that_is_not_xlsx_is_refused_by_content(app, admin_client):
    response = upload(admin_client, b"%PDF-1.4\n" + b"0" * 2000, "chung-nhan.xlsx")
    assert_refused(app, response, "Tệp không phải bảng tính Excel (.xlsx) hợp lệ.")


def test_a_zip_that_is_not_a_workbook_is_refused(app, admin_client):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("readme.txt", "không phải bảng tính")
    assert_refused(app, upload(admin_client, buffer.getvalue()), "Tệp không phải bảng tính Excel (.xlsx) hợp lệ.")


def test_a_zip_bomb_is_refused_before_it_is_inflated(app, admin_client):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (30 * 1024 * 1024))
    assert_refused(app, upload(admin_client, buffer.getvalue()), "Nội dung giải nén của tệp quá lớn")


def test_too_many_rows_are_refused(app, admin_client):
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(HEADERS)
    base = row()
    for n in range(MAX_ROWS + 1):
        ws.append([f"N-{n}", *base[1:]])
    buffer = io.BytesIO()
    wb.save(buffer)
    response = upload(admin_client, buffer.getvalue())
    assert_refused(app, response, f"tối đa {MAX_ROWS} giấy chứng nhận")


def test_the_page_requires_a_file(admin_client):
    token = csrf_from(admin_client.get(URL))
    response = admin_client.post(URL, data={"csrf_token": token}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "Hãy chọn tệp cần nhập." in response.get_data(as_text=True)
