"""The danh sách trích ngang as a print-ready .xlsx."""
import datetime
import unicodedata
import zipfile
from decimal import Decimal
from io import BytesIO

import openpyxl
import pytest

from voting.documents.exports import SHEET_TITLE, SummaryHeader, SummaryRow, build_summary_workbook, place_date

HEADER = SummaryHeader(
    parent_authority="ỦY BAN NHÂN DÂN TỈNH THÁI NGUYÊN",
    authority="SỞ CÔNG THƯƠNG",
    title="DANH SÁCH TRÍCH NGANG SẢN PHẨM ĐĂNG KÝ BÌNH CHỌN",
    subtitle="Bình chọn sản phẩm công nghiệp nông thôn tiêu biểu cấp tỉnh năm 2026",
    place="Thái Nguyên",
    issued_on=datetime.date(2026, 11, 22),
)
EVIL = '=HYPERLINK("http://evil")'
NFD_NAME = unicodedata.normalize("NFD", "Hợp tác xã Miến dong Việt Cường")
COLUMN_TEXTS = ["STT", "Mã số", "Tên sản phẩm", "Nhóm sản phẩm", "Tên cơ sở", "Loại hình",
                "Địa chỉ", "Điện thoại", "Ngày nộp"]


def make_rows(scores=(None, None, None)):
    return [
        SummaryRow("2.015", "Miến dong Việt Cường", "Chế biến nông lâm thủy sản", NFD_NAME,
                   "Hợp tác xã", "Xã Việt Cường, tỉnh Thái Nguyên", "0912345678",
                   datetime.date(2026, 9, 3), scores[0]),
        SummaryRow("2.016", EVIL, "Thủ công mỹ nghệ", "Cơ sở Mây tre đan Phú Lương (dữ liệu mẫu)",
                   "Hộ kinh doanh", "Xã Phú Lương, tỉnh Thái Nguyên", "0208 3855 123",
                   datetime.date(2026, 9, 15), scores[1]),
        SummaryRow("2.017", "Chè Tân Cương đặc sản", "Chế biến nông lâm thủy sản",
                   "Công ty TNHH Chè Tân Cương (dữ liệu mẫu)", "Doanh nghiệp",
                   "Phường Tân Cương, tỉnh Thái Nguyên", "0987 654 321", None, scores[2]),
    ]


def load(data):
    return openpyxl.load_workbook(BytesIO(data)).active


def header_row_of(ws):
    return next(c.row for c in ws["A"] if c.value == "STT")


def row_texts(ws, row):
    return [c.value for c in ws[row]]


@pytest.fixture
def ws():
    return load(build_summary_workbook(HEADER, make_rows()))


def merged_texts(ws):
    return {ws.cell(r.min_row, r.min_col).value: r for r in ws.merged_cells.ranges}


