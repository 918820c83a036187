"""Format rules for identifiers: registration numbers and GTINs."""
import re

_ENTERPRISE_CODE = re.compile(r"^\d{10}(-\d{3})?$")

#: Producer types whose registration number follows the national 10-digit code
#: (mã số doanh nghiệp / mã số hợp tác xã), optionally with a branch suffix.
CODED_TYPES = {"dnnvv", "htx"}
#: Types that may have no registration number at all.
OPTIONAL_NUMBER_TYPES = {"tht"}


def registration_number_problem(type_code, number):
    """Return None if ``number`` suits the producer type, else a problem code."""
    if not number:
        return None if type_code in OPTIONAL_NUMBER_TYPES else "required"
    if type_code in CODED_TYPES and not _ENTERPRISE_CODE.match(number):
        return "enterprise_format"
    if len(number) > 40:
        return "too_long"
    return None


def gtin_is_valid(value):
    """True for a GTIN-8, -12, -13 or -14 whose check digit is right (GS1 mod 10)."""
    # isascii: "²".isdigit() is true, and int("²") fails.
    if not value or not (value.isascii() and value.isdigit()) or len(value) not in (8, 12, 13, 14):
        return False
    digits = [int(ch) for ch in value]
    body, check = digits[:-1], digits[-1]
    # Weights alternate 3, 1, 3 ... starting from the digit next to the check digit.
    total = sum(d * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10 == check
