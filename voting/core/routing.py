"""URL converters shared by every route.

An ``<int:…>`` in a route names a row, and every id column is an INTEGER: PostgreSQL's holds
-2³¹…2³¹-1, SQLite's driver refuses numbers past 2⁶³. A larger number in a URL names no row, so it
matches no route (404) instead of reaching the database and failing there (500).
"""
from werkzeug.routing import IntegerConverter

#: The largest id an INTEGER primary key can hold (PostgreSQL's signed 32 bits).
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """Werkzeug's ``int`` converter with ``max`` set to :data:`MAX_ID` unless the route says otherwise."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):  # noqa: A002 (Werkzeug's names)
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def init_routing(app):
    """Replace the ``int`` converter before any route is added (rules look it up when added)."""
    app.url_map.converters["int"] = IdConverter
