"""What the spreadsheet imports share: a problem of a row, the check of a row, and coded-cell lookups.

The past-certificates import (:mod:`certificates.operations.past_imports`) and the paper nomination lists
(:mod:`voting.operations.nomination_imports`) report their problems the same way, as
:class:`Problem`; the view turns them into translated messages (:mod:`voting.views.import_messages`).
"""
from dataclasses import dataclass, field

from sqlalchemy import select

from voting.documents.import_workbook import cell_date, cell_text
from voting.extensions import db
from voting.models import ProductGroup
from voting.core.text import fold


@dataclass(frozen=True)
class Problem:
    """One reason for refusing the file: ``row`` and ``column`` are None/"" when it is the whole file."""

    row: int | None
    column: str
    code: str
    params: dict = field(default_factory=dict)


def group_codes():
    """Product groups by code and by folded name: "2" and "nhom san pham che bien ..." both give "2"."""
    groups = {}
    for group in db.session.scalars(select(ProductGroup)):
        groups[group.code] = groups[fold(group.name)] = group.code
    return groups


def lookup_code(table, value, on_unknown):
    """The code ``table`` gives the cell's text (as written, else folded); ``on_unknown()`` when none."""
    text = cell_text(value)
    if not text:
        on_unknown()
        return None
    code = table.get(text) or table.get(fold(text))
    if code is None:
        on_unknown()
    return code


class RowCheck:
    """One spreadsheet row being checked: its cells by column key, and every problem found in it.

    Both imports collect all of a row's problems (the file's author sees them at once) and turn the
    row into a record only when there is none; ``headers`` names each key's column in the messages.
    """

    def __init__(self, row_number, values, positions, headers):
        self.row_number, self.values, self.positions, self.headers = row_number, values, positions, headers
        self.problems = []

    def problem(self, key, code, **params):
        self.problems.append(Problem(self.row_number, self.headers.get(key, ""), code, params))

    def cell(self, key):
        index = self.positions.get(key)
        return self.values[index] if index is not None and index < len(self.values) else None

    def texts(self, limits):
        """The text of each column of ``limits``, with a problem where one is empty or over its limit."""
        texts = {key: cell_text(self.cell(key)) for key in limits}
        for key, limit in limits.items():
            if not texts[key]:
                self.problem(key, "required")
            elif len(texts[key]) > limit:
                self.problem(key, "too_long", max=limit)
        return texts

    def code(self, table, key, unknown):
        """The code ``table`` gives the cell (:func:`lookup_code`), else the problem ``unknown``."""
        return lookup_code(table, self.cell(key), lambda: self.problem(key, unknown, value=cell_text(self.cell(key))))

    def date(self, key, required=False):
        return cell_date(self.cell(key), lambda code, **params: self.problem(key, code, **params), required=required)
