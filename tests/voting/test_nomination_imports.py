"""A province's paper nomination list (danh sách trích ngang) imported into a regional or national round.

All rows or none: every refused case leaves the tables as they were (counted before and
after), and says which row, which column and why.
"""
import datetime
import hashlib
import html
import io
import unicodedata
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from tests.conftest import csrf_from, login
from tests.factories import make_complete_product, make_producer
from tests.helpers import xlsx_bytes
from voting.core.errors import DomainError
from voting.extensions import db
from voting.documents.import_workbook import read_rows
from voting.models import (
    Application,
    ApplicationStatus,
    AuditEvent,
    IssuingAuthority,
    Nomination,
    Producer,
    Product,
    Province,
    Region,
    Role,
    Round,
    User,
)
from certificates.models import ImportedCertificate
from certificates.operations.past_imports import import_certificates
from voting.operations.nomination_imports import import_nomination_list, nomination_columns
from voting.operations.producers import save_producer_profile
from voting.operations.rounds import create_round, open_registration
from voting.views.import_messages import NOMINATION_MESSAGES, problem_message

SAMPLE = Path(__file__).resolve().parents[2] / "data/samples/de-cu-van-ban-tuyen-quang.xlsx"
TUYEN_QUANG, THAI_NGUYEN, KHANH_HOA = "08", "19", "56"
#: Registration of the regional round runs from 1/9 to 31/12/2026; the lists are imported on 1/10/2026.
TODAY = datetime.date(2026, 10, 1)
OPENS, CLOSES = datetime.date(2026, 9, 1), datetime.date(2026, 12, 31)
HEADERS = [c.header for c in nomination_columns("tinh")]
KEYS = [c.key for c in nomination_columns("tinh")]
COUNTED = (Producer, Product, ImportedCertificate, Application, Nomination)


def row(**changes):
    """A valid row (a new producer and product of Tuyên Quang) in the template's order; ``changes`` by column key."""
    values = {"stt": 1, "product_name": "Miến dong Sơn Dương", "producer_name": "Hợp tác xã Miến dong Thượng Ấm",
              "producer_type": "Hợp tác xã", "registration_number": "5000111222",
              "address": "Thôn Cầu Cao, xã Sơn Dương, tỉnh Tuyên Quang", "group": 2,
              "decision_number": "2155/QĐ-UBND", "decision_on": datetime.datetime(2025, 11, 28),
              "number": "GCN-TQ-2025-101", "valid_until": datetime.datetime(2028, 11, 28)}
    values.update(changes)
    return [values[key] for key in KEYS]


def xlsx(rows, headers=HEADERS):
    return xlsx_bytes(rows, headers)


def _province(code):
    return db.session.scalar(select(Province).where(Province.code == code))


@pytest.fixture
def regional_round(app, make_user):
    """Return a function building a round of the region of ``province_code`` as that region's organiser (the Cục).

    The round is regional (``level`` "khu_vuc") or national ("quoc_gia", by the Ministry).
    """

    def build(province_code=TUYEN_QUANG, open_=True, quota=None, level="khu_vuc"):
        user = make_user(Role.ORGANISER, jurisdiction=level)
        with app.app_context():
            organiser = db.session.get(User, user.id)
            if level == "khu_vuc":
                organiser.region_id = _province(province_code).region_id
            authority = db.session.scalar(select(IssuingAuthority).where(
                IssuingAuthority.jurisdiction_level == level))
            where = db.session.get(Region, organiser.region_id).name if level == "khu_vuc" else "toàn quốc"
            round_ = create_round(organiser, {
                "title": f"Bình chọn sản phẩm CNNT tiêu biểu {where} năm 2026", "year": 2026,
                "registration_opens_on": OPENS, "registration_closes_on": CLOSES}, authority)
            round_.nomination_quota = quota
            if open_:
                open_registration(organiser, round_)
            db.session.commit()
            return round_.id, user

    return build