def test_title_block_texts_are_in_merged_cells(ws):
    merged = merged_texts(ws)
    for text in (HEADER.parent_authority, HEADER.authority, HEADER.title, HEADER.subtitle,
                 "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                 "Thái Nguyên, ngày 22 tháng 11 năm 2026"):
        assert text in merged
    assert merged[HEADER.authority].min_col == 1
    assert merged["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"].max_col == ws.max_column
    assert (merged[HEADER.title].min_col, merged[HEADER.title].max_col) == (1, ws.max_column)


def test_title_block_fonts_follow_the_document_convention(ws):
    merged = merged_texts(ws)
    cell = lambda text: ws.cell(merged[text].min_row, merged[text].min_col)  # noqa: E731
    assert cell(HEADER.authority).font.b and not cell(HEADER.parent_authority).font.b
    assert cell("Độc lập - Tự do - Hạnh phúc").font.b
    assert cell("Thái Nguyên, ngày 22 tháng 11 năm 2026").font.i
    assert cell(HEADER.title).font.b and cell(HEADER.title).alignment.horizontal == "center"
    assert cell(HEADER.title).font.name == "Times New Roman" and cell(HEADER.title).font.sz == 12


def test_no_parent_authority_puts_the_authority_first():
    ws = load(build_summary_workbook(HEADER.__class__(**{**HEADER.__dict__, "parent_authority": ""}),
                                     make_rows()))
    assert ws["A1"].value == HEADER.authority and ws["A1"].font.b


def test_header_row_texts_and_style(ws):
    row = header_row_of(ws)
    assert row_texts(ws, row) == COLUMN_TEXTS
    cell = ws.cell(row, 2)
    assert cell.font.b and cell.alignment.wrap_text and cell.border.bottom.style == "thin"
    assert cell.fill.fill_type == "solid"


def test_stt_is_an_integer_sequence(ws):
    row = header_row_of(ws)
    assert [ws.cell(row + i, 1).value for i in (1, 2, 3)] == [1, 2, 3]
    assert ws.cell(row + 1, 1).data_type == "n"


def test_data_cells_are_bordered_wrapped_and_top_aligned(ws):
    cell = ws.cell(header_row_of(ws) + 1, 3)
    assert cell.border.left.style == "thin" and cell.alignment.wrap_text
    assert cell.alignment.vertical == "top"
    assert cell.font.name == "Times New Roman" and cell.font.sz == 11


def test_submitted_on_is_a_real_date(ws):
    row = header_row_of(ws)
    cell = ws.cell(row + 1, COLUMN_TEXTS.index("Ngày nộp") + 1)
    assert cell.value == datetime.datetime(2026, 9, 3)
    assert cell.number_format == "DD/MM/YYYY"
    assert ws.cell(row + 3, cell.column).value is None


def test_phone_and_entry_code_stay_text(ws):
    row = header_row_of(ws) + 1
    phone = ws.cell(row, COLUMN_TEXTS.index("Điện thoại") + 1)
    assert phone.value == "0912345678" and phone.data_type == "s"
    assert ws.cell(row, 2).value == "2.015" and ws.cell(row, 2).data_type == "s"


def test_nfd_text_is_stored_nfc(ws):
    value = ws.cell(header_row_of(ws) + 1, COLUMN_TEXTS.index("Tên cơ sở") + 1).value
    assert value == unicodedata.normalize("NFC", NFD_NAME)


@pytest.mark.parametrize("text", [EVIL, "+1+1", "-2+3", "@SUM(A1)", "\t=cmd|calc"])
def test_formula_looking_text_is_stored_as_text(text):
    rows = [SummaryRow("2.015", text, "G", "P", "T", "A", "0912345678", None)]
    ws = load(build_summary_workbook(HEADER, rows))
    cell = ws.cell(header_row_of(ws) + 1, 3)
    assert cell.data_type == "s"
    assert cell.value == text.strip()
    assert cell.quotePrefix


def test_formula_injection_is_not_in_the_sheet_xml():
    import zipfile
    data = build_summary_workbook(HEADER, make_rows())
    sheet = zipfile.ZipFile(BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "<f " not in sheet


def test_print_setup(ws):
    row = header_row_of(ws)
    assert ws.print_title_rows == f"${row}:${row}"
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4) == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert int(ws.page_setup.fitToWidth) == 1 and int(ws.page_setup.fitToHeight) == 0
    assert ws.oddFooter.center.text == "Trang &P / &N"
    assert ws.page_margins.left == 0.5


def test_freeze_panes_below_the_header_row(ws):
    assert ws.freeze_panes == f"A{header_row_of(ws) + 1}"


def test_sheet_title(ws):
    assert ws.title == SHEET_TITLE and len(SHEET_TITLE) <= 31


def test_columns_are_sized_for_content(ws):
    widths = {key: ws.column_dimensions[key].width for key in "ACG"}
    assert widths["A"] < widths["C"] and widths["C"] >= 20 and widths["G"] >= 22


def test_score_column_absent_without_scores(ws):
    assert ws.max_column == len(COLUMN_TEXTS)
    assert "Điểm" not in row_texts(ws, header_row_of(ws))


def test_score_column_present_with_number_format():
    ws = load(build_summary_workbook(HEADER, make_rows((Decimal("87.50"), None, Decimal("72.25")))))
    row = header_row_of(ws)
    assert row_texts(ws, row) == COLUMN_TEXTS + ["Điểm"]
    cell = ws.cell(row + 1, len(COLUMN_TEXTS) + 1)
    assert cell.value == 87.5 and cell.data_type == "n" and cell.number_format == "0.00"
    assert ws.cell(row + 2, cell.column).value is None


def test_empty_rows_still_give_a_workbook_with_the_header():
    ws = load(build_summary_workbook(HEADER, []))
    row = header_row_of(ws)
    assert row_texts(ws, row) == COLUMN_TEXTS
    assert ws.max_row == row


def test_labels_override_the_defaults():
    labels = {"stt": "No.", "product_name": "Product", "place_date": "{place}, {y}-{m:02d}-{d:02d}"}
    ws = load(build_summary_workbook(HEADER, make_rows(), labels))
    assert ws.cell(8, 1).value == "No." and ws.cell(8, 3).value == "Product"
    assert "Thái Nguyên, 2026-11-22" in merged_texts(ws)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in merged_texts(ws)


@pytest.mark.parametrize("day, expected", [
    (datetime.date(2026, 2, 5), "Thái Nguyên, ngày 05 tháng 02 năm 2026"),
    (datetime.date(2026, 3, 15), "Thái Nguyên, ngày 15 tháng 3 năm 2026"),
    (datetime.date(2026, 11, 22), "Thái Nguyên, ngày 22 tháng 11 năm 2026"),
])
def test_place_date_pads_as_decree_30_requires(day, expected):
    assert place_date("{place}, ngày {dd} tháng {mm} năm {y}", "Thái Nguyên", day) == expected


def test_output_is_deterministic():
    assert build_summary_workbook(HEADER, make_rows()) == build_summary_workbook(HEADER, make_rows())


def test_no_part_carries_the_time_of_writing():
    # Two builds a second apart only differ if some part is stamped with the
    # clock (openpyxl writes worksheets through a temporary file), so check
    # the stamps themselves rather than relying on the timing of a run.
    with zipfile.ZipFile(BytesIO(build_summary_workbook(HEADER, make_rows()))) as archive:
        stamps = {info.filename: info.date_time for info in archive.infolist()}
    assert "xl/worksheets/sheet1.xml" in stamps
    assert set(stamps.values()) == {(1980, 1, 1, 0, 0, 0)}


def test_five_hundred_rows_fill_five_hundred_table_rows():
    # How long this takes is measured by `make bench`, not asserted here.
    rows = make_rows() * 167
    data = build_summary_workbook(HEADER, rows[:500])
    assert load(data).cell(8 + 500, 1).value == 500
