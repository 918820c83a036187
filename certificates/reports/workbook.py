"""The summary report (:mod:`certificates.reports.figures`, :mod:`certificates.reports.entries`) as a
print-ready .xlsx (issue 21).

One sheet per table of the page, with its words (:mod:`certificates.reports.labels`): the standing today,
the certificates per year and level (a total per year and per level), per province, per product group;
then the rounds' results per year and level, product group, producer's province and producer type, under
the page's heading of them, each table's own beneath it; then the path upward (per year and level of the
higher round, per nominating province), the producers with several products, and the producers holding
certified products by type and by commune kind, likewise. Each sheet opens with the report's title and what its figures cover (the area, the
filters, the day), and prints like the project's other exports (:mod:`voting.documents.exports`): Times
New Roman, A4 landscape one page wide, the table's header repeated on every page, pages numbered.

Counts, shares and mean scores are numbers, shown as the page shows them: "1.234", "75,00 %" (a share is a
percentage cell, 0.75), "82,00"; "—" where the page has none. The formats name the Vietnamese locale, which
LibreOffice follows whatever its own; Excel shows separators as the reader's system does. Every text is a text cell, never a formula (:func:`voting.documents.exports.put_text`).
"""
import re
from dataclasses import dataclass
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from certificates.code_labels import REGISTRY_LEVELS
from certificates.reports.distribution import part_label
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
from voting.core.formatting import format_count
from voting.documents.sheet_layout import fit_row

@dataclass(frozen=True)
class NumberFormats:
    """The cells' number formats: counts, shares (percentage cells) and mean scores."""

    count: str
    share: str
    score: str


#: Vietnamese separators (LCID 0x42A): "1.234", "75,00 %", "82,00"; :data:`PLAIN` separates as the reader's
#: spreadsheet does. A share, like a mean score, has two decimals as on the page.
VIETNAMESE = NumberFormats(count="[$-42A]#,##0", share="[$-42A]0.00 %", score="[$-42A]0.00")
PLAIN = NumberFormats(count="#,##0", share="0.00 %", score="0.00")
VIETNAMESE_COUNT = VIETNAMESE.count
PLAIN_COUNT = PLAIN.count
#: The rows above each sheet's table: the title, what the figures cover, the table's heading, its
#: subheading (the results' tables) or a blank row.
HEADER_ROW = 5
#: What the page shows where a figure is missing (no passing count, no share or mean without entries).
NONE_SHOWN = "—"
_FORBIDDEN_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")
_BOLD = Font(name=FONT_NAME, size=11, bold=True)
_PLAIN = Font(name=FONT_NAME, size=11)


@dataclass(frozen=True)
class _Table:
    """One sheet: its name, heading (and subheading), header, rows (``None``: nothing matched, ``empty``
    says so), a totals row; the first ``text_columns`` columns hold names, and ``kinds`` names each following
    column's format ("count", "share", "score")."""

    name: str
    heading: str
    header: list
    rows: list | None
    footer: list | None = None
    kinds: tuple = ("count",)
    subheading: str = ""
    empty: str = ""
    total_column: bool = False
    note: str = ""
    text_columns: int = 1


