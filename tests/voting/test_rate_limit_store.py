"""The rate limiter's in-process store: the same budgets as limits' memory://, without a thread per request."""
import gc
import threading
import time

from limits import parse
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import FixedWindowRateLimiter

from voting.core import rate_limit_store
from voting.core.rate_limit_store import SweptMemoryStorage


def test_the_private_method_it_replaces_still_exists_in_limits():
    """A limits release that renames these would silently bring back the per-request thread (or break the sweep)."""
    assert callable(getattr(MemoryStorage, "_MemoryStorage__schedule_expiry", None))
    assert callable(getattr(MemoryStorage, "_MemoryStorage__expire_events", None))
    assert SweptMemoryStorage._MemoryStorage__schedule_expiry is not MemoryStorage._MemoryStorage__schedule_expiry


def test_the_app_counts_in_it(app):
    with app.app_context():
        from voting.extensions import limiter

        assert app.config["RATELIMIT_STORAGE_URI"] == "swept-memory://"
        assert isinstance(limiter.storage, SweptMemoryStorage)


def test_counts_start_one_thread_per_process_not_one_per_request(client, monkeypatch):
    started = []
    original = threading.Thread.start

    def counting_start(thread):
        started.append(thread.name)
        return original(thread)

    monkeypatch.setattr(threading.Thread, "start", counting_start)
    for _ in range(12):  # each request counts against the ping budget, more than 10 ms apart
        assert client.get("/api/v1/ping").status_code == 200
        time.sleep(0.015)
    assert [name for name in started if name != "rate-limit-sweeper"] == []
    assert started.count("rate-limit-sweeper") <= 1  # none if an earlier test of this process started it


def test_budgets_hold_and_expire_as_with_memory(monkeypatch):
    monkeypatch.setattr(rate_limit_store, "SWEEP_SECONDS", 0.05)
    storage = storage_from_string("swept-memory://")
    limiter = FixedWindowRateLimiter(storage)
    limit = parse("3 per 1 second")
    assert [limiter.hit(limit, "client") for _ in range(4)] == [True, True, True, False]
    time.sleep(1.1)
    assert limiter.hit(limit, "client")  # a new window
    time.sleep(1.2)
    assert storage.storage == {} and storage.expirations == {}  # swept: nothing kept for a client gone quiet


def test_a_store_no_longer_used_stops_its_sweeper(monkeypatch):
    """Each app makes a store; the tests make hundreds of apps: a sweeper per dropped store ran forever."""
    monkeypatch.setattr(rate_limit_store, "SWEEP_SECONDS", 0.02)
    storage = storage_from_string("swept-memory://")
    FixedWindowRateLimiter(storage).hit(parse("3 per 1 second"), "client")  # the first count starts its sweeper
    (sweeper,) = [t for t in threading.enumerate() if t.name == "rate-limit-sweeper" and t.is_alive()
                  and t._args[0]() is storage]  # noqa: SLF001 - the thread's own argument: which store it sweeps
    del storage
    deadline = time.monotonic() + 5
    while sweeper.is_alive() and time.monotonic() < deadline:
        # The store and its parent's cancelled timer hold each other: a collection frees them, unless it runs
        # while the sweeper holds the store for a sweep; the next one then does.
        gc.collect()
        sweeper.join(timeout=0.05)
    assert not sweeper.is_alive()


def test_limit_strings_are_parsed_once_and_still_apply(app, client, monkeypatch):
    import flask_limiter._limits as limit_definitions

    assert hasattr(limit_definitions.parse_many, "cache_info")  # where Flask-Limiter looks it up, cached
    monkeypatch.setitem(app.config, "VERIFY_RATE_LIMIT", "3 per minute")
    before = limit_definitions.parse_many.cache_info()
    answers = [client.get("/api/v1/ping").status_code for _ in range(4)]
    after = limit_definitions.parse_many.cache_info()
    assert answers == [200, 200, 200, 429]  # the limit the configuration names, from the cache
    assert after.misses - before.misses <= 1 and after.hits - before.hits >= 3
