"""Issuance with and without PAdES signatures, against a bare pyHanko signature (issue 22).

One fresh SQLite database, one authority; four rounds of N/2 certified entries. The platform's
:func:`certificates.jobs.issue_round` issues two of them with the authority signing on the server (a PKCS#12
RSA-2048 key of a CA built for the run, ``DOCUMENT_SIGNERS_FILE``) and two without, alternating (unsigned,
signed, then again) so that a change in the machine's load falls on both. Signing's cost per certificate is
the difference of the two, per certificate.

The baseline, measured in the same run: pyHanko's plain ``signers.sign_pdf`` of each unsigned certificate
the platform has just stored (one page each), with ``SimpleSigner.load_pkcs12`` of the same key, the
signer loaded once, no visible stamp, no database. Target: signing adds at most 1.2x that, per certificate.

Every stored PDF is then checked (not timed): the signed ones validate against the CA's root with
pyHanko's validator, the unsigned ones carry no signature.
"""
import json
import os
import tempfile
import time
from io import BytesIO
from pathlib import Path

from sqlalchemy import select

from bench.rounds import create_database, make_certified_round, settings_for
from certificates.jobs import issue_round
from certificates.models import Certificate
from certificates.operations.issuance import stored_pdf
from voting.core.clock import today_vn
from voting.core.pades.settings import NO_SIGNERS, read_settings
from voting.extensions import db
from voting.models import Round, User

DEFAULT_ENTRIES = 200
TARGET = 1.2  # (signed - unsigned) per certificate / bare pyHanko signature, at most
RESULTS = Path(__file__).resolve().parent / "results" / "signing.json"


def _issue(app, round_id, organiser_id, settings):
    app.extensions["pades"] = settings
    with app.app_context():
        round_, actor = db.session.get(Round, round_id), db.session.get(User, organiser_id)
        start = time.perf_counter()
        issued = issue_round(actor, round_, today_vn())
        seconds = time.perf_counter() - start
        db.session.remove()
    return issued, seconds


def _stored(app, round_id):
    with app.app_context():
        pdfs = [stored_pdf(c) for c in db.session.scalars(
            select(Certificate).where(Certificate.round_id == round_id).order_by(Certificate.sequence))]
        db.session.remove()
    return pdfs


def bare_signatures(pdfs, ca):
    """pyHanko's own way, the key loaded once: seconds to sign each of ``pdfs``."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    from tests.support.pki import PASSPHRASE

    signer = signers.SimpleSigner.load_pkcs12(str(ca.pkcs12_file("rsa")), passphrase=PASSPHRASE)
    start = time.perf_counter()
    for pdf in pdfs:
        signers.sign_pdf(IncrementalPdfFileWriter(BytesIO(pdf)), signers.PdfSignatureMetadata(field_name="Sig"),
                         signer=signer)
    return time.perf_counter() - start


def problems_in(app, settings, signed_rounds, unsigned_rounds):
    from voting.core.pades.validation import check_signatures

    problems = []
    with app.app_context():
        for round_id in signed_rounds:
            for pdf in _stored(app, round_id):
                findings = check_signatures(pdf, settings)
                if len(findings) != 1 or not findings[0].holds:
                    problems.append(f"round {round_id}: a signed certificate does not validate: {findings}")
        for round_id in unsigned_rounds:
            problems += [f"round {round_id}: an unsigned certificate is signed"
                         for pdf in _stored(app, round_id) if check_signatures(pdf, settings)]
    return problems


def measure(folder, entries):
    from tests.support.pki import build_ca
    from voting.core.pades.signers import forget_opened

    folder = Path(folder)
    app, organiser_id = create_database(settings_for(folder))
    ca = build_ca(folder / "ca")
    half = entries // 2
    with app.app_context():
        rounds = {kind: [make_certified_round(organiser_id, half, f"Đo chữ ký số: {kind} {n}") for n in (1, 2)]
                  for kind in ("unsigned", "signed")}
        code = db.session.get(Round, rounds["signed"][0]).authority.code
        db.session.remove()
    signing = read_settings(ca.signers_file({code: "rsa"}, crl=False))
    print(f"Set up: 2 x 2 rounds of {half} certified entries, a test CA (RSA-2048). Measuring...", flush=True)
    # Warm up both paths on two entries of a round of their own (fonts, template, the key opened once).
    with app.app_context():
        warm = [make_certified_round(organiser_id, 2, f"Đo chữ ký số: warm-up {n}") for n in (1, 2)]
        db.session.remove()
    _issue(app, warm[0], organiser_id, NO_SIGNERS)
    _issue(app, warm[1], organiser_id, signing)
    timings = {"unsigned": [], "signed": []}
    for n in (0, 1):
        timings["unsigned"].append(_issue(app, rounds["unsigned"][n], organiser_id, NO_SIGNERS))
        timings["signed"].append(_issue(app, rounds["signed"][n], organiser_id, signing))
    app.extensions["pades"] = NO_SIGNERS
    unsigned_pdfs = [pdf for round_id in rounds["unsigned"] for pdf in _stored(app, round_id)]
    bare = bare_signatures(unsigned_pdfs, ca)
    problems = problems_in(app, signing, rounds["signed"], rounds["unsigned"])
    forget_opened()
    if problems:
        raise SystemExit("CHECK FAILED:\n  " + "\n  ".join(problems[:10]))
    per = {kind: 1000 * sum(s for _, s in runs) / sum(n for n, _ in runs) for kind, runs in timings.items()}
    return {"certificates_per_kind": 2 * half, "unsigned_ms_per_certificate": round(per["unsigned"], 2),
            "signed_ms_per_certificate": round(per["signed"], 2),
            "signing_adds_ms": round(per["signed"] - per["unsigned"], 2),
            "bare_pyhanko_ms": round(1000 * bare / len(unsigned_pdfs), 2), "target": TARGET}


def main(entries=DEFAULT_ENTRIES):
    os.environ["CNNT_CONFIG"] = "development"
    with tempfile.TemporaryDirectory(prefix="cnnt-bench-signing-") as folder:
        result = measure(folder, max(entries, 4))
    ratio = result["signing_adds_ms"] / result["bare_pyhanko_ms"]
    result["ratio"] = round(ratio, 3)
    passed = ratio <= TARGET
    print("\n== Issuance with PAdES signatures ==")
    print(f"issuance, unsigned         {result['unsigned_ms_per_certificate']:7.1f} ms per certificate")
    print(f"issuance, signed           {result['signed_ms_per_certificate']:7.1f} ms per certificate")
    print(f"signing adds               {result['signing_adds_ms']:7.1f} ms per certificate")
    print(f"bare pyHanko signature     {result['bare_pyhanko_ms']:7.1f} ms per certificate (baseline, same run)")
    print(f"added / bare               {ratio:7.2f}x   target <= {TARGET:g}x   {'PASS' if passed else 'FAIL'}")
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    return 0 if passed else 1
