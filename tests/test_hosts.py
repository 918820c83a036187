"""Which host names production answers to, and the health check (issue 16, items 1 and 7).

Production refuses a request naming a host other than ``PUBLIC_BASE_URL``'s or an ``INTERNAL_HOSTS``
name with a short 400, before anything is built on that name; the internal names answer ``/healthz``
only; ``/healthz`` answers 200 or 503 whatever the scheme, never a redirect to HTTPS.
"""
import pytest

from config import ConfigError
from voting import create_app

PUBLIC = "https://cnnt.example.vn"


@pytest.fixture
def production(monkeypatch, app):
    """A production app (FORCE_HTTPS on) on the test database, with ``INTERNAL_HOSTS`` as given."""

    def build(internal_hosts="app-1, 10.0.0.11", database_url=None):
        monkeypatch.setenv("CNNT_CONFIG", "production")
        monkeypatch.setenv("SECRET_KEY", "p" * 40)
        monkeypatch.setenv("PUBLIC_BASE_URL", PUBLIC)
        monkeypatch.setenv("SIGNING_KEY_FILE", "/srv/cnnt/signing-key.pem")
        monkeypatch.setenv("INTERNAL_HOSTS", internal_hosts)
        monkeypatch.delenv("FORCE_HTTPS", raising=False)
        return create_app({"SQLALCHEMY_DATABASE_URI": database_url or app.config["SQLALCHEMY_DATABASE_URI"]})

    return build


def _refused(response, host):
    assert response.status_code == 400
    assert response.mimetype == "text/plain"
    body = response.get_data(as_text=True)
    assert host not in body and "<" not in body and len(body) < 200  # a short line, no page
    assert "Location" not in response.headers
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("base_url", ["https://evil.example", "http://evil.example", "https://cnnt.example.vn.evil.example",
                                      "https://evil.example:8443"])
def test_production_refuses_a_host_it_does_not_serve(production, base_url):
    client = production().test_client()
    host = base_url.split("//")[1]
    for path in ("/", "/login", "/forgot-password", "/healthz", "/no-such-page"):
        _refused(client.get(path, base_url=base_url), host)
    _refused(client.post("/forgot-password", data={"email": "a@example.vn"}, base_url=base_url), host)


def test_production_serves_its_public_name(production):
    client = production().test_client()
    assert client.get("/login", base_url=PUBLIC).status_code == 200
    assert client.get("/login", base_url="https://CNNT.example.vn:443").status_code == 200
    # Plain HTTP on the public name is still sent to HTTPS, on the public name.
    plain = client.get("/login", base_url="http://cnnt.example.vn")
    assert plain.status_code == 302 and plain.headers["Location"] == "https://cnnt.example.vn/login"


@pytest.mark.parametrize("base_url", ["http://app-1:8000", "http://10.0.0.11", "https://app-1"])
def test_internal_names_answer_the_health_check_and_nothing_else(production, base_url):
    client = production().test_client()
    health = client.get("/healthz", base_url=base_url)
    assert health.status_code == 200 and health.get_json() == {"status": "ok", "database": "ok"}
    for path in ("/", "/login", "/api/v1/ping", "/static/css/app.css", "/no-such-page"):
        response = client.get(path, base_url=base_url)
        _refused(response, base_url.split("//")[1])
        assert "/healthz" in response.get_data(as_text=True)


def test_healthz_answers_over_plain_http_in_production(production):
    client = production().test_client()
    for base_url in ("http://cnnt.example.vn", "http://app-1:8000"):
        response = client.get("/healthz", base_url=base_url)
        assert response.status_code == 200, response.headers.get("Location")
        assert response.get_json() == {"status": "ok", "database": "ok"}
        assert response.headers["Cache-Control"] == "no-store"
    assert client.get("/healthz", base_url=PUBLIC, headers={"X-Forwarded-Proto": "https"}).status_code == 200


def test_healthz_answers_503_over_plain_http_when_the_database_does_not(production, tmp_path):
    unreachable = f"sqlite:///{tmp_path / 'no-such-folder' / 'cnnt.sqlite3'}"
    client = production(database_url=unreachable).test_client()
    for base_url in ("http://app-1:8000", "http://cnnt.example.vn", PUBLIC):
        response = client.get("/healthz", base_url=base_url)
        assert response.status_code == 503, response.headers.get("Location")
        assert response.get_json() == {"status": "unavailable", "database": "unavailable"}


def test_without_internal_hosts_production_serves_its_public_name_only(production):
    client = production(internal_hosts="").test_client()
    assert client.get("/healthz", base_url=PUBLIC).status_code == 200
    _refused(client.get("/healthz", base_url="http://app-1:8000"), "app-1")


def test_development_and_testing_answer_any_host_unless_internal_hosts_is_set(client, monkeypatch, app):
    assert client.get("/login", base_url="http://192.168.1.20:5000").status_code == 200
    monkeypatch.setenv("CNNT_CONFIG", "development")
    monkeypatch.setenv("PUBLIC_BASE_URL", "http://127.0.0.1:5000")
    monkeypatch.setenv("INTERNAL_HOSTS", "app-1")
    checked = create_app({"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]}).test_client()
    assert checked.get("/login", base_url="http://127.0.0.1:5000").status_code == 200
    assert checked.get("/healthz", base_url="http://app-1").status_code == 200
    _refused(checked.get("/login", base_url="http://192.168.1.20:5000"), "192.168.1.20")


@pytest.mark.parametrize("value", ["https://app-1", "app-1/healthz", "app 1"])
def test_internal_hosts_must_be_names(production, value):
    with pytest.raises(ConfigError, match="INTERNAL_HOSTS"):
        production(internal_hosts=value)


def test_the_refusal_is_in_the_visitors_language(production):
    client = production().test_client(use_cookies=False)  # the Cookie header sent as written
    vietnamese = client.get("/", base_url="https://evil.example").get_data(as_text=True)
    assert "máy chủ không phục vụ tên miền được yêu cầu" in vietnamese
    english = client.get("/", base_url="https://evil.example", headers={"Cookie": "lang=en"})
    assert "this server does not serve the host name requested" in english.get_data(as_text=True)
    internal = client.get("/", base_url="http://app-1:8000", headers={"Cookie": "lang=en"})
    assert "This internal address answers /healthz only" in internal.get_data(as_text=True)