def report_workbook(figures, area_label, filters_label, today, outcome=None, formats=VIETNAMESE, *, upward=None,
                    holders=None, distribution=None, reentry=None):
    """Return the .xlsx bytes of ``figures`` (:class:`certificates.reports.figures.Figures`), of the rounds'
    ``outcome`` (:class:`certificates.reports.entries.Results`), the path ``upward``
    (:class:`certificates.reports.upward.PathUpward`), the ``holders`` of several products
    (:class:`certificates.reports.producers.Holders`) and the producers' ``distribution``
    (:class:`certificates.reports.distribution.Distribution`) and the products losing their validity before the
    next registration, ``reentry`` (:class:`certificates.reports.reentry.Reentry`); ``None``: no sheets of those.

    :param area_label: whose figures these are ("Cả nước", a province, a region).
    :param filters_label: the filters in use, in words ("" for none).
    :param today: the day the standing is counted on, printed as dd/mm/yyyy.
    :param formats: :data:`VIETNAMESE` or :data:`PLAIN`.
    """
    cover = " ".join([str(WORDS["area"]) % {"area": area_label}]
                     + ([str(WORDS["filters"]) % {"filters": filters_label}] if filters_label else [])
                     + [str(WORDS["as_of"]) % {"day": today.strftime("%d/%m/%Y")}])
    wb = Workbook()
    tables = (_tables(figures) + (_reentry_tables(reentry) if reentry is not None else [])
              + (_results_tables(outcome) if outcome is not None else [])
              + (_upward_tables(upward) if upward is not None else [])
              + (_holders_tables(holders) if holders is not None else [])
              + (_distribution_tables(distribution) if distribution is not None else []))
    for index, table in enumerate(tables):
        ws = wb.active if index == 0 else wb.create_sheet()
        ws.title = sheet_name(table.name)
        _write_sheet(ws, table, cover, formats)
    stamp_properties(wb, SummaryHeader(parent_authority="", authority="", title=str(WORDS["title"]),
                                       subtitle=cover, place="", issued_on=today))
    return save_workbook(wb)


def sheet_name(text):
    """A sheet's name as Excel takes it: at most 31 characters, none of ``[]:*?/\\``."""
    return _FORBIDDEN_IN_SHEET_NAMES.sub(" ", str(text))[:31].strip()


def _tables(figures):
    """A :class:`_Table` per table of the page's certificates; a row is ``[label, *counts]``."""
    w = {key: str(text) for key, text in WORDS.items()}
    standing = _Table(w["standing"], w["standing_heading"], [w["standing"], w["count"]],
                      [[str(STANDING_LABELS[s]), figures.standing.get(s, 0)] for s in STANDINGS],
                      [w["total"], figures.total], note=w["scope_note"])
    if not figures.total:
        return [standing] + [_Table(w[key], w[key], [], None, empty=w["none"])
                             for key in ("years_heading", "provinces_heading", "groups_heading")]
    levels = figures.levels
    years = _Table(w["years_heading"], w["years_heading"],
                   [w["year"], *(str(REGISTRY_LEVELS.get(level, level)) for level in levels), w["sum"]],
                   [[str(year), *(figures.by_year_level.get((year, level), 0) for level in levels),
                     figures.per_year(year)] for year in figures.years],
                   [w["total"], *(figures.per_level(level) for level in levels), figures.total], total_column=True)
    provinces = _Table(w["provinces_heading"], w["provinces_heading"], [w["province"], w["count"]],
                       [[name or w["unknown_province"], count] for _code, name, count in figures.by_province])
    groups = _Table(w["groups_heading"], w["groups_heading"], [w["group"], w["count"]],
                    [[f"{code}. {name}", count] for code, name, count in figures.by_group])
    return [standing, years, provinces, groups, *_former_tables(figures, w)]


def _former_tables(figures, w):
    """The units with certificates from before the 2025 merger: a row per former province (and one since the
    merger), then the unit's total; none when no certificate is from before it."""
    if not figures.by_former_province:
        return []
    rows = []
    for _code, name, formers, since, total in figures.by_former_province:
        unit = name or w["unknown_province"]
        rows += [[unit, former, n] for former, n in formers]
        rows += [[unit, w["since_merger"], since]] if since else []
        rows.append([unit, w["sum"], total])
    return [_Table(w["former_sheet"], w["former_heading"], [w["former_unit"], w["former_province"], w["count"]],
                   rows, note=w["former_note"], text_columns=2)]


def _reentry_tables(reentry):
    """The products losing their validity before the next registration, soonest first: texts, the day as dd/mm/yyyy."""
    w = {key: str(text) for key, text in WORDS.items()}
    header = [w["product"], w["producer"], w["province"], w["valid_until"]]
    day = f"{reentry.deadline.day:%d/%m/%Y}"
    deadline = (w["reentry_round"] % {"day": day, "round": reentry.deadline.round_title} if reentry.deadline.round_title
                else w["reentry_cycle"] % {"day": day})
    if not reentry.count:
        return [_Table(w["reentry_sheet"], w["reentry_heading"], header, None, subheading=deadline,
                       empty=w["reentry_none"])]
    subheading = f"{deadline} {w['reentry_count'] % {'count': format_count(reentry.count)}}"
    if reentry.count > len(reentry.shown):
        subheading += " " + w["reentry_shown"] % {"shown": format_count(len(reentry.shown))}
    rows = [[p.name, p.producer, p.province, f"{p.valid_until:%d/%m/%Y}"] for p in reentry.shown]
    return [_Table(w["reentry_sheet"], w["reentry_heading"], header, rows, subheading=subheading,
                   note=w["reentry_note"], text_columns=4, kinds=())]


