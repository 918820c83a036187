"""Showing dates, times and numbers the Vietnamese way (dd/mm/yyyy, Asia/Ho_Chi_Minh)."""
import re
from datetime import date, datetime, timezone

from babel.numbers import format_decimal as format_decimal_in
from flask_babel import format_decimal, get_timezone
from flask_babel import gettext as _

from voting.rules.signer import signer_lines_of


def format_date_vn(value):
    """dd/mm/yyyy in Vietnam's time, whatever the UI language."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(get_timezone()).strftime("%d/%m/%Y")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def format_expiry_vn(value):
    """A certificate's last valid day, dd/mm/yyyy; None (issued without expiry): "không thời hạn"."""
    return _("không thời hạn") if value is None else format_date_vn(value)


def format_datetime_vn(value):
    """dd/mm/yyyy HH:MM in Vietnam's time, whatever the UI language; a naive time is UTC, as Flask-Babel reads it.

    A fixed pattern needs no locale: ``strftime`` writes it in a twentieth of the time Babel's pattern
    formatter took (3 % of a kept scan page's CPU, which shows the moment of each check).
    """
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(get_timezone()).strftime("%d/%m/%Y %H:%M")


def format_score(value):
    """An exact score rounded half-up to 2 places, in the UI language's notation (83,33 in Vietnamese)."""
    from voting.rules.results import shown

    if value is None:
        return ""
    return format_decimal(shown(value), format="#,##0.00")


def format_points(value, *, locale=None, machine=False):
    """Raw points as typed, no trailing zeros: 35,5 in Vietnamese, 35.5 in English; None → "".

    The one points formatter of the app: pages, PDFs, form values and JSON all go through it.

    :param locale: the notation to use; the UI language's by default. Official documents pass
        ``"vi"``: they are Vietnamese whatever the reader's language, and render outside a request.
    :param machine: a form value or JSON string ("80.5"): a dot and no grouping in every language,
        as the browser's number input and the scoring script read it.
    """
    if value is None:
        return ""
    if machine:
        return format_decimal_in(value, format="0.##", locale="en")
    if locale is not None:
        return format_decimal_in(value, format="#,##0.##", locale=locale)
    return format_decimal(value, format="#,##0.##")


def format_count(value):
    """A whole count with the UI language's thousands separator: 1.234 in Vietnamese, 1,234 in English."""
    if value is None:
        return ""
    return format_decimal(value, format="#,##0")


_GROUP_PREFIX = re.compile(r"^Nhóm (?:các )?sản phẩm (?:về )?", re.IGNORECASE)


def group_short(name):
    """A product group's name after a "Nhóm sản phẩm" label: "Nhóm sản phẩm thủ công mỹ nghệ" →
    "Thủ công mỹ nghệ", so that a page does not read "Nhóm sản phẩm: Nhóm sản phẩm …" (issue 18).
    A name without the official opening is kept whole."""
    if not name:
        return name or ""
    rest = _GROUP_PREFIX.sub("", name, count=1)
    return rest[:1].upper() + rest[1:] if rest else name


def register_filters(app):
    app.jinja_env.filters["group_short"] = group_short
    app.jinja_env.filters["score"] = format_score
    app.jinja_env.filters["points"] = format_points
    app.jinja_env.filters["number"] = format_count
    app.jinja_env.filters["date_vn"] = format_date_vn
    app.jinja_env.filters["expiry_vn"] = format_expiry_vn
    app.jinja_env.filters["signer_lines"] = signer_lines_of
    app.jinja_env.filters["datetime_vn"] = format_datetime_vn
