"""The benchmarks on N certified products, SQLite then PostgreSQL, the rows built once per database.

For each database: a fresh one (SQLite in a temporary folder; on PostgreSQL ``cnnt_bench_<pid>`` on
127.0.0.1:5432, dropped at the end) gets N certified products in bulk (:mod:`bench.rows`, not timed) and
the regional rounds their provinces nominated a share of them to (:mod:`bench.nominations`), ``registry reindex`` puts them in the search table (its SQL statements counted), then the registry
search is timed in-process against a LIKE scan (:mod:`bench.search`) and the routes are loaded
against a bare Flask route (:mod:`bench.routes`). Every figure comes from the same run, and the exit
status is 1 when a target is missed or a check fails.
"""
import json
import os
import platform
import tempfile
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

from bench import reports as summary_reports
from bench import routes as served_routes
from bench import search as registry_search
from bench.nominations import nominate_upward
from bench.rounds import create_database, settings_for
from bench.rows import YEARS, analyze, index_registry, indexed_line, populate, postgres_database
from voting.extensions import db

DEFAULT_ROWS = 100_000
RESULTS = Path(__file__).parent / "results" / "routes-search-latest.json"


@dataclass
class OnDatabase:
    """Everything measured on one database."""

    database: str
    rows: int
    setup_seconds: float
    indexed: object
    searched: object = None
    routes: object = None
    reported: object = None

    @property
    def failures(self):
        found = [] if self.indexed.passed else [indexed_line(self.database, self.indexed)]
        if self.searched is not None and not self.searched.passed:
            found.append(registry_search.line(self.searched))
        if self.routes is not None:
            found += self.routes.failures + self.routes.problems
        if self.reported is not None:
            found += self.reported.failures
        return found


def measure(database, url, rows, seconds, folder, routes=True, search=True, rounds=served_routes.ROUNDS,
            reports=False, years=YEARS):
    """Build the rows at ``url`` (None: SQLite under ``folder``), index them, then search and serve them."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    settings = settings_for(folder)
    if url:
        settings["SQLALCHEMY_DATABASE_URI"] = url
    app, organiser_id = create_database(settings)
    loaded = populate(app, organiser_id, rows, years)
    nominated = nominate_upward(app)
    with app.app_context():
        analyze()
    print(f"  {database}: {loaded.certificates:,} certificates in {loaded.rounds} rounds inserted in "
          f"{loaded.seconds:.0f} s; {nominated.nominations:,} nominations to {nominated.rounds} regional rounds "
          f"({nominated.certified:,} certified) in {nominated.seconds:.0f} s", flush=True)
    indexed = index_registry(app)
    print(f"  {indexed_line(database, indexed)}", flush=True)
    measured = OnDatabase(database, loaded.certificates, loaded.seconds, indexed)
    if search:
        measured.searched = registry_search.measure(app, database)
        print(f"  {registry_search.line(measured.searched)}", flush=True)
    if reports:
        measured.reported = summary_reports.measure(app, database)
        print("\n".join(f"  {line}" for _name, line in measured.reported.lines()), flush=True)
    with app.app_context():
        db.engine.dispose()  # the server's workers open their own connections
    if routes:
        measured.routes = served_routes.measure(database, settings, loaded.tokens, seconds, folder, rounds)
        print("\n".join(f"  {row}" for row in served_routes.table(measured.routes)), flush=True)
    return measured


def report(results, seconds):
    lines = ["", f"{results[0].rows:,} certified products with signed certificates (no PDFs) per database, "
             f"inserted in bulk; {os.cpu_count()} CPUs; {datetime.now():%d/%m/%Y %H:%M}"]
    lines += [indexed_line(m.database, m.indexed) for m in results]
    searches = [m.searched for m in results if m.searched]
    if searches:
        lines += ["", f"Registry search: {len(registry_search.QUERIES)} queries (with and without diacritics, "
                  f"partial words) cycled to {registry_search.RUNS}, in-process, count (capped at 1,000) and first "
                  f"page of {registry_search.PAGE}; baseline: the same query with LIKE '%word%' on the same folded "
                  "column, no full-text index; alternating.", *(registry_search.line(s) for s in searches)]
    reported = [m.reported for m in results if m.reported]
    if reported:
        lines += ["", f"Summary reports (/reports/, the whole country, unfiltered): each timed {summary_reports.RUNS} "
                  "times in-process, alternating with SELECT count(*) of the certificate table."]
        lines += [line for r in reported for _name, line in r.lines()]
    served = [m.routes for m in results if m.routes]
    if served:
        lines += ["", *served_routes.header(seconds)]
        for measured in served:
            lines += ["", *served_routes.table(measured)]
    failures = [failure for m in results for failure in m.failures]
    lines += ["", *(f"FAILED: {failure}" for failure in failures)] if failures else ["", "Every target met."]
    print("\n".join(lines), flush=True)


def write_results(results, seconds):
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({
        "benchmark": "routes and registry search", "python": platform.python_version(), "cpus": os.cpu_count(),
        "measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "seconds_per_run": seconds,
        "databases": {m.database: {
            "rows": m.rows, "setup_seconds": round(m.setup_seconds, 1), "reindex": asdict(m.indexed),
            "search": asdict(m.searched) if m.searched else None,
            "routes": served_routes.as_json(m.routes) if m.routes else None,
            "reports": asdict(m.reported) if m.reported else None, "failures": m.failures}
            for m in results},
    }, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def main(rows=DEFAULT_ROWS, seconds=served_routes.DEFAULT_SECONDS, postgres=True, routes=True, search=True,
         reports=True, years=YEARS):
    """Run on SQLite, then PostgreSQL; exit status 1 if a target is missed or a check fails."""
    os.environ["CNNT_CONFIG"] = "development"  # the set-up in this process; the servers run production's
    print(f"Routes and registry search: {rows:,} certified products per database...", flush=True)
    results = []
    with tempfile.TemporaryDirectory(prefix="cnnt-bench-") as folder:
        for database in ("SQLite", "PostgreSQL") if postgres else ("SQLite",):
            url, drop = postgres_database() if database == "PostgreSQL" else (None, None)
            try:
                results.append(measure(database, url, rows, seconds, Path(folder) / database.lower(),
                                       routes=routes, search=search, reports=reports, years=years))
            finally:
                if drop:
                    drop()
    report(results, seconds)
    write_results(results, seconds)
    print(f"Written: {RESULTS}", flush=True)
    return 1 if any(m.failures for m in results) else 0
