"""Property-based fuzzing (hypothesis) of the main forms and API parameters: whatever arrives,
the answer is a page or a clear 4xx, never a 500, and a refused form writes nothing.

Each property runs a few dozen generated inputs (``FUZZ_EXAMPLES`` raises it for a longer run);
hypothesis shrinks a failure to its smallest input and prints it.
"""
import os
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from tests.conftest import PASSWORD, csrf_token, login
from voting.extensions import db
from voting.models import PendingRegistration, Product, Role, User

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", 25))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
#: Any Unicode text but lone surrogates (which no browser or HTTP client can send), with the hostile
#: strings people do send mixed in.
HOSTILE = ["<script>alert(1)</script>", "' OR 1=1 --", '"; DROP TABLE product; --', "%00", "../../etc/passwd",
           "\u202eevil", "Miến dong", "MIẾN DONG", "đ" * 5000, "-1", "0", "99999999999999999999", "1e309", "NaN"]
TEXT = st.one_of(st.text(st.characters(exclude_categories=("Cs",)), max_size=300), st.sampled_from(HOSTILE))
REGISTRY_PARAMETERS = ["q", "province", "region", "group", "level", "year", "status", "sort", "page", "per_page"]
PARAMETERS = st.dictionaries(st.sampled_from(REGISTRY_PARAMETERS), TEXT, max_size=6)


@pytest.fixture
def unlimited(app, monkeypatch):
    """The per-client limits out of the way: the fuzzer is one client sending hundreds of requests."""
    for name in ("REGISTRY_API_RATE_LIMIT", "VERIFY_RATE_LIMIT", "LOGIN_RATE_LIMIT", "REGISTRY_CSV_RATE_LIMIT",
                 "REGISTRATION_MAIL_LIMIT"):
        monkeypatch.setitem(app.config, name, "1000000 per minute")


def _clean(text):
    """What an HTTP client can put in a header-free form field: no NUL (browsers strip it too)."""
    return text.replace("\x00", "")


@FUZZ
@given(params=PARAMETERS)
def test_registry_api_answers_200_or_a_clear_400(app, unlimited, params):
    response = app.test_client().get("/api/v1/products", query_string=params)
    assert response.status_code in (200, 400, 404), response.status_code  # 404: a province… naming nothing
    body = response.get_json()
    if response.status_code == 200:
        assert {"items", "page", "per_page", "total"} <= set(body)
    else:
        assert body["error"] in ("bad_parameters", "not_found") and set(body["errors"]) <= set(REGISTRY_PARAMETERS)


@FUZZ
@given(params=PARAMETERS)
def test_registry_page_and_csv_never_fail(app, unlimited, params):
    client = app.test_client()
    for url in ("/registry/", "/registry.csv"):
        response = client.get(url, query_string=params)
        assert response.status_code in ((200, 400) if url == "/registry/" else (200, 400, 404)), \
            (url, response.status_code)
        assert "<script>alert(1)</script>" not in response.get_data(as_text=True)


@FUZZ
@given(token=TEXT)
def test_verification_never_fails_whatever_the_token(app, unlimited, token):
    client = app.test_client()
    path = quote(token, safe="") or "x"
    api = client.get(f"/api/v1/verify/{path}")
    # Any text is judged (line breaks and slashes too); only one longer than any token is refused, and an
    # over-long URL (the 5,000 "đ") is a 414: in JSON, as every error under /api/.
    assert api.status_code in (200, 400, 414) and api.is_json, api.status_code
    if api.status_code == 200:
        assert api.get_json()["status"] == "forged" and api.get_json()["certificate"] is None
    else:
        assert api.get_json()["error"] in ("bad_parameters", "uri_too_long")
    page = client.get(f"/v/{path}")
    assert page.status_code in (200, 404, 414) and "<script>alert(1)</script>" not in page.get_data(as_text=True)


@FUZZ
@given(email=TEXT, password=TEXT, next_url=TEXT)
def test_login_form_never_fails_and_never_signs_in_a_stranger(app, unlimited, email, password, next_url):
    client = app.test_client()
    response = client.post("/login", data={"email": _clean(email), "password": _clean(password),
                                           "next": _clean(next_url), "csrf_token": csrf_token(client, "/login")})
    assert response.status_code in (200, 400), response.status_code
    assert "<script>alert(1)</script>" not in response.get_data(as_text=True)


@FUZZ
@given(full_name=TEXT, email=TEXT, phone=TEXT, password=TEXT)
def test_registration_form_refuses_or_registers_never_half(app, unlimited, full_name, email, phone, password):
    client = app.test_client()
    with app.app_context():
        before = db.session.scalar(select(func.count(PendingRegistration.id)))
        users = db.session.scalar(select(func.count(User.id)))
    response = client.post("/register", data={
        "full_name": _clean(full_name), "email": _clean(email), "phone": _clean(phone), "password": _clean(password),
        "password2": _clean(password), "csrf_token": csrf_token(client, "/register")})
    assert response.status_code in (200, 302, 400), response.status_code
    with app.app_context():
        after = db.session.scalar(select(func.count(PendingRegistration.id)))
        # The account itself waits for the e-mail's confirmation.
        assert db.session.scalar(select(func.count(User.id))) == users
    assert after == before + (1 if response.status_code == 302 else 0)


@pytest.fixture
def producer(app, make_user):
    """A producer account with its profile filled in (so that it may create products)."""
    from tests.factories import make_producer

    user = make_user(Role.PRODUCER)
    with app.app_context():
        make_producer(db.session.get(User, user.id))
        db.session.commit()
    return user


@FUZZ
@given(name=TEXT, description=TEXT, gtin=TEXT, group=TEXT)
def test_product_form_refuses_or_saves_never_half(app, unlimited, producer, name, description, gtin, group):
    client = app.test_client()
    assert login(client, producer.email, PASSWORD).status_code == 302
    with app.app_context():
        before = db.session.scalar(select(func.count(Product.id)))
    response = client.post("/producer/products/new", data={
        "name": _clean(name), "description": _clean(description), "gtin": _clean(gtin), "group_code": _clean(group),
        "csrf_token": csrf_token(client, "/producer/products/new")})
    assert response.status_code in (200, 302, 400), response.status_code
    assert "<script>alert(1)</script>" not in response.get_data(as_text=True)
    with app.app_context():
        after = db.session.scalar(select(func.count(Product.id)))
    assert after == before + (1 if response.status_code == 302 else 0)