def run(app, round_id, user, source, province_code=TUYEN_QUANG, file_name="de-cu.xlsx", today=TODAY):
    """Import and commit (or roll back when refused); return the report."""
    with app.app_context():
        report = import_nomination_list(db.session.get(User, user.id), db.session.get(Round, round_id),
                                        _province(province_code), source, file_name, today)
        if report.ok:
            db.session.commit()
        else:
            db.session.rollback()
        return report


def counts(app):
    with app.app_context():
        tables = {model.__name__: db.session.scalar(select(func.count(model.id))) for model in COUNTED}
        tables["events"] = db.session.scalar(select(func.count(AuditEvent.id)).where(
            AuditEvent.action.in_(("nomination.import", "nomination.create"))))
        return tables


def refused(app, round_id, user, source, *fragments, **kwargs):
    """Import ``source``, expect it refused with nothing written; return the messages (row, column, text)."""
    before = counts(app)
    report = run(app, round_id, user, source, **kwargs)
    assert not report.ok
    with app.test_request_context():
        messages = [(p.row, p.column, problem_message(p, NOMINATION_MESSAGES)) for p in report.problems]
    text = "\n".join(m[2] for m in messages)
    for fragment in fragments:
        assert fragment in text, (fragment, messages)
    assert counts(app) == before
    return messages


def test_the_sample_list_imports_into_an_open_regional_round(app, make_user, regional_round):
    round_id, organiser = regional_round()
    owner = make_user()
    with app.app_context():
        # One producer of the list already registered on the platform, its product with a full dossier.
        user = db.session.get(User, owner.id)
        known = make_producer(user, province_code=TUYEN_QUANG, registration_number="5000567890",
                              name="HTX Miến dong Hợp Thành")
        known_product = make_complete_product(user, known, name="Miến dong  hợp thành")
        db.session.commit()
        known_id, known_product_id = known.id, known_product.id
    data = SAMPLE.read_bytes()
    report = run(app, round_id, organiser, data, file_name="de-cu-van-ban-tuyen-quang.xlsx")
    assert report.ok, report.problems
    assert (report.rows, report.nominated, report.certificates_created) == (12, 12, 12)
    assert (report.producers_created, report.producers_matched) == (10, 1)
    assert (report.products_created, report.products_matched) == (11, 1)
    with app.app_context():
        province = _province(TUYEN_QUANG)
        nominations = db.session.scalars(select(Nomination).where(Nomination.target_round_id == round_id)).all()
        assert len(nominations) == 12
        for nomination in nominations:
            assert nomination.source_application_id is None and nomination.source_certificate_id is None
            assert nomination.province_id == province.id and nomination.nominated_by_id == organiser.id
            paper = nomination.source_imported_certificate
            assert paper.level == "tinh" and paper.province_id == province.id
            assert paper.authority_name == "Ủy ban nhân dân tỉnh Tuyên Quang"
            assert paper.valid_until >= CLOSES and paper.source_file_name == "de-cu-van-ban-tuyen-quang.xlsx"
            entry = nomination.target_application
            assert entry.round_id == round_id and entry.status == ApplicationStatus.SUBMITTED
            assert entry.submitted_at is not None and entry.entry_code is None
            assert entry.producer.province_id == province.id
            assert paper.product_id == entry.product_id  # the paper certificate knows its product now
        created = db.session.scalars(select(Producer).where(Producer.imported_at.is_not(None))).all()
        assert len(created) == 10 and all(p.province_id == province.id for p in created)
        # The known producer and product are used as they are: not re-created, not marked, dossier carried.
        known = db.session.get(Producer, known_id)
        assert known.imported_at is None and known.name == "HTX Miến dong Hợp Thành"
        entry = db.session.scalar(select(Application).where(Application.round_id == round_id,
                                                            Application.product_id == known_product_id))
        assert entry.status == ApplicationStatus.SUBMITTED
        assert db.session.get(Product, known_product_id).imported_at is None
        assert len(entry.product.photos) == 3 and len(entry.product.documents) == 1
        # Two rows of one company: one producer, two products; a long name kept whole.
        mechanics = db.session.scalar(select(Producer).where(Producer.registration_number == "5000678901"))
        assert mechanics.type_code == "dnnvv" and mechanics.address == "Tổ 9, phường Minh Xuân, tỉnh Tuyên Quang"
        assert sorted(p.name for p in mechanics.products) == ["Máy sao chè mini quay tay cải tiến",
                                                              "Máy thái lát nghệ và dược liệu"]
        assert all(p.imported_at is not None and p.group_code == "3" for p in mechanics.products)
        long_name = db.session.scalar(select(Product).where(Product.name.startswith("Bộ sản phẩm bánh gai")))
        assert long_name.name.endswith("bánh gai lá ngải)") and long_name.producer.type_code == "dnnvv"
        weavers = db.session.scalar(select(Producer).where(Producer.name.startswith("Tổ hợp tác dệt")))
        assert weavers.type_code == "tht" and weavers.registration_number is None
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "nomination.import"))
        assert event.actor_id == organiser.id and hashlib.sha256(data).hexdigest() in event.data
        assert '"nominated": 12' in event.data and "de-cu-van-ban-tuyen-quang.xlsx" in event.data
        assert db.session.scalar(select(func.count(AuditEvent.id)).where(
            AuditEvent.action == "nomination.create")) == 12


