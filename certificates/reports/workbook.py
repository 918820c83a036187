"""The summary report (:mod:`certificates.reports.figures`) as a print-ready .xlsx (issue 21).

One sheet per table of the page, in its order and with its words (:mod:`certificates.reports.labels`):
the standing today, the certificates per year and level (a total per year and per level), per province,
per product group. Each sheet opens with the report's title and what its figures cover (the area, the
filters, the day), and prints like the project's other exports (:mod:`voting.documents.exports`): Times
New Roman, A4 landscape one page wide, the table's header repeated on every page, pages numbered.

Counts are numbers, shown with the Vietnamese thousands separator ("1.234") by default: the format names
the Vietnamese locale, which LibreOffice follows whatever its own; Excel groups digits as the reader's
system does. Every text is a text cell, never a formula (:func:`voting.documents.exports.put_text`).
"""
import re

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from certificates.code_labels import REGISTRY_LEVELS
from certificates.reports.figures import STANDINGS
from certificates.reports.labels import STANDING_LABELS, WORDS
from voting.documents.exports import (
    FONT_NAME,
    GRID,
    HEADER_FILL,
    SummaryHeader,
    merged_text,
    put_text,
    save_workbook,
    set_up_page,
    stamp_properties,
)
from voting.documents.sheet_layout import fit_row

#: Counts with the Vietnamese thousands separator (LCID 0x42A); :data:`PLAIN_COUNT` groups them as the
#: reader's spreadsheet does.
VIETNAMESE_COUNT = "[$-42A]#,##0"
PLAIN_COUNT = "#,##0"
#: The rows above each sheet's table: the title, what the figures cover, the table's heading, a blank row.
HEADER_ROW = 5
_FORBIDDEN_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")
_BOLD = Font(name=FONT_NAME, size=11, bold=True)
_PLAIN = Font(name=FONT_NAME, size=11)


def report_workbook(figures, area_label, filters_label, today, count_format=VIETNAMESE_COUNT):
    """Return the .xlsx bytes of ``figures`` (:class:`certificates.reports.figures.Figures`).

    :param area_label: whose figures these are ("Cả nước", a province, a region).
    :param filters_label: the filters in use, in words ("" for none).
    :param today: the day the standing is counted on, printed as dd/mm/yyyy.
    """
    cover = " ".join([str(WORDS["area"]) % {"area": area_label}]
                     + ([str(WORDS["filters"]) % {"filters": filters_label}] if filters_label else [])
                     + [str(WORDS["as_of"]) % {"day": today.strftime("%d/%m/%Y")}])
    wb = Workbook()
    sheets = _tables(figures)
    for index, (name, heading, header, rows, footer) in enumerate(sheets):
        ws = wb.active if index == 0 else wb.create_sheet()
        ws.title = sheet_name(name)
        _write_sheet(ws, heading, cover, header, rows, footer, count_format)
    merged_text(wb.active, wb.active.max_row + 2, 1, 2, str(WORDS["scope_note"]),
                Font(name=FONT_NAME, size=10, italic=True), horizontal="left")
    stamp_properties(wb, SummaryHeader(parent_authority="", authority="", title=str(WORDS["title"]),
                                       subtitle=cover, place="", issued_on=today))
    return save_workbook(wb)


def sheet_name(text):
    """A sheet's name as Excel takes it: at most 31 characters, none of ``[]:*?/\\``."""
    return _FORBIDDEN_IN_SHEET_NAMES.sub(" ", str(text))[:31].strip()


def _tables(figures):
    """``(sheet name, heading, header, rows, footer)`` per table of the page; a row is ``[label, *counts]``,
    ``rows`` is ``None`` when nothing matched (the page shows the empty state)."""
    w = {key: str(text) for key, text in WORDS.items()}
    standing = (w["standing"], w["standing_heading"], [w["standing"], w["count"]],
                [[str(STANDING_LABELS[s]), figures.standing.get(s, 0)] for s in STANDINGS], [w["total"], figures.total])
    if not figures.total:
        return [standing] + [(w[key], w[key], [], None, None)
                             for key in ("years_heading", "provinces_heading", "groups_heading")]
    levels = figures.levels
    years = (w["years_heading"], w["years_heading"],
             [w["year"], *(str(REGISTRY_LEVELS.get(level, level)) for level in levels), w["sum"]],
             [[str(year), *(figures.by_year_level.get((year, level), 0) for level in levels), figures.per_year(year)]
              for year in figures.years],
             [w["total"], *(figures.per_level(level) for level in levels), figures.total])
    provinces = (w["provinces_heading"], w["provinces_heading"], [w["province"], w["count"]],
                 [[name or w["unknown_province"], count] for _code, name, count in figures.by_province], None)
    groups = (w["groups_heading"], w["groups_heading"], [w["group"], w["count"]],
              [[f"{code}. {name}", count] for code, name, count in figures.by_group], None)
    return [standing, years, provinces, groups]


def _write_sheet(ws, heading, cover, header, rows, footer, count_format):
    ncols = max(len(header), 2)
    _size_columns(ws, header, rows or [], footer, ncols)
    merged_text(ws, 1, 1, ncols, str(WORDS["title"]), Font(name=FONT_NAME, size=14, bold=True))
    merged_text(ws, 2, 1, ncols, cover, Font(name=FONT_NAME, size=11, italic=True))
    merged_text(ws, 3, 1, ncols, heading, Font(name=FONT_NAME, size=12, bold=True), horizontal="left")
    if rows is None:
        merged_text(ws, HEADER_ROW, 1, ncols, str(WORDS["none"]), _PLAIN, horizontal="left")
        set_up_page(ws, HEADER_ROW)
        return
    for col, text in enumerate(header, start=1):
        cell = ws.cell(row=HEADER_ROW, column=col)
        put_text(cell, text)
        cell.font, cell.fill, cell.border = _BOLD, HEADER_FILL, GRID
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    fit_row(ws, HEADER_ROW, ncols)
    lines = [(values, False) for values in rows] + ([(footer, True)] if footer else [])
    for offset, (values, total) in enumerate(lines, start=1):
        row = HEADER_ROW + offset
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=row, column=col)
            if col == 1:
                put_text(cell, value)
                cell.alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
            else:
                cell.value = value
                cell.number_format = count_format
                cell.alignment = Alignment(horizontal="right", vertical="top")
            # The totals: the last row, and the last column of a table of several counts.
            cell.font, cell.border = _BOLD if total or (col == ncols and len(header) > 2) else _PLAIN, GRID
            if total:
                cell.fill = HEADER_FILL
        fit_row(ws, row, ncols)
    set_up_page(ws, HEADER_ROW)


def _size_columns(ws, header, rows, footer, ncols):
    """The first column fits its longest label (18 to 60 characters), the counts their header (10 to 16)."""
    for col in range(1, ncols + 1):
        texts = [str(header[col - 1])] if col <= len(header) else [""]
        texts += [str(values[col - 1]) for values in [*rows, *([footer] if footer else [])] if col <= len(values)]
        longest = max(len(t) for t in texts) + 2
        low, high = (18, 60) if col == 1 else (10, 16)
        ws.column_dimensions[get_column_letter(col)].width = min(max(longest, low), high)
