"""The recognition decision and its annex (PDF and editable .docx), and the minutes as .docx (issue 18).

Positions are asserted, not only text: ``pdftotext -bbox`` gives every word of a PDF its box, and the
blocks of Nghị định 30/2020 must sit where the decree puts them (issuing body and number top left,
motto and place-date top right, the signer bottom right, "Nơi nhận" bottom left). The .docx files
are read back with python-docx (which block sits in which cell of the header and closing tables)
and opened by LibreOffice, as an office would.
"""
import io
import zipfile
from dataclasses import dataclass
from datetime import timedelta

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.shared import Mm
from sqlalchemy import select

from tests.conftest import login
from tests.factories import make_deliberating_round
from tests.support.certificates import FAILING, PASSING, certify
from tests.support.layout import cell_text, centre, find, text, top_left, top_right
from tests.support.office import convert_to_pdf, pages_of, require_tools
from voting.core.clock import today_vn
from voting.documents.decision import decision_doc, decision_pdf
from voting.documents.official_docx import DOCX_MIMETYPE, OfficialDocx
from voting.documents.reports import OfficialHeader, Signer, decision_list_pdf
from voting.documents.report_docx import decision_docx, decision_list_docx, minutes_docx
from voting.extensions import db
from voting.models import Application, Decision, Province, Round, User
from voting.operations.deliberation import publish_results, record_decision, record_vote
from voting.rules.signer import SignerBlock

NUMBER = "15/QĐ-UBND"
SIGNER = "Nguyễn Văn Sơn"
MARKUP_PRODUCER = '<b>"Cơ sở & Con"</b>'
MARKUP_PRODUCT = "Mật ong <i>bạc hà</i> & 'Mèo Vạc'"
TITLE = "QUYẾT ĐỊNH"
SUBJECT = "Về việc công nhận sản phẩm công nghiệp nông thôn tiêu biểu cấp tỉnh năm"
LIST_TITLE = "DANH SÁCH SẢN PHẨM CÔNG NGHIỆP NÔNG THÔN TIÊU BIỂU"


@dataclass
class Built:
    round_id: int
    decision_id: int
    organiser_email: str
    place_date: str
    subject: str
    files: dict


def build(app, make_user):
    """A Thái Nguyên round decided in the rules' order (KT. of the UBND), names with markup; every file rendered."""
    world = make_deliberating_round(app, make_user, [PASSING] * 3 + [FAILING])
    today = today_vn()
    decided_on = today - timedelta(days=1)
    with app.app_context():
        round_ = db.session.get(Round, world.round_id)
        applications = [db.session.get(Application, i) for i in world.application_ids]
        applications[0].producer.name = MARKUP_PRODUCER
        applications[1].product.name = MARKUP_PRODUCT
        secretary = db.session.get(User, world.organiser.id)
        decision = record_vote(secretary, round_, today - timedelta(days=3), 4, 4, 0, 0, "", today)
        publish_results(secretary, round_, today - timedelta(days=3))
        decision.complaints_close_on = today - timedelta(days=2)
        record_decision(secretary, decision, NUMBER, decided_on, SignerBlock(
            capacity="kt", body="Ủy ban nhân dân", head_title="Chủ tịch", title="Phó Chủ tịch", name=SIGNER), today)
        db.session.commit()
        files = {"decision.pdf": decision_pdf(decision), "list.pdf": decision_list_pdf(decision),
                 "decision.docx": decision_docx(decision), "list.docx": decision_list_docx(decision),
                 "minutes.docx": minutes_docx(decision)}
        doc = decision_doc(decision)
        return Built(round_.id, decision.id, world.organiser.email, doc.header.place_date, doc.subject, files)


_built = {}


@pytest.fixture
def built(app, make_user):
    # Building and rendering take seconds and the tests only read the files: build once.
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


def annex_start(pages):
    return next(p.number for p in pages if "Kèm theo Quyết định số" in text(p))


