"""The OpenAPI 3.1 document of the public API (``GET /api/v1/openapi.json``), written by hand.

It describes every answer an operation gives, errors included, and the suite holds the app to it
(``tests/certificates/test_api_schema.py`` runs schemathesis with all its checks against it): a parameter's
limits here are the limits the code applies, and a schema-valid request is never refused.
"""
from certificates.registry import search as registry_search
from certificates.rules.verification import STATUSES as VERDICTS
from certificates.models.certificate import REASON_CATEGORIES
from certificates.models.imported import FIRST_YEAR
from sqlalchemy import select

from voting.core.security import public_base_url
from voting.extensions import db
from voting.models import ProductGroup, Province
from voting.views.errors import MAX_URL_BYTES

#: ``/registry.csv``'s columns, in order: (name, meaning). A test holds this to the CSV's header.
CSV_COLUMN_DESCRIPTIONS = (
    ("number", "The certificate's number as issued (a paper certificate's: as written on the paper)."),
    ("level", "Level of the certificate: huyen (district, paper certificates before 2025 only), xa, tinh, "
              "khu_vuc or quoc_gia."),
    ("year", "Year of the recognition, four digits."),
    ("status", "As on the day of the request (Vietnam's time): valid, expired, suspended, revoked, superseded, "
               "or unstated (a paper certificate stating no expiry)."),
    ("on_paper", "yes: issued on paper before the platform (imported; re-issued with a QR code when verify_url "
                 "is set); no: issued by the platform."),
    ("verify_url", "The URL the certificate's QR code holds (https://<site>/v/<token>); empty for a paper "
                   "certificate without a QR code."),
    ("product_id", "The product's id on the platform (as in /api/v1/products); empty for a paper certificate "
                   "linked to no product."),
    ("product", "Name of the product as certified on this certificate (its snapshot; a paper certificate: as "
                "written)."),
    ("group", "Name of the product group (nhóm sản phẩm) as certified."),
    ("producer", "Name of the producer (cơ sở sản xuất) as certified."),
    ("province", "The province or city as it is now (after the 2025 merger of provinces)."),
    ("province_then", "The province as certified: as written on a paper certificate, or in an issued "
                      "certificate's snapshot (a name from before the 2025 merger where it was one)."),
    ("url", "The product's page in the public registry (a paper certificate linked to no product: the "
            "certificate's page)."),
    ("current_product", "The product's name on the platform today, when it differs from product; empty "
                        "otherwise."),
    ("current_producer", "The producer's name on the platform today, when it differs from producer; empty "
                         "otherwise."),
    ("authority", "The issuing authority as certified. Official numbers (\"15/GCN-UBND\") are unique per "
                  "authority and year only: number, authority and year name one certificate."),
    ("address", "The producer's address as certified: commune and province, the street only with the "
                "producer's consent; empty for a paper certificate."),
)
CSV_DESCRIPTION = (
    "UTF-8 with a byte-order mark (so that Excel reads Vietnamese right), comma-separated, quoted as RFC 4180 "
    "says, CRLF line ends; a header row, then one row per certificate meeting the filters (every page at once, "
    "products in the API's order, a product's certificates newest year first). Columns, in order:\n\n"
    + "\n".join(f"- `{name}`: {meaning}" for name, meaning in CSV_COLUMN_DESCRIPTIONS))

TEXT = {"type": "string"}
DATE = {"type": "string", "format": "date"}
NULLABLE_TEXT = {"type": ["string", "null"]}


def _param(name, description, schema):
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema}


def _json(description, schema_ref, **extra):
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema_ref}"}}}, **extra}


def _error(description):
    return _json(description, "Error")


