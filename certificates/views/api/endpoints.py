"""Open data: ``GET /api/v1/products``, ``/registry.csv`` and the OpenAPI document (:mod:`certificates.views.api.openapi`).

The same parameters as the registry page (:mod:`certificates.registry.search`): ``q``,
``province``, ``region``, ``group``, ``level``, ``year``, ``status`` (``valid`` by default),
``sort``, ``page``, ``per_page`` (at most 100). A malformed or out-of-range value is a 400 with a
JSON body ``{"error": "bad_parameters", "message": "…", "errors": {"<parameter>": "<message>"}}``;
a province, region or group that names nothing is a 404 of the same shape; a page past the last
is an empty ``items`` with the real ``total``.

An item is a certified product: ``id`` and ``slug`` of the product on the platform (both
``null`` for a paper certificate linked to no product, whose ``url`` is its certificate's page),
``name``, ``group``, ``producer``, ``province`` *as certified* (its newest certificate's:
:mod:`certificates.rules.certified`), ``current_name`` and ``current_producer`` (the platform's names
now, ``null`` unless they differ) and its ``certificates`` (``number``, ``level``, ``year``,
``status``, ``on_paper``, the ``product``, ``producer``, ``group``, ``province`` and
``province_then`` as certified on that certificate, the issuing ``authority`` (a number such as
"15/GCN-UBND" is unique only per authority and year: a ``q`` that is such a number lists every
certificate bearing it), the ``address`` as certified (the commune and province, the street only with
the producer's consent) and, when it has a QR, ``verify_url``). No other contact details: those are on
the product page, and only as the producer chose to publish them.

``/registry.csv`` has one row per certificate meeting the filters (UTF-8 with a byte-order mark,
so that Excel reads Vietnamese right), every page at once, with the names as certified on that
certificate. Every text cell that a spreadsheet could take for a formula (starting with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return) starts with an apostrophe
(:func:`voting.documents.exports.csv_text`, the rule of the .xlsx exports); its columns are described in
the OpenAPI document and the README.

Both are limited per client (``REGISTRY_API_RATE_LIMIT``, ``REGISTRY_CSV_RATE_LIMIT``); the API
answers 429 in JSON (as every error under ``/api/``: :mod:`voting.views.errors`), the CSV with the
site's error page.
"""
import csv
import io

from flask import Response, current_app, jsonify, request, url_for
from flask_babel import lazy_gettext as _l

from certificates.registry import search as registry_search
from certificates.registry.results import effective_status
from certificates.operations.issuance import verify_url
from certificates.registry.slugs import slugify
from certificates.views.api.openapi import openapi_document
from certificates.views.registry.pages import CACHE_SECONDS
from voting.core import cache
from voting.core.access import public
from voting.core.clock import today_vn
from voting.documents.exports import csv_text
from voting.extensions import db, limiter
from voting.models import Province
from certificates.models import RegistryCertificate, RegistryEntry
from voting.core.security import public_base_url
from voting.views.errors import api_error

#: The CSV holds at most this many certificates (the whole registry, for years to come).
CSV_LIMIT = 200_000
#: product, group, producer, province, province_then: as certified on the row's certificate;
#: current_product, current_producer: the platform's names now, only where they differ from those.
CSV_COLUMNS = ("number", "level", "year", "status", "on_paper", "verify_url", "product_id", "product",
               "group", "producer", "province", "province_then", "url", "current_product", "current_producer", "authority",
               "address")


def _absolute(path):
    return public_base_url().rstrip("/") + path


def item_slug(entry):
    """The product page's canonical slug (made of the current name, as the page's own)."""
    return slugify(entry.current_name or entry.name, entry.product_id)


def item_url(entry):
    if entry.product_id is not None and "registry.product" in current_app.view_functions:
        return _absolute(url_for("registry.product", ref=item_slug(entry)))
    return _absolute(url_for("registry.certificate", number=entry.certificates[0].number))


def certificate_json(certificate, today):
    data = {"number": certificate.number, "level": certificate.level, "year": certificate.year,
            "status": effective_status(certificate, today), "on_paper": certificate.on_paper,
            "expires_on": certificate.expires_on.isoformat() if certificate.expires_on else None,
            "product": certificate.product_name, "producer": certificate.producer_name,
            "group": certificate.group_name, "province": certificate.province_name,
            "province_then": certificate.province_then or None,
            "authority": certificate.authority_name, "address": certificate.address}
    if certificate.token:
        data["verify_url"] = verify_url(certificate.token)
    return data


