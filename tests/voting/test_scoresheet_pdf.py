"""Printable score sheets (phiếu chấm điểm) and the shared PDF helper."""
import json
import logging
import shutil
import socket
import subprocess
import time
from datetime import date
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from jinja2 import ChoiceLoader, DictLoader
from pypdf import PdfReader

from tests.support.services import not_run
from voting.core.pdf import ascii_filename, pdf_response, render_pdf
from voting.core.pdf_engine import StaticOnlyURLFetcher
from voting.documents.scoresheet_pdf import (
    ScoreSheetDoc, SheetCriterion, format_points, official_date, render_score_sheets,
)

OFFICIAL_SHEET = json.loads((Path(__file__).parents[2] / "voting" / "data" / "scoring_sheet.json")
                            .read_text(encoding="utf-8"))
COUNCIL = "Hội đồng bình chọn sản phẩm công nghiệp nông thôn tiêu biểu tỉnh Đắk Lắk"
POINTS = [Decimal("35.5"), Decimal("33"), Decimal("8.25"), Decimal("9")]
NOTES = ["Thị trường ổn định", "", "Bao bì đẹp, đậm bản sắc", ""]
COMMENT = "Sản phẩm có chất lượng ổn định; cần mở rộng kênh phân phối ở Buôn Ma Thuột."
XSS = "<img src=x onerror=alert(1)>"


def criteria(points=None, notes=None):
    return [
        SheetCriterion(code=row["code"], name=row["name"], max_points=row["max_points"],
                       points=points[i] if points else None, note=notes[i] if notes else "")
        for i, row in enumerate(OFFICIAL_SHEET["criteria"])
    ]


def blank_sheet(**overrides):
    values = dict(council_name=COUNCIL, round_title="Cấp tỉnh, năm 2025", criteria=criteria(),
                  place="Đắk Lắk")
    values.update(overrides)
    return ScoreSheetDoc(**values)


def filled_sheet(**overrides):
    values = dict(
        council_name=COUNCIL, round_title="Cấp tỉnh, năm 2025",
        product_name="Miến dong - Hợp tác xã Miến dong Na Rì", group_name="Chế biến nông, lâm, thủy sản",
        entry_code="DLK-2025-017", juror_name="Nguyễn Thị Thu Hà", juror_title="Phó Giáo sư, Tiến sĩ",
        criteria=criteria(POINTS, NOTES), total=sum(POINTS), comment=COMMENT,
        scored_on=date(2025, 11, 5), place="Đắk Lắk",
        entered_by="Nhập hộ từ phiếu giấy bởi Nguyễn Văn Ấn", sheet_id="PCD-2025-000123",
    )
    values.update(overrides)
    return ScoreSheetDoc(**values)


@pytest.fixture
def request_ctx(app):
    with app.test_request_context("/"):
        yield app


@pytest.fixture
def render(request_ctx):
    """Render sheets; return (pdf bytes, PdfReader)."""
    def run(*docs):
        data = render_score_sheets(list(docs))
        return data, PdfReader(BytesIO(data))
    return run


def page_text(reader, index=0):
    # Lines may wrap anywhere the layout chooses: compare with single spaces.
    return " ".join(reader.pages[index].extract_text().split())


def test_blank_sheet_has_the_official_header_and_rows(render):
    data, reader = render(blank_sheet())
    text = page_text(reader)

    assert data.startswith(b"%PDF-")
    assert len(reader.pages) == 1
    for expected in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                     "HỘI ĐỒNG BÌNH CHỌN SẢN PHẨM CÔNG NGHIỆP NÔNG THÔN TIÊU BIỂU TỈNH ĐẮK LẮK",
                     "PHIẾU CHẤM ĐIỂM", "Bình chọn sản phẩm công nghiệp nông thôn tiêu biểu",
                     *(label + ":" for label in OFFICIAL_SHEET["sheet_header_fields"]),
                     "STT", "Tiêu chí", "Điểm tối đa", "Điểm chấm", "Ghi chú", "Tổng cộng 100",
                     "Nhận xét:", "Đắk Lắk, ngày", "GIÁM KHẢO", "(Ký, ghi rõ họ tên)"):
        assert expected in text, expected
    for row in OFFICIAL_SHEET["criteria"]:
        assert f"{row['name']} {row['max_points']}" in text