def _filters():
    return [
        _param("q", "Search text: product, producer, province (current or former), group, certificate number; "
                    "case, diacritics and tone-mark placement ignored; partial words match.",
               {"type": "string", "maxLength": registry_search.MAX_QUERY}),
        _param("province", "A current unit's code, or a current or former province's name (any spelling). "
                           "One that names nothing: 404.",
               {"type": "string", "maxLength": registry_search.MAX_NAME}),
        _param("region", "A region's code or name. One that names nothing: 404.",
               {"type": "string", "maxLength": registry_search.MAX_NAME}),
        _param("group", "A product group's code or name. One that names nothing: 404.",
               {"type": "string", "maxLength": registry_search.MAX_NAME}),
        _param("level", "Level of a certificate.", {"type": "string", "enum": list(registry_search.LEVELS)}),
        _param("year", "Year of a certificate.", {"type": "integer", "minimum": FIRST_YEAR, "maximum": 2100}),
        _param("status", "Status of a certificate ('valid' by default; 'all': any).",
               {"type": "string", "enum": list(registry_search.STATUSES), "default": "valid"}),
        _param("sort", "Order of the items ('relevance' by default with q, else 'year').",
               {"type": "string", "enum": list(registry_search.SORTS)}),
    ]


def _paging():
    return [
        _param("page", "Page number, from 1; past the last page: no items, the real total.",
               {"type": "integer", "minimum": 1, "maximum": registry_search.MAX_PAGE, "default": 1}),
        _param("per_page", "Items per page.", {"type": "integer", "minimum": 1,
                                               "maximum": registry_search.MAX_PER_PAGE,
                                               "default": registry_search.DEFAULT_PER_PAGE}),
    ]


def _common_errors(limited=True):
    """What any operation may answer besides its own: a URL too long, the limiter, the server."""
    responses = {
        "414": _error(f"The URL is longer than {MAX_URL_BYTES} bytes (a request line longer than the server's "
                      "limit is refused by the server itself, before the app)."),
        "500": _error("An error on the server (logged with the X-Request-ID the answer carries)."),
        "503": _error("The database does not answer; try again in a few minutes."),
    }
    if limited:
        responses["429"] = _error("Too many requests from this client; try again after Retry-After seconds.") | {
            "headers": {"Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer"}}}}
    return responses


