"""Showing dates, times and numbers the Vietnamese way (dd/mm/yyyy, Asia/Ho_Chi_Minh)."""
from datetime import date, datetime

from flask_babel import format_datetime, format_decimal, get_timezone


def format_date_vn(value):
    """dd/mm/yyyy in Vietnam's time, whatever the UI language."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(get_timezone()).strftime("%d/%m/%Y")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def format_datetime_vn(value):
    """dd/mm/yyyy HH:MM in Vietnam's time."""
    if value is None:
        return ""
    return format_datetime(value, "dd/MM/yyyy HH:mm")


def format_score(value):
    """An exact score rounded half-up to 2 places, in the UI language's notation (83,33 in Vietnamese)."""
    from voting.rules.results import shown

    if value is None:
        return ""
    return format_decimal(shown(value), format="#,##0.00")


def format_points(value):
    """Raw points as typed: 35,5 in Vietnamese, no trailing zeros."""
    if value is None:
        return ""
    return format_decimal(value, format="#,##0.##")


def register_filters(app):
    app.jinja_env.filters["score"] = format_score
    app.jinja_env.filters["points"] = format_points
    app.jinja_env.filters["date_vn"] = format_date_vn
    app.jinja_env.filters["datetime_vn"] = format_datetime_vn
