"""Issuing a round's certificates: one document per batch, split (the platform) against one per certificate.

Everything runs in one process on one fresh SQLite database, each run on a
round of its own so that each really issues N certificates, with all of the
per-certificate work timed: numbering, snapshot, signing, the database writes
and commits, rendering, hashing and storing the PDF, the audit events.

1. baseline: the same operations with one WeasyPrint document per certificate
   (:func:`certificates.documents.certificate_pdf.render_certificate`), committing per batch;
2. platform: :func:`certificates.operations.issuance.issue_round`;
   the two alternate on two rounds of N/2 each (baseline, platform, baseline, platform);
3. two processes at once, each running ``issue_round`` on a round of N/2 of the
   same authority (so both take numbers from the same counter): wall-clock time.

Every stored PDF is then checked (not timed): one page, carrying its own number.
"""
import json
import logging
import multiprocessing
import os
import platform
import re
import sqlite3
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from datetime import date, datetime, timezone
from io import BytesIO
from pathlib import Path

from flask import current_app
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from bench.rounds import create_database, make_certified_round, settings_for
from certificates.documents.certificate_pdf import CertificateDoc, render_certificate
from certificates.operations.issuance import (
    BATCH_SIZE,
    check_can_issue,
    new_certificate,
    start_certifying,
    document_for,
    pending_entries,
    snapshot_for,
    store_pdf,
    stored_pdf,
)
from certificates.jobs import issue_round
from certificates.operations.keys import current_signer
from voting.core.clock import today_vn
from voting.extensions import db
from voting.models import Round, User
from certificates.models import Certificate
from voting.operations.audit import record_event

DEFAULT_ENTRIES = 500
TARGET = 3.0  # baseline / platform, per certificate
RESULTS = Path(__file__).parent / "results" / "issuance-latest.json"
#: A worker whose batch waited longer than SQLite's busy timeout starts its run again, as a failed
#: issuance job would be (issuance is idempotent); the retries are reported.
MAX_RETRIES = 20
#: Seconds the processes may take to build their app and warm up before the start.
START_TIMEOUT = 300


@dataclass
class Run:
    name: str
    certificates: int
    seconds: float
    processes: int = 1
    retries: int = 0

    @property
    def ms_per_certificate(self):
        return 1000 * self.seconds / self.certificates


# What is timed -------------------------------------------------------------------------------------

def issue_one_document_each(actor, round_, today, batch_size=BATCH_SIZE):
    """``issue_round`` with one WeasyPrint document per certificate instead of one per batch: the baseline.

    The same checks, numbering, snapshot, signing, audit events and commit per batch; only the
    rendering differs.
    """
    check_can_issue(actor, round_, today)
    decision, entries = pending_entries(round_)
    start_certifying(actor, round_, decision)
    db.session.commit()
    signer = current_signer(current_app)
    for start in range(0, len(entries), batch_size):
        try:
            for entry in entries[start:start + batch_size]:
                application = entry.application
                certificate = new_certificate(actor, round_, decision, application,
                                               snapshot_for(round_, decision, application, entry), signer, today)
                store_pdf(certificate, render_certificate(document_for(certificate)))
                record_event(actor, "certificate.issue", certificate, data={
                    "number": certificate.number, "application_id": certificate.application_id,
                    "digest": certificate.digest, "pdf_sha256": certificate.pdf_sha256})
            db.session.commit()
        except BaseException:
            db.session.rollback()
            raise
    return len(entries)


def timed(issue, round_id, organiser_id):
    """Run ``issue(actor, round, today)`` on the round; ``(certificates issued, seconds)`` by ``perf_counter``."""
    round_, actor = db.session.get(Round, round_id), db.session.get(User, organiser_id)
    today = today_vn()
    start = time.perf_counter()
    issued = issue(actor, round_, today)
    seconds = time.perf_counter() - start
    db.session.remove()
    return issued, seconds


def alternate(rounds, organiser_id):
    """Time the baseline and the platform on half of the entries each, then on the other half (A B A B),
    so that a change in the machine's load during the run falls on both alike."""
    issues = {"baseline": issue_one_document_each, "platform": issue_round}
    parts = {name: [] for name in issues}
    for half in (0, 1):
        for name, issue in issues.items():
            parts[name].append(timed(issue, rounds[name][half], organiser_id))
    return [Run(name, sum(n for n, _ in timings), sum(s for _, s in timings)) for name, timings in parts.items()]