def test_the_sample_matches_the_template(app, client, regional_round):
    round_id, organiser = regional_round()
    login(client, organiser.email, organiser.password)
    response = client.get(f"/organiser/rounds/{round_id}/nominations/import/template.xlsx")
    assert response.status_code == 200
    template = list(load_workbook(io.BytesIO(response.data), read_only=True).worksheets[0].iter_rows(values_only=True))
    sample = read_rows(SAMPLE.read_bytes())
    assert list(template[0]) == list(sample[0][1][:len(HEADERS)]) == HEADERS
    assert len(template) == 2 and len(sample) == 13


def test_a_known_paper_certificate_of_the_same_product_is_reused(app, make_user, regional_round):
    round_id, organiser = regional_round()
    with app.app_context():  # imported earlier with the past certificates, without an expiry
        past = ["Số giấy chứng nhận", "Cấp", "Năm", "Số quyết định", "Ngày quyết định", "Cơ quan cấp",
                "Tên sản phẩm", "Nhóm sản phẩm", "Tên cơ sở", "Tỉnh, thành phố"]
        assert import_certificates(None, [past, ["GCN-TQ-2025-101", "Cấp tỉnh", 2025, "2155/QĐ-UBND",
                                                 datetime.date(2025, 11, 28), "Ủy ban nhân dân tỉnh Tuyên Quang",
                                                 "Miến dong Sơn Dương", 2, "Hợp tác xã Miến dong Thượng Ấm",
                                                 "Tuyên Quang"]], "cu.xlsx", TODAY).ok
        db.session.commit()
    report = run(app, round_id, organiser, [HEADERS, row()])
    assert report.ok and (report.certificates_created, report.certificates_matched) == (0, 1)
    with app.app_context():
        paper = db.session.scalar(select(ImportedCertificate))
        assert paper.valid_until == datetime.date(2028, 11, 28)  # the list states it; the event records it
        assert db.session.scalar(select(Nomination)).source_imported_certificate_id == paper.id


def test_rows_with_nothing_but_their_number_are_blank(app, regional_round):
    round_id, organiser = regional_round()
    report = run(app, round_id, organiser, xlsx([row(), [2] + [None] * 10, [3, "  ", None, "\u00a0"]]))
    assert report.ok and (report.rows, report.nominated) == (1, 1)
    refused(app, round_id, organiser, xlsx([[1], [2]]), "Tệp không có dòng dữ liệu nào dưới dòng tiêu đề.")


