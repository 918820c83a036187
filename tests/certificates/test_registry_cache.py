"""The registry's search cache in Redis: hits, invalidation on every committed change, and a Redis
that does not answer (a miss, never an error).

A second app on the same database, with ``REDIS_URL`` pointing at the local Redis and a key prefix
of its own, so parallel test processes never read each other's entries. (Its settings must not
switch the rate limiter off: the limiter is one object, and its last ``init_app`` decides.)
"""
import uuid

import pytest
import redis
from sqlalchemy import select, update

from tests.support.registry import registry as registry  # noqa: PLC0414 (a fixture)
from tests.support.services import LOCAL_REDIS, require_redis
from voting import create_app
from voting.extensions import db
from certificates.models import ImportedCertificate, RegistryEntry


@pytest.fixture
def cached_app(app):
    require_redis(LOCAL_REDIS)
    prefix = f"cnnt-test-{uuid.uuid4().hex[:12]}:"
    other = create_app({"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"], "REDIS_URL": LOCAL_REDIS,
                        "CACHE_KEY_PREFIX": prefix,
                        "UPLOAD_DIR": app.config["UPLOAD_DIR"], "CERTIFICATE_DIR": app.config["CERTIFICATE_DIR"]})
    yield other
    client = redis.Redis.from_url(LOCAL_REDIS)
    for key in client.scan_iter(f"{prefix}*"):
        client.delete(key)
    with other.app_context():
        db.session.remove()
        db.engine.dispose()


def _names(client, q):
    response = client.get("/api/v1/products", query_string={"q": q})
    assert response.status_code == 200, response.get_data(as_text=True)
    return sorted(item["name"] for item in response.get_json()["items"])


def test_a_repeated_search_is_answered_from_the_cache(registry, cached_app):  # noqa: F811
    client = cached_app.test_client()
    assert _names(client, "mien dong") == ["Miến dong"]
    stored = redis.Redis.from_url(LOCAL_REDIS).keys(f"{cached_app.config['CACHE_KEY_PREFIX']}registry:*")
    assert stored, "nothing was cached"
    # A change that bypasses the ORM (and so the registry's bookkeeping) is not seen: the answer
    # comes from the cache. The page's rows are still read from the database.
    with cached_app.app_context():
        db.session.execute(update(RegistryEntry).where(RegistryEntry.name == "Miến dong")
                           .values(search_text="nothing to find here", name_folded="nothing"))
        db.session.commit()
    assert _names(client, "mien dong") == ["Miến dong"]
    # The HTML page shares the cached result.
    assert "Miến dong" in client.get("/registry/", query_string={"q": "mien dong"}).get_data(as_text=True)


def test_a_committed_change_is_seen_by_the_next_search(registry, cached_app):  # noqa: F811
    client = cached_app.test_client()
    assert _names(client, "mien dong") == ["Miến dong"]
    with cached_app.app_context():
        record = db.session.scalar(select(ImportedCertificate).where(ImportedCertificate.number == "MD-1"))
        record.product_name = "Miến dong Bắc Kạn"
        db.session.commit()  # the registry row is rebuilt, and the cache's generation replaced
    assert _names(client, "mien dong") == ["Miến dong Bắc Kạn"]


def test_without_redis_nothing_is_cached(registry, app, client):  # noqa: F811
    assert app.config["CACHE_TYPE"] == "NullCache"
    assert _names(client, "mien dong") == ["Miến dong"]
    with app.app_context():
        db.session.execute(update(RegistryEntry).where(RegistryEntry.name == "Miến dong")
                           .values(search_text="nothing to find here", name_folded="nothing"))
        db.session.commit()
    assert _names(client, "mien dong") == []


def test_a_redis_that_does_not_answer_is_a_miss_not_an_error(registry, app):  # noqa: F811
    down = create_app({"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                       "REDIS_URL": "redis://127.0.0.1:1/0"})
    client = down.test_client()
    assert _names(client, "mien dong") == ["Miến dong"]
    with down.app_context():
        record = db.session.scalar(select(ImportedCertificate).where(ImportedCertificate.number == "MD-1"))
        record.product_name = "Miến dong Na Rì"
        db.session.commit()  # the generation cannot be replaced: logged, the change stands
        db.session.remove()
        db.engine.dispose()
    assert _names(client, "mien dong") == ["Miến dong Na Rì"]


def test_the_public_statistics_are_kept_until_the_registry_changes(registry, cached_app):  # noqa: F811
    from tests.helpers import counted_queries

    client = cached_app.test_client()
    assert client.get("/api/v1/stats").get_json()["certificates"] == 7
    with cached_app.app_context():
        engine = db.engine
    with counted_queries(engine) as statements:
        assert client.get("/api/v1/stats").get_json()["certificates"] == 7
    assert not any("registry_certificate" in s for s in statements)  # kept in Redis
    with cached_app.app_context():
        db.session.delete(db.session.scalar(select(ImportedCertificate).where(ImportedCertificate.number == "MD-1")))
        db.session.commit()  # the registry row goes, and the cache's generation is replaced
    assert client.get("/api/v1/stats").get_json()["certificates"] == 6
