"""Security headers and cookie flags."""
from tests.conftest import login


def test_content_security_policy(client):
    csp = client.get("/").headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "http" not in csp  # no external origins at all


def test_other_headers(client):
    headers = client.get("/login").headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in headers  # not outside production


def test_error_pages_carry_headers_too(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert "Không tìm thấy trang" in response.get_data(as_text=True)


def test_session_cookie_flags(client, make_user):
    user = make_user("producer")
    response = login(client, user.email, user.password)
    cookie = next(v for v in response.headers.getlist("Set-Cookie") if v.startswith("session="))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_hsts_and_secure_cookies_in_production(monkeypatch, app):
    from voting import create_app

    monkeypatch.setenv("CNNT_CONFIG", "production")
    monkeypatch.setenv("SECRET_KEY", "p" * 40)
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://cnnt.example.vn")
    monkeypatch.setenv("SIGNING_KEY_FILE", "/srv/cnnt/signing-key.pem")
    prod = create_app({"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})
    client = prod.test_client()
    plain = client.get("/login")
    assert plain.status_code == 302 and plain.headers["Location"].startswith("https://")
    response = client.get("/login", base_url="https://cnnt.example.vn")
    assert "max-age=31536000" in response.headers["Strict-Transport-Security"]
    cookie = next(v for v in response.headers.getlist("Set-Cookie") if v.startswith("session="))
    assert "Secure" in cookie


def test_no_external_assets_in_pages(client):
    body = client.get("/").get_data(as_text=True)
    for marker in ("https://", "http://", "//cdn", "fonts.googleapis"):
        assert f'src="{marker}' not in body and f'href="{marker}' not in body
    assert "<style" not in body and "style=" not in body
    assert "<script>" not in body  # only external same-origin scripts