def test_a_producer_is_matched_by_folded_name_in_the_province(app, make_user, regional_round):
    round_id, organiser = regional_round()
    owner = make_user()
    with app.app_context():
        fields = {"name": "Tổ hợp tác chè Shan Lũng Phìn", "type_code": "tht", "registration_number": None,
                  "address": "Thôn Lũng Phìn", "representative": "Vàng Mí Sính", "phone": "0912000111", "email": ""}
        from tests.factories import commune_in

        producer = save_producer_profile(db.session.get(User, owner.id), None, fields, commune_in(TUYEN_QUANG))
        db.session.commit()
        producer_id = producer.id
    name = unicodedata.normalize("NFD", "  TỔ HỢP TÁC   chè shan lũng phìn ")
    report = run(app, round_id, organiser, [HEADERS, row(producer_name=name, producer_type="Tổ hợp tác",
                                                         registration_number=None)])
    assert report.ok and (report.producers_created, report.producers_matched) == (0, 1)
    with app.app_context():
        entry = db.session.scalar(select(Application).where(Application.round_id == round_id))
        assert entry.producer_id == producer_id and entry.product.imported_at is not None


def test_wrong_columns_are_refused_naming_the_missing_ones(app, regional_round):
    round_id, organiser = regional_round()
    headers = [h for h in HEADERS if h not in ("Tên cơ sở", "Số giấy chứng nhận")] + ["Ghi chú"]
    messages = refused(app, round_id, organiser, xlsx([row()[:len(headers)]], headers),
                       "Tệp thiếu cột: Tên cơ sở, Số giấy chứng nhận.")
    assert messages[0][:2] == (None, "")


def test_duplicate_certificate_numbers_in_the_file(app, regional_round):
    round_id, organiser = regional_round()
    rows = [row(), row(product_name="Miến dong sợi nhỏ", number=" gcn-tq-2025-101 ")]
    messages = refused(app, round_id, organiser, xlsx(rows), "Số gcn-tq-2025-101 trùng với dòng 2 của tệp.")
    assert messages == [(3, "Số giấy chứng nhận", "Số gcn-tq-2025-101 trùng với dòng 2 của tệp.")]


def test_a_known_certificate_number_of_another_product_is_refused(app, regional_round):
    round_id, organiser = regional_round()
    assert run(app, round_id, organiser, [HEADERS, row()]).ok
    other = row(number="GCN-TQ-2025-101", product_name="Mật ong bạc hà", producer_name="Hợp tác xã ong Mèo Vạc",
                registration_number="5100999888")
    refused(app, round_id, organiser, [HEADERS, row(number="GCN-TQ-2025-102", product_name="Miến dong sợi to"),
                                       other],
            "Số GCN-TQ-2025-101 đã có trên nền tảng, cấp cho sản phẩm “Miến dong Sơn Dương” của "
            "“Hợp tác xã Miến dong Thượng Ấm”")


def test_a_certificate_number_issued_on_the_platform_is_refused(app, make_user, regional_round, signer):
    from tests.support.certificates import certify, issue_certificates

    round_id, organiser = regional_round()
    issued = issue_certificates(app, certify(app, make_user, entries=1, failing=0))  # in Thái Nguyên
    number = issued[0][1]
    messages = refused(app, round_id, organiser, [HEADERS, row(number=number)],
                       f"Số {number} là giấy chứng nhận do nền tảng cấp", province_code="19")
    assert messages[0][:2] == (2, "Số giấy chứng nhận")
    # Official numbers ("1/GCN-UBND") repeat across provinces: Tuyên Quang's paper certificate of that
    # number is its own, not Thái Nguyên's certificate issued here.
    assert run(app, round_id, organiser, [HEADERS, row(number=number)]).ok


