"""Spreadsheets imported by organisers and administrators: columns, templates, reading them safely.

The past-certificates import (:data:`COLUMNS`) and the paper nomination lists
(:mod:`voting.operations.nomination_imports`) share everything here: reading a
workbook by content, matching its header row, cleaning cell values, building a
template. An .xlsx file is a ZIP archive: it is checked by content (ZIP magic, the members an
Excel workbook must have, the uncompressed size and the compression ratio, so that a
zip bomb is refused before openpyxl inflates anything), never by its name.
Rejections are :class:`WorkbookRejected` with a ``code`` and ``params`` that the view
turns into translated messages; nothing here touches the database.
"""
import datetime
import hashlib
import io
import json
import re
import zipfile
from dataclasses import dataclass

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from voting.documents.exports import FONT_NAME, GRID, HEADER_FILL, put_text, save_workbook
from voting.core.text import fold, nfc

MB = 1024 * 1024
MAX_FILE_BYTES = 10 * MB
MAX_ROWS = 5000
#: Inflated size and ratio beyond which an archive is taken for a zip bomb.
MAX_UNCOMPRESSED_BYTES = 200 * MB
MAX_RATIO = 200
MAX_MEMBERS = 2000
MAX_COLUMNS = 40
_REQUIRED_MEMBERS = ("[Content_Types].xml", "xl/workbook.xml")
SHEET_TITLE = "Chứng nhận"
_DATE_TEXT = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool
    width: int
    #: Other headers accepted for this column (the template writes ``header``).
    aliases: tuple = ()


#: The template's columns, in order; headers are matched after NFC, trimming and case folding.
COLUMNS = (
    Column("number", "Số giấy chứng nhận", True, 18),
    Column("level", "Cấp", True, 12),
    Column("year", "Năm", True, 8),
    Column("decision_number", "Số quyết định", True, 18),
    Column("decision_on", "Ngày quyết định", True, 14),
    Column("authority_name", "Cơ quan cấp", True, 32),
    Column("product_name", "Tên sản phẩm", True, 32),
    Column("group", "Nhóm sản phẩm", True, 12),
    Column("producer_name", "Tên cơ sở", True, 32),
    Column("province", "Tỉnh, thành phố", True, 18),
    Column("valid_until", "Có giá trị đến", False, 14),
)
EXAMPLE_ROW = ("UBND-19-2023-0001", "Cấp tỉnh", 2023, "1234/QĐ-UBND", datetime.date(2023, 11, 20),
               "Ủy ban nhân dân tỉnh Thái Nguyên", "Chè Tân Cương đặc biệt", 2,
               "Hợp tác xã chè mẫu (ví dụ)", "Thái Nguyên", datetime.date(2026, 11, 20))


class WorkbookRejected(Exception):
    """A file refused as a whole."""

    def __init__(self, code, params=None):
        super().__init__(code)
        self.code = code
        self.params = dict(params or {})


def header_key(value):
    """The form of a header cell that is compared with the template's."""
    return " ".join(nfc(value).casefold().split()) if value is not None else ""


