"""``GET /api/v1/stats``: the public statistics as JSON (:mod:`certificates.reports.public`).

Parameters as the statistics page's filters: ``year_from``, ``year_to`` (four digits, 2014–2100), ``level``,
``group`` and ``province`` (codes). A value out of its range or not among the codes is a 400 naming each
parameter at fault; a period whose first year comes after its last simply holds no certificate.
"""
import re

from flask import current_app, jsonify, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from certificates.code_labels import REGISTRY_LEVELS
from certificates.reports.figures import Filters
from certificates.reports.public import WHOLE_COUNTRY, public_figures, stats_payload
from certificates.views.registry.pages import CACHE_SECONDS
from voting.core.access import public
from voting.core.clock import today_vn
from voting.extensions import db, limiter
from voting.models import ProductGroup, Province
from voting.rules.certification import FIRST_YEAR
from voting.views.errors import api_error

LAST_YEAR = 2100
_YEAR = re.compile(r"[0-9]{4}")


def _limit():
    return current_app.config.get("REGISTRY_API_RATE_LIMIT", "120 per minute")


def _year(args, name, errors):
    text = args.get(name, "")
    if text == "":
        return None
    if _YEAR.fullmatch(text) and FIRST_YEAR <= int(text) <= LAST_YEAR:
        return int(text)
    errors[name] = str(_l("Năm phải là một số từ %(min)s đến %(max)s.", min=FIRST_YEAR, max=LAST_YEAR))
    return None


def _code(args, name, known, errors):
    text = args.get(name, "")
    if text == "" or text in known:
        return text
    errors[name] = str(_l("Không có lựa chọn này trong danh sách."))
    return ""


def read_filters(args):
    """``(Filters, errors)`` from the query string ``args``; ``errors`` maps each parameter at fault to its message."""
    errors = {}
    provinces = dict(db.session.execute(select(Province.code, Province.id)).all())
    groups = set(db.session.scalars(select(ProductGroup.code)))
    province = _code(args, "province", provinces, errors)
    filters = Filters(year_from=_year(args, "year_from", errors), year_to=_year(args, "year_to", errors),
                      level=_code(args, "level", REGISTRY_LEVELS, errors), group_code=_code(args, "group", groups, errors),
                      province_id=provinces.get(province))
    return filters, errors


@public
@limiter.limit(_limit)
def stats():
    filters, errors = read_filters(request.args)
    if errors:
        return api_error(400, message=_l("Tham số không hợp lệ."), errors=errors, error="bad_parameters")
    today = today_vn()
    response = jsonify(stats_payload(public_figures(WHOLE_COUNTRY, filters, today), today))
    response.cache_control.public = True
    response.cache_control.max_age = CACHE_SECONDS
    response.add_etag(weak=True)
    response = response.make_conditional(request)
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
