"""The load run: 64 concurrent clients for 60 s on verification and on registry search, against gunicorn
and PostgreSQL, with zero errors.

A fresh PostgreSQL database ``cnnt_bench_<pid>`` gets N certified products (default 10,000) the way
the route benchmark makes them (:func:`bench.rows.populate`), put in the registry's
search table; gunicorn serves it (``gunicorn.conf.py``, 2 workers, production settings over plain HTTP, every rate limit
raised for the run: one load generator is one client); then wrk (``-t2 -c64 --latency --timeout
10s``) holds 64 connections for the given seconds on each of:

- ``/api/v1/verify/<token>`` spread over 1,000 distinct valid tokens;
- ``/api/v1/products?q=<query>`` cycling through the search benchmark's 40 realistic queries;
- the same search again on a second server with ``REDIS_URL`` set (the shared cache of
  :mod:`voting.core.cache`, a key prefix of its own), when a Redis answers on ``BENCH_REDIS_URL``.

Printed: requests/s and p99 latency of each, and the count of non-2xx answers and socket errors
(connect, read, write, timeout), which must all be zero; the exit status is 1 otherwise.
"""
import os
import shutil
import tempfile
from pathlib import Path
from urllib.parse import quote

from bench import serving
from bench.rows import analyze, populate, postgres_database
from bench.rounds import create_database, settings_for
from bench.routes import DISTINCT_TOKENS
from bench.search import QUERIES
from certificates.registry.index import reindex
from voting.extensions import db

DEFAULT_ROWS = 10_000
DEFAULT_SECONDS = 60
CLIENTS = 64
RAISED = serving.RAISED_LIMIT
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")


def _environment(settings):
    return serving.server_environment(settings)


def _cached_environment(settings):
    """The same server with REDIS_URL (rate limits, cache) under a key prefix of this run; None without Redis."""
    import redis

    try:
        redis.Redis.from_url(REDIS, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        return None
    env = _environment(settings)
    env.update(REDIS_URL=REDIS, RATELIMIT_STORAGE_URI=REDIS, CACHE_KEY_PREFIX=f"cnnt-bench-{os.getpid()}:")
    return env


def _forget(prefix):
    import redis

    client = redis.Redis.from_url(REDIS)
    for key in client.scan_iter(f"{prefix}*"):
        client.delete(key)


def _hold(server, script, name, seconds):
    # Warm-up (and, with the cache, its filling); none for a run of 1 s (the suite's smoke test measures nothing).
    if seconds >= 2:
        serving.wrk(server.base + "/", serving.WARM_UP_SECONDS, script, CLIENTS)
    return serving.measured_wrk(server, name, seconds, script, CLIENTS)


def main(rows=DEFAULT_ROWS, seconds=DEFAULT_SECONDS):
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk (make bench does it)")
    os.environ["CNNT_CONFIG"] = "development"  # the set-up in this process; the server runs production's
    print(f"Load run: {CLIENTS} clients for {seconds} s on verification and registry search, gunicorn + "
          f"PostgreSQL, {rows:,} certified products...", flush=True)
    url, drop = postgres_database()
    results = []
    try:
        with tempfile.TemporaryDirectory(prefix="cnnt-bench-load-") as folder:
            settings = settings_for(folder)
            settings["SQLALCHEMY_DATABASE_URI"] = url
            app, organiser_id = create_database(settings)
            loaded = populate(app, organiser_id, rows)
            with app.app_context():
                reindex()
                db.session.commit()
                analyze()
                db.engine.dispose()
            tokens = loaded.tokens[::max(1, len(loaded.tokens) // DISTINCT_TOKENS)]
            routes = {
                "verification API": serving.path_script([f"/api/v1/verify/{token}" for token in tokens],
                                                            Path(folder) / "verify.lua"),
                "registry search API": serving.path_script([f"/api/v1/products?q={quote(q)}" for q in QUERIES],
                                                               Path(folder) / "search.lua"),
            }
            with serving.Server(Path(folder) / "gunicorn.log", _environment(settings)) as server:
                for name, script in routes.items():
                    results.append((name, _hold(server, script, name, seconds)))
            cached = _cached_environment(settings)
            if cached is None:
                print(f"  registry search API with the Redis cache: NOT RUN (no Redis at {REDIS})", flush=True)
            else:
                try:
                    with serving.Server(Path(folder) / "gunicorn-cached.log", cached) as server:
                        name = "registry search API, Redis cache"
                        results.append((name, _hold(server, routes["registry search API"], name, seconds)))
                finally:
                    _forget(cached["CACHE_KEY_PREFIX"])
    finally:
        drop()
    print(f"\ngunicorn -c gunicorn.conf.py wsgi:app, WEB_CONCURRENCY={serving.WORKERS}, PostgreSQL; wrk -t{serving.THREADS} "
          f"-c{CLIENTS} -d{seconds}s --timeout 10s. Rate limits raised for the run to {RAISED!r} "
          "(VERIFY_RATE_LIMIT, REGISTRY_API_RATE_LIMIT): one load generator is one client.")
    failed = False
    runs = dict(results)
    if "registry search API, Redis cache" in runs and runs["registry search API"].requests_per_second:
        ratio = runs["registry search API, Redis cache"].requests_per_second / runs["registry search API"].requests_per_second
        print(f"  The cached run repeats the same {len(QUERIES)} queries, so after the warm-up nearly every search is "
              f"a hit: {ratio:.1f}x the uncached throughput. It shows the ceiling for popular queries; a query "
              "never asked before costs what the uncached run shows.")
    for name, run in results:
        errors = run.non_2xx + run.socket_errors
        failed = failed or errors > 0
        print(f"  {name}: {run.requests_per_second:,.0f} req/s, p99 {run.p99_ms:.1f} ms, {run.requests:,} requests, "
              f"{run.non_2xx} non-2xx, {run.socket_errors} socket errors -> {'PASS' if not errors else 'FAIL'}")
    return 1 if failed else 0
