"""The load run: 64 concurrent clients for 60 s on verification and on registry search, against gunicorn
and PostgreSQL, with zero errors.

A fresh PostgreSQL database ``cnnt_bench_<pid>`` gets N certified products (default 10,000) the way
the verification benchmark makes them (:func:`bench.verify_load.populate`), put in the registry's
search table; gunicorn serves it (2 workers, production settings over plain HTTP, every rate limit
raised for the run: one load generator is one client); then wrk (``-t2 -c64 --latency --timeout
10s``) holds 64 connections for the given seconds on each of:

- ``/api/v1/verify/<token>`` spread over 1,000 distinct valid tokens;
- ``/api/v1/products?q=<query>`` cycling through the search benchmark's 40 realistic queries.

Printed: requests/s and p99 latency of each, and the count of non-2xx answers and socket errors
(connect, read, write, timeout), which must all be zero; the exit status is 1 otherwise.
"""
import os
import shutil
import tempfile
from pathlib import Path
from urllib.parse import quote

from bench import verify_load
from bench.rounds import create_database, settings_for
from bench.search import QUERIES
from certificates.registry_index import reindex
from voting.extensions import db

DEFAULT_ROWS = 10_000
DEFAULT_SECONDS = 60
CLIENTS = 64
RAISED = "100000000 per minute"


def _environment(settings):
    env = verify_load.server_environment(settings)
    env.update(REGISTRY_API_RATE_LIMIT=RAISED, REGISTRY_CSV_RATE_LIMIT=RAISED, VERIFY_RATE_LIMIT=RAISED)
    return env


def main(rows=DEFAULT_ROWS, seconds=DEFAULT_SECONDS):
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk (make bench does it)")
    os.environ["CNNT_CONFIG"] = "development"  # the set-up in this process; the server runs production's
    print(f"Load run: {CLIENTS} clients for {seconds} s on verification and registry search, gunicorn + "
          f"PostgreSQL, {rows:,} certified products...", flush=True)
    url, drop = verify_load.postgres_database()
    results = []
    try:
        with tempfile.TemporaryDirectory(prefix="cnnt-bench-load-") as folder:
            settings = settings_for(folder)
            settings["SQLALCHEMY_DATABASE_URI"] = url
            app, organiser_id = create_database(settings)
            loaded = verify_load.populate(app, organiser_id, rows)
            with app.app_context():
                reindex()
                db.session.commit()
                verify_load.analyze()
                db.engine.dispose()
            tokens = loaded.tokens[::max(1, len(loaded.tokens) // verify_load.DISTINCT_TOKENS)]
            routes = {
                "verification API": verify_load.token_script(tokens, Path(folder) / "verify.lua"),
                "registry search API": verify_load.path_script([f"/api/v1/products?q={quote(q)}" for q in QUERIES],
                                                               Path(folder) / "search.lua"),
            }
            with verify_load.Server(settings, Path(folder) / "gunicorn.log", _environment(settings)) as server:
                for name, script in routes.items():
                    verify_load.wrk(server.base + "/", 3, script, CLIENTS)  # warm-up
                    output = verify_load.wrk(server.base + "/", seconds, script, CLIENTS)
                    results.append((name, verify_load.parse_wrk(output, name, seconds)))
    finally:
        drop()
    print(f"\ngunicorn wsgi:app, {verify_load.WORKERS} sync workers, PostgreSQL; wrk -t{verify_load.THREADS} "
          f"-c{CLIENTS} -d{seconds}s --timeout 10s. Rate limits raised for the run to {RAISED!r} "
          "(VERIFY_RATE_LIMIT, REGISTRY_API_RATE_LIMIT): one load generator is one client.")
    failed = False
    for name, run in results:
        errors = run.non_2xx + run.socket_errors
        failed = failed or errors > 0
        print(f"  {name}: {run.requests_per_second:,.0f} req/s, p99 {run.p99_ms:.1f} ms, {run.requests:,} requests, "
              f"{run.non_2xx} non-2xx, {run.socket_errors} socket errors -> {'PASS' if not errors else 'FAIL'}")
    return 1 if failed else 0