def _results_tables(outcome):
    """A :class:`_Table` per results table of the page (:class:`certificates.reports.entries.Results`): a row is
    ``[label, entries, passed, certified, share, mean score]``, ``None`` where the page shows "—"."""
    w = {key: str(text) for key, text in WORDS.items()}
    kinds = ("count", "count", "count", "share", "score")
    sheets = [(w["results_years_sheet"], w["results_years"], w["year_level"], outcome.by_year_level,
               lambda t: f"{t.key[0]} · {REGISTRY_LEVELS.get(t.key[1], t.key[1])}"),
              (w["results_groups_sheet"], w["groups_heading"], w["group"], outcome.by_group,
               lambda t: f"{t.key}. {t.name}"),
              (w["results_provinces_sheet"], w["results_provinces"], w["province"], outcome.by_province,
               lambda t: t.name),
              (w["results_types_sheet"], w["results_types"], w["producer_type"], outcome.by_producer_type,
               lambda t: t.name)]
    tables = []
    for index, (name, subheading, first, tallies, label) in enumerate(sheets):
        header = [first, w["entries"], w["passed"], w["certified"], w["share"], w["mean_score"]]
        rows = [[label(t), t.entries, t.passed, t.certified,
                 None if t.certified_share is None else t.certified_share / 100, t.mean_score]
                for t in tallies] if outcome.entries else None
        tables.append(_Table(name, w["results_heading"], header, rows, kinds=kinds,
                             subheading=subheading, empty=w["results_none"],
                             note=w["results_note"] if index == 0 and rows is not None else ""))
    return tables


def _upward_tables(upward):
    """The path upward's two tables as the page has them (:class:`certificates.reports.upward.PathUpward`):
    ``passed`` ``None`` where the page shows "—"."""
    w = {key: str(text) for key, text in WORDS.items()}
    header = [w["nominated"], w["entered"], w["passed"], w["certified"]]
    sheets = [(w["upward_years_sheet"], w["upward_years"], w["year_level"], upward.by_year_level,
               lambda s: f"{s.key[0]} · {REGISTRY_LEVELS.get(s.key[1], s.key[1])}"),
              (w["upward_provinces_sheet"], w["upward_provinces"], w["province"], upward.by_province,
               lambda s: s.name)]
    return [_Table(name, w["upward_heading"], [first, *header],
                   [[label(s), s.nominated, s.entered, s.passed, s.certified] for s in steps]
                   if upward.nominated else None,
                   subheading=subheading, empty=w["upward_none"],
                   note=f'{w["upward_note"]} {w["upward_passed_note"]}' if index == 0 and upward.nominated else "")
            for index, (name, subheading, first, steps, label) in enumerate(sheets)]


def _holders_tables(holders):
    """The producers with several products (:class:`certificates.reports.producers.Holders`), as the page lists
    them: a paper-only producer marked as such."""
    w = {key: str(text) for key, text in WORDS.items()}
    header = [w["producer"], w["province"], w["products_certified"]]  # also sizes the columns of an empty sheet
    if not holders.count:
        return [_Table(w["holders_sheet"], w["holders_heading"], header, None, empty=w["holders_none"])]
    subheading = w["holders_count"] % {"count": format_count(holders.count)}
    if holders.count > len(holders.shown):
        subheading += " " + w["holders_shown"] % {"shown": format_count(len(holders.shown))}
    rows = [[h.name if h.on_platform else f"{h.name} ({w['on_paper']})", h.province, h.products]
            for h in holders.shown]
    return [_Table(w["holders_sheet"], w["holders_heading"], header, rows, subheading=subheading, note=w["holders_note"], text_columns=2)]