def item_json(entry, today):
    return {
        "id": entry.product_id, "slug": item_slug(entry) if entry.product_id else None,
        "name": entry.name, "group": entry.group_name, "group_code": entry.group_code,
        "producer": entry.producer_name, "province": entry.province_name,
        "current_name": entry.renamed_product or None, "current_producer": entry.renamed_producer or None,
        "province_code": None, "url": item_url(entry),
        "certificates": [certificate_json(c, today) for c in entry.certificates],
    }


def _differs(current, certified):
    return current if current and current != certified else ""


def bad_parameters(params):
    """404 when every parameter at fault is a well-formed name of nothing (the products of an unknown
    province do not exist); else 400 ``bad_parameters``. Either names each parameter at fault."""
    if set(params.errors) <= params.unknown:
        return api_error(404, message=_l("Không có tỉnh, khu vực hoặc nhóm sản phẩm nào mang mã hoặc tên đã cho."),
                         errors=params.errors)
    return api_error(400, message=_l("Tham số không hợp lệ."), errors=params.errors, error="bad_parameters")


def _api_limit():
    return current_app.config.get("REGISTRY_API_RATE_LIMIT", "120 per minute")


def _csv_limit():
    return current_app.config.get("REGISTRY_CSV_RATE_LIMIT", "10 per minute")


def _open(response):
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@public
@limiter.limit(_api_limit)
def products():
    today = today_vn()
    # The whole answer is public and the same for everyone: with Redis, cached as it is sent.
    key = cache.registry_key("api-products", sorted(request.args.items(multi=True)), today.isoformat()) \
        if cache.enabled() else None
    payload = cache.get(key) if key else None
    if payload is None:
        params = registry_search.parse(request.args, strict=True)
        if params.errors:
            return bad_parameters(params)
        payload = _products_payload(params, today)
        if key:
            cache.put(key, payload)
    response = jsonify(payload)
    response.cache_control.public = True
    response.cache_control.max_age = CACHE_SECONDS
    response.add_etag(weak=True)
    return _open(response.make_conditional(request))


def _products_payload(params, today):
    results = registry_search.search(params, today)
    codes = _province_codes()
    items = []
    for entry in results.items:
        item = item_json(entry, today)
        item["province_code"] = codes.get(entry.province_id)
        items.append(item)
    return {"items": items, "page": results.page, "per_page": results.per_page, "total": results.total}


def _province_codes():
    return cache.reference_kept("province_codes",
                                lambda: dict(db.session.execute(db.select(Province.id, Province.code)).all()))


@public
@limiter.limit(_csv_limit)
def registry_csv():
    params = registry_search.parse(request.args, strict=True)
    if params.errors:
        return bad_parameters(params)
    today = today_vn()
    entries = registry_search.entries_query(params, today).subquery()
    conditions = registry_search.certificate_conditions(params, today)
    query = (db.select(RegistryCertificate, entries.c.id).join(entries, entries.c.id == RegistryCertificate.entry_id)
             .where(*conditions).limit(CSV_LIMIT))
    rows = db.session.execute(query).all()
    by_entry = {}
    ids = [entry_id for _, entry_id in rows]
    if ids:
        for start in range(0, len(ids), 500):
            for entry in db.session.scalars(db.select(RegistryEntry).where(RegistryEntry.id.in_(ids[start:start + 500]))):
                by_entry[entry.id] = entry
    order = {entry_id: n for n, entry_id in enumerate(dict.fromkeys(ids))}
    rows.sort(key=lambda r: (order[r[1]], -r[0].year, r[0].number))
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for certificate, entry_id in rows:
        entry = by_entry[entry_id]
        writer.writerow([csv_text(v) if isinstance(v, str) else v for v in (
            certificate.number, certificate.level, certificate.year,
            effective_status(certificate, today), "yes" if certificate.on_paper else "no",
            verify_url(certificate.token) if certificate.token else "", entry.product_id or "",
            certificate.product_name, certificate.group_name, certificate.producer_name, certificate.province_name,
            certificate.province_then, item_url(entry), _differs(entry.current_name, certificate.product_name),
            _differs(entry.current_producer_name, certificate.producer_name), certificate.authority_name,
            certificate.address)])
    response = Response(out.getvalue().encode("utf-8"), mimetype="text/csv")
    response.headers["Content-Disposition"] = "attachment; filename=so-dang-ky-cnnt.csv"
    response.charset = "utf-8"
    response.cache_control.public = True
    response.cache_control.max_age = CACHE_SECONDS
    response.add_etag(weak=True)
    return _open(response.make_conditional(request))


@public
def openapi():
    response = jsonify(openapi_document())
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    return _open(response)
