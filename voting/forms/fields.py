"""Shared field filters and validators."""
import re

from flask_babel import lazy_gettext as _l
from wtforms import DecimalField
from wtforms.validators import ValidationError

from voting.passwords import MAX_LENGTH, MIN_LENGTH, password_problems
from voting.text import nfc

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
    """Validator applying :func:`voting.passwords.password_problems`."""

    def check(form, field):
        email = form[email_field].data if email_field else getattr(form, "account_email", "")
        problems = password_problems(field.data or "", email or "")
        if problems:
            raise ValidationError(" ".join(str(PASSWORD_MESSAGES[p]) for p in problems))

    return check


class LocalDecimalField(DecimalField):
    """A decimal field that also takes the Vietnamese decimal comma ("2,5" = 2.5)."""

    def process_formdata(self, valuelist):
        if valuelist and isinstance(valuelist[0], str) and "." not in valuelist[0]:
            valuelist = [valuelist[0].strip().replace(",", ".", 1), *valuelist[1:]]
        super().process_formdata(valuelist)
