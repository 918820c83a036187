"""The council's founding decision, the jury's appointment and the registration form as .docx (issue 18).

As for the recognition decision (tests/voting/test_decision_documents.py), positions are asserted: the words
of each PDF with their boxes (``pdftotext -bbox``) sit where Nghị định 30/2020 puts the blocks, the .docx
holds them in the cells of its header and closing tables, and LibreOffice opens every .docx.
"""
import io
import zipfile
from dataclasses import dataclass
from datetime import timedelta

import pytest
from docx import Document

from tests.conftest import login
from tests.factories import FOUNDING_SIGNER, build_world, found_council
from tests.support.layout import cell_text, centre, find, text, top_left, top_right
from tests.support.office import convert_to_pdf, pages_of, require_tools
from voting.core.clock import today_vn
from voting.documents.council_decisions import (
    founding_decision_doc, founding_decision_pdf, jury_appointment_doc, jury_appointment_pdf,
)
from voting.documents.council_docx import founding_decision_docx, jury_appointment_docx, registration_form_docx
from voting.documents.official_docx import DOCX_MIMETYPE
from voting.extensions import db
from voting.models import Application, Role, Round, User
from voting.operations.council import Person, add_support_member, appoint_jury_head, assign_juror, seat_council_member
from voting.operations.founding import record_jury_appointment
from voting.rules.commitments import commitment_codes

FOUNDING_NUMBER = "1234/QĐ-UBND"
JURY_NUMBER = "01/QĐ-HĐBC"
MARKUP = 'Lò Thị <b>&"Mây"</b>'
MARKUP_AGENCY = 'Trung tâm <i>Khuyến công</i> & "Xúc tiến"'
MARKUP_PRODUCER = '<b>"Cơ sở & Con"</b>'
#: (name, position, agency, role) in the order they are seated, deliberately not the order typed in.
MEMBERS = [("Phạm Hoàng Sơn", "Phó Chủ tịch Ủy ban nhân dân tỉnh", "Ủy ban nhân dân tỉnh Thái Nguyên", "chair"),
           ("Đỗ Thị Minh Hằng", "Giám đốc", "Sở Công Thương", "vice_chair"),
           ("Lương Văn Khải", "Trưởng phòng Quản lý công nghiệp", "Sở Công Thương", "standing_member"),
           (MARKUP, "Phó Tổng Biên tập", "Báo Thái Nguyên", "member"),
           ("Triệu Thu Hà", "Phó Giám đốc", "Trung tâm Khuyến công", "member"),
           ("Vũ Văn Thư", "Chuyên viên", "Sở Công Thương", "secretary")]
SEATS = ("Chủ tịch Hội đồng", "Phó Chủ tịch Hội đồng", "Ủy viên thường trực", "Ủy viên", "Ủy viên",
         "Ủy viên kiêm Thư ký")
#: Jurors by account name; the last is the Trưởng ban, the second scores group 1 only.
JURORS = ["Bùi Văn An", "Cao Thị Bình", "Đinh Văn Cường"]
SUPPORT = [("Hà Văn Giang", False, MARKUP_AGENCY), ("Kim Thị Hoa", True, "Sở Công Thương")]


@dataclass
class Built:
    round_id: int
    application_id: int
    organiser_email: str
    owner_email: str
    member_email: str
    founding_date: str
    jury_date: str
    files: dict


