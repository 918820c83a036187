"""A round's scores and results as print-ready .xlsx working documents of the council.

Two files, laid out like the danh sách trích ngang (:mod:`voting.documents.exports`):

- the score matrix (*bảng tổng hợp điểm chấm*): one row per submitted sheet,
  grouped by entry, with the raw points of every leaf criterion, exactly as typed;
- the results table (*bảng kết quả bình chọn*): one row per entry in rank order,
  with the means, final score and spread shown as :func:`voting.rules.results.shown`
  rounds them (half-up, 2 places), written as numbers.

Both are built from :func:`voting.rules.results.compute_results`, which loads the
round in a fixed number of queries; nothing here queries per entry. An entry on
the list of the round's latest carried vote is named as that vote listed it
(:mod:`voting.rules.entry_names`): the producer may have renamed or moved since.
"""
from dataclasses import dataclass
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from voting.core.clock import today_vn
from voting.rules.entry_names import listed_names, names_now
from voting.documents.exports import (
    DEFAULT_LABELS,
    FONT_NAME,
    GRID,
    HEADER_FILL,
    SummaryHeader,
    put_text,
    save_workbook,
    set_up_page,
    stamp_properties,
    write_title_block,
)
from voting.rules.results import code_parts, compute_results, shown
from voting.documents.sheet_layout import fit_row
from voting.core.text import sort_key

LABELS = {
    **DEFAULT_LABELS,
    "matrix_title": "BẢNG TỔNG HỢP ĐIỂM CHẤM CỦA BAN GIÁM KHẢO",
    "results_title": "BẢNG KẾT QUẢ BÌNH CHỌN",
    "rank": "Xếp hạng", "stage": "Vòng chấm", "juror": "Giám khảo",
    "producer_name": "Tên cơ sở", "address": "Địa chỉ", "group_name": "Nhóm sản phẩm",
    "criterion": "TC {code}\n(tối đa {max})", "criterion_mean": "Bình quân TC {code}\n(tối đa {max})",
    "total": "Tổng điểm", "flag": "Phiếu lệch", "flag_mark": "x", "sheets": "Số phiếu",
    "final": "Điểm bình quân", "spread": "Chênh lệch cao - thấp", "result": "Kết quả",
    "passed": "Đạt", "failed": "Không đạt", "below_quorum": "Chưa đủ phiếu",
    "not_advanced": "Không vào vòng hai",
    "struck": "Không đề nghị (lý do)", "prize": "Giải",
    "notes": "Ghi chú:", "criterion_note": "TC {code}: {name} (tối đa {max} điểm).",
    "flag_note": ("Phiếu lệch: tổng điểm cách trung vị các phiếu của sản phẩm (cùng vòng chấm) hơn {factor} lần "
                  "độ lệch tuyệt đối trung vị và hơn {spread} điểm; chỉ xét sản phẩm có từ 3 phiếu."),
    "quorum_note": "Sản phẩm chưa đủ {n} phiếu chấm không được xếp hạng.",
}
MATRIX_SHEET = "Bảng điểm chi tiết"
RESULTS_SHEET = "Kết quả bình chọn"
_ENTRY_EDGE = Side(style="medium")


@dataclass(frozen=True)
class Column:
    """A table column: its header, width bounds, alignment and, for numbers, the number format."""

    header: str
    low: int
    high: int
    align: str = "left"
    number_format: str | None = None