def test_dates_in_the_future_are_refused(app, regional_round):
    round_id, organiser = regional_round()
    messages = refused(app, round_id, organiser,
                       xlsx([row(decision_on="15/10/2026", valid_until="15/10/2029"),
                             row(number="X-2", decision_on="31/02/2025"),
                             row(number="X-3", product_name="Miến", valid_until=datetime.datetime(2025, 1, 1))]),
                       "Ngày 15/10/2026 chưa đến.", "Ngày “31/02/2025” không đúng dạng ngày/tháng/năm",
                       "Ngày hết giá trị phải sau ngày quyết định.")
    assert [(m[0], m[1]) for m in messages] == [(2, "Ngày quyết định"), (3, "Ngày quyết định"), (4, "Có giá trị đến")]


def test_nfd_text_and_stray_spaces_are_normalised_not_refused(app, regional_round):
    round_id, organiser = regional_round()
    nfd = lambda text: unicodedata.normalize("NFD", text)  # noqa: E731
    headers = ["  " + nfd(h.upper()) + " " for h in HEADERS]
    values = row(product_name=nfd("  Miến dong   Sơn Dương "), producer_name=nfd("Hợp tác xã\u00a0Miến dong  Thượng Ấm"),
                 producer_type=nfd(" hợp  tác xã "), address=nfd(" Thôn Cầu Cao,  xã Sơn Dương "),
                 group=nfd(" Nhóm sản phẩm chế biến nông, lâm, thủy sản và thực phẩm "),
                 registration_number=" 5000 111 222 ", number=" GCN-TQ-2025-101 ", decision_on=" 28/11/2025 ")
    report = run(app, round_id, organiser, xlsx([values], headers))
    assert report.ok, report.problems
    with app.app_context():
        product = db.session.scalar(select(Product))
        assert product.name == "Miến dong Sơn Dương" and product.name_folded == "mien dong son duong"
        producer = product.producer
        assert producer.name == "Hợp tác xã Miến dong Thượng Ấm" and producer.type_code == "htx"
        assert producer.address == "Thôn Cầu Cao, xã Sơn Dương" and producer.registration_number == "5000111222"
        assert product.group_code == "2" and db.session.scalar(select(ImportedCertificate)).number == "GCN-TQ-2025-101"


def test_a_province_of_another_region_is_refused(app, regional_round):
    round_id, organiser = regional_round(province_code=KHANH_HOA)  # a round of miền Trung - Tây Nguyên
    messages = refused(app, round_id, organiser, [HEADERS, row()],
                       "Tuyên Quang không thuộc Khu vực miền Trung - Tây Nguyên")
    assert messages[0][:2] == (None, "")


def test_the_same_list_twice_is_refused_row_by_row(app, regional_round):
    round_id, organiser = regional_round()
    data = SAMPLE.read_bytes()
    assert run(app, round_id, organiser, data).ok
    messages = refused(app, round_id, organiser, data, "Giấy chứng nhận số 1/GCN-UBND đã được đề cử vào đợt này.")
    assert len(messages) == 12 and {m[1] for m in messages} == {"Số giấy chứng nhận"}


def test_a_product_already_entered_under_another_certificate_is_refused(app, regional_round):
    round_id, organiser = regional_round()
    assert run(app, round_id, organiser, [HEADERS, row()]).ok
    refused(app, round_id, organiser, [HEADERS, row(number="GCN-TQ-2024-007", decision_on="15/11/2024")],
            "Sản phẩm “Miến dong Sơn Dương” đã có hồ sơ trong đợt này.")


def test_a_withdrawn_paper_nomination_comes_back_on_a_new_import(app, regional_round):
    round_id, organiser = regional_round()
    assert run(app, round_id, organiser, [HEADERS, row()]).ok
    with app.app_context():
        nomination = db.session.scalar(select(Nomination))
        nomination.withdrawn_at = nomination.nominated_at  # as a withdrawal would leave it
        nomination.target_application.status = ApplicationStatus.WITHDRAWN
        db.session.commit()
        nomination_id, application_id = nomination.id, nomination.target_application_id
    report = run(app, round_id, organiser, [HEADERS, row()])
    assert report.ok and (report.certificates_matched, report.products_matched) == (1, 1)
    with app.app_context():
        nomination = db.session.scalar(select(Nomination))
        assert nomination.id == nomination_id and nomination.withdrawn_at is None
        assert nomination.target_application_id == application_id
        assert nomination.target_application.status == ApplicationStatus.SUBMITTED
        assert counts(app)["Application"] == 1


