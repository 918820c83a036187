"""Whole numbers that arrive as text: from a form field, a query parameter or a spreadsheet cell.

Python's ``int()`` takes more than a person types (``"١٢"``, ``"1_000"``, ``"+5"``) and any size, and
``str.isdigit()`` says yes to ``"²"``, which ``int()`` then refuses: neither may stand between a
request and the database. Here a number is ASCII digits, a minus sign only where negatives are
allowed, surrounding spaces ignored, and within bounds that the caller states; anything else is
None, and the caller answers with its message (a form field), a 404 (a query parameter naming a
thing) or a default. Ids stop at :data:`voting.core.routing.MAX_ID`, the largest an INTEGER column
holds (issue 16, item 9).
"""
import re

from flask import abort, request

from voting.core.routing import MAX_ID

#: The last page number a list answers; past it a page names nothing (404). Times any page size,
#: the offset stays far inside every database's integer.
MAX_PAGE = 10**6
_WHOLE = re.compile(r"-?[0-9]{1,30}")


def whole_number(value):
    """The whole number ``value`` writes (text of ASCII digits, or already an int), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and _WHOLE.fullmatch(value.strip()):
        return int(value.strip())
    return None


def parse_int(value, low, high):
    """The whole number ``value`` writes, if it lies in ``low``…``high``; else None (never clamped)."""
    number = whole_number(value)
    return number if number is not None and low <= number <= high else None


def parse_id(value):
    """The id ``value`` writes (1…:data:`MAX_ID`), or None: then it names no row."""
    return parse_int(value, 1, MAX_ID)


def query_id(name):
    """The id in the query parameter ``name``, or None when it is absent or names no possible row."""
    return parse_id(request.args.get(name))


def query_int(name, low, high):
    """The whole number in the query parameter ``name`` within ``low``…``high``, or None."""
    return parse_int(request.args.get(name), low, high)


def query_page():
    """The ``page`` parameter of a list: 1 when absent; a page that cannot exist answers 404.

    For ``db.paginate(page=query_page(), …)``: left to itself Flask-SQLAlchemy reads any size of
    integer and hands the database an offset it cannot hold (a 500).
    """
    raw = request.args.get("page", "")
    if raw == "":
        return 1
    page = parse_int(raw, 1, MAX_PAGE)
    if page is None:
        abort(404)
    return page
