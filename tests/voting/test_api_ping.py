"""``GET /api/v1/ping``: the constant answer ``make bench`` measures the verification API against."""
import pytest


def test_ping_answers_constant_json_to_anyone(client):
    response = client.get("/api/v1/ping")
    assert response.status_code == 200
    assert response.get_json() == {"ok": True}
    # The same response headers as the verification API it is the baseline of.
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.fixture
def verify_limit(app):
    saved = app.config.get("VERIFY_RATE_LIMIT")
    app.config["VERIFY_RATE_LIMIT"] = "3 per minute"
    yield
    app.config["VERIFY_RATE_LIMIT"] = saved


def test_ping_is_limited_like_the_verification_api(client, verify_limit):
    statuses = [client.get("/api/v1/ping").status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    response = client.get("/api/v1/ping")
    assert response.status_code == 429
    assert response.get_json()["status"] == "rate_limited"
    assert "Retry-After" in response.headers or "X-RateLimit-Reset" in response.headers


def test_rate_limits_are_checked_by_their_routes_only(app, client, monkeypatch):
    """No app-wide hook: a route without a limit costs the limiter nothing, a limited one checks once."""
    from voting.extensions import limiter

    assert not [hook for hook in app.before_request_funcs.get(None, []) if getattr(hook, "__self__", None) is limiter]
    checks = []
    original = limiter._check_request_limit
    monkeypatch.setattr(limiter, "_check_request_limit", lambda *a, **k: checks.append(1) or original(*a, **k))
    client.get("/")
    assert checks == []
    client.get("/api/v1/ping")
    assert checks == [1]


def test_healthz_says_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}
    assert response.headers["Cache-Control"] == "no-store"


def test_healthz_is_503_when_the_database_does_not_answer(tmp_path):
    from voting import create_app

    # A real database that cannot be opened: its folder does not exist.
    broken = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'missing' / 'cnnt.sqlite3'}",
                         "SERVER_NAME": "localhost"})
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable", "database": "unavailable"}