def test_an_expired_or_undated_certificate_is_refused(app, regional_round):
    round_id, organiser = regional_round()
    messages = refused(app, round_id, organiser,
                       [HEADERS, row(valid_until="15/12/2026"), row(number="X-2", product_name="Miến", valid_until="")],
                       "Giấy chứng nhận hết hiệu lực ngày 15/12/2026, trước hạn cuối nhận hồ sơ 31/12/2026",
                       "Chưa điền ngày hết hiệu lực.")
    assert [(m[0], m[1]) for m in messages] == [(2, "Có giá trị đến"), (3, "Có giá trị đến")]


def test_a_round_not_open_is_refused(app, regional_round):
    round_id, organiser = regional_round(open_=False)
    refused(app, round_id, organiser, [HEADERS, row()], "Đợt bình chọn không trong thời gian nhận hồ sơ (từ 01/09/2026 "
                                                        "đến 31/12/2026")
    open_id, other = regional_round()
    refused(app, open_id, other, [HEADERS, row()], "không trong thời gian nhận hồ sơ",
            today=datetime.date(2027, 1, 1))


def test_the_province_quota_counts_earlier_rows_of_the_file(app, regional_round):
    round_id, organiser = regional_round(quota=2)
    assert run(app, round_id, organiser, [HEADERS, row()]).ok
    messages = refused(app, round_id, organiser,
                       [HEADERS, row(number="A-1", product_name="Miến dong sợi nhỏ"),
                        row(number="A-2", product_name="Miến dong sợi to")],
                       "đợt nhận tối đa 2 sản phẩm của một tỉnh, Tuyên Quang đã có 1; dòng này là sản phẩm thứ 3.")
    assert [m[0] for m in messages] == [3]


def test_other_row_problems_are_reported_by_row_and_column(app, make_user, regional_round):
    round_id, organiser = regional_round()
    owner = make_user()
    with app.app_context():
        make_producer(db.session.get(User, owner.id), province_code=THAI_NGUYEN, registration_number="4700555666")
        db.session.commit()
    messages = refused(app, round_id, organiser, xlsx([
        row(producer_type="Hợp tác xã kiểu mới", group=7, registration_number="12345"),
        row(number="X-2", registration_number="4700555666"),
        row(number="X-3", product_name=""),
        row(number="X-4"),
        row(number="X-5", product_name="MIẾN DONG  SƠN DƯƠNG"),  # the same product as the row above
    ]), "Loại hình “Hợp tác xã kiểu mới” không có trong danh mục", "Nhóm sản phẩm “7” không có trong danh mục",
        "Mã số đăng ký 4700555666 là của “Hợp tác xã Miến dong Na Rì” ở Thái Nguyên",
        "Chưa điền.", "Sản phẩm “MIẾN DONG SƠN DƯƠNG” của cơ sở này trùng với dòng 5 của tệp.")
    assert (2, "Loại hình cơ sở") in [(m[0], m[1]) for m in messages]
    assert (3, "Mã số đăng ký") in [(m[0], m[1]) for m in messages]
    assert (4, "Tên sản phẩm") in [(m[0], m[1]) for m in messages]
    assert 5 not in [m[0] for m in messages] and (6, "Tên sản phẩm") in [(m[0], m[1]) for m in messages]