def test_filled_sheet_shows_scores_comment_date_and_signer(render):
    _, reader = render(filled_sheet())
    text = page_text(reader)

    for expected in ("Miến dong - Hợp tác xã Miến dong Na Rì", "Chế biến nông, lâm, thủy sản", "DLK-2025-017",
                     "Nguyễn Thị Thu Hà", "Phó Giáo sư, Tiến sĩ", COMMENT,
                     "Tổng cộng 100 85,75", "Đắk Lắk, ngày 05 tháng 11 năm 2025",
                     "Mã phiếu: PCD-2025-000123", "Nhập hộ từ phiếu giấy bởi Nguyễn Văn Ấn"):
        assert expected in text, expected
    assert "40 35,5 Thị trường ổn định" in text
    assert "10 8,25 Bao bì đẹp, đậm bản sắc" in text
    assert text.count("Nguyễn Thị Thu Hà") == 2  # header field and signer


def test_a_draft_is_marked_on_every_page_and_has_no_signature_block(render):
    """Issue 16, item 17: "BẢN NHÁP" heads each page of a draft, and only of the draft."""
    long_comment = " ".join([COMMENT] * 40)  # runs the draft onto a second page
    _, reader = render(filled_sheet(draft=True, comment=long_comment), filled_sheet())
    texts = [page_text(reader, i) for i in range(len(reader.pages))]
    assert len(texts) == 3
    for text in texts[:2]:
        assert "BẢN NHÁP — KHÔNG DÙNG ĐỂ KÝ" in text and "BẢN NHÁP: phiếu chưa nộp" in text
    assert "Tổng cộng (tạm tính) 100 85,75" in texts[0]
    draft = " ".join(texts[:2])
    for final in ("GIÁM KHẢO", "(Ký, ghi rõ họ tên)", "Đắk Lắk, ngày"):
        assert final not in draft, final
    assert "không dùng để ký" in draft
    # The submitted sheet after it is the official form, unmarked.
    assert "BẢN NHÁP" not in texts[2] and "Tổng cộng 100 85,75" in texts[2]
    assert "GIÁM KHẢO" in texts[2] and "Đắk Lắk, ngày 05 tháng 11 năm 2025" in texts[2]


def test_every_sheet_gets_its_own_page_in_order(render):
    docs = [filled_sheet(entry_code=f"DLK-2025-{n:03d}", sheet_id=f"PCD-{n}") if n % 2
            else blank_sheet(entry_code=f"DLK-2025-{n:03d}") for n in range(1, 8)]
    _, reader = render(*docs)

    assert len(reader.pages) == len(docs)
    for index, doc in enumerate(docs):
        text = page_text(reader, index)
        assert doc.entry_code in text
        assert ("Mã phiếu: PCD-" in text) == bool(doc.sheet_id)


def test_a_long_comment_still_fits_one_page(render):
    comment = " ".join(["Sản phẩm đạt yêu cầu về chất lượng, mẫu mã và khả năng mở rộng thị trường."] * 7)
    _, reader = render(filled_sheet(comment=comment))

    assert len(reader.pages) == 1
    assert "GIÁM KHẢO" in page_text(reader)


def test_a_sheet_the_estimate_misses_is_laid_out_again_compact(render, monkeypatch):
    import voting.documents.scoresheet_pdf as module

    passes = []
    lay_out = module._lay_out
    monkeypatch.setattr(module, "_lay_out", lambda docs, compact: passes.append(sorted(compact)) or lay_out(docs, compact))
    crowded = filled_sheet(product_name="Miến dong Na Rì đặc sản Bắc Kạn " * 8,
                           comment="Dòng một.\nDòng hai.\nDòng ba.\nDòng bốn.")
    _, reader = render(blank_sheet(), crowded, filled_sheet())

    assert passes == [[], [1]]
    assert len(reader.pages) == 3
    assert "Nguyễn Thị Thu Hà" in page_text(reader, 1).split("GIÁM KHẢO")[-1]


def test_sub_criteria_are_printed_under_their_group(render):
    rows = [SheetCriterion(code="1", name="Tiêu chí về đáp ứng thị trường", max_points=40, points=Decimal("36")),
            SheetCriterion(code="1.1", name="Thị trường trong nước", max_points=20, points=Decimal("18.5"), level=1),
            SheetCriterion(code="1.2", name="Thị trường xuất khẩu", max_points=20, points=Decimal("17.5"), level=1),
            *criteria(POINTS)[1:]]
    doc = filled_sheet(criteria=rows, total=Decimal("86.25"))
    _, reader = render(doc)
    text = page_text(reader)

    assert doc.max_total == 100  # groups only, not their sub-criteria
    assert "1.1 Thị trường trong nước 20 18,5" in text
    assert "Tổng cộng 100 86,25" in text


