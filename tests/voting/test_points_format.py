"""One points formatter for pages, documents, form values and JSON (voting.core.formatting.format_points)."""
from decimal import Decimal

import pytest

from voting.core.formatting import format_points
from voting.core.pdf import format_points as document_points

VALUES = [None, Decimal("40"), Decimal("40.00"), Decimal("35.50"), Decimal("8.25"), 100, Decimal("0"),
          Decimal("0.10"), Decimal("1E+2")]


@pytest.mark.parametrize("value, vietnamese, english, machine", [
    (None, "", "", ""), (Decimal("40.00"), "40", "40", "40"), (Decimal("35.50"), "35,5", "35.5", "35.5"),
    (Decimal("8.25"), "8,25", "8.25", "8.25"), (Decimal("1E+2"), "100", "100", "100"),
    (Decimal("0.10"), "0,1", "0.1", "0.1"),
])
def test_points_in_each_notation(value, vietnamese, english, machine):
    assert format_points(value, locale="vi") == vietnamese
    assert format_points(value, locale="en") == english
    assert format_points(value, machine=True) == machine


@pytest.mark.parametrize("value", VALUES)
def test_documents_use_the_vietnamese_notation_of_the_one_formatter(value):
    assert document_points(value) == format_points(value, locale="vi")


@pytest.mark.parametrize("value", VALUES)
def test_form_values_are_what_the_jury_page_sent_before(value):
    """The jury page's former ``plain_points``: ``format(value.normalize(), "f")``."""
    before = "" if value is None else format(Decimal(value).normalize(), "f")
    assert format_points(value, machine=True) == before


@pytest.mark.parametrize("language, shown", [("vi", "35,5"), ("en", "35.5")])
def test_pages_follow_the_ui_language(app, language, shown):
    with app.test_request_context(headers={"Cookie": f"lang={language}"}):
        assert format_points(Decimal("35.50")) == shown