def read_rows(data):
    """Return the first sheet's ``(row number, values)`` pairs from the bytes of an .xlsx file.

    Blank rows are skipped but keep their place in the numbering, so that a reported
    row number is the one Excel shows.
    """
    if len(data) > MAX_FILE_BYTES:
        raise WorkbookRejected("too_large", {"max_mb": MAX_FILE_BYTES // MB})
    if not data:
        raise WorkbookRejected("empty")
    _check_archive(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises almost anything on a hostile file
        raise WorkbookRejected("not_xlsx") from exc
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for number, row in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1):
            if all(_blank(v) for v in row):
                continue  # blank lines between rows are common in hand-kept files
            rows.append((number, tuple(row)))
            if len(rows) > MAX_ROWS + 1:
                raise WorkbookRejected("too_many_rows", {"max_rows": MAX_ROWS})
        return rows
    except WorkbookRejected:
        raise
    except Exception as exc:
        raise WorkbookRejected("not_xlsx") from exc
    finally:
        workbook.close()


def _blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def _check_archive(data):
    if not data.startswith(b"PK\x03\x04"):
        raise WorkbookRejected("not_xlsx")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise WorkbookRejected("not_xlsx") from exc
    names = {m.filename for m in members}
    if not all(name in names for name in _REQUIRED_MEMBERS):
        raise WorkbookRejected("not_xlsx")
    # Sizes come from the central directory; a liar is stopped by zipfile's own check on read.
    total = sum(m.file_size for m in members)
    compressed = sum(m.compress_size for m in members)
    if len(members) > MAX_MEMBERS or total > MAX_UNCOMPRESSED_BYTES or total > MAX_RATIO * max(compressed, 1):
        raise WorkbookRejected("zip_bomb")


def match_header(row, columns=COLUMNS):
    """Map column keys to positions in ``row``; raise ``missing_columns`` naming what is absent."""
    positions = {}
    for index, value in enumerate(row or ()):
        key = header_key(value)
        for column in columns:
            if any(key == header_key(name) or fold(key) == fold(name) for name in (column.header, *column.aliases)):
                positions.setdefault(column.key, index)
    missing = [c.header for c in columns if c.required and c.key not in positions]
    if missing:
        raise WorkbookRejected("missing_columns", {"columns": ", ".join(missing)})
    return positions


def read_table(source, columns=COLUMNS, max_rows=MAX_ROWS):
    """Return ``(positions, body)``: the header matched against ``columns`` and the numbered data rows.

    :param source: the bytes of an .xlsx file, or rows of cell values whose first row is the header.
    :raise WorkbookRejected: unreadable file, missing columns, too many rows or none.
    """
    numbered = numbered_rows(source)
    if not numbered:
        raise WorkbookRejected("missing_columns", {"columns": ", ".join(c.header for c in columns)})
    positions = match_header(numbered[0][1], columns)
    body = numbered[1:]
    if len(body) > max_rows:
        raise WorkbookRejected("too_many_rows", {"max_rows": max_rows})
    if not body:
        raise WorkbookRejected("no_rows")
    return positions, body


def numbered_rows(source):
    """Return ``(row number, values)`` pairs, the header first."""
    if isinstance(source, bytes | bytearray):
        return read_rows(bytes(source))
    return list(enumerate((tuple(row) for row in source), start=1))


def source_digest(source):
    """SHA-256 of the uploaded bytes (or of the rows given instead), recorded with the import."""
    if isinstance(source, bytes | bytearray):
        return hashlib.sha256(source).hexdigest()
    return hashlib.sha256(json.dumps(source, default=str, ensure_ascii=False).encode()).hexdigest()


def cell_text(value):
    """NFC, trimmed, inner runs of white space made single: normalised, never refused."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(nfc(value).split())


def cell_date(value, report, required=False):
    """A cell as a date: an Excel date, or text dd/mm/yyyy (or yyyy-mm-dd); ``report(code, **params)`` otherwise."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = cell_text(value)
    if not text:
        if required:
            report("required")
        return None
    if match := _DATE_TEXT.fullmatch(text):
        day, month, year = (int(g) for g in match.groups())
    elif match := _ISO_DATE.fullmatch(text):
        year, month, day = (int(g) for g in match.groups())
    else:
        report("date_malformed", value=text)
        return None
    try:
        return datetime.date(year, month, day)
    except ValueError:
        report("date_malformed", value=text)
        return None


def build_template(example=True, *, columns=COLUMNS, example_rows=(EXAMPLE_ROW,), title=SHEET_TITLE):
    """Return the .xlsx bytes of an import template: the header row and, by default, its example rows."""
    wb = Workbook()
    ws = wb.active
    ws.title = title
    write_header(ws, columns)
    if example:
        for index, values in enumerate(example_rows, start=2):
            write_row(ws, index, values)
    ws.freeze_panes = "A2"
    return save_stamped(wb)


def write_header(ws, columns):
    """The template's header row: bold, shaded, with each column's width."""
    for col, column in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=col)
        put_text(cell, column.header)
        cell.font = Font(name=FONT_NAME, bold=True)
        cell.fill, cell.border = HEADER_FILL, GRID
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(col)].width = column.width


def save_stamped(wb):
    """Serialise with fixed document properties, so that equal content gives equal bytes."""
    wb.properties.created = wb.properties.modified = datetime.datetime(2025, 1, 1)
    wb.properties.creator = wb.properties.lastModifiedBy = "CNNT tiêu biểu"
    return save_workbook(wb)


def write_row(ws, row_index, values):
    """Write one data row: text as text (never a formula), dates as dd/mm/yyyy dates."""
    for col, value in enumerate(values, start=1):
        cell = ws.cell(row=row_index, column=col)
        if isinstance(value, str):
            put_text(cell, value)
        else:
            cell.value = value
            if isinstance(value, datetime.date):
                cell.number_format = "dd/mm/yyyy"
        cell.font = Font(name=FONT_NAME)
        cell.border = GRID
