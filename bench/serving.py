"""Serving and loading for the benchmarks: gunicorn as production runs it, wrk, and the CPU the server spent.

Every server here is ``gunicorn -c gunicorn.conf.py <app>``: the project's production configuration,
named explicitly (preloaded app, sync workers, recycling, access log), with ``WEB_CONCURRENCY=2``
workers on a free local port. The app runs its production settings over plain HTTP.
"""
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN_CONF = ROOT / "gunicorn.conf.py"
WORKERS = 2
THREADS = 2
CONNECTIONS = 32
WARM_UP_SECONDS = 3
#: Raised for the run, so that the load generator (one client) measures the work, not the limiter.
RAISED_LIMIT = "100000000 per minute"
_TICKS = os.sysconf("SC_CLK_TCK")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_environment(settings):
    """The app's environment: production settings over plain HTTP, every rate limit raised.

    Production answers only its public host name; here the server is reached as 127.0.0.1, so that
    is its public name (the links it builds are not what is measured).
    """
    env = {name: value for name, value in os.environ.items() if not name.startswith(("CNNT_", "DATABASE_"))}
    env.update(CNNT_CONFIG="production", FORCE_HTTPS="0", DATABASE_URL=settings["SQLALCHEMY_DATABASE_URI"],
               SIGNING_KEY_FILE=settings["SIGNING_KEY_FILE"], SECRET_KEY="bench-only-not-secret-" + "x" * 16,
               PUBLIC_BASE_URL="https://127.0.0.1", CERTIFICATE_DIR=settings["CERTIFICATE_DIR"],
               UPLOAD_DIR=settings["UPLOAD_DIR"], LOG_LEVEL="WARNING", VERIFY_RATE_LIMIT=RAISED_LIMIT,
               REGISTRY_API_RATE_LIMIT=RAISED_LIMIT, REGISTRY_CSV_RATE_LIMIT=RAISED_LIMIT)
    return env


class Server:
    """``gunicorn -c gunicorn.conf.py <app>`` with ``WORKERS`` workers on a free port; stopped on exit.

    ``app`` is gunicorn's application argument (``wsgi:app``, or the benchmark's bare route
    ``bench.bare:app``); ``probe`` a path that answers 200 once it serves.
    """

    def __init__(self, log_path, environment, app="wsgi:app", probe="/api/v1/ping"):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.probe = probe
        self.log = open(log_path, "wb")  # noqa: SIM115  (closed in __exit__)
        gunicorn = Path(sys.executable).with_name("gunicorn")
        environment = {**environment, "WEB_CONCURRENCY": str(WORKERS), "GUNICORN_BIND": f"127.0.0.1:{self.port}",
                       "GUNICORN_LOG_LEVEL": "warning"}
        self.process = subprocess.Popen(
            [str(gunicorn), "--config", str(GUNICORN_CONF), app], cwd=ROOT, env=environment,
            stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)

    def __enter__(self):
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited with {self.process.returncode}: see {self.log.name}")
            try:
                with urllib.request.urlopen(self.base + self.probe, timeout=2) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.2)
        raise SystemExit(f"gunicorn did not answer within 90 s: see {self.log.name}")

    def __exit__(self, *exc):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()

    def wait_idle(self, timeout=60):
        """Wait until the server has stopped working: when wrk stops, requests it had sent are still queued
        (up to one per connection), and a slow route's would otherwise be served during the next run."""
        deadline = time.monotonic() + timeout
        spent = self.cpu_seconds()
        while time.monotonic() < deadline:
            time.sleep(0.25)
            before, spent = spent, self.cpu_seconds()
            if spent - before < 0.015:
                return
        raise SystemExit(f"gunicorn still busy {timeout} s after the load stopped: see {self.log.name}")

    def cpu_seconds(self):
        """CPU time the server has spent so far: the master, its live workers, and the workers it has reaped
        (recycled after ``max_requests``), user and system."""
        master = self.process.pid
        total = _process_cpu(master, reaped=True)
        for child in Path(f"/proc/{master}/task/{master}/children").read_text().split():
            total += _process_cpu(int(child))
        return total


def _process_cpu(pid, reaped=False):
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:  # a worker that has just exited: its time is in the master's once reaped
        return 0.0
    # After the name: state is field 3, utime 14, stime 15, cutime 16, cstime 17 (proc(5)).
    ticks = int(fields[11]) + int(fields[12]) + (int(fields[13]) + int(fields[14]) if reaped else 0)
    return ticks / _TICKS


def path_script(paths, path):
    """A wrk Lua script that requests ``paths`` in turn, each thread from its own offset."""
    listed = ",\n".join(f'"{p}"' for p in paths)
    Path(path).write_text(f"""paths = {{
{listed}
}}
local threads = 0
function setup(thread)
  thread:set("offset", threads * {max(1, len(paths) // THREADS)})
  threads = threads + 1
end
local i = 0
function request()
  i = i + 1
  return wrk.format("GET", paths[((offset or 0) + i) % #paths + 1])
end
""", encoding="utf-8")
    return path


@dataclass
class Load:
    """One wrk run: what it sent and how the server answered (CPU per request when the server was measured)."""

    route: str
    seconds: float
    requests: int
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    non_2xx: int
    socket_errors: int
    cpu_ms_per_request: float = 0.0


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def parse_wrk(output, route, seconds):
    """Requests/s, total requests, p50 and p99 latency, non-2xx answers and socket errors from ``wrk --latency``."""
    def number(pattern):
        found = re.search(pattern, output)
        if found is None:
            raise SystemExit(f"cannot read wrk's output ({pattern!r}):\n{output}")
        return found

    def latency(percent):
        found = number(rf"\n\s*{percent}%\s+([\d.]+)(us|ms|s|m)\b")
        return float(found.group(1)) * _UNITS[found.group(2)]

    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return Load(route=route, seconds=seconds, requests=int(number(r"(\d+) requests in").group(1)),
                requests_per_second=float(number(r"Requests/sec:\s+([\d.]+)").group(1)),
                p50_ms=latency(50), p99_ms=latency(99),
                non_2xx=int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", output)) else 0,
                socket_errors=sum(int(n) for n in errors.groups()) if errors else 0)


def wrk(url, seconds, script=None, connections=CONNECTIONS):
    command = ["wrk", f"-t{THREADS}", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    if script:
        command += ["-s", str(script)]
    done = subprocess.run([*command, url], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    return done.stdout


def measured_wrk(server, route, seconds, script, connections=CONNECTIONS):
    """One wrk run of ``script`` (:func:`path_script`) against ``server``, with the server's CPU per request."""
    server.wait_idle()
    before = server.cpu_seconds()
    run = parse_wrk(wrk(server.base + "/", seconds, script, connections), route, seconds)
    server.wait_idle()  # the requests sent before the end are served, and counted, now
    spent = server.cpu_seconds() - before
    run.cpu_ms_per_request = 1000 * spent / max(1, run.requests)
    return run