def test_pdf_embeds_liberation_serif_only(render):
    _, reader = render(blank_sheet(), filled_sheet())

    for page in reader.pages:
        fonts = page["/Resources"]["/Font"]
        # WeasyPrint names subsets "ABCDEF+Liberation-Serif-Bold".
        names = {str(font.get_object()["/BaseFont"]).split("+")[-1].replace("-", "") for font in fonts.values()}
        assert names and all(name.startswith("LiberationSerif") for name in names), names
        for font in fonts.values():
            descendant = font.get_object().get("/DescendantFonts")
            descriptor = (descendant[0].get_object() if descendant else font.get_object())["/FontDescriptor"]
            assert "/FontFile2" in descriptor.get_object()  # embedded, not referenced


def test_user_text_is_printed_literally_never_as_markup(render):
    _, reader = render(filled_sheet(product_name=XSS, group_name="<b>Nhóm</b>", comment="a < b & c > d",
                                    juror_name='Lê "Văn" Tám', entered_by="<i>nhập hộ</i>"))
    text = page_text(reader)

    assert XSS in text
    assert "<b>Nhóm</b>" in text
    assert "a < b & c > d" in text
    assert 'Lê "Văn" Tám' in text
    assert "<i>nhập hộ</i>" in text


def test_missing_values_print_as_lines_to_fill_not_none(render):
    rows = [SheetCriterion(code="1", name="Tiêu chí về đáp ứng thị trường", max_points=40, note=None)]
    _, reader = render(blank_sheet(juror_title=None, juror_name=None, comment=None, criteria=rows))

    assert "None" not in page_text(reader)


def test_date_follows_decree_30_leading_zeros():
    assert official_date(date(2025, 11, 5)) == ("05", "11", "2025")
    assert official_date(date(2025, 2, 15)) == ("15", "02", "2025")
    assert official_date(date(2025, 1, 9)) == ("09", "01", "2025")
    assert official_date(date(2025, 3, 1)) == ("01", "3", "2025")


@pytest.mark.parametrize("value, shown", [
    (None, ""), (Decimal("40"), "40"), (Decimal("40.00"), "40"), (Decimal("35.50"), "35,5"),
    (Decimal("8.25"), "8,25"), (100, "100"), (Decimal("0"), "0"),
])
def test_points_are_written_the_vietnamese_way(value, shown):
    assert format_points(value) == shown


def test_rendering_nothing_is_an_error(request_ctx):
    with pytest.raises(ValueError):
        render_score_sheets([])


# The URL fetcher -----------------------------------------------------------------------

@pytest.fixture
def fetcher(app):
    return StaticOnlyURLFetcher(app.static_folder)


@pytest.mark.parametrize("url", [
    "http://example.com/x.png",
    "https://example.com/x.css",
    "ftp://example.com/x.png",
    "file:///etc/passwd",
    "file://otherhost/static/css/pdf.css",
    "data:text/html,<script>alert(1)</script>",
    "data:,plain text",
    "data:application/javascript;base64,YWxlcnQoMSk=",
    "javascript:alert(1)",
])
def test_fetcher_refuses_anything_but_static_files_and_data_images(fetcher, url):
    with pytest.raises(ValueError):
        fetcher.fetch(url)


def test_fetcher_refuses_paths_that_climb_out_of_static(app, fetcher):
    static = Path(app.static_folder).resolve()
    with pytest.raises(ValueError):
        fetcher.fetch((static / "css").as_uri() + "/../../config.py")
    with pytest.raises(ValueError):
        fetcher.fetch(static.as_uri() + "/%2e%2e/config.py")
    with pytest.raises(ValueError):
        fetcher.fetch(static.as_uri() + "/css/no-such-file.css")


def test_fetcher_serves_static_files_and_data_images(app, fetcher):
    static = Path(app.static_folder).resolve()

    css = fetcher.fetch((static / "css" / "pdf.css").as_uri())
    assert css.content_type == "text/css"
    assert b"@font-face" in css.read()
    font = fetcher.fetch((static / "fonts" / "LiberationSerif-Regular.ttf").as_uri())
    assert len(font.read()) > 100_000
    image = fetcher.fetch("data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E")
    assert image.content_type == "image/svg+xml"
    assert image.read().startswith(b"<svg")


@pytest.fixture
def no_network(monkeypatch):
    """Fail the test if anything opens a network connection."""
    attempts = []

    def refuse(sock, address):
        attempts.append(address)
        raise OSError("network access attempted during a PDF render")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    return attempts


