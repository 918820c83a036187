"""Open data: ``GET /api/v1/products``, ``/registry.csv`` and the OpenAPI document.

The same parameters as the registry page (:mod:`certificates.registry_search`): ``q``,
``province``, ``region``, ``group``, ``level``, ``year``, ``status`` (``valid`` by default),
``sort``, ``page``, ``per_page`` (at most 100). An unknown value is a 400 with a JSON body
``{"error": "bad_parameters", "errors": {"<parameter>": "<message>"}}``; a page past the last is
an empty ``items`` with the real ``total``.

An item is a certified product: ``id`` and ``slug`` of the product on the platform (both
``null`` for a paper certificate linked to no product, whose ``url`` is its certificate's page),
``name``, ``group``, ``producer``, ``province`` *as certified* (its newest certificate's:
:mod:`certificates.certified`), ``current_name`` and ``current_producer`` (the platform's names
now, ``null`` unless they differ) and its ``certificates`` (``number``, ``level``, ``year``,
``status``, ``on_paper``, the ``product``, ``producer``, ``group``, ``province`` and
``province_then`` as certified on that certificate and, when it has a QR, ``verify_url``). No
contact details: those are on the product page, and only as the producer chose to publish them.

``/registry.csv`` has one row per certificate meeting the filters (UTF-8 with a byte-order mark,
so that Excel reads Vietnamese right), every page at once, with the names as certified on that
certificate. Every text cell that a spreadsheet could take for a formula (starting with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return) starts with an apostrophe
(:func:`voting.exports.csv_text`, the rule of the .xlsx exports).

Both are limited per client (``REGISTRY_API_RATE_LIMIT``, ``REGISTRY_CSV_RATE_LIMIT``); the API
answers 429 in JSON, the CSV with the site's error page.
"""
import csv
import io

from flask import Blueprint, Response, current_app, jsonify, request, url_for

from certificates import registry_search
from certificates.issuance import verify_url
from certificates.slugs import slugify
from certificates.views import CACHE_SECONDS, REGISTRY_LEVELS
from voting import cache
from voting.access import public
from voting.clock import today_vn
from voting.exports import csv_text
from voting.extensions import db, limiter
from voting.models import Province, RegistryCertificate, RegistryEntry
from voting.security import public_base_url
from voting.views.errors import MESSAGES, render_error

blueprint = Blueprint("registry_data", __name__)
#: The CSV holds at most this many certificates (the whole registry, for years to come).
CSV_LIMIT = 200_000
#: product, group, producer, province, province_then: as certified on the row's certificate;
#: current_product, current_producer: the platform's names now, only where they differ from those.
CSV_COLUMNS = ("number", "level", "year", "status", "on_paper", "verify_url", "product_id", "product",
               "group", "producer", "province", "province_then", "url", "current_product", "current_producer")


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
            "status": registry_search.effective_status(certificate, today), "on_paper": certificate.on_paper,
            "expires_on": certificate.expires_on.isoformat() if certificate.expires_on else None,
            "product": certificate.product_name, "producer": certificate.producer_name,
            "group": certificate.group_name, "province": certificate.province_name,
            "province_then": certificate.province_then or None}
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
    response = jsonify({"error": "bad_parameters",
                        "errors": {k: str(v) for k, v in params.errors.items()}})
    response.status_code = 400
    return response


def _api_limit():
    return current_app.config.get("REGISTRY_API_RATE_LIMIT", "120 per minute")


def _csv_limit():
    return current_app.config.get("REGISTRY_CSV_RATE_LIMIT", "10 per minute")


def _open(response):
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@blueprint.get("/api/v1/products")
@public
@limiter.limit(_api_limit)
def products():
    today = today_vn()
    # The whole answer is public and the same for everyone: with Redis, cached as it is sent.
    key = cache.registry_key("api-products", sorted(request.args.items(multi=True)), today.isoformat()) \
        if cache.enabled() else None
    payload = cache.get(key) if key else None
    if payload is None:
        params = registry_search.parse(request.args)
        if params.errors:
            return _open(bad_parameters(params))
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
    return dict(db.session.execute(db.select(Province.id, Province.code)).all())


@blueprint.get("/registry.csv")
@public
@limiter.limit(_csv_limit)
def registry_csv():
    params = registry_search.parse(request.args)
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
            registry_search.effective_status(certificate, today), "yes" if certificate.on_paper else "no",
            verify_url(certificate.token) if certificate.token else "", entry.product_id or "",
            certificate.product_name, certificate.group_name, certificate.producer_name, certificate.province_name,
            certificate.province_then, item_url(entry), _differs(entry.current_name, certificate.product_name),
            _differs(entry.current_producer_name, certificate.producer_name))])
    response = Response(out.getvalue().encode("utf-8"), mimetype="text/csv")
    response.headers["Content-Disposition"] = "attachment; filename=so-dang-ky-cnnt.csv"
    response.charset = "utf-8"
    response.cache_control.public = True
    response.cache_control.max_age = CACHE_SECONDS
    response.add_etag(weak=True)
    return _open(response.make_conditional(request))


@blueprint.errorhandler(429)
def too_many_requests(error):
    """The API answers in JSON, as the verification API does; the CSV, a browser download, as a page."""
    if request.endpoint == "registry_data.products":
        response = jsonify({"error": "too_many_requests", "message": str(MESSAGES[429][1])})
        response.status_code = 429
        return _open(response)
    return render_error(429)