# The decision as PDF --------------------------------------------------------------------------------------

def test_the_decision_pdf_header_puts_the_issuer_and_number_top_left_and_the_motto_and_date_top_right(
        built, pdf_pages):
    page = pdf_pages("decision.pdf")[0]
    assert top_left(page, find(page, "ỦY BAN NHÂN DÂN"))
    assert top_left(page, find(page, "TỈNH THÁI NGUYÊN"))
    assert top_left(page, find(page, f"Số: {NUMBER}"))
    assert top_right(page, find(page, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"))
    assert top_right(page, find(page, "Độc lập - Tự do - Hạnh phúc"))
    assert top_right(page, find(page, built.place_date))
    # The title and its subject, centred under the header.
    title, subject = find(page, TITLE), find(page, built.subject)
    assert title[1] > find(page, built.place_date)[3] and subject[1] > title[3]
    assert abs(centre(title)[0] - centre(subject)[0]) < 5


def test_the_decision_pdf_reads_as_a_recognition_decision(built, pdf_pages):
    pages = pdf_pages("decision.pdf")
    body = " ".join(text(p) for p in pages[:annex_start(pages) - 1])
    for expected in ("ỦY BAN NHÂN DÂN TỈNH THÁI NGUYÊN", "Căn cứ Luật Tổ chức chính quyền địa phương",
                     "Căn cứ Nghị định số 45/2012/NĐ-CP", "Căn cứ Thông tư số 26/2014/TT-BCT",
                     "Xét đề nghị của Giám đốc Sở Công Thương", "QUYẾT ĐỊNH:",
                     "Điều 1. Công nhận 3 sản phẩm của 3 cơ sở", "(có danh sách kèm theo)", "Điều 2.", "Điều 3.",
                     "Quyết định này có hiệu lực kể từ ngày ký.",
                     "Chánh Văn phòng Ủy ban nhân dân tỉnh Thái Nguyên, Giám đốc Sở Công Thương",
                     "các cơ sở có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này",
                     "- Như Điều 3;", "- Lưu: VT."):
        assert expected in body, expected


def test_the_decision_pdf_signs_bottom_right_with_the_recipients_bottom_left(built, pdf_pages):
    pages = pdf_pages("decision.pdf")
    last = pages[annex_start(pages) - 2]  # the page before the annex
    assert last.width < last.height  # the decision is portrait
    body_end = find(last, "thi hành Quyết định này./.") or (0, 0, 0, 0)
    for capacity in ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"):
        box = find(last, capacity)
        assert box and centre(box)[0] > last.width / 2 and box[1] > body_end[3], capacity
    name = find(last, SIGNER)
    assert name and centre(name)[0] > last.width / 2
    assert name[1] > find(last, "PHÓ CHỦ TỊCH")[3] + 40  # room for the signature and the seal
    recipients = find(last, "Nơi nhận:")
    assert recipients and recipients[2] < last.width / 2 and recipients[1] > body_end[3]
    assert find(last, "- Lưu: VT.")[2] < last.width / 2


def test_the_annex_follows_the_decision_with_no_number_signer_or_recipients(built, pdf_pages):
    for name in ("decision.pdf", "list.pdf"):
        pages = pdf_pages(name)
        annex = pages[annex_start(pages) - 1:]
        assert annex, name
        assert annex[0].width > annex[0].height, name  # landscape
        words = " ".join(text(p) for p in annex)
        assert f"Kèm theo Quyết định số {NUMBER}" in words and LIST_TITLE in words, name
        assert "Số:" not in words and SIGNER not in words and "Nơi nhận" not in words, name
        assert find(annex[0], LIST_TITLE)[1] < annex[0].height / 4


def test_names_with_markup_print_as_typed_in_the_pdfs(built, pdf_pages):
    for name in ("decision.pdf", "list.pdf"):
        words = "".join("".join(text(p).split()) for p in pdf_pages(name))
        assert "".join(MARKUP_PRODUCER.split()) in words, name
        assert "".join(MARKUP_PRODUCT.split()) in words, name


# The .docx files ---------------------------------------------------------------------------------------------

def docx(built, name):
    return Document(io.BytesIO(built.files[name]))


def test_the_decision_docx_header_table_holds_issuer_and_number_left_motto_and_date_right(built):
    document = docx(built, "decision.docx")
    left, right = document.tables[0].rows[0].cells
    assert "ỦY BAN NHÂN DÂN\nTỈNH THÁI NGUYÊN" in cell_text(left)
    assert f"Số: {NUMBER}" in cell_text(left)
    assert any(run.bold and "TỈNH THÁI NGUYÊN" in run.text for p in left.paragraphs for run in p.runs)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in cell_text(right)
    assert "Độc lập - Tự do - Hạnh phúc" in cell_text(right)
    date_runs = [run for p in right.paragraphs for run in p.runs if run.text == built.place_date]
    assert date_runs and date_runs[0].italic
    assert "CỘNG HÒA" not in cell_text(left) and "Số:" not in cell_text(right)
    # No ruled borders on a layout table.
    assert "w:tblBorders" not in document.tables[0]._tbl.xml


def test_the_decision_docx_closing_table_holds_recipients_left_and_the_signer_right(built):
    document = docx(built, "decision.docx")
    closing = next(t for t in document.tables if "Nơi nhận:" in cell_text(t.rows[0].cells[0]))
    left, right = closing.rows[0].cells
    assert "- Như Điều 3;" in cell_text(left) and "- Lưu: VT." in cell_text(left)
    assert SIGNER not in cell_text(left)
    signer = cell_text(right)
    assert "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH" in signer
    assert signer.index("PHÓ CHỦ TỊCH") < signer.index(SIGNER)
    assert any(run.bold and run.text == SIGNER for p in right.paragraphs for run in p.runs)
    assert "Nơi nhận" not in signer


def test_the_decision_docx_has_the_decree_layout_and_the_body(built):
    document = docx(built, "decision.docx")
    section = document.sections[0]
    def within(value, low, high):  # Word stores lengths in twentieths of a point: 15 mm is 14.99 mm
        return Mm(low - 0.1) <= value <= Mm(high + 0.1)

    assert within(section.page_width, 210, 210) and within(section.page_height, 297, 297)
    assert within(section.top_margin, 20, 25) and within(section.bottom_margin, 20, 25)
    assert within(section.left_margin, 30, 35) and within(section.right_margin, 15, 20)
    normal = document.styles["Normal"].font
    assert normal.name == "Times New Roman" and normal.size.pt in (13, 14)
    paragraphs = [p.text for p in document.paragraphs]
    assert TITLE in paragraphs and any(p.startswith(SUBJECT) for p in paragraphs)
    assert "QUYẾT ĐỊNH:" in paragraphs
    for number in (1, 2, 3):
        article = next(p for p in document.paragraphs if p.text.startswith(f"Điều {number}."))
        assert article.runs[0].bold and article.runs[0].text == f"Điều {number}. "
    assert any("(có danh sách kèm theo)" in p for p in paragraphs)
    assert any(p.startswith("Căn cứ Thông tư số 26/2014/TT-BCT") for p in paragraphs)


def test_the_decision_docx_carries_the_annex_on_landscape_pages(built):
    document = docx(built, "decision.docx")
    assert len(document.sections) == 2
    annex = document.sections[1]
    assert annex.orientation == WD_ORIENT.LANDSCAPE and annex.page_width > annex.page_height
    listing = document.tables[-1]
    assert [c.text for c in listing.rows[0].cells][:4] == ["STT", "Mã số", "Tên sản phẩm", "Tên cơ sở"]
    assert len(listing.rows) == 1 + 3
    assert any(f"Kèm theo Quyết định số {NUMBER}" in p.text for p in document.paragraphs)


def test_the_list_docx_is_the_annex_alone(built):
    document = docx(built, "list.docx")
    words = "\n".join(p.text for p in document.paragraphs)
    assert LIST_TITLE in words and f"Kèm theo Quyết định số {NUMBER}" in words
    assert "Số:" not in words and "Nơi nhận" not in words and SIGNER not in words
    assert len(document.tables) == 1 and document.sections[0].orientation == WD_ORIENT.LANDSCAPE


def test_names_with_markup_stay_text_in_the_docx(built):
    for name in ("decision.docx", "list.docx", "minutes.docx"):
        document = docx(built, name)
        cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
        assert MARKUP_PRODUCER in cells and MARKUP_PRODUCT in cells, name
        xml = zipfile.ZipFile(io.BytesIO(built.files[name])).read("word/document.xml").decode()
        assert "&lt;b&gt;" in xml and "<b>" not in xml and "<i>" not in xml, name


def test_the_builder_writes_any_text_as_typed(app):
    """Markup stays text; characters XML cannot carry (a pasted form feed) are dropped, not fatal."""
    builder = OfficialDocx()
    builder.header(OfficialHeader(issuer='<b>"Cơ sở & Con"</b>', parents=("A\x0cB",), number="1/<QĐ>",
                                  place_date="Hà Nội, ngày 01 tháng 01 năm 2026"))
    builder.title("Thông báo", "Về việc <script>")
    builder.article(1, "Nội dung & <i>x</i>")
    builder.closing(Signer(capacity=("GIÁM ĐỐC",), name="Trần <Thị> B\x00"), ("- Lưu: VT.",))
    document = Document(io.BytesIO(builder.to_bytes()))
    left, _ = document.tables[0].rows[0].cells
    assert cell_text(left) == 'AB\n<B>"CƠ SỞ & CON"</B>\n\nSố: 1/<QĐ>'
    assert "Về việc <script>" in [p.text for p in document.paragraphs]
    assert "Điều 1. Nội dung & <i>x</i>" in [p.text for p in document.paragraphs]
    assert cell_text(document.tables[1].rows[0].cells[1]).endswith("Trần <Thị> B")


def test_the_minutes_docx_has_the_council_header_and_both_signers(built):
    document = docx(built, "minutes.docx")
    left, right = document.tables[0].rows[0].cells
    assert "HỘI ĐỒNG BÌNH CHỌN" in cell_text(left) and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in cell_text(right)
    assert "BIÊN BẢN HỌP HỘI ĐỒNG BÌNH CHỌN" in [p.text for p in document.paragraphs]
    secretary, chair = document.tables[-1].rows[0].cells
    assert cell_text(secretary).startswith("THƯ KÝ") and cell_text(chair).startswith("CHỦ TỊCH HỘI ĐỒNG")


def test_every_docx_opens_in_libreoffice(built, tmp_path):
    """One LibreOffice run for the three files: the title, a product and the blocks where they belong."""
    require_tools("soffice", "pdftotext")
    names = ("decision.docx", "list.docx", "minutes.docx")
    for name in names:
        (tmp_path / name).write_bytes(built.files[name])
    convert_to_pdf(tmp_path, names)
    expected = {"decision.docx": (TITLE, SUBJECT, MARKUP_PRODUCT), "list.docx": (LIST_TITLE, MARKUP_PRODUCT),
                "minutes.docx": ("BIÊN BẢN HỌP HỘI ĐỒNG BÌNH CHỌN", MARKUP_PRODUCT)}
    for name, phrases in expected.items():
        pages = pages_of(tmp_path / name.replace(".docx", ".pdf"))
        words = " ".join(text(p) for p in pages)
        for phrase in phrases:
            assert phrase in words, (name, phrase)
    decision = pages_of(tmp_path / "decision.pdf")
    first = decision[0]
    assert top_left(first, find(first, f"Số: {NUMBER}"))
    assert top_right(first, find(first, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"))
    assert top_right(first, find(first, built.place_date))
    # Page numbers (Phụ lục I): centred in the top margin, none on the first page; the annex counts its own.
    assert first.words[0].text == "ỦY"
    second = decision[1]
    assert second.words[0].text == "2" and abs(centre(find(second, "2"))[0] - second.width / 2) < 60
    assert second.words[0].y1 < 60  # in the top margin (20 mm = 57 pt)
    annex = decision[annex_start(decision) - 1]
    assert annex.words[0].text == "DANH" and annex.width > annex.height


# The level's words ---------------------------------------------------------------------------------------------

@pytest.fixture
def certified(app, make_user):
    """A decided round of its own (the files above are built once, in a database later tests do not see)."""
    hall = certify(app, make_user, entries=2)
    with app.app_context():
        decision_id = db.session.scalar(select(Decision.id).where(Decision.round_id == hall.round_id))
    return hall, decision_id


def test_a_centrally_run_city_recognises_at_city_level_and_regional_rounds_use_their_own_bases(app, certified):
    _hall, decision_id = certified
    with app.app_context(), db.session.no_autoflush:
        decision = db.session.get(Decision, decision_id)
        round_ = decision.round
        round_.province = db.session.scalar(select(Province).where(Province.code == "01"))  # Hà Nội
        assert round_.province.is_city
        doc = decision_doc(decision)
        assert doc.subject.startswith("Về việc công nhận sản phẩm công nghiệp nông thôn tiêu biểu cấp thành phố năm")
        assert "cấp thành phố" in doc.articles[0][1]
        round_.jurisdiction_level, round_.province = "khu_vuc", None
        doc = decision_doc(decision)
        assert "cấp khu vực" in doc.subject and doc.decider.startswith("CỤC TRƯỞNG")
        assert not any("Luật Tổ chức chính quyền địa phương" in basis for basis in doc.bases)
        round_.jurisdiction_level = "quoc_gia"
        doc = decision_doc(decision)
        assert "cấp quốc gia" in doc.subject and doc.decider.startswith("BỘ TRƯỞNG")
        db.session.rollback()


def test_an_undecided_vote_has_no_decision_to_print():
    with pytest.raises(ValueError):
        decision_doc(Decision(decision_number=None))


# Routes ------------------------------------------------------------------------------------------------------

def test_the_routes_send_pdf_and_docx_with_ascii_names(app, client, certified, monkeypatch):
    hall, decision_id = certified
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "1000 per minute")
    assert login(client, hall.organiser.email).status_code == 302
    base = f"/rounds/{hall.round_id}/results/decisions/{decision_id}"
    for path, mimetype, stem in (("decision.pdf", "application/pdf", "quyet-dinh-cong-nhan"),
                                 ("decision.docx", DOCX_MIMETYPE, "quyet-dinh-cong-nhan"),
                                 ("list.docx", DOCX_MIMETYPE, "danh-sach-cong-nhan"),
                                 ("minutes.docx", DOCX_MIMETYPE, "bien-ban-hop-hoi-dong")):
        response = client.get(f"{base}/{path}")
        assert response.status_code == 200, path
        assert response.mimetype == mimetype, path
        disposition = response.headers["Content-Disposition"]
        assert disposition.isascii() and f"{stem}-{hall.round_id}-1.{path.rsplit('.', 1)[1]}" in disposition
        assert response.headers["Cache-Control"] == "private, no-store"
        if path.endswith(".docx"):
            assert disposition.startswith("attachment") and Document(io.BytesIO(response.data)).tables
    page = client.get(f"/rounds/{hall.round_id}/results").get_data(as_text=True)
    for path in ("decision.pdf", "decision.docx", "list.docx", "minutes.docx"):
        assert f"{base}/{path}" in page, path
