"""Issue 18's wording: the old phrases stay gone, counts and sheet names read as Vietnamese expects,
and the six centrally-run cities are "cấp thành phố", with "Thành phố Hồ Chí Minh" as that unit's name."""
import re
from pathlib import Path

import pypdfium2
import pytest
from babel.messages.pofile import read_po
from flask import render_template_string
from sqlalchemy import select

from certificates.models import Certificate
from certificates.operations.issuance import level_text, stored_pdf
from certificates.views.registry.pages import level_label as registry_level
from tests.conftest import login
from tests.factories import make_round
from tests.support.certificates import certify, issue_certificates
from voting.core.code_labels import level_label_for
from voting.core.text import province_key
from voting.documents.exports import SHEET_TITLE as SUMMARY_SHEET
from voting.documents.import_workbook import SHEET_TITLE as IMPORT_SHEET
from voting.documents.results_exports import MATRIX_SHEET, RESULTS_SHEET
from voting.extensions import db
from voting.models import FormerProvince, IssuingAuthority, Province, Round, User
from voting.operations.nomination_imports import SHEET_TITLE as NOMINATION_SHEET
from voting.operations.reference import load_authorities, load_former_provinces, load_provinces

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "voting/translations/en/LC_MESSAGES/messages.po"
#: Wording the review replaced (issue 18), with what replaced it; none may come back.
OLD_PHRASES = (
    "cấp trên giấy", "Cấp trên giấy",   # cấp bản giấy
    "Cấp trên nền tảng",                # Cấp trên hệ thống
    "giấy chứng nhận giấy", "Giấy chứng nhận giấy",  # Giấy chứng nhận (bản giấy)
    "danh sách đề cử giấy",             # danh sách đề cử bằng văn bản
    "giám khảo được chấm",              # mới có N giám khảo chấm
    "và cách trung vị hơn",             # Ngưỡng chênh lệch tối thiểu so với trung vị (điểm)
    "lần MAD",                          # lần độ lệch tuyệt đối trung vị (MAD)
    "đạt điểm đạt",                     # đạt từ điểm đạt trở lên
    "giấy cũ chỉ sang giấy mới",        # mã QR trên giấy cũ dẫn tới giấy mới
    "sản phẩm trên tay",                # sản phẩm bạn đang cầm
    "dù tên tệp là gì",                 # Tệp không phải bảng tính Excel (.xlsx) hợp lệ.
    "Giải: %(prize)s",                  # Đạt Giải A.
    "«", "»",                           # “ ”
    "CNNT Tiêu biểu",                   # CNNT tiêu biểu
    "Hiệu lực đến", "Còn hiệu lực đến %(date)s",  # Có giá trị đến
    "Tải xuống", "tải xuống",           # Tải về
)
FORBIDDEN_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")


def _templates():
    return [p for p in (ROOT / "templates").rglob("*") if p.is_file() and p.suffix in {".html", ".txt", ".svg"}]


def _msgids():
    with open(PO, "rb") as handle:
        catalogue = read_po(handle)
    return [i for m in catalogue if m.id for i in ((m.id,) if isinstance(m.id, str) else m.id)]


@pytest.mark.parametrize("phrase", OLD_PHRASES)
def test_no_old_phrase_in_templates(phrase):
    found = [str(p.relative_to(ROOT)) for p in _templates() if phrase in p.read_text("utf-8")]
    assert found == []


@pytest.mark.parametrize("phrase", OLD_PHRASES)
def test_no_old_phrase_in_the_catalogue(phrase):
    assert [i for i in _msgids() if phrase in i] == []


#: Where an old phrase stays on purpose: the import still accepts the header it replaced.
KEPT_ON_PURPOSE = {("voting/operations/nomination_imports.py", "Hiệu lực đến"),
                   ("data/samples/README.md", "Hiệu lực đến")}


def _written_text():
    """Every other file a user or an office reads: Python sources (views, forms, operations, PDFs, Excel
    exports, demo data), the README, the published documents and the samples' notes."""
    files = [p for folder in ("voting", "certificates") for p in (ROOT / folder).rglob("*.py")]
    files += [ROOT / "README.md", ROOT / "Makefile", ROOT / "data/samples/README.md"]
    files += [p for p in (ROOT / "docs").rglob("*") if p.is_file() and p.suffix in {".md", ".json"}]
    return files


@pytest.mark.parametrize("phrase", OLD_PHRASES)
def test_no_old_phrase_in_the_code_the_demo_or_the_documentation(phrase):
    found = [name for p in _written_text() if phrase in p.read_text("utf-8")
             and (name := str(p.relative_to(ROOT)), phrase) not in KEPT_ON_PURPOSE]
    assert found == []