def _seat_everyone(app, make_user, world, organiser, member_account):
    juror_refs = [make_user(Role.JUROR) for _ in JURORS]
    with app.app_context():
        acting = db.session.get(User, organiser.id)
        round_ = db.session.get(Round, world.round_id)
        for name, position, agency, role in reversed(MEMBERS):
            user = db.session.get(User, member_account.id) if role == "vice_chair" else None
            seat_council_member(acting, round_, Person(name, position, agency), role, user=user)
        found_council(acting, round_, FOUNDING_NUMBER, today_vn() - timedelta(days=20))
        for ref, name in zip(juror_refs, JURORS, strict=True):
            user = db.session.get(User, ref.id)
            user.full_name = name
            assign_juror(acting, round_, user, ["1"] if name == JURORS[1] else None, position="Chuyên gia",
                         agency="Trường Đại học Nông Lâm")
        appoint_jury_head(acting, round_.jurors[-1])
        for name, lead, agency in SUPPORT:
            add_support_member(acting, round_, Person(name, "Chuyên viên", agency), is_lead=lead)
        db.session.get(Application, world.application_id).producer.name = MARKUP_PRODUCER
        record_jury_appointment(acting, round_, JURY_NUMBER, today_vn() - timedelta(days=15))
        db.session.commit()


def build(app, make_user, render=True):
    """A Thái Nguyên round with a submitted application, a founded council (a member named with markup; the
    vice-chair with an account), a jury with its Trưởng ban and a tổ giúp việc; every file rendered."""
    owner, organiser = make_user("producer"), make_user("organiser", province_code="19")
    member_account = make_user(Role.JUROR)
    world = build_world(app, owner.email, organiser.email)
    _seat_everyone(app, make_user, world, organiser, member_account)
    with app.app_context():
        round_ = db.session.get(Round, world.round_id)
        application = db.session.get(Application, world.application_id)
        files = {"founding.pdf": founding_decision_pdf(round_), "founding.docx": founding_decision_docx(round_),
                 "jury.pdf": jury_appointment_pdf(round_), "jury.docx": jury_appointment_docx(round_),
                 "registration.docx": registration_form_docx(application)} if render else {}
        return Built(round_.id, application.id, organiser.email, owner.email, member_account.email,
                     founding_decision_doc(round_).header.place_date, jury_appointment_doc(round_).header.place_date,
                     files)


_built = {}


@pytest.fixture
def built(app, make_user):
    # Rendering takes seconds and the document tests only read the files: build once.
    if "value" not in _built:
        _built["value"] = build(app, make_user)
    return _built["value"]


@pytest.fixture
def pdf_pages(built, tmp_path):
    require_tools("pdftotext")

    def read(name):
        path = tmp_path / name
        path.write_bytes(built.files[name])
        return pages_of(path)

    return read


def docx(built, name):
    return Document(io.BytesIO(built.files[name]))


def words_of(pages):
    return " ".join(text(p) for p in pages)


def squeezed(value):
    return "".join(value.split())


# Positions on the PDFs ----------------------------------------------------------------------------------------

HEADERS = {"founding.pdf": (("ỦY BAN NHÂN DÂN", "TỈNH THÁI NGUYÊN"), FOUNDING_NUMBER, "founding_date"),
           "jury.pdf": (("ỦY BAN NHÂN DÂN", "TỈNH THÁI NGUYÊN", "HỘI ĐỒNG BÌNH CHỌN", "SẢN PHẨM CNNT TIÊU BIỂU"),
                        JURY_NUMBER, "jury_date")}


