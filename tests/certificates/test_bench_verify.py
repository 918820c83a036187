"""A quick pass through ``make bench``'s verification benchmark: bulk rows, gunicorn, wrk, the checks.

No timing is asserted here (speed is for ``make bench``); this only proves that the
benchmark's code path works: the bulk rows are certificates the API answers "valid",
the server starts with the rate limit raised, and wrk's output is read.
"""
import shutil

import pytest

from bench import verify_load
from tests.support.services import not_run


@pytest.fixture
def wrk():
    """The load generator of the benchmark runs; only the tests that drive it need it (not the parser's)."""
    if shutil.which("wrk") is None:
        not_run("BENCH SMOKE TEST NOT RUN: wrk is not installed (apt-get install -y wrk)")


def test_bench_verify_code_path_on_a_small_database(tmp_path, wrk):
    measured, searched = verify_load.measure("SQLite", None, 120, 1, tmp_path)
    assert searched is None
    assert measured.rows == 120
    assert measured.distinct_tokens == 120
    assert measured.problems == []
    assert measured.sample and set(measured.sample) == {"valid"}
    for run in (measured.ping, measured.verify):
        assert run.requests > 0 and run.requests_per_second > 0 and run.p99_ms > 0
    assert "verification API, SQLite:" in verify_load.line(measured)


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
    load = verify_load.parse_wrk(output, "ping", 1)
    assert (load.requests, load.requests_per_second, load.p99_ms, load.non_2xx, load.socket_errors) == (
        1234, 1234.5, 1200.0, 5, 3)


def test_bench_load_code_path_on_a_small_database(capsys, wrk):
    """``python -m bench --only load`` on 40 products for 1 s per route: zero errors, figures printed."""
    from bench import load

    assert load.main(rows=40, seconds=1) == 0
    printed = capsys.readouterr().out
    assert "Rate limits raised for the run" in printed
    results = [line for line in printed.splitlines() if "socket errors ->" in line]
    assert {line.split(":")[0].strip() for line in results} >= {"verification API", "registry search API"}
    assert all(line.endswith("0 non-2xx, 0 socket errors -> PASS") for line in results), results