def score_matrix_xlsx(round_, results=None, labels=None, issued_on=None):
    """Return the .xlsx bytes of the raw score matrix: one row per submitted sheet, grouped by entry.

    Entries follow their entry codes; within an entry, sheets follow the stage and the juror's
    name. Points are written exactly as submitted; a missing point is a blank cell.
    """
    labels = {**LABELS, **(labels or {})}
    results = results if results is not None else compute_results(round_)
    leaves = round_.leaf_criteria
    columns = [Column(labels["stt"], 5, 6, "center"), Column(labels["stage"], 6, 8, "center"),
               Column(labels["entry_code"], 8, 12, "center"), Column(labels["product_name"], 18, 32),
               Column(labels["juror"], 16, 26)]
    columns += [Column(_criterion_header(labels["criterion"], c), 9, 11, "right", "General") for c in leaves]
    columns += [Column(labels["total"], 8, 9, "right", "General"), Column(labels["flag"], 7, 8, "center")]
    rows, group_starts = [], set()
    listed = listed_names(round_.id)
    for entry in sorted(results.entries, key=lambda e: code_parts(e.application.entry_code)):
        group_starts.add(len(rows))
        application = entry.application
        names = listed.get(application.id) or names_now(application)
        for stage in (1, 2):
            for sheet in sorted(entry.sheets[stage], key=lambda s: (sort_key(s.sheet.juror_user.display_name), s.sheet.id)):
                points = {score.criterion_id: score.points for score in sheet.sheet.scores}
                rows.append([len(rows) + 1, stage, application.entry_code, names.product_name,
                             sheet.sheet.juror_user.display_name, *(points.get(c.id) for c in leaves),
                             sheet.total, labels["flag_mark"] if sheet.flagged else ""])
    notes = [labels["criterion_note"].format(code=c.code, name=c.name, max=_plain(c.max_points)) for c in leaves]
    notes.append(labels["flag_note"].format(factor=_plain(round_.outlier_mad_factor),
                                            spread=_plain(round_.outlier_min_spread)))
    ws, wb = _new_sheet(MATRIX_SHEET)
    header = _header(round_, labels["matrix_title"], issued_on)
    # The first columns are narrow: let the authority's name run over the product's too.
    header_row = _build(ws, header, labels, columns, rows, notes, group_starts, left_span=4)
    # Keep the entry, product and juror in view while scrolling across the criteria.
    ws.freeze_panes = ws.cell(row=header_row + 1, column=6).coordinate
    stamp_properties(wb, header)
    return save_workbook(wb)


def results_xlsx(round_, results=None, labels=None, issued_on=None):
    """Return the .xlsx bytes of the results table: one row per entry, in rank order.

    Entries below quorum come last, by entry code, with no rank and "Chưa đủ phiếu" as result.
    Means, the final score and the spread are the half-up 2-place values of :func:`shown`.
    """
    labels = {**LABELS, **(labels or {})}
    results = results if results is not None else compute_results(round_)
    top = results.top_criteria
    columns = [Column(labels["rank"], 7, 8, "center"), Column(labels["entry_code"], 8, 12, "center"),
               Column(labels["product_name"], 18, 30), Column(labels["producer_name"], 18, 30),
               Column(labels["address"], 16, 28), Column(labels["group_name"], 14, 24),
               Column(labels["sheets"], 7, 7, "center")]
    columns += [Column(_criterion_header(labels["criterion_mean"], c), 10, 11, "right", "0.00") for c in top]
    columns += [Column(labels["final"], 10, 10, "right", "0.00"), Column(labels["spread"], 10, 10, "right", "0.00"),
                Column(labels["result"], 10, 12, "center"), Column(labels["struck"], 16, 30),
                Column(labels["prize"], 8, 16, "center")]
    rows = []
    listed = listed_names(round_.id)
    for entry in results.entries:
        application = entry.application
        names = listed.get(application.id) or names_now(application)
        if entry.below_quorum:
            outcome = labels["below_quorum"]
        elif entry.not_advanced:
            outcome = labels["not_advanced"]
        else:
            outcome = labels["passed"] if entry.passed else labels["failed"]
        rows.append([entry.rank, application.entry_code, names.product_name, names.producer_name,
                     names.address or names.province_name, names.group_name,
                     len(entry.counting_sheets), *(shown(entry.criterion_means.get(c.id)) for c in top),
                     entry.shown_score, shown(entry.spread()), outcome,
                     entry.strike.reason if entry.strike else "", entry.prize])
    notes = [labels["criterion_note"].format(code=c.code, name=c.name, max=_plain(c.max_points)) for c in top]
    notes.append(labels["quorum_note"].format(n=round_.min_sheets_per_entry))
    ws, wb = _new_sheet(RESULTS_SHEET)
    header = _header(round_, labels["results_title"], issued_on)
    _build(ws, header, labels, columns, rows, notes)
    stamp_properties(wb, header)
    return save_workbook(wb)


