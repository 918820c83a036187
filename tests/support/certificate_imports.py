"""The certificate import workbook (tests/certificates/test_imports.py, tests/test_number_inputs.py): URL, headers, a valid row."""
import datetime

from voting.documents.import_workbook import COLUMNS

URL = "/admin/imports/certificates"


HEADERS = [c.header for c in COLUMNS]


def row(**changes):
    """A valid row as a dict keyed by header; ``changes`` use the column keys."""
    values = {"number": "T-2023-TN-900", "level": "Cấp tỉnh", "year": 2023, "decision_number": "1977/QĐ-UBND",
              "decision_on": datetime.datetime(2023, 11, 20), "authority_name": "Ủy ban nhân dân tỉnh Thái Nguyên",
              "product_name": "Chè đinh", "group": 2, "producer_name": "Hợp tác xã chè thử",
              "province": "Thái Nguyên", "valid_until": datetime.datetime(2026, 11, 20)}
    values.update(changes)
    return [values[c.key] for c in COLUMNS]