def test_a_national_round_takes_regional_certificates(app, regional_round):
    round_id, organiser = regional_round(level="quoc_gia")
    headers = [c.header for c in nomination_columns("khu_vuc")]
    assert "Số quyết định cấp khu vực" in headers
    report = run(app, round_id, organiser, [headers, row(decision_number="388/QĐ-CTĐP", number="KV-2024-0101",
                                                         decision_on="08/11/2024", valid_until="08/11/2027")])
    assert report.ok, report.problems
    with app.app_context():
        paper = db.session.scalar(select(ImportedCertificate))
        assert paper.level == "khu_vuc" and paper.authority_name.startswith("Cục ")


def test_only_the_rounds_organiser_imports(app, make_user, regional_round):
    round_id, _ = regional_round()
    provincial = make_user(Role.ORGANISER, province_code=TUYEN_QUANG)
    with app.app_context(), pytest.raises(DomainError) as refusal:
        import_nomination_list(db.session.get(User, provincial.id), db.session.get(Round, round_id),
                               _province(TUYEN_QUANG), [HEADERS, row()], "x.xlsx", TODAY)
    assert refusal.value.code == "organiser_only"


# The page


@pytest.fixture
def page(app, client, regional_round, monkeypatch):
    """The regional organiser signed in on the import page of an open round, on :data:`TODAY`."""
    monkeypatch.setattr("voting.views.organiser.nomination_imports.today_vn", lambda: TODAY)
    round_id, organiser = regional_round()
    assert login(client, organiser.email, organiser.password).status_code == 302
    with app.app_context():
        province_id = _province(TUYEN_QUANG).id
    return f"/organiser/rounds/{round_id}/nominations/import", round_id, province_id