def _new_sheet(title):
    wb = Workbook()
    ws = wb.active
    ws.title = title
    return ws, wb


def _header(round_, title, issued_on):
    authority = round_.authority
    return SummaryHeader(
        parent_authority=(authority.parent_name if authority else "").upper(),
        authority=(authority.name if authority else "").upper(),
        title=title, subtitle=round_.title if str(round_.year) in round_.title else f"{round_.title} ({round_.year})",
        place=authority.place_name if authority else "", issued_on=issued_on or today_vn())


def _build(ws, header, labels, columns, rows, notes, group_starts=(), left_span=3):
    """Size the columns, write the title block, the table and its notes; set up printing.

    Return the table's header row.
    """
    for index, column in enumerate(columns):
        texts = column.header.split("\n") + [_as_text(r[index]) for r in rows]
        width = min(max(max(len(t) for t in texts) + 2, column.low), column.high)
        ws.column_dimensions[get_column_letter(index + 1)].width = width
    header_row = write_title_block(ws, header, labels, len(columns), left_span)
    _write_table(ws, header_row, columns, rows, group_starts)
    last_row = header_row + max(len(rows), 1)
    ws.auto_filter.ref = f"A{header_row}:{get_column_letter(len(columns))}{last_row}"
    _write_notes(ws, last_row + 2, labels["notes"], notes, len(columns))
    set_up_page(ws, header_row)
    return header_row


def _write_table(ws, header_row, columns, rows, group_starts):
    bold, plain = Font(name=FONT_NAME, size=11, bold=True), Font(name=FONT_NAME, size=11)
    for col, column in enumerate(columns, start=1):
        cell = ws.cell(row=header_row, column=col)
        put_text(cell, column.header)
        cell.font, cell.fill, cell.border = bold, HEADER_FILL, GRID
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    fit_row(ws, header_row, len(columns))
    for number, values in enumerate(rows):
        row = header_row + 1 + number
        for col, (column, value) in enumerate(zip(columns, values, strict=True), start=1):
            cell = ws.cell(row=row, column=col)
            _put(cell, value, column.number_format)
            cell.font = plain
            cell.border = GRID if number not in group_starts or number == 0 else Border(
                left=GRID.left, right=GRID.right, bottom=GRID.bottom, top=_ENTRY_EDGE)
            cell.alignment = Alignment(horizontal=column.align, vertical="top", wrap_text=True)
        fit_row(ws, row, len(columns))


def _put(cell, value, number_format):
    """Numbers as numbers (exact ``Decimal``s stay exact), everything else as safe text."""
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        cell.value = value
        if number_format and not isinstance(value, int):
            cell.number_format = number_format
    else:
        put_text(cell, value)


def _write_notes(ws, first_row, title, notes, ncols):
    """Write the notes under the table, each over the table's width."""
    italic = Font(name=FONT_NAME, size=11, italic=True)
    for offset, text in enumerate([title, *notes]):
        row = first_row + offset
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncols)
        cell = ws.cell(row=row, column=1)
        put_text(cell, text)
        cell.font = italic
        cell.alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
        fit_row(ws, row, ncols)


def _criterion_header(pattern, criterion):
    return pattern.format(code=criterion.code, name=criterion.name, max=_plain(criterion.max_points))


def _plain(value):
    """``Decimal("40.00")`` → ``"40"``, ``Decimal("2.50")`` → ``"2.5"``."""
    return format(Decimal(value).normalize(), "f")


def _as_text(value):
    return "" if value is None else _plain(value) if isinstance(value, Decimal) else str(value)
