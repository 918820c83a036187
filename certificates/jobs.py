"""The certificates' background work: issuing a round, re-issuing it, and its bulk exports.

Each task is registered with :func:`voting.core.background.task` by :func:`register_tasks` and runs under whichever runner
:mod:`voting.core.background` picked (an RQ worker, or a process of its own). All of them can be run
again after a crash: issuance and re-issuance pick up what is left, an export starts over.
"""
import io
import secrets
import zipfile
from collections import Counter

from flask import current_app
from pypdf import PdfWriter
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from voting.core.background import task
from voting.core.clock import today_vn
from voting.extensions import db
from voting.models import BackgroundJob, JobKind
from certificates.models import Certificate, PublicStatus
from voting.core.pdf import ascii_filename
from voting.core.storage import storage


def issue_round(actor, round_, today, progress=None, batch_size=None):
    """Issue every pending certificate of the round, batch by batch; return how many were issued.

    The runner of :func:`certificates.operations.round_issuance.start_issuance`: it owns the transactions. Each batch
    commits after its numbers and signed tokens, and again after its PDFs, which it renders with no
    transaction open (:func:`render_batch`); two issuers of one round take turns batch by batch, issuers
    of different rounds do not wait on each other's rendering, and an interrupted run keeps every whole step.

    :param progress: called as ``progress(done, total)`` after each batch.
    :raise PreconditionFailed: results not published, complaint window open, complaints unanswered.
    """
    from certificates.operations.issuance import BATCH_SIZE
    from certificates.operations.round_issuance import start_issuance

    batch_size = batch_size or BATCH_SIZE
    issuance = start_issuance(actor, round_, today)
    db.session.commit()
    unrendered, entries = issuance.unrendered, issuance.entries
    done, issued_here = 0, 0
    try:
        for start in range(0, len(unrendered), batch_size):
            batch = unrendered[start:start + batch_size]
            render_batch(issuance, batch)
            done += len(batch)
            if progress:
                progress(done, issuance.total)
        for start in range(0, len(entries), batch_size):
            batch = entries[start:start + batch_size]
            issued = issuance.number(batch)
            db.session.commit()
            render_batch(issuance, issued)
            issued_here += len(issued)
            done += len(batch)
            if progress:
                progress(done, issuance.total)
    except BaseException:
        db.session.rollback()
        raise
    return issued_here


def render_batch(issuance, certificates):
    """Render the PDFs of ``certificates`` not stored yet and store them, committed.

    The read is committed before rendering, so that no transaction (and on SQLite, no lock of the
    whole database) is held while WeasyPrint works; storing takes the round's lock and checks again.
    """
    from certificates.operations.issuance import render_pages

    pending = issuance.to_render(certificates)
    db.session.commit()
    if not pending:
        return
    pdfs = render_pages([doc for _, doc in pending])
    issuance.keep_rendered([(certificate_id, pdf) for (certificate_id, _), pdf in zip(pending, pdfs, strict=True)])
    db.session.commit()


def issue_round_job(job, actor, progress):
    issue_round(actor, job.round, today_vn(), progress=progress, batch_size=current_app.config.get("ISSUE_BATCH_SIZE"))


def reissue_round_job(job, actor, progress):
    from certificates.operations.lifecycle import reissue_compromised

    reissue_compromised(actor, today_vn(), round_=job.round, progress=progress)


def issued_certificates(round_):
    """The round's certificates that have a stored PDF, in numbering order."""
    return db.session.scalars(select(Certificate).where(Certificate.round_id == round_.id,
                                                        Certificate.pdf_storage_name.is_not(None))
                              .options(selectinload(Certificate.application))
                              .order_by(Certificate.sequence)).all()


def printable_certificates(round_, today):
    """What the print file holds: the round's certificates in force on ``today`` (with their PDF)."""
    return [c for c in issued_certificates(round_) if c.status_on(today) == PublicStatus.VALID]


def left_out_of_print(round_, today):
    """How many of the round's certificates the print file leaves out, by why: their status on ``today``
    (suspended, revoked, expired, superseded) or "no_file" (its PDF is still being prepared)."""
    certificates = db.session.scalars(select(Certificate).where(Certificate.round_id == round_.id)).all()
    return Counter("no_file" if c.pdf_storage_name is None else c.status_on(today) for c in certificates
                   if c.pdf_storage_name is None or c.status_on(today) != PublicStatus.VALID)


def changed_since(round_, moment):
    """Whether a certificate of the round was issued, or changed status, after ``moment`` (a prepared
    file may then hold a certificate no longer in force, or miss a new one)."""
    latest = db.session.execute(select(func.max(Certificate.created_at), func.max(Certificate.status_changed_at))
                                .where(Certificate.round_id == round_.id)).one()
    return any(value is not None and value > moment for value in latest)


def _save_export(job, data, extension, download_name):
    """Keep the new file and drop the round's earlier one of the same kind: only the latest is offered."""
    exports = storage("exports")
    key = f"round-{job.round_id}/job-{job.id}-{secrets.token_hex(8)}.{extension}"
    exports.save(key, data)
    for earlier in db.session.scalars(select(BackgroundJob).where(
            BackgroundJob.kind == job.kind, BackgroundJob.round_id == job.round_id, BackgroundJob.id != job.id,
            BackgroundJob.result_key.is_not(None))):
        exports.delete(earlier.result_key)
        earlier.result_key = None
    return key, download_name


def certificates_zip_job(job, actor, progress):
    """Every certificate of the round (superseded ones included: they are part of its record), each as handed out:
    the office's signed copy where one was uploaded."""
    from certificates.operations.signed_copies import official_pdf

    certificates = issued_certificates(job.round)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:  # PDFs do not compress
        for done, certificate in enumerate(certificates, 1):
            archive.writestr(f"{ascii_filename(certificate.number)}.pdf", official_pdf(certificate))
            progress(done, len(certificates))
    return _save_export(job, buffer.getvalue(), "zip", f"giay-chung-nhan-dot-{job.round_id}.zip")


def certificates_pdf_job(job, actor, progress):
    """The round's certificates in force in one PDF, to print in one go: a suspended, revoked, expired or
    superseded certificate is not printed (the round's page says how many were left out, and why)."""
    from certificates.operations.issuance import stored_pdf

    certificates = printable_certificates(job.round, today_vn())
    writer = PdfWriter()
    for done, certificate in enumerate(certificates, 1):
        writer.append(io.BytesIO(stored_pdf(certificate)))
        progress(done, len(certificates))
    buffer = io.BytesIO()
    writer.write(buffer)
    return _save_export(job, buffer.getvalue(), "pdf", f"giay-chung-nhan-dot-{job.round_id}-ban-in.pdf")


def register_tasks():
    """Register this package's job kinds with the runner (called by :func:`certificates.init_app`)."""
    task(JobKind.ISSUE_ROUND)(issue_round_job)
    task(JobKind.REISSUE_ROUND)(reissue_round_job)
    task(JobKind.CERTIFICATES_ZIP)(certificates_zip_job)
    task(JobKind.CERTIFICATES_PDF)(certificates_pdf_job)
