"""Issuing a round's certificates: the platform against one document per certificate, and against the floor.

Everything runs in one process on one fresh SQLite database, each run on a
round of its own so that each really issues N certificates, with all of the
per-certificate work timed: numbering, snapshot, signing, the database writes
and commits, rendering, hashing and storing the PDF, the audit events.

1. baseline: the same operations with one WeasyPrint document per certificate
   (:func:`certificates.documents.certificate_pdf.render_certificate`), committing per batch;
2. platform: :func:`certificates.jobs.issue_round`;
3. floor: one WeasyPrint document of the same certificate pages the platform has just issued, with nothing
   else done: their HTML (the template filled with each certificate's values, QR images included) is built
   before the clock starts, and only WeasyPrint's layout and ``write_pdf`` are timed; no numbering, signing,
   splitting, storage or database. One document of all N/2 pages, not one per batch: the strictest floor,
   its fixed cost spread over the most pages;
   the three alternate on two rounds of N/2 each (baseline, platform, floor, then again);
4. two processes at once, each running ``issue_round`` on a round of N/2 of the
   same authority (so both take numbers from the same counter): wall-clock time.

The targets (issue 20): baseline / platform >= 3, platform / floor <= 1.5, two processes / one >= 1.7,
with fonts subset by HarfBuzz-Subset as in production (``make`` installs it on Debian); any of them missed
fails the run. Every stored PDF is then checked (not timed): one page, carrying its own number.
"""
import logging
import multiprocessing
import os
import re
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import date
from io import BytesIO

from flask import current_app
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from bench.issuance_report import Outcome, font_subsetter, load_average, report, write_results
from bench.rounds import create_database, make_certified_round, settings_for
from certificates.documents.certificate_pdf import TEMPLATE, CertificateDoc, certificate_page, render_certificate
from certificates.documents.status_marks import status_icon
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
from voting.core.pdf import static_root
from voting.extensions import db
from voting.models import Round, User
from certificates.models import Certificate
from voting.operations.audit import record_event

DEFAULT_ENTRIES = 500
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


def floor_html(round_id):
    """The HTML of one document holding the round's certificate pages, in numbering order, as the platform
    fills its template (built before the floor's clock starts)."""
    certificates = db.session.scalars(select(Certificate).where(Certificate.round_id == round_id)
                                      .order_by(Certificate.sequence)).all()
    pages = [certificate_page(document_for(certificate)) for certificate in certificates]
    html = current_app.jinja_env.get_template(TEMPLATE).render(certificates=pages, status_icon=status_icon)
    db.session.remove()
    return html, len(pages)


def render_floor(round_id):
    """The floor: WeasyPrint lays out and writes the round's pages as one document, nothing else done."""
    from voting.core.pdf_engine import HTML, StaticOnlyURLFetcher, font_configuration

    html, pages = floor_html(round_id)
    root = static_root()
    start = time.perf_counter()
    HTML(string=html, base_url=root.as_uri() + "/", url_fetcher=StaticOnlyURLFetcher(root)).render(
        font_config=font_configuration()).write_pdf()
    return pages, time.perf_counter() - start


def alternate(rounds, organiser_id):
    """Time the baseline, the platform and the floor on half of the entries each, then on the other half
    (A B C A B C), so that a change in the machine's load during the run falls on all alike. The floor
    renders the pages the platform has just issued."""
    issues = {"baseline": issue_one_document_each, "platform": issue_round}
    parts = {name: [] for name in (*issues, "floor")}
    for half in (0, 1):
        for name, issue in issues.items():
            parts[name].append(timed(issue, rounds[name][half], organiser_id))
        parts["floor"].append(render_floor(rounds["platform"][half]))
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
        # Any number of the same shape ("12/GCN-UBND", "UBND-TNG-CN-2026-0012"): only its own may be there.
        shape = "".join(r"\d+" if part.isdigit() else re.escape(part) for part in re.split(r"(\d+)", certificate.number))
        numbers = set(re.findall(shape, text))
        if numbers != {certificate.number}:
            problems.append(f"{certificate.number}: the page carries {sorted(numbers) or 'no number'}")
    return problems


def measure(folder, entries):
    """Set up the database and six rounds, run the three measurements, check every PDF."""
    started, load_before = time.perf_counter(), load_average()
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
        baseline, platform_run, floor = alternate(rounds, organiser_id)
    parallel = issue_in_two_processes(settings, rounds["parallel"], organiser_id)
    started = time.perf_counter()
    with app.app_context():
        problems = [problem for pair in rounds.values() for round_id, size in zip(pair, halves, strict=True)
                    for problem in problems_in(round_id, size)]
        db.session.remove()
    if problems:
        raise SystemExit(f"CHECK FAILED: {len(problems)} stored certificates are wrong:\n  "
                         + "\n  ".join(problems[:20]))
    return Outcome(entries, (baseline, platform_run, floor, parallel), 3 * entries,
                   setup_seconds, time.perf_counter() - started, font_subsetter(), load_before)


def main(entries=DEFAULT_ENTRIES):
    """Run the benchmark; exit status 1 if a target is missed or a stored PDF is wrong."""
    os.environ["CNNT_CONFIG"] = "development"  # never production's checks; spawned workers inherit it
    quieten_weasyprint()
    with tempfile.TemporaryDirectory(prefix="cnnt-bench-") as folder:
        outcome = measure(folder, entries)
    report(outcome)
    write_results(outcome)
    return 0 if outcome.passed else 1
