"""Row heights for the print-ready .xlsx exports, from the wrapped text of each row.

Excel fits a row to its wrapped text only when the file is edited there, LibreOffice not at all
once a file names its row heights, and neither fits merged cells: a file that stores no heights
prints every wrapped cell over the rows below it. So the exports set each row's height
themselves: the text of every cell is wrapped the way a spreadsheet does (at spaces, a word too
long for the column broken anywhere, explicit newlines kept) against the cell's width, measured
with the metrics of Liberation Serif, which has the same advance widths as Times New Roman
(the exports' font; LibreOffice substitutes the one for the other).
"""
import datetime
import math
from functools import lru_cache
from pathlib import Path

from openpyxl.utils import get_column_letter
from PIL import ImageFont

FONTS = Path(__file__).resolve().parents[2] / "static" / "fonts"
_FACES = {(False, False): "Regular", (True, False): "Bold", (False, True): "Italic", (True, True): "BoldItalic"}
#: Measured at this size and scaled: sizes in points, advance widths proportional.
_UNIT = 100
#: Width of a column of width 1 (in characters of the workbook's default Calibri 11, 7 px at 96 dpi), in points.
POINTS_PER_WIDTH = 7 * 0.75
#: What a cell's own margins take from its width, and a margin for the renderers' rounding.
CELL_PADDING = 4.0
WIDTH_SLACK = 0.97
#: One line of text in em (Liberation Serif sets its lines 1.15 em apart), and the row's own margin.
LINE_EM = 1.2
ROW_PADDING = 4.0
DEFAULT_COLUMN_WIDTH = 13


@lru_cache(maxsize=8)
def _face(bold, italic):
    return ImageFont.truetype(str(FONTS / f"LiberationSerif-{_FACES[bold, italic]}.ttf"), _UNIT)


@lru_cache(maxsize=65536)
def text_width(text, bold=False, italic=False):
    """Advance width of ``text`` at 1 pt, in points."""
    return _face(bold, italic).getlength(text) / _UNIT


def wrapped_lines(text, width, size=11, bold=False, italic=False):
    """How many lines ``text`` takes in a cell ``width`` points wide, wrapped at spaces and newlines."""
    lines = 0
    space = text_width(" ", bold, italic) * size
    for paragraph in str(text).split("\n"):
        lines += 1
        used = 0.0
        for word in paragraph.split():
            length = text_width(word, bold, italic) * size
            if used and used + space + length <= width:
                used += space + length
                continue
            if used:
                lines += 1
            # A word wider than the cell is broken across lines.
            extra = max(0, math.ceil(length / width) - 1) if width > 0 else 0
            lines += extra
            used = length - extra * width
    return lines


def column_points(ws, first, last):
    """The usable width, in points, of columns ``first``..``last`` (1-based) merged into one cell."""
    width = sum(ws.column_dimensions[get_column_letter(c)].width or DEFAULT_COLUMN_WIDTH
                for c in range(first, last + 1))
    return max(1.0, width * POINTS_PER_WIDTH * WIDTH_SLACK - CELL_PADDING)


def _shown(value):
    if isinstance(value, datetime.date):
        return "00/00/0000"
    return "" if value is None else str(value)


def fit_row(ws, row, ncols):
    """Make ``row`` tall enough for every line of its first ``ncols`` cells; a merged cell counts
    over its whole width.

    Only cells merged across columns are supported (the exports merge no rows); a height already
    set that is larger is kept.
    """
    spans = {r.min_col: r.max_col for r in ws.merged_cells.ranges if r.min_row == row == r.max_row}
    covered = {c for first, last in spans.items() for c in range(first + 1, last + 1)}
    needed = 0.0
    for column in range(1, ncols + 1):
        cell = ws.cell(row=row, column=column)
        if column in covered or cell.value is None:
            continue
        font = cell.font
        size = float(font.sz or 11)
        width = column_points(ws, column, spans.get(column, column))
        text = _shown(cell.value)
        lines = wrapped_lines(text, width, size, bool(font.b), bool(font.i)) if cell.alignment.wrap_text else (
            text.count("\n") + 1)
        needed = max(needed, lines * size * LINE_EM + ROW_PADDING)
    if needed:
        current = ws.row_dimensions[row].height or 0
        ws.row_dimensions[row].height = round(max(current, needed), 2)