def _schemas():
    certificate = {
        "type": "object", "additionalProperties": False,
        "required": ["number", "level", "year", "status", "on_paper", "expires_on", "product", "producer", "group",
                     "province", "province_then", "authority", "address"],
        "properties": {
            "number": TEXT, "level": {"type": "string", "enum": list(registry_search.LEVELS)},
            "year": {"type": "integer"},
            "status": {"type": "string", "enum": ["valid", "expired", "suspended", "revoked", "superseded",
                                                  "unstated"],
                       "description": "As on the day asked; 'unstated': a paper certificate stating no expiry."},
            "on_paper": {"type": "boolean"},
            "expires_on": {"type": ["string", "null"], "format": "date",
                           "description": "null: no expiry (issued so by its round), or a paper certificate "
                                          "stating none ('unstated')."},
            "verify_url": {"type": "string", "format": "uri",
                           "description": "The URL its QR code holds; absent for a paper certificate."},
            "product": {"type": "string", "description": "The product's name as certified on this certificate."},
            "producer": {"type": "string", "description": "The producer's name as certified."},
            "group": {"type": "string", "description": "The product group as certified."},
            "province": {"type": "string", "description": "The province or city as it is now."},
            "province_then": {"type": ["string", "null"],
                              "description": "The province as certified, when it is not today's name."},
            "authority": {"type": "string",
                          "description": "The issuing authority as certified: a number such as 15/GCN-UBND is "
                                         "unique per authority and year only."},
            "address": {"type": "string",
                        "description": "The producer's address as certified: commune and province, the street "
                                       "only with the producer's consent; empty for a paper certificate."},
        }}
    product = {
        "type": "object", "additionalProperties": False,
        "required": ["id", "slug", "name", "group", "group_code", "producer", "province", "province_code", "url",
                     "current_name", "current_producer", "certificates"],
        "properties": {
            "id": {"type": ["integer", "null"], "description": "null: a paper certificate linked to no product."},
            "slug": NULLABLE_TEXT, "name": TEXT, "group": TEXT, "group_code": TEXT,
            "producer": TEXT, "province": TEXT, "province_code": NULLABLE_TEXT,
            "current_name": {"type": ["string", "null"], "description": "The product's name on the platform "
                                                                        "today, when it differs from name (the "
                                                                        "name as certified); else null."},
            "current_producer": {"type": ["string", "null"], "description": "The producer's name today, when "
                                                                            "it differs from producer; else null."},
            "url": {"type": "string", "format": "uri"},
            "certificates": {"type": "array", "items": {"$ref": "#/components/schemas/Certificate"}},
        }}
    products = {
        "type": "object", "additionalProperties": False, "required": ["items", "page", "per_page", "total"],
        "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Product"}},
                       "page": {"type": "integer"}, "per_page": {"type": "integer"},
                       "total": {"type": "integer", "maximum": registry_search.COUNT_CAP,
                                 "description": f"Matching products, counted up to {registry_search.COUNT_CAP:,}: "
                                                f"{registry_search.COUNT_CAP:,} means that many or more (pages go "
                                                "that far only); narrow the query or the filters."}}}
    error = {
        "type": "object", "additionalProperties": False, "required": ["error", "message"],
        "description": "Every error under /api/ has this shape, whatever its status.",
        "properties": {
            "error": {"type": "string", "description": "bad_parameters (a 400 naming parameters), bad_request, "
                                                        "not_found, method_not_allowed, payload_too_large, "
                                                        "uri_too_long, too_many_requests, internal_error, "
                                                        "unavailable."},
            "message": {"type": "string", "description": "For a person, in the client's language (Vietnamese "
                                                         "unless the lang cookie says en)."},
            "errors": {"type": "object", "additionalProperties": TEXT,
                       "description": "Parameter → what is wrong with it."},
            "status": {"type": "string", "enum": ["rate_limited"],
                       "description": "On the verification API's 429 only: for verifiers reading 'status'."},
        }}
    verified = {
        "type": "object", "additionalProperties": False,
        "required": ["number", "product", "group", "producer", "province", "level", "level_label", "year",
                     "decision_number", "decision_on", "issuing_authority", "issued_on", "expires_on",
                     "reason_category", "status_changed_at", "superseded_by", "key_id", "snapshot_sha256",
                     "document_ready", "pdf_signature"],
        "properties": {
            "number": TEXT, "product": NULLABLE_TEXT, "group": NULLABLE_TEXT, "producer": NULLABLE_TEXT,
            "province": {"type": ["string", "null"], "description": "As at issue."},
            "level": {"type": "string", "enum": list(registry_search.LEVELS)}, "level_label": NULLABLE_TEXT,
            "year": {"type": ["integer", "null"]}, "decision_number": NULLABLE_TEXT,
            "decision_on": {"type": ["string", "null"], "format": "date"},
            "issuing_authority": NULLABLE_TEXT, "issued_on": DATE,
            "expires_on": {"type": ["string", "null"], "format": "date",
                           "description": "null: the certificate does not expire (its round issued it so)."},
            "reason_category": {"enum": [*REASON_CATEGORIES, None],
                                "description": "Why it was suspended or revoked; null otherwise."},
            "status_changed_at": {"type": ["string", "null"], "format": "date-time",
                                  "description": "When it was suspended or revoked; null otherwise."},
            "superseded_by": {"type": ["string", "null"], "description": "The number of the certificate "
                                                                          "that replaced it."},
            "key_id": {"type": "string", "pattern": "^[A-Za-z0-9_-]{16}$",
                       "description": "The kid of the key that signed the token (/.well-known/cnnt-keys.json)."},
            "snapshot_sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$",
                                "description": "SHA-256 (hex) of the certified facts in their canonical form; "
                                               "the token signs its first 16 bytes (docs/verification.md)."},
            "document_ready": {"type": "boolean",
                               "description": "false while the certificate's PDF is still being prepared."},
            "pdf_signature": {
                "oneOf": [{"type": "object", "additionalProperties": False, "required": ["signed_by", "signed_at"],
                           "properties": {"signed_by": TEXT, "signed_at": {"type": "string", "format": "date-time"}}},
                          {"type": "null"}],
                "description": "The issued PDF's digital signature (PAdES) by the issuing authority's certificate: "
                               "its name and the signing time; null when the PDF is not digitally signed. A "
                               "certificate no longer in force is served as a copy stamped with its status, "
                               "which carries no signature."},
        }}
    verification = {
        "type": "object", "additionalProperties": False, "required": ["status", "checked_at", "certificate"],
        "properties": {
            "status": {"type": "string", "enum": list(VERDICTS)},
            "checked_at": {"type": "string", "format": "date-time"},
            "certificate": {"oneOf": [{"$ref": "#/components/schemas/VerifiedCertificate"}, {"type": "null"}],
                            "description": "null when the token is forged or names no certificate."},
        }}
    jwk = {
        "type": "object", "required": ["kty", "crv", "alg", "use", "kid", "x", "status"],
        "properties": {
            "kty": {"const": "OKP"}, "crv": {"const": "Ed25519"}, "alg": {"const": "EdDSA"},
            "use": {"const": "sig"},
            "kid": {"type": "string", "pattern": "^[A-Za-z0-9_-]{16}$",
                    "description": "The first 16 characters of the key's RFC 7638 thumbprint."},
            "x": {"type": "string", "pattern": "^[A-Za-z0-9_-]{43}$",
                  "description": "The raw 32-byte public key, base64url without padding."},
            "status": {"type": "string", "enum": ["active", "retired", "compromised"]},
        }}
    count = {"type": "integer", "minimum": 0}
    stats = {
        "type": "object", "additionalProperties": False,
        "required": ["as_of", "certificates", "by_year", "by_province", "by_group", "standing"],
        "properties": {
            "as_of": {**DATE, "description": "The day the standing is reckoned on (Vietnam's time)."},
            "certificates": {**count, "description": "Certificates meeting the filters: issued here or imported "
                                                     "from paper, each once (a corrected one's first copy not)."},
            "by_year": {"type": "array", "items": {
                "type": "object", "additionalProperties": False, "required": ["year", "level", "certificates"],
                "properties": {"year": {"type": "integer"}, "level": {"type": "string", "enum": list(registry_search.LEVELS)},
                               "certificates": count}}},
            "by_province": {"type": "array", "description": "Today's units, largest first; code and name null for "
                                                            "a paper certificate whose province is not resolved.",
                            "items": {"type": "object", "additionalProperties": False,
                                      "required": ["code", "name", "certificates"],
                                      "properties": {"code": NULLABLE_TEXT, "name": NULLABLE_TEXT, "certificates": count}}},
            "by_group": {"type": "array", "items": {
                "type": "object", "additionalProperties": False, "required": ["code", "name", "certificates"],
                "properties": {"code": TEXT, "name": TEXT, "certificates": count}}},
            "standing": {"type": "object", "additionalProperties": False,
                         "required": ["valid", "expiring", "expired", "suspended", "revoked"],
                         "description": "Where the certificates stand on as_of: valid beyond 6 months, expiring "
                                        "within 6 months, expired, suspended, revoked (they add up to certificates).",
                         "properties": {name: count for name in ("valid", "expiring", "expired", "suspended",
                                                                 "revoked")}},
        }}
    return {"Product": product, "Certificate": certificate, "Products": products, "Error": error, "Stats": stats,
            "Verification": verification, "VerifiedCertificate": verified, "JWK": jwk,
            "JWKSet": {"type": "object", "required": ["keys"],
                       "properties": {"keys": {"type": "array", "items": {"$ref": "#/components/schemas/JWK"}}}}}