def _distribution_tables(spread):
    """The producers by type and by commune kind (:class:`certificates.reports.distribution.Distribution`): a
    row is ``[name, producers, share]``, the share a percentage cell; the totals row 100 %."""
    w = {key: str(text) for key, text in WORDS.items()}
    sheets = [(w["distribution_types_sheet"], w["distribution_types"], w["producer_type"], spread.by_type),
              (w["distribution_kinds_sheet"], w["distribution_kinds"], w["commune_kind"], spread.by_commune_kind)]
    return [_Table(name, w["distribution_heading"], [first, w["producers"], w["producers_share"]],
                   [[part_label(p, w["not_known"]), p.producers, p.share / 100] for p in parts] if spread.total else None,
                   [w["total"], spread.total, 1] if spread.total else None, kinds=("count", "share"),
                   subheading=subheading, empty=w["distribution_none"],
                   note=w["distribution_note"] if index == 0 and spread.total else "")
            for index, (name, subheading, first, parts) in enumerate(sheets)]


def _write_sheet(ws, table, cover, formats):
    header, rows = table.header, table.rows
    ncols = max(len(header), 2)
    _size_columns(ws, table, ncols)
    merged_text(ws, 1, 1, ncols, str(WORDS["title"]), Font(name=FONT_NAME, size=14, bold=True))
    merged_text(ws, 2, 1, ncols, cover, Font(name=FONT_NAME, size=11, italic=True))
    merged_text(ws, 3, 1, ncols, table.heading, Font(name=FONT_NAME, size=12, bold=True), horizontal="left")
    if table.subheading:
        merged_text(ws, 4, 1, ncols, table.subheading, _BOLD, horizontal="left")
    if rows is None:
        merged_text(ws, HEADER_ROW, 1, ncols, table.empty, _PLAIN, horizontal="left")
        set_up_page(ws, HEADER_ROW)
        return
    for col, text in enumerate(header, start=1):
        cell = ws.cell(row=HEADER_ROW, column=col)
        put_text(cell, text)
        cell.font, cell.fill, cell.border = _BOLD, HEADER_FILL, GRID
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    fit_row(ws, HEADER_ROW, ncols)
    lines = [(values, False) for values in rows] + ([(table.footer, True)] if table.footer else [])
    for offset, (values, total) in enumerate(lines, start=1):
        row = HEADER_ROW + offset
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=row, column=col)
            if col <= table.text_columns:
                put_text(cell, value)
                cell.alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
            else:
                kind = table.kinds[min(col - table.text_columns - 1, len(table.kinds) - 1)]
                _put_number(cell, value, getattr(formats, kind))
            # The totals: the last row, and the last column of a table of several counts.
            cell.font, cell.border = _BOLD if total or (col == ncols and table.total_column) else _PLAIN, GRID
            if total:
                cell.fill = HEADER_FILL
        fit_row(ws, row, ncols)
    if table.note:
        merged_text(ws, ws.max_row + 2, 1, ncols, table.note, Font(name=FONT_NAME, size=10, italic=True),
                    horizontal="left")
    set_up_page(ws, HEADER_ROW)


def _put_number(cell, value, number_format):
    """A number in ``number_format`` (a Decimal as a float: spreadsheets hold binary floats); ``None`` is
    the page's "—"."""
    cell.alignment = Alignment(horizontal="right", vertical="top")
    if value is None:
        put_text(cell, NONE_SHOWN)
        return
    cell.value = float(value) if isinstance(value, Decimal) else value
    cell.number_format = number_format


def _size_columns(ws, table, ncols):
    """A column of names fits its longest (18 to 60 characters), the counts their header (10 to 16)."""
    header, lines = table.header, [*(table.rows or []), *([table.footer] if table.footer else [])]
    for col in range(1, ncols + 1):
        texts = [str(header[col - 1])] if col <= len(header) else [""]
        texts += [str(values[col - 1]) for values in lines if col <= len(values)]
        longest = max(len(t) for t in texts) + 2
        low, high = (18, 60) if col <= table.text_columns else (10, 16)
        ws.column_dimensions[get_column_letter(col)].width = min(max(longest, low), high)