@blueprint.get("/api/v1/openapi.json")
@public
def openapi():
    response = jsonify(openapi_document())
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    return _open(response)


# The OpenAPI document ----------------------------------------------------------------------------

def _param(name, description, schema):
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema}


def openapi_document():
    """OpenAPI 3.1 for the open-data and verification endpoints (written by hand)."""
    text = {"type": "string"}
    status_enum = ["valid", "expired", "suspended", "revoked", "superseded", "unstated"]
    certificate = {
        "type": "object", "required": ["number", "level", "year", "status", "on_paper"],
        "properties": {
            "number": text, "level": {"type": "string", "enum": list(REGISTRY_LEVELS)},
            "year": {"type": "integer"},
            "status": {"type": "string", "enum": status_enum,
                       "description": "As on the day asked; 'unstated': a paper certificate stating no expiry."},
            "on_paper": {"type": "boolean"}, "expires_on": {"type": ["string", "null"], "format": "date"},
            "verify_url": {"type": "string", "format": "uri",
                           "description": "The URL its QR code holds; absent for a paper certificate."},
        }}
    product = {
        "type": "object",
        "required": ["id", "slug", "name", "group", "producer", "province", "url", "certificates"],
        "properties": {
            "id": {"type": ["integer", "null"], "description": "null: a paper certificate linked to no product."},
            "slug": {"type": ["string", "null"]}, "name": text, "group": text, "group_code": text,
            "producer": text, "province": text, "province_code": {"type": ["string", "null"]},
            "url": {"type": "string", "format": "uri"},
            "certificates": {"type": "array", "items": {"$ref": "#/components/schemas/Certificate"}},
        }}
    error = {"type": "object", "required": ["error"], "properties": {
        "error": text, "errors": {"type": "object", "additionalProperties": text}}}
    verification = {
        "type": "object", "required": ["status", "checked_at"],
        "properties": {
            "status": {"type": "string", "enum": ["valid", "expired", "suspended", "revoked", "superseded",
                                                  "forged", "not_found"]},
            "checked_at": {"type": "string", "format": "date-time"},
            "certificate": {"type": "object", "additionalProperties": True,
                            "description": "The certificate's details; only when it is genuine."},
        }}
    filters = [
        _param("q", "Search text: product, producer, province (current or former), group; case, diacritics "
                    "and tone-mark placement ignored; partial words match.", {"type": "string", "maxLength": 200}),
        _param("province", "A current unit's code, or a current or former province's name.", text),
        _param("region", "A region's code or name.", text),
        _param("group", "A product group's code or name.", text),
        _param("level", "Level of a certificate.", {"type": "string", "enum": list(registry_search.LEVELS)}),
        _param("year", "Year of a certificate.", {"type": "integer", "minimum": 2014, "maximum": 2100}),
        _param("status", "Status of a certificate ('valid' by default).",
               {"type": "string", "enum": list(registry_search.STATUSES), "default": "valid"}),
        _param("sort", "Order of the items.", {"type": "string", "enum": list(registry_search.SORTS)}),
    ]
    paging = [_param("page", "Page number, from 1.", {"type": "integer", "minimum": 1, "default": 1}),
              _param("per_page", "Items per page.", {"type": "integer", "minimum": 1,
                                                     "maximum": registry_search.MAX_PER_PAGE, "default": 25})]
    bad = {"description": "An unknown parameter value.",
           "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    limited = {"description": "Too many requests from this client; try again after Retry-After seconds.",
               "headers": {"Retry-After": {"schema": {"type": "integer"}}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "CNNT tiêu biểu — open data", "version": "1.0.0",
                 "description": "Certified rural industrial products (sản phẩm công nghiệp nông thôn tiêu biểu)."},
        "servers": [{"url": public_base_url().rstrip("/")}],
        "paths": {
            "/api/v1/products": {"get": {
                "operationId": "listProducts", "summary": "Search the registry of certified products.",
                "parameters": filters + paging,
                "responses": {
                    "200": {"description": "One page of products.", "content": {"application/json": {"schema": {
                        "type": "object", "required": ["items", "page", "per_page", "total"],
                        "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Product"}},
                                       "page": {"type": "integer"}, "per_page": {"type": "integer"},
                                       "total": {"type": "integer"}}}}}},
                    "400": bad, "429": limited}}},
            "/registry.csv": {"get": {
                "operationId": "registryCsv", "summary": "The registry as CSV, one row per certificate.",
                "parameters": filters,
                "responses": {"200": {"description": "UTF-8 CSV with a byte-order mark.",
                                      "content": {"text/csv": {"schema": {"type": "string"}}}},
                              "400": bad, "429": limited}}},
            "/api/v1/verify/{token}": {"get": {
                "operationId": "verifyCertificate", "summary": "Check a certificate's QR token.",
                "parameters": [{"name": "token", "in": "path", "required": True, "schema": text}],
                "responses": {"200": {"description": "The verdict.", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Verification"}}}}, "429": limited}}},
        },
        "components": {"schemas": {"Product": product, "Certificate": certificate, "Error": error,
                                   "Verification": verification}},
    }