def test_a_council_member_is_an_uy_vien_and_a_juror_stays_a_thanh_vien_ban_giam_khao():
    ids = set(_msgids())
    assert "Ủy viên" in ids and "Thành viên" not in ids
    assert "Thành viên Ban Giám khảo" in ids


def test_the_wording_the_review_asked_for_is_there():
    ids = set(_msgids())
    for wanted in ("Cấp trên hệ thống", "cấp bản giấy", "Ngưỡng chênh lệch tối thiểu so với trung vị (điểm)",
                   "Tệp không phải bảng tính Excel (.xlsx) hợp lệ.", "Đạt %(prize)s.", "Có giá trị đến",
                   "Tải về", "Đối chiếu với sản phẩm bạn đang cầm", "Cấp thành phố"):
        assert wanted in ids, wanted


@pytest.mark.parametrize("title", [SUMMARY_SHEET, IMPORT_SHEET, MATRIX_SHEET, RESULTS_SHEET, NOMINATION_SHEET])
def test_sheet_names_are_vietnamese_with_diacritics_and_valid_for_excel(title):
    assert len(title) <= 31 and not FORBIDDEN_IN_SHEET_NAMES.search(title)
    assert title.isascii() is False
    assert title in {"Danh sách trích ngang", "Chứng nhận", "Bảng điểm chi tiết", "Kết quả bình chọn", "Đề cử"}


@pytest.mark.parametrize("language, shown", [("vi", "1.234"), ("en", "1,234")])
def test_counts_carry_the_languages_thousands_separator(app, language, shown):
    with app.test_request_context(headers={"Cookie": f"lang={language}"}):
        assert render_template_string("{{ 1234|number }} {{ 12|number }} {{ none|number }}") == f"{shown} 12 "


# --- cấp thành phố, Thành phố Hồ Chí Minh ------------------------------------------------------

def _province(code):
    return db.session.scalar(select(Province).where(Province.code == code))


def test_the_six_centrally_run_cities_and_only_they_are_cap_thanh_pho(app_ctx):
    cities = {p.name for p in db.session.scalars(select(Province)) if p.level_words == "cấp thành phố"}
    assert cities == {"Hà Nội", "Hải Phòng", "Huế", "Đà Nẵng", "Cần Thơ", "Thành phố Hồ Chí Minh"}
    assert level_text("tinh", _province("01")) == "cấp thành phố"
    assert level_text("tinh", _province("19")) == "cấp tỉnh"
    assert level_text("tinh") == "cấp tỉnh" and level_text("khu_vuc", _province("01")) == "cấp khu vực"


def test_ho_chi_minh_city_is_named_as_a_unit_and_found_by_any_spelling(app_ctx):
    hcm = _province("79")
    assert hcm.name == "Thành phố Hồ Chí Minh" and hcm.full_name == "Thành phố Hồ Chí Minh"
    assert _province("01").full_name == "thành phố Hà Nội" and _province("19").full_name == "tỉnh Thái Nguyên"
    assert db.session.scalar(select(FormerProvince).where(FormerProvince.code == "79")).name == "Thành phố Hồ Chí Minh"
    for spelling in ("Hồ Chí Minh", "TP. Hồ Chí Minh", "Thành phố Hồ Chí Minh", "thanh pho ho chi minh"):
        assert province_key(spelling) == hcm.name_folded == "ho chi minh"
    authority = db.session.scalar(select(IssuingAuthority).where(IssuingAuthority.code == "UBND-79"))
    assert authority.name == "Ủy ban nhân dân Thành phố Hồ Chí Minh"
    assert authority.place_name == "Thành phố Hồ Chí Minh"


def test_a_reload_renames_a_unit_still_under_its_old_name_and_leaves_an_edited_one(app_ctx):
    hcm = _province("79")
    hcm.name, hcm.name_folded = "Hồ Chí Minh", "ho chi minh"
    former = db.session.scalar(select(FormerProvince).where(FormerProvince.code == "79"))
    former.name = "Hồ Chí Minh"
    authority = db.session.scalar(select(IssuingAuthority).where(IssuingAuthority.code == "UBND-79"))
    authority.name, authority.place_name = "Ủy ban nhân dân thành phố Hồ Chí Minh", "Hồ Chí Minh"
    hanoi = _province("01")
    hanoi.name = "Thủ đô Hà Nội"  # an administrator's edit: not in the list of corrected names
    db.session.flush()

    assert load_provinces() == 1 and load_former_provinces() == 1 and load_authorities() == 1
    assert (hcm.name, hcm.name_folded, former.name) == ("Thành phố Hồ Chí Minh", "ho chi minh",
                                                        "Thành phố Hồ Chí Minh")
    assert (authority.name, authority.place_name) == ("Ủy ban nhân dân Thành phố Hồ Chí Minh",
                                                      "Thành phố Hồ Chí Minh")
    assert hanoi.name == "Thủ đô Hà Nội"
    assert load_provinces() == 0 and load_authorities() == 0  # idempotent


