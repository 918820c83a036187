"""The routes users wait on, under load, as ratios of a bare Flask route served the same way in the same run.

On the rows of :mod:`bench.rows` (put in the registry's search table), two servers run side by side,
both ``gunicorn -c gunicorn.conf.py`` with ``WEB_CONCURRENCY=2`` (:mod:`bench.serving`): the app
(``wsgi:app``, production settings over plain HTTP, every rate limit raised for the run) and the
baseline, a bare Flask JSON route in one file with no extensions (``bench.bare:app``). wrk
(``-t2 -c32 --latency``) loads one route at a time:

- ``/api/v1/ping``, the app's constant answer (its middleware alone);
- ``/api/v1/verify/<token>`` and the scan page ``/v/<token>``, over 1,000 distinct valid tokens;
- ``/api/v1/products?q=`` and ``/registry/?q=``, over the search benchmark's 40 queries.

After a warm-up of each, ``ROUNDS`` rounds run every route once, the bare route first, the order
reversed from one round to the next so that a drift in the machine's load falls on all of them.
For each route: requests/s, p50 and p99 latency, and the servers' CPU per request (master and
workers, reaped ones included, read from ``/proc``; the requests still queued when wrk stops, at most one per
connection, are served before the next run and counted in its CPU), the median of the rounds; its requests/s are
divided by the bare route's. Checked: no non-2xx answer and no socket error in any run, and a
sample of the tokens answers "valid".
"""
import json
import os
import statistics
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import quote

from bench.search import QUERIES
from bench.serving import (
    CONNECTIONS,
    RAISED_LIMIT,
    THREADS,
    WARM_UP_SECONDS,
    WORKERS,
    Load,
    Server,
    measured_wrk,
    path_script,
    server_environment,
    wrk,
)

ROUNDS = 3
DEFAULT_SECONDS = 8
DISTINCT_TOKENS = 1_000
SAMPLE = 20
BARE = "bare Flask route"
#: Requests/s as a share of the bare route's, at least (issue 20); a database missing from a route has no target.
TARGETS = {
    "verification API": {"SQLite": 0.60, "PostgreSQL": 0.40},
    "/v/ page": {"SQLite": 0.25},
    "products API ?q=": {"SQLite": 0.035, "PostgreSQL": 0.035},
    "registry page ?q=": {"SQLite": 0.02, "PostgreSQL": 0.02},
}
#: The verification API's p99 over the bare route's, at most, at ``CONNECTIONS`` connections.
VERIFY_P99_TARGET = 3.0