def _paths():
    not_modified = {"description": "Not modified: If-None-Match named the current ETag."}
    bad = _error("A parameter's value is malformed or out of range; `errors` names each.")
    unknown = _error("A province, region or group that names nothing; `errors` names it.")
    token = {"name": "token", "in": "path", "required": True,
             "description": "The text after /v/ in the QR code's URL (a token is about 150 characters). Any "
                            "text gets a verdict: what is not a token we signed is 'forged'.",
             "schema": {"type": "string", "minLength": 1, "maxLength": 512}}
    return {
        "/api/v1/products": {"get": {
            "operationId": "listProducts", "summary": "Search the registry of certified products.",
            "parameters": _filters() + _paging(),
            "responses": {"200": _json("One page of products.", "Products"), "304": not_modified, "400": bad,
                          "404": unknown, **_common_errors()}}},
        "/registry.csv": {"get": {
            "operationId": "registryCsv", "summary": "The registry as CSV, one row per certificate.",
            "description": CSV_DESCRIPTION,
            "parameters": _filters(),
            "responses": {"200": {"description": "The CSV file.", "content": {"text/csv": {"schema": TEXT}}},
                          "304": not_modified, "400": bad, "404": unknown,
                          "414": {"description": "The URL is too long (the site's error page).",
                                  "content": {"text/html": {"schema": TEXT}}},
                          "429": {"description": "Too many downloads from this client (the site's error page); "
                                                 "try again after Retry-After seconds.",
                                  "content": {"text/html": {"schema": TEXT}}},
                          "500": {"description": "An error on the server (the site's error page).",
                                  "content": {"text/html": {"schema": TEXT}}},
                          "503": {"description": "The database does not answer (the site's error page).",
                                  "content": {"text/html": {"schema": TEXT}}}}}},
        "/api/v1/stats": {"get": {
            "operationId": "statistics", "summary": "The whole country's certificates per year and level, "
                                                    "province and group, and where they stand today.",
            "parameters": [
                _param("year_from", "First year.", {"type": "integer", "minimum": FIRST_YEAR, "maximum": 2100}),
                _param("year_to", "Last year (before year_from: no certificate).",
                       {"type": "integer", "minimum": FIRST_YEAR, "maximum": 2100}),
                _param("level", "Level of the certificates.", {"type": "string", "enum": list(registry_search.LEVELS)}),
                _param("group", "A product group's code.", {"type": "string", "enum": _group_codes()}),
                _param("province", "A current unit's code.", {"type": "string", "enum": _province_codes()}),
            ],
            "responses": {"200": _json("The figures.", "Stats"), "304": not_modified,
                          "400": _error("A parameter's value is malformed or not among its codes; `errors` names "
                                        "each."), **_common_errors()}}},
        "/api/v1/verify/{token}": {"get": {
            "operationId": "verifyCertificate", "summary": "The registry's verdict on a certificate's QR token.",
            "description": "valid, expired, suspended, revoked or superseded: the token is genuine and names a "
                           "certificate of the registry, described in `certificate`; forged: not a token signed "
                           "by a published key, or one whose number, dates, key or facts differ from the "
                           "registry's; not_found: well signed, but no such certificate.",
            "parameters": [token],
            "responses": {"200": _json("The verdict.", "Verification"), "304": not_modified,
                          "400": _error("Longer than any token (512 characters)."), **_common_errors()}}},
        "/.well-known/cnnt-keys.json": {"get": {
            "operationId": "signingKeys", "summary": "Every signing key ever used, with its status, as a JWK set.",
            "description": "Retired keys still verify the certificates they signed; a compromised key's "
                           "signatures prove nothing (docs/verification.md).",
            "responses": {"200": _json("The key set.", "JWKSet"), **_common_errors(limited=False)}}},
        "/api/v1/ping": {"get": {
            "operationId": "ping", "summary": "A constant answer, limited like the verification API.",
            "responses": {"200": {"description": "Always the same.", "content": {"application/json": {"schema": {
                "type": "object", "required": ["ok"], "properties": {"ok": {"const": True}}}}}},
                **_common_errors()}}},
        "/api/v1/openapi.json": {"get": {
            "operationId": "openapi", "summary": "This document.",
            "responses": {"200": {"description": "OpenAPI 3.1.", "content": {"application/json": {
                "schema": {"type": "object", "required": ["openapi", "paths"]}}}},
                **_common_errors(limited=False)}}},
    }


def _group_codes():
    return sorted(db.session.scalars(select(ProductGroup.code)))


def _province_codes():
    return sorted(db.session.scalars(select(Province.code)))


def openapi_document():
    """OpenAPI 3.1 for the open-data and verification endpoints."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "CNNT tiêu biểu — open data", "version": "1.2.0",
                 "description": "Certified rural industrial products (sản phẩm công nghiệp nông thôn tiêu biểu) "
                                "and the verification of their certificates. Errors under /api/ are JSON of one "
                                "shape (Error); a method an operation does not have is a 405 with Allow. A "
                                "token can also be verified without this API, from the published keys alone: "
                                "docs/verification.md in the platform's source."},
        "servers": [{"url": public_base_url().rstrip("/")}],
        "paths": _paths(),
        "components": {"schemas": _schemas()},
    }