def upload(client, url, data, province_id, name="de-cu.xlsx", token=None):
    token = token if token is not None else csrf_from(client.get(url))
    return client.post(url, data={"csrf_token": token, "province": str(province_id),
                                  "file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def test_the_page_imports_the_sample_and_says_so(app, client, page):
    url, round_id, province_id = page
    form = client.get(url)
    body = form.get_data(as_text=True)
    assert form.status_code == 200 and "Tuyên Quang" in body and "Khánh Hòa" not in body  # its region's provinces
    response = upload(client, url, SAMPLE.read_bytes(), province_id, name="de-cu-van-ban-tuyen-quang.xlsx")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    landing = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Đã nhập danh sách đề cử của Tuyên Quang từ tệp “de-cu-van-ban-tuyen-quang.xlsx”: 12 sản phẩm" in landing
    assert counts(app)["Nomination"] == 12


def test_the_page_shows_the_report_and_keeps_the_province(app, client, page):
    url, round_id, province_id = page
    before = counts(app)
    response = upload(client, url, xlsx([row(decision_on="15/10/2026"), row(number="X-2", product_name="Miến")]),
                      province_id)
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "không có dòng nào được ghi" in body and "Ngày 15/10/2026 chưa đến." in body
    assert "<td>2</td><td>Ngày quyết định</td>" in body
    assert f'<option selected value="{province_id}">Tuyên Quang</option>' in body
    assert counts(app) == before


def test_the_page_refuses_a_file_that_is_not_a_workbook_by_content(app, client, page):
    url, round_id, province_id = page
    before = counts(app)
    response = upload(client, url, b"%PDF-1.4\n" + b"0" * 2000, province_id, name="danh-sach.xlsx")
    assert response.status_code == 400
    assert "Tệp không phải bảng tính Excel (.xlsx) hợp lệ." in response.get_data(as_text=True)
    assert counts(app) == before


def test_the_page_requires_the_csrf_token_and_a_province(app, client, page):
    url, round_id, province_id = page
    before = counts(app)
    assert upload(client, url, SAMPLE.read_bytes(), province_id, token="forged").status_code == 400
    response = upload(client, url, SAMPLE.read_bytes(), "")
    assert response.status_code == 400
    assert "Hãy chọn tỉnh, thành phố gửi danh sách." in response.get_data(as_text=True)
    assert counts(app) == before


def test_a_province_outside_the_rounds_region_cannot_be_chosen(app, client, page):
    url, round_id, province_id = page
    with app.app_context():
        khanh_hoa = _province(KHANH_HOA).id
    response = upload(client, url, SAMPLE.read_bytes(), khanh_hoa)
    assert response.status_code == 400
    assert counts(app)["Nomination"] == 0


def test_a_provincial_round_has_no_import(app, client, make_user):
    from tests.factories import make_round

    user = make_user(Role.ORGANISER, province_code=TUYEN_QUANG)
    with app.app_context():
        round_id = make_round(db.session.get(User, user.id), title="Bình chọn tỉnh Tuyên Quang").id
        db.session.commit()
    login(client, user.email, user.password)
    response = client.get(f"/organiser/rounds/{round_id}/nominations/import")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/organiser/rounds/{round_id}")
    body = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Chỉ đợt bình chọn cấp khu vực hoặc cấp quốc gia mới nhận danh sách đề cử" in body


def test_another_regions_organiser_gets_not_found(app, client, make_user, regional_round):
    round_id, _ = regional_round()
    elsewhere = make_user(Role.ORGANISER, province_code=KHANH_HOA)
    login(client, elsewhere.email, elsewhere.password)
    assert client.get(f"/organiser/rounds/{round_id}/nominations/import").status_code == 404
    assert client.get(f"/organiser/rounds/{round_id}/nominations/import/template.xlsx").status_code == 404


def test_the_importing_organiser_withdraws_a_paper_nomination_from_the_list(app, client, page, make_user):
    url, round_id, province_id = page
    assert upload(client, url, SAMPLE.read_bytes(), province_id).status_code == 302
    with app.app_context():
        nomination = db.session.scalar(select(Nomination).order_by(Nomination.id))
        nomination_id, product = nomination.id, nomination.target_application.product.name
    listing = client.get(f"/organiser/rounds/{round_id}/nominations").get_data(as_text=True)
    assert f"/organiser/nominations/{nomination_id}/withdraw" in listing

    # A provincial organiser (of the province on paper) may not: the list is the region's record.
    other = app.test_client()
    provincial = make_user(Role.ORGANISER, province_code=TUYEN_QUANG)
    login(other, provincial.email, provincial.password)
    token = csrf_from(other.get("/organiser/"))
    assert other.post(f"/organiser/nominations/{nomination_id}/withdraw",
                      data={"csrf_token": token, "reason": "Thử."}).status_code == 404

    token = csrf_from(client.get(f"/organiser/rounds/{round_id}/nominations"))
    done = client.post(f"/organiser/nominations/{nomination_id}/withdraw",
                       data={"csrf_token": token, "reason": "Tỉnh xin rút sản phẩm này."}, follow_redirects=True)
    assert f"Đã rút đề cử sản phẩm “{product}”." in html.unescape(done.get_data(as_text=True))
    with app.app_context():
        nomination = db.session.get(Nomination, nomination_id)
        assert nomination.withdrawn_at is not None
        assert nomination.target_application.status == ApplicationStatus.WITHDRAWN
        assert db.session.scalar(select(AuditEvent.action).where(
            AuditEvent.object_type == "nomination", AuditEvent.object_id == str(nomination_id))
            .order_by(AuditEvent.id.desc())) == "nomination.withdraw"


def test_the_committed_templates_match_what_the_pages_serve():
    """data/samples holds the templates for people who cannot reach the site (closed networks)."""
    import runpy

    script = runpy.run_path(str(SAMPLE.parent.parent.parent / "scripts/make_import_samples.py"))
    for path, data in script["build_templates"]().items():
        committed = load_workbook(io.BytesIO(path.read_bytes())).active
        served = load_workbook(io.BytesIO(data)).active
        assert [[c.value for c in row] for row in committed.iter_rows()] == \
            [[c.value for c in row] for row in served.iter_rows()], path.name
