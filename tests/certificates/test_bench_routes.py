"""A quick pass through ``make bench``'s route and search benchmarks: bulk rows, reindex, gunicorn, wrk, checks.

No timing is asserted here (speed is for ``make bench``); this only proves that the
benchmark's code path works: the bulk rows are certificates the API answers "valid", the
app and the bare route both start under the production gunicorn configuration, every route
answers without errors, the server's CPU is read, and wrk's output is parsed.
"""
import shutil

import pytest

from bench import databases, routes, serving
from tests.support.services import not_run


@pytest.fixture
def wrk():
    """The load generator of the benchmark runs; only the tests that drive it need it (not the parser's)."""
    if shutil.which("wrk") is None:
        not_run("BENCH SMOKE TEST NOT RUN: wrk is not installed (apt-get install -y wrk)")


@pytest.fixture(scope="module")
def small_database(tmp_path_factory):
    """One benchmark run on 120 products for the routes' and the reports' checks (building the rows costs
    most of it): the routes served when wrk is there, the summary reports always. Both tests are one
    xdist group, so that one worker builds it once."""
    return databases.measure("SQLite", None, 120, 1, tmp_path_factory.mktemp("bench"), search=False, rounds=1,
                             routes=shutil.which("wrk") is not None, reports=True)


@pytest.mark.xdist_group("bench-small-database")
def test_bench_routes_code_path_on_a_small_database(small_database, wrk):
    measured = small_database
    assert measured.rows == 120 and measured.searched is None
    assert measured.indexed.entries == 120 and 0 < measured.indexed.statements_per_thousand
    served = measured.routes
    # 120 products over twenty years of rounds, six a year, oldest first: those of this year and the two before
    # are in force (valid 36 months), and the verification routes load those 18.
    assert served.distinct_tokens == 18
    assert served.problems == []
    assert served.sample and set(served.sample) == {"valid"}
    assert list(served.routes) == [routes.BARE, "ping", "verification API", "/v/ page", "products API ?q=",
                                   "registry page ?q="]
    for route in served.routes.values():
        assert len(route.runs) == 1
        for run in route.runs:
            assert run.requests > 0 and run.requests_per_second > 0 and 0 < run.p50_ms <= run.p99_ms
            assert run.cpu_ms_per_request > 0, route.name  # the server's processes were read from /proc
    assert served.routes[routes.BARE].ratio == 1
    table = "\n".join(routes.table(served))
    assert "verification API" in table and "vs bare" in table and "load average" in table


@pytest.mark.xdist_group("bench-small-database")
def test_bench_reports_code_path_on_a_small_database(small_database):
    from bench import reports

    reported = small_database.reported
    assert reported.certificates == 120 and reported.count_p95_ms > 0
    assert set(reported.p95_ms) == set(reports.REPORTS) and all(p95 > 0 for p95 in reported.p95_ms.values())
    assert all("count(*)" in line for _name, line in reported.lines())
    slow = reports.Reported("SQLite", 10, 1.0, {"rounds' results": 25.0})
    assert slow.failures == [slow.lines()[0][1]] and "FAIL" in slow.failures[0]


def test_a_missed_target_fails_the_run():
    route = routes.Route("verification API", runs=[], ratio=0.5, target=0.6)
    measured = routes.Measured("SQLite", 10, 10, {"verification API": route}, ["valid"], (0,) * 6,
                               verify_p99_ratio=3.5)
    assert measured.failures == ["verification API: 0.500 of the bare route (target >= 0.6)",
                                 "verification API p99: 3.5x the bare route's (target <= 3x)"]
    route.ratio, measured.verify_p99_ratio = 0.6, 3.0
    assert measured.failures == []


def test_wrk_output_is_read():
    output = """Running 1s test @ http://127.0.0.1:5000/api/v1/ping
  2 threads and 32 connections
  Latency Distribution
     50%    2.10ms
     75%    3.00ms
     90%    4.50ms
     99%    1.20s
  1234 requests in 1.00s, 300.00KB read
  Socket errors: connect 0, read 1, write 0, timeout 2
  Non-2xx or 3xx responses: 5
Requests/sec:   1234.50
Transfer/sec:    300.00KB
"""
    load = serving.parse_wrk(output, "ping", 1)
    assert (load.requests, load.requests_per_second, load.p50_ms, load.p99_ms, load.non_2xx,
            load.socket_errors) == (1234, 1234.5, 2.1, 1200.0, 5, 3)


def test_bench_load_code_path_on_a_small_database(capsys, wrk):
    """``python -m bench --only load`` on 40 products for 1 s per route: zero errors, figures printed."""
    from bench import load

    assert load.main(rows=40, seconds=1) == 0
    printed = capsys.readouterr().out
    assert "Rate limits raised for the run" in printed
    results = [line for line in printed.splitlines() if "socket errors ->" in line]
    assert {line.split(":")[0].strip() for line in results} >= {"verification API", "registry search API"}
    assert all(line.endswith("0 non-2xx, 0 socket errors -> PASS") for line in results), results