def test_a_template_linking_outside_static_renders_without_fetching(app, request_ctx, monkeypatch, no_network,
                                                                     caplog):
    hostile = """<!doctype html><html><head><link rel="stylesheet" href="css/pdf.css">
      <link rel="stylesheet" href="https://example.com/evil.css"></head><body>
      <p>Trang thử nghiệm {{ name }}</p>
      <img src="http://example.com/x.png"><img src="file:///etc/passwd">
      <img src="../../config.py"><div style="background: url(file:///etc/hostname)">x</div>
      </body></html>"""
    monkeypatch.setattr(app.jinja_env, "loader",
                        ChoiceLoader([DictLoader({"pdf/_hostile_test.html": hostile}), app.jinja_env.loader]))

    # Alembic's fileConfig (run by the app fixture's upgrade) disables loggers that already exist.
    monkeypatch.setattr(logging.getLogger("weasyprint"), "disabled", False)
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        data = render_pdf("pdf/_hostile_test.html", {"name": "Đắk Lắk"})

    assert no_network == []
    assert "Trang thử nghiệm Đắk Lắk" in page_text(PdfReader(BytesIO(data)))
    refused = caplog.text
    for url in ("http://example.com/x.png", "https://example.com/evil.css", "file:///etc/passwd", "config.py"):
        assert url in refused, url


# The HTTP response ----------------------------------------------------------------------

def test_pdf_response_is_inline_private_and_ascii_named(request_ctx):
    response = pdf_response(b"%PDF-1.7 test", "Phiếu chấm điểm Đắk Lắk.pdf")

    assert response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "private, no-store"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('inline; filename="Phieu-cham-diem-Dak-Lak.pdf"')
    assert "filename*=UTF-8''Phi%E1%BA%BFu%20ch%E1%BA%A5m" in disposition
    assert disposition.isascii()
    assert response.get_data() == b"%PDF-1.7 test"


@pytest.mark.parametrize("name, safe", [
    ("phieu.pdf", "phieu.pdf"),
    ('a"b\r\nSet-Cookie: x.pdf', "a-b-Set-Cookie-x.pdf"),
    ("../../etc/passwd", "etc-passwd"),
    ("Đồng Tháp", "Dong-Thap"),
    ("", "document.pdf"),
])
def test_filenames_are_folded_to_safe_ascii(name, safe):
    assert ascii_filename(name) == safe


# Looking at the page --------------------------------------------------------------------

def rasterise_first_page(data, tmp_path):
    """Return page 1 as a PIL image, by pypdfium2 or poppler's pdftoppm, or skip (an error under CI)."""
    try:
        import pypdfium2
    except ImportError:
        pypdfium2 = None
    if pypdfium2 is not None:
        return pypdfium2.PdfDocument(data)[0].render(scale=80 / 72).to_pil()
    if shutil.which("pdftoppm") is None:
        not_run("PDF RASTER CHECK NOT RUN: neither pypdfium2 nor pdftoppm (apt-get install poppler-utils)")
    from PIL import Image

    (tmp_path / "sheet.pdf").write_bytes(data)
    subprocess.run(["pdftoppm", "-r", "80", "-png", "-f", "1", "-l", "1", "-singlefile",
                    str(tmp_path / "sheet.pdf"), str(tmp_path / "page")], check=True, timeout=60)
    return Image.open(tmp_path / "page.png")


@pytest.mark.parametrize("make", [blank_sheet, filled_sheet], ids=["blank", "filled"])
def test_first_page_is_visibly_printed(render, tmp_path, make):
    data, _ = render(make())
    image = rasterise_first_page(data, tmp_path).convert("L")
    width, height = image.size

    assert abs(width / height - 210 / 297) < 0.01  # A4 portrait
    histogram = image.histogram()
    ink = sum(histogram[:128]) / (width * height)
    assert 0.005 < ink < 0.25, ink
    # The national motto prints top right, the issuing council top left.
    top_left = image.crop((0, 0, width // 2, height // 6)).histogram()
    top_right = image.crop((width // 2, 0, width, height // 6)).histogram()
    assert sum(top_left[:128]) > 0 and sum(top_right[:128]) > 0


def test_forty_sheets_render_as_one_document(render):
    docs = [filled_sheet(entry_code=f"DLK-2025-{n:03d}") if n % 2 else blank_sheet() for n in range(40)]
    started = time.perf_counter()
    _, reader = render(*docs)
    elapsed = time.perf_counter() - started

    assert len(reader.pages) == 40
    print(f"\n40 score sheets in one PDF: {elapsed:.2f} s ({elapsed / 40 * 1000:.0f} ms a page)")