def route_paths(tokens):
    """Each route's paths, cycled by wrk; the app's routes in the order of the first round."""
    chosen = tokens[::max(1, len(tokens) // DISTINCT_TOKENS)][:DISTINCT_TOKENS]
    return {
        "ping": ["/api/v1/ping"],
        "verification API": [f"/api/v1/verify/{token}" for token in chosen],
        "/v/ page": [f"/v/{token}" for token in chosen],
        "products API ?q=": [f"/api/v1/products?q={quote(q)}" for q in QUERIES],
        "registry page ?q=": [f"/registry/?q={quote(q)}" for q in QUERIES],
    }


@dataclass
class Route:
    """A route's runs and their medians; ``ratio`` and ``target`` are against the bare route."""

    name: str
    runs: list = field(default_factory=list)
    ratio: float = 1.0
    target: float | None = None

    def median(self, attribute):
        return statistics.median(getattr(run, attribute) for run in self.runs)

    @property
    def problems(self):
        return [f"{self.name}: {count} {what}" for what, count in (
            ("non-2xx answers", sum(run.non_2xx for run in self.runs)),
            ("socket errors", sum(run.socket_errors for run in self.runs))) if count]


@dataclass
class Measured:
    """The routes on one database, with what was checked."""

    database: str
    rows: int
    distinct_tokens: int
    routes: dict
    sample: list
    load_average: tuple
    verify_p99_ratio: float = 0.0

    @property
    def problems(self):
        found = [problem for route in self.routes.values() for problem in route.problems]
        wrong = [status for status in self.sample if status != "valid"]
        if wrong:
            found.append(f"{len(wrong)} of {len(self.sample)} sampled tokens not 'valid': {sorted(set(wrong))}")
        return found

    @property
    def failures(self):
        """The targets missed."""
        missed = [f"{route.name}: {route.ratio:.3f} of the bare route (target >= {route.target})"
                  for route in self.routes.values() if route.target is not None and route.ratio < route.target]
        if self.verify_p99_ratio > VERIFY_P99_TARGET:
            missed.append(f"verification API p99: {self.verify_p99_ratio:.1f}x the bare route's "
                          f"(target <= {VERIFY_P99_TARGET:g}x)")
        return missed


def sampled_statuses(base, tokens):
    """The status the API gives for ``SAMPLE`` of the tokens, spread over them."""
    statuses = []
    for token in tokens[::max(1, len(tokens) // SAMPLE)][:SAMPLE]:
        with urllib.request.urlopen(f"{base}/api/v1/verify/{token}", timeout=10) as response:
            statuses.append(json.loads(response.read())["status"])
    return statuses


def measure(database, settings, tokens, seconds, folder, rounds=ROUNDS):
    """Serve the app and the bare route, load every route ``rounds`` times; a :class:`Measured`."""
    folder = Path(folder)
    scripts = {name: path_script(paths, folder / f"route-{index}.lua")
               for index, (name, paths) in enumerate(route_paths(tokens).items())}
    scripts[BARE] = path_script(["/"], folder / "bare.lua")
    bare_environment = {name: value for name, value in os.environ.items()
                        if not name.startswith(("CNNT_", "DATABASE_"))}
    load_before = os.getloadavg()
    with Server(folder / "gunicorn-app.log", server_environment(settings)) as app_server, \
            Server(folder / "gunicorn-bare.log", bare_environment, app="bench.bare:app", probe="/") as bare_server:
        servers = {name: app_server for name in scripts} | {BARE: bare_server}
        for name, script in scripts.items():  # each worker's first requests compile templates, open connections
            wrk(servers[name].base + "/", min(seconds, WARM_UP_SECONDS), script)
        routes = {name: Route(name) for name in [BARE, *route_paths(tokens)]}
        order = list(routes)
        for number in range(rounds):
            for name in order if number % 2 == 0 else reversed(order):
                routes[name].runs.append(measured_wrk(servers[name], name, seconds, scripts[name]))
        sample = sampled_statuses(app_server.base, tokens)
    bare_rate = routes[BARE].median("requests_per_second")
    for route in routes.values():
        route.ratio = route.median("requests_per_second") / bare_rate
        route.target = TARGETS.get(route.name, {}).get(database)
    distinct = len(route_paths(tokens)["verification API"])
    measured = Measured(database, len(tokens), distinct, routes, sample, (*load_before, *os.getloadavg()))
    measured.verify_p99_ratio = routes["verification API"].median("p99_ms") / routes[BARE].median("p99_ms")
    return measured


# Report -----------------------------------------------------------------------------------------

def header(seconds):
    return [f"Routes: gunicorn -c gunicorn.conf.py (the production configuration, named explicitly), "
            f"WEB_CONCURRENCY={WORKERS}; the app with production settings over plain HTTP, every rate limit raised "
            f"for the run ({RAISED_LIMIT!r}: one load generator is one client);",
            f"baseline: {BARE} (bench/bare.py) in the same gunicorn configuration. wrk -t{THREADS} -c{CONNECTIONS} "
            f"--latency, {seconds} s a run, after a {WARM_UP_SECONDS} s warm-up of each route; {ROUNDS} rounds, "
            "the order reversed each round; medians of the rounds; CPU = the server's processes (master and "
            "workers) per request."]


def table(measured):
    rows = [f"{measured.database}, {measured.rows:,} certified products, load average "
            f"{measured.load_average[0]:.1f} before and {measured.load_average[3]:.1f} after:",
            f"  {'route':<20} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'CPU ms':>7} {'vs bare':>8}  target"]
    for route in measured.routes.values():
        verdict = "" if route.target is None else (
            f">= {route.target:g} {'PASS' if route.ratio >= route.target else 'FAIL'}")
        rows.append(f"  {route.name:<20} {route.median('requests_per_second'):>8,.1f} {route.median('p50_ms'):>8.1f} "
                    f"{route.median('p99_ms'):>8.1f} {route.median('cpu_ms_per_request'):>7.2f} "
                    f"{route.ratio:>8.3f}  {verdict}")
    verdict = "PASS" if measured.verify_p99_ratio <= VERIFY_P99_TARGET else "FAIL"
    rows.append(f"  verification API p99 / bare p99: {measured.verify_p99_ratio:.1f}x "
                f"(target <= {VERIFY_P99_TARGET:g}x) {verdict}")
    if measured.problems:
        rows += [f"  CHECK FAILED: {problem}" for problem in measured.problems]
    else:
        rows.append(f"  Checked: no non-2xx answers or socket errors in any run; {len(measured.sample)} sampled "
                    "tokens answered 'valid'.")
    return rows


def as_json(measured):
    return {"rows": measured.rows, "distinct_tokens": measured.distinct_tokens,
            "load_average_before_after": measured.load_average, "verify_p99_ratio": measured.verify_p99_ratio,
            "problems": measured.problems, "failures": measured.failures, "sampled_statuses": measured.sample,
            "routes": {route.name: {"ratio": round(route.ratio, 4), "target": route.target,
                                    "runs": [asdict(run) for run in route.runs]}
                       for route in measured.routes.values()}}


__all__ = ["Load", "Measured", "as_json", "header", "measure", "table"]
