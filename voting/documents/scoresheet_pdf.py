"""Printable score sheets (phiếu chấm điểm, Phụ lục 4 of Thông tư 26/2014/TT-BCT).

Blank sheets are printed for scoring on paper; filled ones reproduce a juror's
submitted sheet (a draft prints as a marked reading copy, never as a form to sign). Both are rendered from the plain values below, never from ORM
objects, many sheets to one PDF (one page each): one document of many pages
costs a fraction per page of many one-page documents.
"""
import math
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from flask_babel import force_locale

from voting.core.pdf import format_points, official_date, render_document

__all__ = [
    "ScoreSheetDoc", "SheetCriterion", "format_points", "looks_crowded", "official_date", "render_score_sheets",
]

TEMPLATE = "pdf/score_sheet.html"


@dataclass(frozen=True, kw_only=True)
class SheetCriterion:
    """One row of the sheet: a criterion (tiêu chí) with its maximum, points and note.

    ``level`` 1 marks a sub-criterion, printed indented under its group; the
    sheet's maximum adds up the level-0 rows only. ``guidance`` is the round's advice to
    jurors, printed small under the name.
    """

    code: str
    name: str
    max_points: Decimal | int
    points: Decimal | None = None
    note: str = ""
    level: int = 0
    guidance: str = ""


@dataclass(frozen=True, kw_only=True)
class ScoreSheetDoc:
    """One phiếu chấm điểm: header, rows, total, comment and signature block.

    Empty strings and ``None`` print as dotted lines or empty boxes to write in.
    """

    council_name: str
    round_title: str = ""
    product_name: str = ""
    group_name: str = ""
    entry_code: str = ""
    juror_name: str = ""
    juror_title: str = ""
    criteria: list[SheetCriterion] = field(default_factory=list)
    total: Decimal | None = None
    comment: str = ""
    scored_on: date | None = None
    place: str = ""
    entered_by: str | None = None  # proxy entry, e.g. "Nhập hộ từ phiếu giấy bởi Nguyễn Văn A"
    sheet_id: str | None = None
    #: A sheet not yet submitted: printed as a reading copy marked "BẢN NHÁP" on every page,
    #: its total as provisional and no signature block (nobody signs a sheet that may change).
    draft: bool = False

    @property
    def max_total(self):
        """The sheet's maximum: the sum of the top-level criteria (100 on the official sheet)."""
        return sum((Decimal(c.max_points) for c in self.criteria if c.level == 0), Decimal(0))


def looks_crowded(doc):
    """Guess whether a sheet needs the compact layout to keep its signature on the page.

    The standard layout leaves room for about four lines of comment beside the four
    official criteria; each sub-criterion row takes about two of them, guidance about a line
    per 110 characters (it is set smaller, in the name column).
    """
    comment_lines = sum(max(1, math.ceil(len(line) / 90)) for line in (doc.comment or "").splitlines())
    extra_rows = max(0, len(doc.criteria) - 4)
    guidance_lines = sum(math.ceil(len(line) / 110) for c in doc.criteria for line in c.guidance.splitlines())
    return comment_lines + 2 * extra_rows + guidance_lines > 4


def render_score_sheets(docs, *, locale="vi"):
    """Render score sheets to one PDF, one A4 page per sheet where they fit.

    Sheets that look crowded get the compact layout; if one still runs onto a
    second page, it is laid out compact and the batch rendered once more. A sheet
    too long even for that keeps its second page, signature block included.

    :param locale: the language of the printed labels; the official form is
        Vietnamese, another locale gives a reading copy in that language.
    """
    docs = list(docs)
    if not docs:
        raise ValueError("no score sheets to render")
    compact = {index for index, doc in enumerate(docs) if looks_crowded(doc)}
    with force_locale(locale):
        document = _lay_out(docs, compact)
        if len(document.pages) > len(docs):
            overflowing = _overflowing_sheets(document, len(docs)) - compact
            if overflowing:
                document = _lay_out(docs, compact | overflowing)
    return document.write_pdf()


def _lay_out(docs, compact):
    return render_document(TEMPLATE, {
        "sheets": docs, "compact": compact, "format_points": format_points, "official_date": official_date,
    })


def _overflowing_sheets(document, count):
    """Return the indexes of the sheets that start a page later than the one before them would need."""
    first_page = {}
    for page_index, page in enumerate(document.pages):
        for anchor in page.anchors:
            if anchor.startswith("sheet-"):
                first_page.setdefault(int(anchor.removeprefix("sheet-")), page_index)
    ends = [first_page.get(index + 1, len(document.pages)) for index in range(count)]
    return {index for index in range(count) if ends[index] - first_page.get(index, 0) > 1}
