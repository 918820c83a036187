"""Configuration from the environment; production refuses unsafe settings."""
import pytest
from sqlalchemy import text

from config import ConfigError, DevelopmentConfig, ProductionConfig, config_from_environment
from voting import create_app
from voting.extensions import db

GOOD_SECRET = "s" * 40


def _production_env(monkeypatch, **values):
    monkeypatch.setenv("CNNT_CONFIG", "production")
    for name in ("SECRET_KEY", "PUBLIC_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SIGNING_KEY_FILE", "/srv/cnnt/signing-key.pem")
    for name, value in values.items():
        monkeypatch.setenv(name, value)


def test_production_without_secret_key_refuses_to_start(monkeypatch):
    _production_env(monkeypatch, PUBLIC_BASE_URL="https://cnnt.example.vn")
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app()


def test_production_without_public_base_url_refuses_to_start(monkeypatch):
    _production_env(monkeypatch, SECRET_KEY=GOOD_SECRET)
    with pytest.raises(ConfigError, match="PUBLIC_BASE_URL"):
        create_app()


def test_production_refuses_short_secret_and_plain_http(monkeypatch):
    _production_env(monkeypatch, SECRET_KEY="short", PUBLIC_BASE_URL="https://cnnt.example.vn")
    with pytest.raises(ConfigError, match="32 characters"):
        create_app()
    _production_env(monkeypatch, SECRET_KEY=GOOD_SECRET, PUBLIC_BASE_URL="http://cnnt.example.vn")
    with pytest.raises(ConfigError, match="https"):
        create_app()


def test_production_starts_with_both_and_secures_cookies(monkeypatch, app):
    _production_env(monkeypatch, SECRET_KEY=GOOD_SECRET, PUBLIC_BASE_URL="https://cnnt.example.vn")
    prod = create_app({"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})
    assert prod.config["SECRET_KEY"] == GOOD_SECRET
    assert prod.config["SESSION_COOKIE_SECURE"] is True
    assert prod.config["PUBLIC_BASE_URL"] == "https://cnnt.example.vn"


def test_development_defaults(monkeypatch):
    for name in ("DATABASE_URL", "SECRET_KEY", "PUBLIC_BASE_URL", "CNNT_CONFIG", "PORT"):
        monkeypatch.delenv(name, raising=False)
    settings = config_from_environment()
    assert isinstance(settings, DevelopmentConfig)
    assert settings.SQLALCHEMY_DATABASE_URI.startswith("sqlite:///")
    assert settings.SQLALCHEMY_DATABASE_URI.endswith("instance/cnnt.sqlite3")
    assert settings.PUBLIC_BASE_URL == "http://127.0.0.1:5000"  # the address `make run` serves


def test_database_url_is_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://u@db.example/cnnt")
    assert ProductionConfig().SQLALCHEMY_DATABASE_URI == "postgresql+psycopg://u@db.example/cnnt"


def test_unknown_config_name_is_an_error(monkeypatch):
    monkeypatch.setenv("CNNT_CONFIG", "staging")
    with pytest.raises(ConfigError, match="staging"):
        config_from_environment()


def test_bad_number_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("MAX_CONTENT_LENGTH", "lots")
    with pytest.raises(ConfigError, match="MAX_CONTENT_LENGTH"):
        DevelopmentConfig()


def test_public_base_url_never_comes_from_the_request(app):
    from voting.core.security import public_base_url

    with app.test_request_context("/", base_url="http://10.0.0.5:8080"):
        assert public_base_url() == "https://cnnt.example.vn"


def test_sqlite_has_foreign_keys_and_wal(tmp_path):
    probe = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.sqlite3'}"})
    with probe.app_context():
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def test_forwarded_client_address_is_trusted_only_behind_a_configured_proxy():
    from voting import create_app

    def limited_after(config):
        app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "VERIFY_RATE_LIMIT": "1 per minute",
                          **config})
        client = app.test_client()
        statuses = [client.get("/api/v1/ping", headers={"X-Forwarded-For": f"203.0.113.{n}"},
                               environ_base={"REMOTE_ADDR": "127.0.0.1"}).status_code for n in (1, 2)]
        return statuses

    # No proxy configured: the header is ignored (it could be forged), both share 127.0.0.1's budget.
    assert limited_after({}) == [200, 429]
    # Behind one proxy: each forwarded client has a budget of its own.
    assert limited_after({"TRUSTED_PROXIES": 1}) == [200, 200]


def test_with_redis_every_app_process_shares_one_rate_limit_budget(monkeypatch):
    import redis

    from voting import create_app

    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_timeout=2).flushdb()
    except redis.RedisError as error:
        pytest.fail(f"Redis (127.0.0.1:6379, started before the session on this machine) does not answer: {error}")
    monkeypatch.setenv("REDIS_URL", url)
    monkeypatch.delenv("RATELIMIT_STORAGE_URI", raising=False)
    monkeypatch.setenv("CNNT_CONFIG", "development")
    workers = [create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "VERIFY_RATE_LIMIT": "2 per minute"})
               for _ in range(2)]  # two workers (or two servers) of one deployment
    assert workers[0].config["RATELIMIT_STORAGE_URI"] == url
    statuses = [worker.test_client().get("/api/v1/ping").status_code for worker in workers + workers[:1]]
    assert statuses == [200, 200, 429]  # the third request is over the budget, wherever it lands
    redis.Redis.from_url(url).flushdb()


def test_only_development_takes_the_fast_password_hash_and_production_hashes_at_full_cost(monkeypatch, app):
    """The browser tests' servers (development) ask for argon2id at the suite's cost; production ignores the
    setting and hashes at argon2-cffi's default cost (RFC 9106's second choice: 3 passes over 64 MiB)."""
    from argon2 import extract_parameters

    from voting.core.passwords import hash_password

    monkeypatch.setenv("PASSWORD_HASH_FAST", "1")
    monkeypatch.delenv("CNNT_CONFIG", raising=False)
    assert config_from_environment().PASSWORD_HASH_FAST is True
    _production_env(monkeypatch, SECRET_KEY=GOOD_SECRET, PUBLIC_BASE_URL="https://cnnt.example.vn")
    prod = create_app({"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})
    assert prod.config["PASSWORD_HASH_FAST"] is False
    with prod.app_context():
        parameters = extract_parameters(hash_password("mật khẩu đủ dài 2026"))
    assert parameters.type.name == "ID" and parameters.time_cost >= 3 and parameters.memory_cost >= 64 * 1024
