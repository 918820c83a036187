"""Spreadsheet exports of a selection round, built from plain values (no ORM, no database)."""
import datetime
import decimal
import zipfile
from dataclasses import dataclass
from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from voting.documents.sheet_layout import fit_row
from voting.core.text import nfc

SHEET_TITLE = "Danh sách trích ngang"
FONT_NAME = "Times New Roman"
DEFAULT_LABELS = {
    "stt": "STT", "entry_code": "Mã số", "product_name": "Tên sản phẩm",
    "group_name": "Nhóm sản phẩm", "producer_name": "Tên cơ sở", "producer_type": "Loại hình",
    "address": "Địa chỉ", "phone": "Điện thoại", "submitted_on": "Ngày nộp", "score": "Điểm",
    # {dd}/{mm} follow Nghị định 30/2020: a leading zero only for days 1-9 and months 1-2;
    # {d}, {m}, {y} are plain ints for patterns of other languages.
    "place_date": "{place}, ngày {dd} tháng {mm} năm {y}",
    "motto_1": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "motto_2": "Độc lập - Tự do - Hạnh phúc",
}
# (key, minimum width, maximum width, horizontal alignment) in table order.
COLUMNS = (
    ("stt", 5, 6, "center"), ("entry_code", 8, 12, "center"), ("product_name", 20, 36, "left"),
    ("group_name", 14, 22, "left"), ("producer_name", 20, 32, "left"),
    ("producer_type", 12, 18, "left"), ("address", 22, 40, "left"), ("phone", 12, 14, "center"),
    ("submitted_on", 11, 11, "center"), ("score", 8, 8, "right"),
)
# Text Excel could read as a formula or a DDE payload when it is typed or pasted back in.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_THIN = Side(style="thin")
GRID = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
HEADER_FILL = PatternFill("solid", fgColor="F2F2F2")
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class SummaryHeader:
    """Title block of the list: issuing authority, title, place and date of issue."""

    parent_authority: str
    authority: str
    title: str
    subtitle: str
    place: str
    issued_on: datetime.date


@dataclass(frozen=True)
class SummaryRow:
    """One entry of the danh sách trích ngang."""

    entry_code: str
    product_name: str
    group_name: str
    producer_name: str
    producer_type: str
    address: str
    phone: str
    submitted_on: datetime.date | None
    score: decimal.Decimal | None = None


def build_summary_workbook(header, rows, labels=None, columns=COLUMNS):
    """Return the .xlsx bytes of the danh sách trích ngang, ready to print on A4 landscape.

    ``columns`` are ``(attribute of the rows, minimum width, maximum width, alignment)``,
    "stt" numbering the rows; ``labels`` names them. The score column is left out when no
    row has a score. Every text is stored as a string cell, never a formula; text that
    looks like one also gets Excel's quote prefix.
    """
    labels = {**DEFAULT_LABELS, **(labels or {})}
    columns = [c for c in columns if c[0] != "score" or any(r.score is not None for r in rows)]
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_TITLE
    _size_columns(ws, columns, rows, labels)
    header_row = write_title_block(ws, header, labels, len(columns))
    _write_table(ws, header_row, columns, rows, labels)
    set_up_page(ws, header_row)
    stamp_properties(wb, header)
    return save_workbook(wb)


def stamp_properties(wb, header):
    """Date the file by its issue date and title it, so that equal input gives equal bytes."""
    stamp = datetime.datetime.combine(header.issued_on, datetime.time())
    wb.properties.created = wb.properties.modified = stamp
    wb.properties.creator = wb.properties.lastModifiedBy = "CNNT tiêu biểu"
    wb.properties.title = nfc(header.title)


def looks_like_formula(text):
    """Whether a spreadsheet could take ``text`` for a formula (or a DDE payload) when it opens or pastes it."""
    return text.startswith(FORMULA_PREFIXES)


def csv_text(value):
    """``value`` for a CSV cell that every spreadsheet opens as text: NFC, and an apostrophe put
    before text that looks like a formula (a CSV cell has no quote prefix as an .xlsx cell has)."""
    text = nfc(value) or ""
    return "'" + text if looks_like_formula(text) else text


def put_text(cell, value):
    """Store ``value`` as text: NFC, no characters XML forbids, never a formula."""
    text = ILLEGAL_CHARACTERS_RE.sub("", nfc(value) or "")
    cell.value = text or None
    if text:
        cell.data_type = "s"  # openpyxl would make "=..." a formula cell
        if looks_like_formula(text):
            cell.quotePrefix = True


def place_date(pattern, place, day):
    """Format the "<place>, ngày … tháng … năm …" line of an official document."""
    dd = f"{day.day:02d}"
    mm = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return pattern.format(place=place, d=day.day, m=day.month, y=day.year, dd=dd, mm=mm)


