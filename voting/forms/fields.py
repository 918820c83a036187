"""Shared field filters, validators and number fields."""
import re
from decimal import Decimal

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from wtforms import DecimalField, IntegerField, SelectField, SelectMultipleField
from wtforms.validators import StopValidation, ValidationError
from wtforms.widgets import HiddenInput

from voting.core.numbers import parse_id, whole_number
from voting.core.passwords import MAX_LENGTH, MIN_LENGTH, password_problems
from voting.core.routing import MAX_ID
from voting.core.text import nfc

_PHONE_SEPARATORS = re.compile(r"[\s.\-()]")
_VN_PHONE = re.compile(r"^0\d{9}$")


def strip_nfc(value):
    """Field filter: NFC and trimmed (None stays None)."""
    return nfc(value) if isinstance(value, str) else value


def normalise_phone(value):
    """Field filter: drop separators and turn +84 into the leading 0."""
    if not isinstance(value, str):
        return value
    value = _PHONE_SEPARATORS.sub("", nfc(value))
    if value.startswith("+84"):
        value = "0" + value[3:]
    elif value.startswith("84") and len(value) == 11:
        value = "0" + value[2:]
    return value


def vietnamese_phone(form, field):
    if field.data and not _VN_PHONE.match(field.data):
        raise ValidationError(_l("Số điện thoại gồm 10 chữ số, bắt đầu bằng 0 (ví dụ 0912345678)."))


PASSWORD_MESSAGES = {
    "too_short": _l("Mật khẩu cần ít nhất %(n)d ký tự.", n=MIN_LENGTH),
    "too_long": _l("Mật khẩu dài tối đa %(n)d ký tự.", n=MAX_LENGTH),
    "too_repetitive": _l("Mật khẩu quá đơn điệu: hãy dùng nhiều ký tự khác nhau."),
    "only_digits": _l("Mật khẩu không được chỉ gồm chữ số."),
    "contains_email": _l("Mật khẩu không được chứa tên trong địa chỉ e-mail."),
    "common": _l("Mật khẩu này quá phổ biến, dễ bị đoán: hãy chọn một câu dài hơn, ít gặp hơn."),
}


def strong_password(email_field=None):
    """Validator applying :func:`voting.core.passwords.password_problems`."""

    def check(form, field):
        email = form[email_field].data if email_field else getattr(form, "account_email", "")
        problems = password_problems(field.data or "", email or "")
        if problems:
            raise ValidationError(" ".join(str(PASSWORD_MESSAGES[p]) for p in problems))

    return check


# Numbers ------------------------------------------------------------------------------------------
#
# WTForms' IntegerField takes whatever int() takes ("١٢", "1_000", any size) and its DecimalField
# whatever Decimal() takes ("sNaN", "1E+999999", forty decimals), and both answer a wrong value in
# English. A number here reaches an INTEGER or NUMERIC(p, 2) column or names a row, so each field
# below states its bounds, refuses everything else with a Vietnamese message, and leaves what was
# typed in the box (``_value`` shows the raw text). An empty box is None: ``Optional`` or
# :class:`NumberRequired` decide about it. tests/test_number_inputs.py walks every form's number
# boxes: a plain IntegerField or DecimalField added to a form fails it.

WHOLE_NUMBER_MESSAGE = _l("Hãy nhập một số nguyên từ %(min)s đến %(max)s (chỉ gồm chữ số 0–9).")
STALE_CHOICE_MESSAGE = _l("Lựa chọn này không có trên trang: hãy tải lại trang rồi chọn lại.")
DECIMAL_MESSAGE = _l("Hãy nhập một số từ %(min)s đến %(max)s, nhiều nhất %(places)s chữ số sau dấu phẩy "
                     "(ví dụ 2,5).")


def _blank(text):
    return not isinstance(text, str) or not text.strip()


class NumberRequired:
    """``DataRequired`` for the number fields: an empty box gets ``message``.

    ``DataRequired`` would also refuse 0 and replace the field's own message about a malformed or
    out-of-range number by "required"; ``InputRequired`` would let a box of spaces through as None.
    """

    field_flags = {"required": True}

    def __init__(self, message):
        self.message = message

    def __call__(self, form, field):
        if field.data is None and not field.process_errors:
            field.errors[:] = []
            raise StopValidation(self.message)


class UnlessTicked:
    """Skip the field's other checks when the box ``name`` of the same form is ticked: its value is not used."""

    def __init__(self, name):
        self.name = name

    def __call__(self, form, field):
        if form[self.name].data:
            field.errors[:] = []
            raise StopValidation()