def test_ui_level_labels_name_the_city_level(app):
    with app.test_request_context():
        assert str(level_label_for("tinh", "Hà Nội")) == "Cấp thành phố"
        assert str(level_label_for("tinh", "Thành phố Hồ Chí Minh")) == "Cấp thành phố"
        assert str(level_label_for("tinh", "Thừa Thiên Huế")) == "Cấp tỉnh"  # a tỉnh until 2025
        assert str(level_label_for("tinh", "Thái Nguyên")) == "Cấp tỉnh"
        assert str(level_label_for("khu_vuc", "Hà Nội")) == "Cấp khu vực"
        assert str(registry_level("tinh", "Đà Nẵng")) == "Cấp thành phố"
        assert str(registry_level("huyen", "Hà Nội")) == "Cấp huyện"


def test_a_hanoi_round_page_says_cap_thanh_pho(app, client, make_user):
    organiser = make_user("organiser", province_code="01")
    with app.app_context():
        round_ = make_round(db.session.get(User, organiser.id), title="Bình chọn sản phẩm CNNT tiêu biểu Hà Nội")
        db.session.commit()
        round_id = round_.id
    login(client, organiser.email)
    body = client.get(f"/organiser/rounds/{round_id}").get_data(as_text=True)
    assert "Cấp thành phố · Hà Nội" in body and "Cấp tỉnh" not in body


def _pdf_text(data):
    document = pypdfium2.PdfDocument(data)
    try:
        return " ".join(" ".join(page.get_textpage().get_text_range().split()) for page in document)
    finally:
        document.close()


def test_a_certificate_of_a_city_round_prints_cap_thanh_pho_and_names_the_group_once(app, client, make_user, signer,
                                                                                       monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "1000 per minute")
    hall = certify(app, make_user, entries=1, failing=0)
    with app.app_context():  # the same round, run by Hà Nội
        hanoi = _province("01")
        round_, organiser = db.session.get(Round, hall.round_id), db.session.get(User, hall.organiser.id)
        round_.province_id = organiser.province_id = hanoi.id
        round_.authority = db.session.scalar(select(IssuingAuthority).where(IssuingAuthority.code == "UBND-01"))
        db.session.commit()
    (certificate_id, number), = issue_certificates(app, hall)
    with app.app_context():
        certificate = db.session.get(Certificate, certificate_id)
        text = _pdf_text(stored_pdf(certificate))
    assert "Sản phẩm công nghiệp nông thôn tiêu biểu cấp thành phố năm" in text
    assert "cấp tỉnh" not in text
    assert "Nhóm sản phẩm: Nhóm" not in text and text.count("Nhóm sản phẩm") == 1
    registry = client.get(f"/registry/certificates/{number}").get_data(as_text=True)
    assert "Cấp thành phố, năm" in registry and "Cấp tỉnh" not in registry


def test_a_linked_certificate_is_named_at_the_level_it_states(app):
    from certificates.code_labels import link_level
    from certificates.models import ImportedCertificate
    from certificates.rules.lineage import Link

    with app.test_request_context():
        city = Certificate(snapshot='{"level_label": "cấp thành phố"}')
        province = Certificate(snapshot='{"level_label": "cấp tỉnh"}')
        assert str(link_level(Link("1/GCN-UBND", "tinh", 2026, certificate=city))) == "Cấp thành phố"
        assert str(link_level(Link("2/GCN-UBND", "tinh", 2026, certificate=province))) == "Cấp tỉnh"
        paper = ImportedCertificate(province_name_then="Cần Thơ")
        assert str(link_level(Link("3/GCN", "tinh", 2024, paper=paper))) == "Cấp thành phố"
        paper = ImportedCertificate(province_name_then="Hậu Giang")
        assert str(link_level(Link("4/GCN", "tinh", 2024, paper=paper))) == "Cấp tỉnh"
        regional = Certificate(snapshot='{"level_label": "cấp khu vực"}')
        assert str(link_level(Link("5/GCN", "khu_vuc", 2025, certificate=regional))) == "Cấp khu vực"
