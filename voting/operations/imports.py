"""What the spreadsheet imports share: a problem of a row, and the lookups of coded cells.

The past-certificates import (:mod:`certificates.past_imports`) and the paper nomination lists
(:mod:`voting.operations.nomination_imports`) report their problems the same way, as
:class:`Problem`; the view turns them into translated messages (:mod:`voting.views.import_messages`).
"""
from dataclasses import dataclass, field

from sqlalchemy import select

from voting.documents.import_workbook import cell_text
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