def write_title_block(ws, header, labels, ncols, left_span=3):
    """Write the authority, motto, date, title and subtitle; return the table header row.

    The authority spans the first ``left_span`` columns, the motto the last four.
    """
    left_end = min(left_span, ncols)
    right_start = max(ncols - 3, left_end + 1)
    left = [(t, False) for t in [header.parent_authority] if nfc(t)] + [(header.authority, True)]
    right = [(labels["motto_1"], True, False, False), (labels["motto_2"], True, False, True),
             (place_date(labels["place_date"], header.place, header.issued_on), False, True, False)]
    for i, (text, bold) in enumerate(left, start=1):
        merged_text(ws, i, 1, left_end, text, Font(name=FONT_NAME, size=12, bold=bold))
    for i, (text, bold, italic, underline) in enumerate(right, start=1):
        font = Font(name=FONT_NAME, size=12, bold=bold, italic=italic,
                    underline="single" if underline else None)
        merged_text(ws, i, right_start, ncols, text, font)
    merged_text(ws, 5, 1, ncols, header.title, Font(name=FONT_NAME, size=12, bold=True))
    merged_text(ws, 6, 1, ncols, header.subtitle, Font(name=FONT_NAME, size=12))
    return 8


def merged_text(ws, row, first, last, text, font, horizontal="center"):
    """Write text (centred by default) over merged columns and make the row tall enough to show it."""
    if last > first:
        ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
    cell = ws.cell(row=row, column=first)
    put_text(cell, text)
    cell.font = font
    cell.alignment = Alignment(horizontal=horizontal, vertical="center", wrap_text=True)
    fit_row(ws, row, last)  # no spreadsheet fits merged cells by itself


def _size_columns(ws, columns, rows, labels):
    """Fit each column to its longest text, within the column's bounds."""
    for col, (key, low, high, _) in enumerate(columns, start=1):
        texts = [labels[key]] + [str(getattr(r, key) or "") for r in rows if key != "stt"]
        longest = max(len(t) for t in texts)
        ws.column_dimensions[get_column_letter(col)].width = min(max(longest + 2, low), high)


def _write_table(ws, header_row, columns, rows, labels):
    """Write the column headers and one bordered, wrapped line per entry, each row as tall as its text."""
    font = Font(name=FONT_NAME, size=11)
    for col, (key, *_) in enumerate(columns, start=1):
        cell = ws.cell(row=header_row, column=col)
        put_text(cell, labels[key])
        cell.font = Font(name=FONT_NAME, size=11, bold=True)
        cell.fill, cell.border = HEADER_FILL, GRID
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    fit_row(ws, header_row, len(columns))
    for number, row in enumerate(rows, start=1):
        for col, (key, _, _, align) in enumerate(columns, start=1):
            cell = ws.cell(row=header_row + number, column=col)
            _put_value(cell, number if key == "stt" else getattr(row, key))
            cell.font, cell.border = font, GRID
            cell.alignment = Alignment(horizontal=align, vertical="top", wrap_text=True)
        fit_row(ws, header_row + number, len(columns))


def _put_value(cell, value):
    """Store a number, a date or text in its own cell type."""
    if isinstance(value, datetime.date):
        cell.value = value
        cell.number_format = "DD/MM/YYYY"
    elif isinstance(value, decimal.Decimal):
        cell.value = value
        cell.number_format = "0.00"
    elif isinstance(value, int):
        cell.value = value
    else:
        put_text(cell, value)


def set_up_page(ws, header_row):
    """A4 landscape, one page wide, column headers repeated, page numbers in the footer."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.page_margins.header = ws.page_margins.footer = 0.3
    ws.oddFooter.center.text = "Trang &P / &N"
    ws.oddFooter.center.font = FONT_NAME
    ws.oddFooter.center.size = 10
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1).coordinate


class _StableZipFile(zipfile.ZipFile):
    """Zip archive with fixed entry times, so equal input gives equal bytes.

    openpyxl adds most parts with ``writestr`` but streams each worksheet
    through a temporary file and ``write``, which would stamp that file's
    modification time; both paths are pinned here.
    """

    def writestr(self, name, data, *args, **kwargs):
        if isinstance(name, str):
            name = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
            name.compress_type = zipfile.ZIP_DEFLATED
        super().writestr(name, data, *args, **kwargs)

    def write(self, filename, arcname=None, *args, **kwargs):
        with open(filename, "rb") as source:
            self.writestr(arcname or filename, source.read())


def save_workbook(wb):
    """Serialise without ``Workbook.save``, which stamps the current time into the file."""
    buffer = BytesIO()
    archive = _StableZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
    ExcelWriter(wb, archive).save()
    return buffer.getvalue()