@pytest.mark.parametrize("name", HEADERS)
def test_the_issuer_and_number_sit_top_left_the_motto_and_date_top_right(built, pdf_pages, name):
    issuer, number, date_field = HEADERS[name]
    page = pdf_pages(name)[0]
    for line in issuer:
        assert top_left(page, find(page, line)), line
    assert top_left(page, find(page, f"Số: {number}"))
    assert top_right(page, find(page, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"))
    assert top_right(page, find(page, "Độc lập - Tự do - Hạnh phúc"))
    assert top_right(page, find(page, getattr(built, date_field)))
    assert not top_right(page, find(page, f"Số: {number}"))


SIGNERS = {"founding.pdf": (("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"), FOUNDING_SIGNER["name"]),
           "jury.pdf": (("TM. HỘI ĐỒNG", "CHỦ TỊCH"), MEMBERS[0][0])}


@pytest.mark.parametrize("name", SIGNERS)
def test_the_signer_signs_bottom_right_after_the_last_article_and_nơi_nhận_sits_bottom_left(built, pdf_pages, name):
    capacity, signer = SIGNERS[name]
    pages = pdf_pages(name)
    last = next(p for p in reversed(pages) if find(p, "Nơi nhận:"))
    end = find(last, "Quyết định này./.")  # the last words of Điều 3
    assert end, "Điều 3 closes on the signer's page"
    for line in capacity:
        box = find(last, line)
        assert box and centre(box)[0] > last.width / 2 and box[1] > end[3], line
    name_box = find(last, signer)
    assert name_box and centre(name_box)[0] > last.width / 2
    assert name_box[1] > find(last, capacity[-1])[3] + 40  # room for the signature and the seal
    recipients = find(last, "Nơi nhận:")
    assert recipients[2] < last.width / 2 and recipients[1] > end[3]
    assert find(last, "- Như Điều 3;")[2] < last.width / 2 and find(last, "- Như Điều 3;")[1] > recipients[3]


def test_the_founding_decision_founds_the_council_and_lists_its_members_in_their_seats(built, pdf_pages):
    words = words_of(pdf_pages("founding.pdf"))
    year = today_vn().year
    for expected in ("QUYẾT ĐỊNH",
                     f"Về việc thành lập Hội đồng bình chọn sản phẩm công nghiệp nông thôn tiêu biểu cấp tỉnh năm {year}",
                     "ỦY BAN NHÂN DÂN TỈNH THÁI NGUYÊN", "Căn cứ Luật Tổ chức chính quyền địa phương",
                     "Căn cứ Thông tư số 26/2014/TT-BCT", "Xét đề nghị của Giám đốc Sở Công Thương", "QUYẾT ĐỊNH:",
                     "Điều 1. Thành lập Hội đồng bình chọn", "Điều 2. Hội đồng có nhiệm vụ:",
                     "Thành lập Ban Giám khảo và Tổ giúp việc", "giải quyết các khiếu nại", "tự giải thể",
                     "Điều 3. Quyết định này có hiệu lực kể từ ngày ký.", "- Lưu: VT."):
        assert expected in words, expected
    flat = squeezed(words)
    positions = [flat.index(squeezed(f"{i}. {name}, {position}, {agency} – {seat}"))
                 for i, ((name, position, agency, _), seat) in enumerate(zip(MEMBERS, SEATS, strict=True), start=1)]
    assert positions == sorted(positions)
    assert "Ông" not in words and "Bà " not in words


def test_the_jury_appointment_cites_the_founding_and_lists_the_jury_and_the_support_team(built, pdf_pages):
    words = words_of(pdf_pages("jury.pdf"))
    for expected in ("Về việc thành lập Ban Giám khảo và Tổ giúp việc Hội đồng bình chọn",
                     f"Căn cứ Quyết định số {FOUNDING_NUMBER}", "Điều 1. Thành lập Ban Giám khảo",
                     "Điều 2. Thành lập Tổ giúp việc", "Điều 3.", "Quyết định này có hiệu lực kể từ ngày ký."):
        assert expected in words, expected
    flat = squeezed(words)
    jury = [flat.index(squeezed(line)) for line in (
        f"1. {JURORS[2]}, Chuyên gia, Trường Đại học Nông Lâm – Trưởng Ban Giám khảo;",
        f"2. {JURORS[0]}, Chuyên gia, Trường Đại học Nông Lâm – Thành viên;",
        f"3. {JURORS[1]}, Chuyên gia, Trường Đại học Nông Lâm – Thành viên (chấm: 1.")]
    support = [flat.index(squeezed(line)) for line in (
        "1. Kim Thị Hoa, Chuyên viên, Sở Công Thương – Tổ trưởng;",
        f"2. Hà Văn Giang, Chuyên viên, {MARKUP_AGENCY} – Thành viên.")]
    assert jury == sorted(jury) and support == sorted(support) and jury[-1] < support[0]


MARKED = {"founding": MARKUP, "jury": MARKUP_AGENCY}


@pytest.mark.parametrize("name", MARKED)
def test_names_with_markup_print_as_typed(built, pdf_pages, name):
    typed = MARKED[name]
    assert squeezed(typed) in squeezed(words_of(pdf_pages(f"{name}.pdf")))
    xml = zipfile.ZipFile(io.BytesIO(built.files[f"{name}.docx"])).read("word/document.xml").decode()
    assert "&lt;" in xml and "<b>" not in xml and "<i>" not in xml
    assert any(typed in p.text for p in docx(built, f"{name}.docx").paragraphs)


# The .docx files ---------------------------------------------------------------------------------------------

DOCX_BLOCKS = {"founding.docx": ("ỦY BAN NHÂN DÂN\nTỈNH THÁI NGUYÊN", FOUNDING_NUMBER, "founding_date",
                                 "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH", FOUNDING_SIGNER["name"]),
               "jury.docx": ("HỘI ĐỒNG BÌNH CHỌN", JURY_NUMBER, "jury_date", "TM. HỘI ĐỒNG\nCHỦ TỊCH",
                             MEMBERS[0][0])}


@pytest.mark.parametrize("name", DOCX_BLOCKS)
def test_the_docx_header_and_closing_tables_hold_the_blocks_in_their_cells(built, name):
    issuer, number, date_field, capacity, signer = DOCX_BLOCKS[name]
    document = docx(built, name)
    left, right = document.tables[0].rows[0].cells
    assert issuer in cell_text(left) and f"Số: {number}" in cell_text(left)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in cell_text(right) and "Số:" not in cell_text(right)
    assert any(run.italic and run.text == getattr(built, date_field) for p in right.paragraphs for run in p.runs)
    recipients, signature = document.tables[-1].rows[0].cells
    assert cell_text(recipients).startswith("Nơi nhận:\n- Như Điều 3;") and signer not in cell_text(recipients)
    assert capacity in cell_text(signature) and cell_text(signature).endswith(signer)
    paragraphs = [p.text for p in document.paragraphs]
    assert "QUYẾT ĐỊNH:" in paragraphs and any(p.startswith("Điều 3.") for p in paragraphs)


def test_the_founding_docx_names_every_member_in_order(built):
    paragraphs = [p.text for p in docx(built, "founding.docx").paragraphs]
    lines = [next(i for i, p in enumerate(paragraphs) if p.startswith(f"{n}. {name},"))
             for n, (name, *_) in enumerate(MEMBERS, start=1)]
    assert lines == sorted(lines)
    assert paragraphs[lines[0]] == f"1. {MEMBERS[0][0]}, {MEMBERS[0][1]}, {MEMBERS[0][2]} – Chủ tịch Hội đồng;"
    assert paragraphs[lines[-1]].endswith("Ủy viên kiêm Thư ký.")


def test_the_registration_form_docx_ticks_the_commitments_the_producer_gave(built):
    document = docx(built, "registration.docx")
    paragraphs = [p.text for p in document.paragraphs]
    assert "PHIẾU ĐĂNG KÝ" in paragraphs and "Kính gửi: Sở Công Thương tỉnh Thái Nguyên." in paragraphs
    ticked = [p for p in paragraphs if p.startswith("☒ ")]
    assert len(ticked) == len(commitment_codes()) and not any(p.startswith("☐") for p in paragraphs)
    assert f"1. Tên cơ sở: {MARKUP_PRODUCER}" in paragraphs
    producer_cell, motto = document.tables[0].rows[0].cells
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in cell_text(motto)
    assert cell_text(document.tables[-1].rows[0].cells[1]).startswith("ĐẠI DIỆN CƠ SỞ")


def test_every_new_docx_opens_in_libreoffice(built, tmp_path):
    """One LibreOffice run for the three files: their titles, and the header blocks where they belong."""
    require_tools("soffice", "pdftotext")
    names = ("founding.docx", "jury.docx", "registration.docx")
    for name in names:
        (tmp_path / name).write_bytes(built.files[name])
    convert_to_pdf(tmp_path, names)
    expected = {"founding.docx": ("QUYẾT ĐỊNH", MEMBERS[1][0], FOUNDING_SIGNER["name"]),
                "jury.docx": ("Ban Giám khảo", JURORS[2], "Kim Thị Hoa"),
                "registration.docx": ("PHIẾU ĐĂNG KÝ", "☒")}
    for name, phrases in expected.items():
        pages = pages_of(tmp_path / name.replace(".docx", ".pdf"))
        for phrase in phrases:
            assert phrase in words_of(pages), (name, phrase)
    founding = pages_of(tmp_path / "founding.pdf")[0]
    assert top_left(founding, find(founding, f"Số: {FOUNDING_NUMBER}"))
    assert top_right(founding, find(founding, built.founding_date))


# Routes ------------------------------------------------------------------------------------------------------

def test_organisers_and_council_members_download_both_decisions_as_pdf_and_docx(app, make_user, monkeypatch):
    # Its own world: the one built above lives in a database this test does not see.
    world = build(app, make_user, render=False)
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "1000 per minute")
    base = f"/organiser/rounds/{world.round_id}/council"
    for email in (world.organiser_email, world.member_email):
        client = app.test_client()
        assert login(client, email).status_code == 302
        for path, mimetype, stem in (("founding-decision.pdf", "application/pdf", "quyet-dinh-thanh-lap-hoi-dong"),
                                     ("founding-decision.docx", DOCX_MIMETYPE, "quyet-dinh-thanh-lap-hoi-dong"),
                                     ("jury-appointment.pdf", "application/pdf", "quyet-dinh-thanh-lap-ban-giam-khao"),
                                     ("jury-appointment.docx", DOCX_MIMETYPE, "quyet-dinh-thanh-lap-ban-giam-khao")):
            response = client.get(f"{base}/{path}")
            assert response.status_code == 200 and response.mimetype == mimetype, (email, path)
            disposition = response.headers["Content-Disposition"]
            assert disposition.isascii() and f"{stem}-{world.round_id}.{path.rsplit('.', 1)[1]}" in disposition
            assert response.headers["Cache-Control"] == "private, no-store"
    client = app.test_client()
    login(client, world.organiser_email)
    page = client.get(base).get_data(as_text=True)
    for path in ("founding-decision.pdf", "founding-decision.docx", "jury-appointment.pdf", "jury-appointment.docx"):
        assert f"{base}/{path}" in page, path
    client = app.test_client()
    login(client, world.owner_email)
    response = client.get(f"/producer/applications/{world.application_id}/registration-form.docx")
    assert response.status_code == 200 and response.mimetype == DOCX_MIMETYPE
    assert response.headers["Cache-Control"] == "private, no-store"
    assert "phieu-dang-ky-" in response.headers["Content-Disposition"]
    page = client.get(f"/producer/applications/{world.application_id}").get_data(as_text=True)
    assert f"/producer/applications/{world.application_id}/registration-form.docx" in page


def test_nothing_to_print_before_the_numbers_are_recorded(app, client, make_user):
    owner, organiser = make_user("producer"), make_user("organiser", province_code="19")
    world = build_world(app, owner.email, organiser.email)
    login(client, organiser.email)
    base = f"/organiser/rounds/{world.round_id}/council"
    for path in ("founding-decision.pdf", "founding-decision.docx", "jury-appointment.pdf", "jury-appointment.docx"):
        assert client.get(f"{base}/{path}").status_code == 404, path
    page = client.get(base).get_data(as_text=True)
    assert f"{base}/founding-decision.pdf" not in page and f"{base}/jury-appointment.docx" not in page


def test_no_registration_form_docx_before_the_commitments_are_given(app, client, make_user):
    owner, organiser = make_user("producer"), make_user("organiser", province_code="19")
    world = build_world(app, owner.email, organiser.email, submitted=False)
    login(client, owner.email)
    assert client.get(f"/producer/applications/{world.application_id}/registration-form.docx").status_code == 404