class _BoundedNumber:
    """A number box from ``minimum`` to ``maximum``: blank gives None, anything else a number in range
    or the field's refusal (``parse`` reads the text, ``refusal`` words the answer)."""

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        self.data = None
        if _blank(valuelist[0]):
            return
        value = self.parse(valuelist[0])
        if value is not None and self.minimum <= value <= self.maximum:
            self.data = value
            return
        raise ValueError(self.refusal(value))


class WholeNumberField(_BoundedNumber, IntegerField):
    """A whole number from ``minimum`` to ``maximum`` (by default up to :data:`MAX_ID`, an INTEGER).

    :param message: the answer to a number out of range.
    :param malformed_message: the answer to text that is no whole number; by default
        :data:`WHOLE_NUMBER_MESSAGE`, which states the bounds too.
    """

    def __init__(self, label=None, validators=None, minimum=0, maximum=MAX_ID, message=None,
                 malformed_message=WHOLE_NUMBER_MESSAGE, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.minimum, self.maximum = minimum, maximum
        self.message, self.malformed_message = message or malformed_message, malformed_message

    def parse(self, text):
        return whole_number(text)

    def refusal(self, number):
        message = self.malformed_message if number is None else self.message
        return str(message) % {"min": self.minimum, "max": self.maximum}


class IdField(WholeNumberField):
    """A hidden field naming a row by its id: anything but 1…MAX_ID was not put there by the page."""

    widget = HiddenInput()

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, minimum=1, maximum=MAX_ID, message=STALE_CHOICE_MESSAGE,
                         malformed_message=STALE_CHOICE_MESSAGE, **kwargs)


def coerce_id(value):
    """An id, or 0 for anything that is no possible id: 0 names no row and is no choice."""
    return parse_id(value) or 0


class IdSelectField(SelectField):
    """A choice of one row by id; a value that is no possible id (2³¹, "١٢", "abc") becomes 0.

    0 is no row and no choice, so the form's own check refuses it with the form's message
    (``DataRequired``, a ``validate_<field>`` method, or the view's lookup finding nothing), as it
    refuses any id it did not offer; it never reaches the database as a number no column holds.
    """

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("coerce", coerce_id)
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist):
        if valuelist:
            self.data = None if _blank(valuelist[0]) else coerce_id(valuelist[0])


class IdSelectMultipleField(SelectMultipleField):
    """Several rows chosen by id; as :class:`IdSelectField`, a value that is no possible id becomes 0."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("coerce", coerce_id)
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist):
        self.data = [coerce_id(value) for value in valuelist]


class LocalDecimalField(_BoundedNumber, DecimalField):
    """A decimal from ``minimum`` to ``maximum`` with at most ``places`` decimals, for a NUMERIC column.

    Takes the Vietnamese decimal comma ("2,5" = 2.5). Refuses NaN, infinities, exponents and more
    decimals than the column keeps (the database would round them away, or fail on a NaN).

    :param message: the answer to a number out of range (a malformed one gets :data:`DECIMAL_MESSAGE`).
    """

    def __init__(self, label=None, validators=None, minimum=Decimal(0), maximum=Decimal(100), message=None,
                 **kwargs):
        kwargs.setdefault("places", 2)
        super().__init__(label, validators, **kwargs)
        self.minimum, self.maximum, self.message = Decimal(minimum), Decimal(maximum), message

    def parse(self, text):
        return plain_decimal(text, self.places)

    def refusal(self, value):
        message = self.message if value is not None and self.message else DECIMAL_MESSAGE
        return str(message) % {"min": plain_number(self.minimum), "max": plain_number(self.maximum),
                               "places": self.places}


_DECIMAL = re.compile(r"-?[0-9]{1,12}(?:\.[0-9]{1,12})?")


def plain_decimal(text, places):
    """``text`` ("2,5", "2.5", " 70 ") as a Decimal of at most ``places`` decimals, or None.

    A comma is the decimal point unless the text has a point already.
    """
    if not isinstance(text, str):
        return None
    text = text.strip()
    if "." not in text:
        text = text.replace(",", ".", 1)
    if not _DECIMAL.fullmatch(text):
        return None
    value = Decimal(text)
    return value if -value.normalize().as_tuple().exponent <= places else None


def plain_number(value):
    """A bound as the reader writes it: "0,01" in Vietnamese, "0.01" in English."""
    return format_decimal(value.normalize())
