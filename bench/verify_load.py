"""The verification API under load: its throughput as a ratio to a constant-JSON route, on SQLite and PostgreSQL.

For each database in turn:

1. a fresh database (migrated, reference data, a signing key) is filled with N
   certified products (default 100,000) in bulk: one provincial round per
   province of the demo data, decided and published, and per product a producer,
   an accepted entry, its line in the decision and a certificate with a real
   signed token (snapshot, digest and token made as ``certificates.operations.issuance``
   makes them; no PDFs);
2. gunicorn serves the app (``wsgi:app``, 2 sync workers, production settings
   but plain HTTP) with the verification rate limit raised for the run;
3. wrk (``--latency``, 2 threads, 32 connections) loads ``/api/v1/ping`` (the
   baseline: the same app, middleware, headers and rate limiter, no lookup) and
   ``/api/v1/verify/<token>`` spread over 1,000 distinct valid tokens, after a
   warm-up of each, alternating ping, verify, verify, ping; each run half of the
   time per route;
4. checked: no non-2xx answers and no socket errors in any run, and a sample
   of the tokens answered "valid".

The ratio is verify requests/s over ping requests/s; its target (>= 50%) is
for SQLite; PostgreSQL's figures are printed without one.
"""
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

from sqlalchemy import create_engine, func, insert, select, text

from bench.rounds import GROUPS, create_database, make_certified_round, settings_for
from certificates.operations.issuance import add_months, canonical, digest_of, snapshot_for
from certificates.operations.keys import current_signer
from certificates.operations.numbering import format_number
from certificates.rules.signing import make_token
from voting.core.clock import today_vn
from voting.demo.data import PRODUCERS
from voting.extensions import db
from voting.models import (
    Application,
    ApplicationStatus,
    Commune,
    Decision,
    DecisionEntry,
    Producer,
    Product,
    ProductGroup,
    Province,
    Role,
    Round,
    RoundStatus,
)
from certificates.models import Certificate, CertificateCounter, CertificateStatus
from voting.models.base import utcnow
from voting.operations.accounts import create_staff_account
from voting.core.text import fold
from voting.rules.commitments import CURRENT_VERSION

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_ROWS = 100_000
DEFAULT_SECONDS = 15
WARM_UP_SECONDS = 3
WORKERS = 2
THREADS = 2
CONNECTIONS = 32
DISTINCT_TOKENS = 1_000
SAMPLE = 20
TARGET = 0.50  # verify / ping requests per second, on SQLite
#: Raised for the run, so that the load generator (one client) measures the work, not the limiter.
RAISED_LIMIT = "100000000 per minute"
CHUNK = 5_000
POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
RESULTS = Path(__file__).parent / "results" / "verify-search-latest.json"


# Rows -------------------------------------------------------------------------------------------

@dataclass
class Loaded:
    """What :func:`populate` made: how many certificates, in how many rounds, and the tokens to load."""

    certificates: int
    rounds: int
    tokens: list = field(repr=False)
    seconds: float = 0.0


def _rounds_per_province(organiser_id):
    """One decided provincial round per province of the demo producers; ``{code: round id}``."""
    rounds = {}
    for code in sorted({producer[0] for producer in PRODUCERS}):
        province = db.session.scalar(select(Province).where(Province.code == code))
        organiser_id_here = organiser_id
        if code != "19":  # create_database's organiser is Thái Nguyên's
            organiser, _ = create_staff_account(
                None, email=f"organiser{code}@bench.cnnt.vn", full_name="Cán bộ đo hiệu năng",
                role=Role.ORGANISER, jurisdiction_level="tinh", province=province)
            db.session.commit()
            organiser_id_here = organiser.id
        rounds[code] = make_certified_round(organiser_id_here, 1, f"Bình chọn đo hiệu năng: {province.name}")
    return rounds


