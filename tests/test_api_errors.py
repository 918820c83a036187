"""Errors under /api/ are JSON of one shape, whatever raised them; the rest of the site keeps its pages.

The shape: ``{"error": code, "message": text}`` (``errors`` when parameters are at fault); a 405
carries ``Allow``; every answer under /api/ may be read from any origin.
"""
from datetime import date
from urllib.parse import quote

import pytest

from certificates.rules.signing import generate_private_key, kid_for, make_token
from voting import create_app
from voting.core.access import public
from voting.views.errors import MAX_URL_BYTES


def _json_error(response, status, error):
    assert response.status_code == status, (response.status_code, response.get_data(as_text=True)[:300])
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert body["error"] == error and body["message"], body
    assert set(body) <= {"error", "message", "errors", "status"}
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    return body


@pytest.mark.parametrize("path", ["/api/v1/nothing-here", "/api/", "/api/v2/products", "/api/v1/products/1",
                                  "/api/v1/verify/"])
def test_an_unknown_path_under_api_is_a_json_404(client, path):
    _json_error(client.get(path), 404, "not_found")


def test_an_unknown_page_elsewhere_stays_the_sites_page(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404 and response.mimetype == "text/html"
    assert "Không tìm thấy trang" in response.get_data(as_text=True)


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "TRACE"])
@pytest.mark.parametrize("path", ["/api/v1/products", "/api/v1/verify/abc", "/api/v1/ping", "/api/v1/openapi.json"])
def test_a_method_an_operation_does_not_have_is_a_json_405_with_allow(client, method, path):
    response = client.open(path, method=method)
    _json_error(response, 405, "method_not_allowed")
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}


def test_the_sites_405_page_says_allow_too(client):
    response = client.get("/logout")
    assert response.status_code == 405 and response.mimetype == "text/html"
    assert "POST" in response.headers["Allow"]


def test_a_url_longer_than_the_limit_is_a_414_in_json_under_api_and_a_page_elsewhere(client):
    query = "q=" + "x" * (MAX_URL_BYTES - len("/api/v1/products?q="))
    assert len("/api/v1/products?" + query) == MAX_URL_BYTES
    assert client.get("/api/v1/products?" + query).status_code == 400  # at the limit: answered (q too long)
    _json_error(client.get("/api/v1/products?" + query + "x"), 414, "uri_too_long")
    _json_error(client.get("/api/v1/verify/" + "A" * MAX_URL_BYTES), 414, "uri_too_long")
    page = client.get("/registry/?q=" + "x" * MAX_URL_BYTES)
    assert page.status_code == 414 and page.mimetype == "text/html"
    assert "Địa chỉ quá dài" in page.get_data(as_text=True)


def test_the_app_answers_long_urls_before_gunicorn_would():
    """gunicorn answers a request line over its limit itself, in HTML: its limit is above the app's."""
    import runpy
    from pathlib import Path

    settings = runpy.run_path(str(Path(__file__).resolve().parent.parent / "gunicorn.conf.py"))
    assert settings["limit_request_line"] >= MAX_URL_BYTES + len("OPTIONS  HTTP/1.1")


def test_the_longest_schema_valid_request_is_below_the_url_limit(client):
    """Every parameter at its longest, each character four UTF-8 bytes percent-encoded: still answered."""
    document = client.get("/api/v1/openapi.json").get_json()
    for path, methods in document["paths"].items():
        for operation in methods.values():
            length = len(path)
            for parameter in operation.get("parameters", []):
                schema = parameter["schema"]
                longest = schema.get("maxLength") or len(str(schema.get("maximum", ""))) or max(
                    (len(str(v)) for v in schema.get("enum", [])), default=0)
                assert longest, (path, parameter["name"], "a parameter without a bound")
                length += len(parameter["name"]) + 2 + 12 * longest
            assert length <= MAX_URL_BYTES, (path, length)


def test_a_token_longer_than_any_token_is_a_400_naming_it(client):
    body = _json_error(client.get("/api/v1/verify/" + "A" * 513), 400, "bad_parameters")
    assert set(body["errors"]) == {"token"}
    assert client.get("/api/v1/verify/" + "A" * 512).get_json()["status"] == "forged"


@pytest.mark.parametrize("token", ["abc\ndef", "\x00", "\x1b[31m", "/leading-slash", "a//b", "trailing/", " ",
                                   "a\u2028b", "..", "%"])
def test_any_text_as_a_token_gets_a_json_verdict(client, token):
    response = client.get("/api/v1/verify/" + quote(token, safe="/"))
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.get_json()["status"] == "forged" and response.get_json()["certificate"] is None


def test_too_many_requests_are_json_for_every_api(app, client, monkeypatch):
    for name in ("REGISTRY_API_RATE_LIMIT", "VERIFY_RATE_LIMIT"):
        monkeypatch.setitem(app.config, name, "1 per minute")
    for path in ("/api/v1/products", "/api/v1/verify/abc", "/api/v1/ping"):
        client.get(path)
        response = client.get(path)
        _json_error(response, 429, "too_many_requests")
        assert "Retry-After" in response.headers


@pytest.fixture
def fragile_app(app):
    """An app with API routes that fail, exceptions handled as in production."""
    probe = create_app({"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                        "TESTING": False, "PROPAGATE_EXCEPTIONS": False, "MAX_CONTENT_LENGTH": 1000})

    @public
    def boom():
        raise RuntimeError("secret internals")

    @public
    def upload():
        from flask import request

        return {"size": len(request.form)}

    probe.add_url_rule("/api/v1/boom", "boom", boom)
    probe.add_url_rule("/api/v1/upload", "upload", upload, methods=["POST"])
    probe.config["WTF_CSRF_ENABLED"] = False
    return probe


def test_a_server_error_under_api_is_a_json_500_that_hides_internals(fragile_app):
    response = fragile_app.test_client().get("/api/v1/boom")
    body = _json_error(response, 500, "internal_error")
    assert "secret" not in response.get_data(as_text=True) and "Traceback" not in body["message"]
    assert response.headers["X-Request-ID"]


def test_a_body_too_large_under_api_is_a_json_413(fragile_app):
    _json_error(fragile_app.test_client().post("/api/v1/upload", data={"x": "y" * 2000}), 413,
                "payload_too_large")


def test_a_database_outage_under_api_is_a_json_503(tmp_path):
    """A real database that cannot be opened (its folder does not exist)."""
    broken = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'missing' / 'db.sqlite3'}",
                         "SERVER_NAME": "localhost"})
    client = broken.test_client()
    _json_error(client.get("/api/v1/products"), 503, "unavailable")
    key = generate_private_key()
    token = make_token(key, kid_for(key.public_key()), "TNG-2026-0001", date(2026, 1, 2), date(2029, 1, 2),
                       "00" * 32)  # well-formed: its key must be looked up
    _json_error(client.get(f"/api/v1/verify/{token}"), 503, "unavailable")
    page = client.get("/registry/")
    assert page.status_code == 503 and page.mimetype == "text/html"