def warm_up():
    """Render one certificate before timing: loads the fonts and compiles the template once per process."""
    today = today_vn()
    render_certificate(CertificateDoc(
        authority_parent="", authority_name="Ủy ban nhân dân tỉnh Thái Nguyên", place="Thái Nguyên",
        number="WARM-UP-0001", level_label="cấp tỉnh", year=today.year, decision_number="1/QĐ-UBND",
        decision_date=today, decision_authority="Ủy ban nhân dân tỉnh Thái Nguyên",
        product_name="Miến dong Na Rì", group_name="Nhóm sản phẩm chế biến nông, lâm, thủy sản và thực phẩm",
        producer_name="Hợp tác xã Miến dong Na Rì", producer_address="Thái Nguyên", province_name="Thái Nguyên",
        issued_on=today, expires_on=date(today.year + 3, 1, 1), signer_title="CHỦ TỊCH",
        signer_name="Nguyễn Văn Bình", verify_url="https://cnnt.example.vn/v/warm-up"))


def font_subsetter():
    """The library WeasyPrint subsets fonts with on this machine: part of every document's fixed cost."""
    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset

    return "HarfBuzz-Subset" if harfbuzz_subset and harfbuzz.hb_version_atleast(4, 1, 0) else "fontTools"


class _FontToolsNotice(logging.Filter):
    """WeasyPrint warns in every document that it subsets with fontTools; the report says it once."""

    def filter(self, record):
        return not record.getMessage().startswith("Using fontTools instead of HarfBuzz-Subset")


def quieten_weasyprint():
    logging.getLogger("weasyprint").addFilter(_FontToolsNotice())


# Two processes ------------------------------------------------------------------------------------

def _worker(settings, round_id, organiser_id, start_line, results):
    """One issuing process: build the app, warm up, wait for the start, issue the round, report."""
    from voting import create_app

    issued, retries = 0, 0
    quieten_weasyprint()
    try:
        app = create_app(settings)
        with app.app_context():
            warm_up()
            start_line.wait(timeout=START_TIMEOUT)
            while True:
                try:
                    issued += issue_round(db.session.get(User, organiser_id), db.session.get(Round, round_id),
                                          today_vn())
                    break
                except OperationalError as error:  # "database is locked": SQLite's busy timeout ran out
                    db.session.rollback()
                    retries += 1
                    if "locked" not in str(error) or retries > MAX_RETRIES:
                        raise
    except BaseException as error:  # the parent must hear of it, or it would wait for ever
        start_line.abort()
        results.put((round_id, issued, retries, f"round {round_id}: {type(error).__name__}: {error}"))
        raise
    results.put((round_id, issued, retries, ""))


def issue_in_two_processes(settings, round_ids, organiser_id):
    """Issue each round in its own spawned process, started together; wall-clock time to the last report."""
    context = multiprocessing.get_context("spawn")
    start_line, results = context.Barrier(len(round_ids) + 1), context.Queue()
    workers = [context.Process(target=_worker, args=(settings, round_id, organiser_id, start_line, results))
               for round_id in round_ids]
    for worker in workers:
        worker.start()
    try:
        start_line.wait(timeout=START_TIMEOUT)
    except threading.BrokenBarrierError:
        pass  # a worker failed before the start: its report says why
    start = time.perf_counter()
    reports = [results.get() for _ in workers]
    seconds = time.perf_counter() - start
    for worker in workers:
        worker.join()
    errors = [error for *_, error in reports if error]
    if errors:
        raise SystemExit("two-process run failed: " + "; ".join(errors))
    return Run(f"platform, {len(round_ids)} processes at once", sum(r[1] for r in reports), seconds,
               processes=len(round_ids), retries=sum(r[2] for r in reports))


# The check ----------------------------------------------------------------------------------------

def problems_in(round_id, expected):
    """What is wrong with the round's stored PDFs: a count, a changed file, pages, a missing number."""
    certificates = db.session.scalars(select(Certificate).where(Certificate.round_id == round_id)).all()
    problems = [] if len(certificates) == expected else [
        f"round {round_id}: {len(certificates)} certificates, expected {expected}"]
    for certificate in certificates:
        if not certificate.pdf_storage_name:
            problems.append(f"{certificate.number}: no PDF stored")
            continue
        reader = PdfReader(BytesIO(stored_pdf(certificate)))  # stored_pdf checks the SHA-256
        if len(reader.pages) != 1:
            problems.append(f"{certificate.number}: {len(reader.pages)} pages")
            continue
        text = " ".join(reader.pages[0].extract_text().split())
        prefix = certificate.number.rstrip("0123456789")
        numbers = set(re.findall(re.escape(prefix) + r"\d+", text))
        if numbers != {certificate.number}:
            problems.append(f"{certificate.number}: the page carries {sorted(numbers) or 'no number'}")
    return problems


# Report -------------------------------------------------------------------------------------------

