"""A cache shared by every process in Redis (``REDIS_URL``), for work many requests repeat.

Today that is the registry's search: a popular query counts and sorts thousands of rows, and the
same query comes again and again (a product on television). Results are kept for
``CACHE_SECONDS`` under a key that includes the registry's *generation*, a token replaced after
every committed change to the registry's rows, so a change is seen by the next search on every
server, not a minute later.

Without Redis nothing is cached: a cache in each process would go on serving what another process
has just changed. A Redis that does not answer is a miss, never an error page.

Reference data are the exception (:func:`reference_kept`): provinces, regions and product groups change only
when an operator runs ``flask reference load``, so each worker keeps what it read of them a minute.
"""
import hashlib
import secrets

from flask import current_app
from cachelib import SimpleCache
from flask_caching import Cache
from redis.exceptions import RedisError

cache = Cache(with_jinja2_ext=False)
#: Template fragments that depend only on the language (``{% cache None, "name", current_locale %}`` in
#: ``templates/base.html``: an anonymous reader's menu, the brand, the footer and the dialogs), kept in each worker's
#: memory: they are the same on every server and change only with a new release, which restarts the workers. A
#: scan page rendered afresh translated 58 messages, 23 of them in these fragments.
fragments = Cache(config={"CACHE_TYPE": "SimpleCache", "CACHE_THRESHOLD": 64, "CACHE_DEFAULT_TIMEOUT": 0,
                          "CACHE_OPTIONS": {}})
GENERATION_KEY = "registry:generation"
#: How long a worker keeps what it read of the reference data (:func:`reference_kept`).
REFERENCE_SECONDS = 60
_ERRORS = (RedisError, OSError)


def init_cache(app):
    url = app.config.get("REDIS_URL")
    app.config.setdefault("CACHE_TYPE", "RedisCache" if url else "NullCache")
    app.config.setdefault("CACHE_REDIS_URL", url)
    app.config.setdefault("CACHE_KEY_PREFIX", "cnnt:cache:")
    app.config.setdefault("CACHE_DEFAULT_TIMEOUT", 60)
    app.config.setdefault("CACHE_OPTIONS", {"socket_timeout": 1, "socket_connect_timeout": 1})
    app.config.setdefault("CACHE_NO_NULL_WARNING", True)  # no Redis, no cache: by design
    cache.init_app(app)
    fragments.init_app(app)  # the templates' {% cache %} tag


def enabled():
    return current_app.config.get("CACHE_TYPE") != "NullCache"


def get(key):
    try:
        return cache.get(key)
    except _ERRORS as error:
        current_app.logger.warning("cache unavailable (%s): computing instead", error)
        return None


def put(key, value, timeout=None):
    try:
        cache.set(key, value, timeout=timeout)
    except _ERRORS as error:
        current_app.logger.warning("cache unavailable (%s): not stored", error)


def registry_key(*parts):
    """A key for a registry result: its parts and the registry's current generation."""
    generation = get(GENERATION_KEY) or "0"
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    return f"registry:{generation}:{digest}"


def new_registry_generation():
    """After a committed change to the registry: every cached registry result is now stale."""
    try:
        cache.set(GENERATION_KEY, secrets.token_hex(8), timeout=0)  # 0: kept until replaced
    except _ERRORS as error:
        # Cached results then stay up to CACHE_DEFAULT_TIMEOUT; say so, the change itself is committed.
        current_app.logger.error("cache unavailable (%s): registry results may lag up to %s s", error,
                                 current_app.config.get("CACHE_DEFAULT_TIMEOUT"))


def reference_kept(name, read):
    """``read()`` (of reference data only: provinces, regions, groups), kept :data:`REFERENCE_SECONDS` in this
    worker under ``name``; an app's kept values are in ``app.extensions["reference_kept"]``."""
    kept = current_app.extensions.get("reference_kept")
    if kept is None:
        kept = current_app.extensions["reference_kept"] = SimpleCache(default_timeout=REFERENCE_SECONDS)
    value = kept.get(name)
    if value is None:
        value = read()
        kept.set(name, value)
    return value
