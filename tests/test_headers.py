"""Security headers and cookie flags."""
import pytest

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
    plain = client.get("/login", base_url="http://cnnt.example.vn")  # production answers its public name only
    assert plain.status_code == 302 and plain.headers["Location"] == "https://cnnt.example.vn/login"
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


# Stored uploads (issue 16, item 8) -------------------------------------------------------------------

SANDBOX = "default-src 'none'; sandbox"
#: audience -> (world of tests/idor_worlds.py, the person, the file route)
FILE_ROUTES = {
    "producer": ("dossier", "owner", "/producer/files/{file_id}"),
    "organiser": ("dossier", "organiser", "/organiser/applications/{application_id}/files/{file_id}"),
    "juror": ("scoring", "juror", "/jury/rounds/{round_id}/entries/{application_id}/files/{file_id}"),
}


def _pdf_of_application(app, application_id):
    from sqlalchemy import select

    from voting.extensions import db
    from voting.models import Application, ProductFile

    with app.app_context():
        product_id = db.session.get(Application, application_id).product_id
        return db.session.scalar(select(ProductFile.id).where(ProductFile.product_id == product_id,
                                                              ProductFile.mime_type == "application/pdf"))


def _file_responses(app, make_user, audience):
    """The audience's answers for a photo and a PDF of one dossier, each with and without ``?thumb=1``."""
    from tests.idor_worlds import WORLDS, Visitors

    world_name, person, route = FILE_ROUTES[audience]
    world = WORLDS[world_name](app, make_user)
    visitors = Visitors(app, world.people)
    photo_id, pdf_id = world.ids["photo_id"], _pdf_of_application(app, world.ids["application_id"])
    assert pdf_id is not None
    for kind, file_id in (("photo", photo_id), ("pdf", pdf_id)):
        for query in ("", "?thumb=1"):
            response = visitors.request(person, "GET", route.format(**world.ids, file_id=file_id) + query)
            assert response.status_code == 200, (audience, kind, query)
            yield kind, query, response


@pytest.mark.parametrize("audience", FILE_ROUTES)
def test_uploaded_files_keep_their_own_sandbox_policy(app, make_user, audience):
    for kind, query, response in _file_responses(app, make_user, audience):
        # The file's policy, and only it: under the site's, a stored file could run scripts as the site.
        assert response.headers.getlist("Content-Security-Policy") == [SANDBOX], (kind, query)
        assert response.headers["X-Content-Type-Options"] == "nosniff", (kind, query)
        assert response.headers["Cache-Control"] == "private, no-store", (kind, query)


@pytest.mark.parametrize("audience", FILE_ROUTES)
def test_a_pdf_is_never_served_inline(app, make_user, audience):
    for kind, query, response in _file_responses(app, make_user, audience):
        disposition = response.headers.get("Content-Disposition", "")
        if kind == "pdf":
            # A PDF may carry JavaScript: a download, thumbnail asked for or not.
            assert response.mimetype == "application/pdf" and response.data.startswith(b"%PDF"), query
            assert disposition.startswith("attachment"), query
        else:
            assert response.mimetype == ("image/webp" if query else "image/jpeg"), query
            assert not disposition.startswith("attachment"), query