@dataclass
class Outcome:
    entries: int
    runs: tuple
    checked: int
    setup_seconds: float
    check_seconds: float

    @property
    def ratio(self):
        baseline, platform_run, _ = self.runs
        return baseline.ms_per_certificate / platform_run.ms_per_certificate

    @property
    def speed_up(self):
        _, platform_run, parallel = self.runs
        return platform_run.ms_per_certificate / parallel.ms_per_certificate

    @property
    def passed(self):
        return self.ratio >= TARGET


def report(outcome):
    baseline, platform_run, parallel = outcome.runs
    rows = [("1 baseline: one document per certificate", baseline),
            (f"2 platform: issue_round (one document per {BATCH_SIZE}, split)", platform_run),
            (f"3 platform, 2 processes at once (2 rounds of {outcome.entries // 2}, "
             "wall clock)", parallel)]
    print("\n".join([
        "",
        f"Issuance: {outcome.entries} certificates per run on a fresh SQLite database; {os.cpu_count()} CPUs; "
        f"{datetime.now():%Y-%m-%d %H:%M}",
        "Warm-up: one certificate rendered in each process before timing (fonts, template), not counted.",
        "Runs 1 and 2 alternate on halves of the entries (1 2 1 2); run 3 is two processes at once.",
        f"Fonts subset with {font_subsetter()}. Set-up {outcome.setup_seconds:.1f} s and check "
        f"{outcome.check_seconds:.1f} s, not counted.",
        "",
        f"{'run':<66}{'seconds':>9}{'ms/cert':>9}",
        *(f"{label:<66}{run.seconds:>9.2f}{run.ms_per_certificate:>9.1f}" for label, run in rows),
        "",
        f"baseline / platform       {outcome.ratio:5.2f}x   target >= {TARGET:g}x   "
        f"{'PASS' if outcome.passed else 'FAIL'}",
        f"2 processes / 1 process   {outcome.speed_up:5.2f}x   per certificate, wall clock "
        f"(runs restarted after 'database is locked': {parallel.retries})",
        f"Checked: {outcome.checked} stored PDFs, each one page carrying its own number.",
        f"Written: {RESULTS}",
    ]), flush=True)


def write_results(outcome):
    import weasyprint

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({
        "benchmark": "issuance", "measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "entries": outcome.entries, "batch_size": BATCH_SIZE, "cpus": os.cpu_count(),
        "python": platform.python_version(), "weasyprint": weasyprint.__version__,
        "font_subsetter": font_subsetter(), "sqlite": sqlite3.sqlite_version,
        "warm_up": "one certificate rendered in each process before timing",
        "runs": {key: {**asdict(run), "ms_per_certificate": round(run.ms_per_certificate, 2)}
                 for key, run in zip(("baseline", "platform", "two_processes"), outcome.runs, strict=True)},
        "ratio_baseline_over_platform": round(outcome.ratio, 3), "target": TARGET, "pass": outcome.passed,
        "two_process_speed_up": round(outcome.speed_up, 3), "pdfs_checked": outcome.checked,
        "setup_seconds": round(outcome.setup_seconds, 1), "check_seconds": round(outcome.check_seconds, 1),
    }, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def measure(folder, entries):
    """Set up the database and six rounds, run the three measurements, check every PDF."""
    started = time.perf_counter()
    settings = settings_for(folder)
    app, organiser_id = create_database(settings)
    halves = (entries // 2, entries - entries // 2)
    with app.app_context():
        rounds = {name: [make_certified_round(organiser_id, size, f"Bình chọn đo hiệu năng: {name} {n}")
                         for n, size in enumerate(halves, start=1)] for name in ("baseline", "platform", "parallel")}
        db.session.remove()
        setup_seconds = time.perf_counter() - started
        print(f"Set up: 3 x 2 rounds of {halves[0]} certified entries. Measuring...", flush=True)
        warm_up()
        baseline, platform_run = alternate(rounds, organiser_id)
    parallel = issue_in_two_processes(settings, rounds["parallel"], organiser_id)
    started = time.perf_counter()
    with app.app_context():
        problems = [problem for pair in rounds.values() for round_id, size in zip(pair, halves, strict=True)
                    for problem in problems_in(round_id, size)]
        db.session.remove()
    if problems:
        raise SystemExit(f"CHECK FAILED: {len(problems)} stored certificates are wrong:\n  "
                         + "\n  ".join(problems[:20]))
    return Outcome(entries, (baseline, platform_run, parallel), 3 * entries,
                   setup_seconds, time.perf_counter() - started)


def main(entries=DEFAULT_ENTRIES):
    """Run the benchmark; exit status 1 if the target is missed or a stored PDF is wrong."""
    os.environ["CNNT_CONFIG"] = "development"  # never production's checks; spawned workers inherit it
    quieten_weasyprint()
    with tempfile.TemporaryDirectory(prefix="cnnt-bench-") as folder:
        outcome = measure(folder, entries)
    report(outcome)
    write_results(outcome)
    return 0 if outcome.passed else 1