def analyze():
    """Planner statistics after a bulk load, and the GIN indexes' pending entries merged, as autovacuum
    would do soon after (PostgreSQL): without statistics the planner takes a table of 100,000 rows for
    an empty one, and a word-prefix search would read the pending list of a freshly reindexed registry."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))


def _insert(table, rows):
    """Insert ``rows`` (dicts) through Core in one executemany; their new ids, in order."""
    if not rows:
        return []
    statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return list(db.session.execute(statement, rows).scalars())


def populate(app, organiser_id, rows):
    """Fill the database with ``rows`` certified products and their certificates, inserted in bulk."""
    started = time.perf_counter()
    with app.app_context():
        round_ids = _rounds_per_province(organiser_id)
        private_key, key = current_signer(app)
        today = today_vn()
        now = utcnow()
        groups = {group.code: group for group in db.session.scalars(select(ProductGroup))}
        plans = {}
        for code, round_id in round_ids.items():
            round_ = db.session.get(Round, round_id)
            decision = db.session.scalar(select(Decision).where(Decision.round_id == round_id))
            communes = db.session.scalars(select(Commune).where(Commune.province_id == round_.province_id)
                                          .order_by(Commune.code)).all()
            plans[code] = SimpleNamespace(round=round_, decision=decision, communes=communes,
                                          province=round_.province, authority=round_.authority,
                                          expires_on=add_months(today, round_.certificate_validity_months),
                                          sequence=0, rank=db.session.scalar(
                                              select(func.count(DecisionEntry.id))
                                              .where(DecisionEntry.decision_id == decision.id)))
        tokens = []
        for start in range(0, rows, CHUNK):
            tokens += _insert_chunk(range(start, min(rows, start + CHUNK)), plans, groups, private_key, key,
                                    today, now, organiser_id)
            db.session.commit()
        for plan in plans.values():
            db.session.execute(insert(CertificateCounter.__table__).values(
                authority_id=plan.authority.id, level=plan.round.jurisdiction_level, year=plan.round.year,
                last_sequence=plan.sequence))
            plan.round.status = RoundStatus.CERTIFYING
            plan.round.status_changed_at = now
        db.session.commit()
        db.session.remove()
    return Loaded(len(tokens), len(round_ids), tokens, time.perf_counter() - started)


def _insert_chunk(indexes, plans, groups, private_key, key, today, now, organiser_id):
    """Producers, products, entries, decision lines and certificates for ``indexes``; their tokens."""
    made = []
    for index in indexes:
        province_code, type_code, name, _, address, representative, products = PRODUCERS[index % len(PRODUCERS)]
        kind, product_name = products[(index // len(PRODUCERS)) % len(products)][:2]
        plan = plans[province_code]
        commune = plan.communes[index % len(plan.communes)]
        producer_name = f"{name} ({commune.name})"
        made.append(SimpleNamespace(index=index, plan=plan, commune=commune, group=groups[GROUPS.get(kind, "2")],
                                    producer=dict(
                                        name=producer_name, name_folded=fold(producer_name), type_code=type_code,
                                        registration_number=f"48{index:08d}", province_id=plan.province.id,
                                        commune_id=commune.id, address=address, representative=representative,
                                        phone=f"08{index:08d}", email=f"coso{index}@bench.example.vn",
                                        publish_address=index % 2 == 0, consent_recorded_at=now, created_at=now),
                                    product_name=product_name))
    producer_ids = _insert(Producer.__table__, [row.producer for row in made])
    product_ids = _insert(Product.__table__, [
        dict(producer_id=producer_id, name=row.product_name, name_folded=fold(row.product_name),
             group_code=row.group.code, description="Sản phẩm dùng cho đo hiệu năng.",
             published_at=now if row.index % 3 == 0 else None, created_at=now)
        for row, producer_id in zip(made, producer_ids, strict=True)])
    for row in made:
        row.plan.rank += 1
        row.rank = row.plan.rank
        row.entry_code = f"{row.group.code}.{row.rank:06d}"  # the set-up's own entry is "x.001"
    application_ids = _insert(Application.__table__, [
        dict(round_id=row.plan.round.id, product_id=product_id, producer_id=producer_id,
             status=ApplicationStatus.ACCEPTED, entry_code=row.entry_code, submitted_at=now - timedelta(days=95),
             commitments=CURRENT_VERSION, commitments_given_at=now - timedelta(days=95),
             decided_at=now - timedelta(days=89), decided_by_id=organiser_id, created_at=now - timedelta(days=96))
        for row, producer_id, product_id in zip(made, producer_ids, product_ids, strict=True)])
    _insert(DecisionEntry.__table__, [
        dict(decision_id=row.plan.decision.id, application_id=application_id, rank=row.rank,
             score=Decimal(90) - Decimal(row.rank % 1000) / 100, entry_code=row.entry_code,
             product_name=row.product_name, producer_name=row.producer["name"], province_name=row.plan.province.name,
             group_code=row.group.code, group_name=row.group.name)
        for row, application_id in zip(made, application_ids, strict=True)])
    certificates, tokens = [], []
    for row, application_id in zip(made, application_ids, strict=True):
        plan = row.plan
        producer = SimpleNamespace(name=row.producer["name"], publish_address=row.producer["publish_address"],
                                   address=row.producer["address"], commune=row.commune, province=plan.province)
        application = SimpleNamespace(product=SimpleNamespace(name=row.product_name, group=row.group),
                                      producer=producer, entry_code=row.entry_code)
        snapshot = snapshot_for(plan.round, plan.decision, application)
        plan.sequence += 1
        number = format_number(plan.authority, plan.round.jurisdiction_level, plan.round.year, plan.sequence)
        digest = digest_of(snapshot)
        token = make_token(private_key, key.kid, number, today, plan.expires_on, digest)
        tokens.append(token)
        certificates.append(dict(
            number=number, authority_id=plan.authority.id, level=plan.round.jurisdiction_level,
            year=plan.round.year, sequence=plan.sequence, round_id=plan.round.id, application_id=application_id,
            decision_id=plan.decision.id, snapshot=canonical(snapshot), digest=digest, issued_on=today,
            expires_on=plan.expires_on, status=CertificateStatus.VALID, reason_category="", reason="",
            signing_key_id=key.id, token=token, issued_by_id=organiser_id, created_at=now))
    _insert(Certificate.__table__, certificates)
    return tokens


# Server and load --------------------------------------------------------------------------------

def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_environment(settings):
    """gunicorn's environment: production settings over plain HTTP, the verification limit raised.

    Production answers only its public host name; here the server is reached as 127.0.0.1, so that
    is its public name (the links it builds are not what is measured).
    """
    env = {name: value for name, value in os.environ.items() if not name.startswith(("CNNT_", "DATABASE_"))}
    env.update(CNNT_CONFIG="production", FORCE_HTTPS="0", DATABASE_URL=settings["SQLALCHEMY_DATABASE_URI"],
               SIGNING_KEY_FILE=settings["SIGNING_KEY_FILE"], SECRET_KEY="bench-only-not-secret-" + "x" * 16,
               PUBLIC_BASE_URL="https://127.0.0.1", CERTIFICATE_DIR=settings["CERTIFICATE_DIR"],
               UPLOAD_DIR=settings["UPLOAD_DIR"], VERIFY_RATE_LIMIT=RAISED_LIMIT, LOG_LEVEL="WARNING")
    return env


class Server:
    """``gunicorn wsgi:app`` with 2 workers on a free port, stopped (its process group) on exit."""

    def __init__(self, settings, log_path, environment=None):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = open(log_path, "wb")  # noqa: SIM115  (closed in __exit__)
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.process = subprocess.Popen(
            [str(gunicorn), "--workers", str(WORKERS), "--bind", f"127.0.0.1:{self.port}",
             "--log-level", "warning", "wsgi:app"],
            cwd=ROOT, env=environment or server_environment(settings), stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True)

    def __enter__(self):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited with {self.process.returncode}: see {self.log.name}")
            try:
                with urllib.request.urlopen(self.base + "/api/v1/ping", timeout=2) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.2)
        raise SystemExit(f"gunicorn did not answer within 60 s: see {self.log.name}")

    def __exit__(self, *exc):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


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


def token_script(tokens, path):
    """A wrk Lua script that walks the verification API over ``tokens``."""
    return path_script([f"/api/v1/verify/{token}" for token in tokens], path)


@dataclass
class Load:
    route: str
    seconds: float
    requests: int
    requests_per_second: float
    p99_ms: float
    non_2xx: int
    socket_errors: int


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def parse_wrk(output, route, seconds):
    """Requests/s, total requests, the p99 latency, non-2xx answers and socket errors from ``wrk --latency``."""
    def number(pattern, default=None):
        found = re.search(pattern, output)
        if found is None:
            if default is None:
                raise SystemExit(f"cannot read wrk's output ({pattern!r}):\n{output}")
            return default
        return found

    p99 = number(r"\n\s*99%\s+([\d.]+)(us|ms|s|m)\b")
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return Load(route=route, seconds=seconds, requests=int(number(r"(\d+) requests in").group(1)),
                requests_per_second=float(number(r"Requests/sec:\s+([\d.]+)").group(1)),
                p99_ms=float(p99.group(1)) * _UNITS[p99.group(2)],
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


def combined(route, runs):
    """Two runs of a route as one: requests over time, the higher p99, errors summed."""
    seconds = sum(run.seconds for run in runs)
    requests = sum(run.requests for run in runs)
    return Load(route=route, seconds=seconds, requests=requests,
                requests_per_second=sum(run.requests_per_second * run.seconds for run in runs) / seconds,
                p99_ms=max(run.p99_ms for run in runs), non_2xx=sum(run.non_2xx for run in runs),
                socket_errors=sum(run.socket_errors for run in runs))


def sampled_statuses(base, tokens):
    """The status the API gives for ``SAMPLE`` of the tokens, spread over them."""
    step = max(1, len(tokens) // SAMPLE)
    statuses = []
    for token in tokens[::step][:SAMPLE]:
        with urllib.request.urlopen(f"{base}/api/v1/verify/{token}", timeout=10) as response:
            statuses.append(json.loads(response.read())["status"])
    return statuses


def load(base, tokens, seconds, folder):
    """Warm up both routes, then ping, verify, verify, ping (half of ``seconds`` each)."""
    chosen = tokens[::max(1, len(tokens) // DISTINCT_TOKENS)][:DISTINCT_TOKENS]
    script = token_script(chosen, Path(folder) / "tokens.lua")
    ping_url = base + "/api/v1/ping"
    half = max(1, seconds // 2) if seconds >= 2 else 1
    if seconds >= 2:  # a 1 s run is the suite's smoke test of this code path: it measures nothing, warms nothing
        wrk(ping_url, WARM_UP_SECONDS)
        wrk(base + "/", WARM_UP_SECONDS, script)
    runs = {"ping": [], "verify": []}
    for route in ("ping", "verify", "verify", "ping"):
        output = wrk(ping_url, half) if route == "ping" else wrk(base + "/", half, script)
        runs[route].append(parse_wrk(output, route, half))
    return combined("ping", runs["ping"]), combined("verify", runs["verify"]), len(chosen)


# One database -----------------------------------------------------------------------------------

@dataclass
class Measured:
    database: str
    rows: int
    distinct_tokens: int
    ping: Load
    verify: Load
    sample: list
    setup_seconds: float

    @property
    def ratio(self):
        return self.verify.requests_per_second / self.ping.requests_per_second

    @property
    def problems(self):
        found = [f"{run.route}: {run.non_2xx} non-2xx answers" for run in (self.ping, self.verify) if run.non_2xx]
        found += [f"{run.route}: {run.socket_errors} socket errors" for run in (self.ping, self.verify)
                  if run.socket_errors]
        wrong = [status for status in self.sample if status != "valid"]
        if wrong:
            found.append(f"{len(wrong)} of {len(self.sample)} sampled tokens not 'valid': {sorted(set(wrong))}")
        return found


def measure(database, url, rows, seconds, folder, serve=True, search=False):
    """Build the database at ``url`` (None: SQLite under ``folder``); serve it and load it (``serve``),
    then time the registry search on the same rows (``search``). ``(Measured or None, Searched or None)``."""
    Path(folder).mkdir(parents=True, exist_ok=True)
    settings = settings_for(folder)
    if url:
        settings["SQLALCHEMY_DATABASE_URI"] = url
    app, organiser_id = create_database(settings)
    loaded = populate(app, organiser_id, rows)
    with app.app_context():
        analyze()
        db.engine.dispose()  # the server's workers open their own connections
    print(f"  {database}: {loaded.certificates:,} certificates in {loaded.rounds} rounds "
          f"inserted in {loaded.seconds:.0f} s", flush=True)
    measured = searched = None
    if serve:
        with Server(settings, Path(folder) / "gunicorn.log") as server:
            ping, verify, distinct = load(server.base, loaded.tokens, seconds, folder)
            sample = sampled_statuses(server.base, loaded.tokens)
        measured = Measured(database, loaded.certificates, distinct, ping, verify, sample, loaded.seconds)
        print(f"  {line(measured)}", flush=True)
    if search:
        from bench import search as registry_search

        searched = registry_search.measure(app, database)
        print(f"  {registry_search.line(searched)}", flush=True)
    with app.app_context():
        db.engine.dispose()
    return measured, searched


def postgres_database():
    """A fresh database ``cnnt_bench_<pid>`` on the local PostgreSQL; its URL and a function dropping it."""
    name = f"cnnt_bench_{os.getpid()}"
    admin = create_engine(POSTGRES.format(name="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))

    def drop():
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return POSTGRES.format(name=name), drop


# Report -----------------------------------------------------------------------------------------

def line(measured):
    target = (f" (target >= {TARGET:.0%}) {'PASS' if measured.ratio >= TARGET else 'FAIL'}"
              if measured.database == "SQLite" else " (no target yet)")
    return (f"verification API, {measured.database}: {measured.verify.requests_per_second:,.0f} req/s vs ping "
            f"{measured.ping.requests_per_second:,.0f} req/s -> {measured.ratio:.0%}{target}; "
            f"p99 {measured.verify.p99_ms:.1f} ms (ping {measured.ping.p99_ms:.1f} ms) at {CONNECTIONS} connections")


def report(results, searches, rows, seconds):
    from bench import search as registry_search

    lines = ["", f"{rows:,} certified products with signed certificates (no PDFs) per database, inserted in bulk; "
             f"{os.cpu_count()} CPUs; {datetime.now():%Y-%m-%d %H:%M}"]
    if results:
        lines += [
            f"Verification API: gunicorn wsgi:app, {WORKERS} sync workers; wrk -t{THREADS} -c{CONNECTIONS} --latency; "
            f"{results[0].distinct_tokens:,} distinct valid tokens;",
            f"after a {WARM_UP_SECONDS} s warm-up of each route, ping, verify, verify, ping, {seconds // 2 or 1} s each.",
            f"Rate limits raised for the run: VERIFY_RATE_LIMIT={RAISED_LIMIT!r} (the same limiter on both routes).",
            "",
            *(line(measured) for measured in results),
            *(f"Checked, {m.database}: no non-2xx answers or socket errors; {len(m.sample)} sampled tokens "
              f"answered 'valid'." for m in results if not m.problems),
            *(f"CHECK FAILED, {m.database}: {problem}" for m in results for problem in m.problems),
        ]
    if searches:
        lines += [
            "",
            f"Registry search: {len(registry_search.QUERIES)} queries (with and without diacritics, partial words) "
            f"cycled to {registry_search.RUNS}, in-process, count and first page of {registry_search.PAGE};",
            "baseline: the same query with LIKE '%word%' on the same folded column, no full-text index; alternating.",
            "",
            *(registry_search.line(searched) for searched in searches),
        ]
    print("\n".join(lines), flush=True)


def write_results(results, searches, rows, seconds):
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({
        "benchmark": "verify and search", "measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "rows": rows, "seconds_per_route": 2 * (seconds // 2 or 1), "cpus": os.cpu_count(),
        "python": platform.python_version(), "workers": WORKERS, "threads": THREADS, "connections": CONNECTIONS,
        "rate_limit_raised_to": RAISED_LIMIT, "target": TARGET,
        "verify": {m.database: {
            "ping": asdict(m.ping), "verify": asdict(m.verify), "ratio": round(m.ratio, 3),
            "distinct_tokens": m.distinct_tokens, "sampled_statuses": m.sample, "problems": m.problems,
            "setup_seconds": round(m.setup_seconds, 1),
            **({"pass": m.ratio >= TARGET} if m.database == "SQLite" else {})} for m in results},
        "search": {s.database: {**asdict(s), "ratio_like_over_search_p95": round(s.ratio, 2)} for s in searches},
    }, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def main(rows=DEFAULT_ROWS, seconds=DEFAULT_SECONDS, postgres=True, verify=True, search=True):
    """Run on SQLite, then PostgreSQL; exit status 1 if the SQLite target is missed or a check fails."""
    if verify and shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk (make bench does it)")
    os.environ["CNNT_CONFIG"] = "development"  # the set-up in this process; the server runs production's
    print(f"Verification API and registry search: setting up {rows:,} certified products per database...",
          flush=True)
    results, searches = [], []
    with tempfile.TemporaryDirectory(prefix="cnnt-bench-verify-") as folder:
        databases = [("SQLite", None)] + ([("PostgreSQL", postgres_database)] if postgres else [])
        for database, make in databases:
            url, drop = make() if make else (None, None)
            try:
                measured, searched = measure(database, url, rows, seconds, Path(folder) / database.lower(),
                                             serve=verify, search=search)
            finally:
                if drop:
                    drop()
            results += [measured] if measured else []
            searches += [searched] if searched else []
    report(results, searches, rows, seconds)
    write_results(results, searches, rows, seconds)
    print(f"Written: {RESULTS}", flush=True)
    failed = any(m.problems for m in results) or (results and results[0].ratio < TARGET)
    return 1 if failed else 0
