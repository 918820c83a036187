"""Certificates for the people who hold or issue them.

The round's organiser issues and re-issues (in the background, see voting.core.background),
follows progress, prepares the round's certificates as one ZIP or one print-ready PDF
(also in the background) and downloads them, and opens one certificate's page to suspend,
reinstate, revoke or correct it (:mod:`certificates.views.manage.actions`). A producer downloads
their own certificates and packaging labels. Objects a user may not see answer 404.
"""
import io

from flask import abort, current_app, flash, jsonify, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from certificates.operations.issuance import issuance_problems, pending_entries
from certificates.operations.lifecycle import compromised_certificates
from certificates.jobs import changed_since, issued_certificates, left_out_of_print, printable_certificates
from voting.core.background import JobRunning, dispatch, expire_if_silent, latest_job, submit
from voting.core.access import login_required, organiser_required, producer_required
from voting.core.clock import today_vn
from voting.extensions import db
from voting.forms.admin import ReasonForm
from voting.models import Application, BackgroundJob, JobKind, JobStatus, Role, Round
from certificates.models import Certificate, CertificateStatus
from voting.core.pdf import ascii_filename
from voting.core.storage import storage
from voting.rules.permissions import can_manage_round
from voting.views.organiser.rounds import managed_round
from voting.views.round_messages import flash_preconditions



def managed_certificate(certificate_id):
    """A certificate of a round the organiser manages; re-issued paper ones have none and are 404 here."""
    certificate = db.get_or_404(Certificate, certificate_id)
    if certificate.round_id is None:
        abort(404)
    return certificate, managed_round(certificate.round_id)


def _round_certificates(round_):
    return db.session.scalars(select(Certificate).where(Certificate.round_id == round_.id)
                              .options(selectinload(Certificate.application).selectinload(Application.product),
                                       selectinload(Certificate.supersedes))
                              .order_by(Certificate.sequence)).all()


@organiser_required
def round_view(round_id):
    page = _render_round(managed_round(round_id))
    db.session.commit()  # a job found dead while looking (voting.core.background.expire_if_silent) stays so
    return page


def _render_round(round_):
    """The round's certificates page."""
    _decision, pending = pending_entries(round_)
    certificates = _round_certificates(round_)
    jobs = {kind: latest_job(kind, round_.id) for kind in JobKind}
    return render_template("certificates/round.html", round=round_, certificates=certificates,
                           pending=len(pending), problems=issuance_problems(round_, today_vn()), jobs=jobs,
                           unrendered=sum(1 for c in certificates if c.pdf_storage_name is None),
                           printable=len(printable_certificates(round_, today_vn())),
                           left_out=left_out_of_print(round_, today_vn()),
                           outdated={kind for kind, job in jobs.items() if kind in EXPORTS.values() and job
                                     and job.result_key and changed_since(round_, job.finished_at)},
                           compromised=len(compromised_certificates(round_)),
                           action_form=ReasonForm(formdata=None), today=today_vn(),
                           **_scan_columns(certificates))


def _scan_columns(certificates):
    """Scans of the last 30 days per certificate and which of them had a spike (see certificates.scans)."""
    from certificates.scans import scan_totals, spike_days

    ids = [c.id for c in certificates]
    totals = scan_totals(ids, today_vn())
    spikes = spike_days([i for i in ids if totals.get(i)], today_vn(), current_app.config["SCAN_SPIKE_FACTOR"])
    return {"scan_totals": totals, "scan_spikes": spikes}


@organiser_required
def issue(round_id):
    """Queue the round's issuance; the page follows its progress."""
    round_ = managed_round(round_id)
    if not ReasonForm().validate_on_submit():
        abort(400)
    problems = issuance_problems(round_, today_vn())
    if problems:
        from voting.operations.rounds import PreconditionFailed

        flash_preconditions(PreconditionFailed(problems))
        return redirect(url_for("certs.round_view", round_id=round_.id))
    _start(JobKind.ISSUE_ROUND, round_, _("Đã bắt đầu cấp giấy chứng nhận. Trang này cho biết tiến độ."))
    return redirect(url_for("certs.round_view", round_id=round_.id))


@organiser_required
def reissue(round_id):
    """Re-issue, with the current key, the round's certificates suspended because their key was compromised."""
    round_ = managed_round(round_id)
    if not ReasonForm().validate_on_submit():
        abort(400)
    if not compromised_certificates(round_):
        flash(_("Đợt này không có giấy chứng nhận nào cần cấp lại."), "error")
    else:
        _start(JobKind.REISSUE_ROUND, round_, _("Đã bắt đầu cấp lại giấy chứng nhận. Trang này cho biết tiến độ."))
    return redirect(url_for("certs.round_view", round_id=round_.id))


@organiser_required
def export(round_id, export):
    """Prepare the round's certificates as one ZIP, or one PDF to print, in the background."""
    round_ = managed_round(round_id)
    if not ReasonForm().validate_on_submit():
        abort(400)
    if not issued_certificates(round_):
        flash(_("Đợt này chưa có giấy chứng nhận nào."), "error")
    elif export == "pdf" and not printable_certificates(round_, today_vn()):
        flash(_("Đợt này không có giấy chứng nhận nào còn hiệu lực để in."), "error")
    else:
        _start(EXPORTS[export], round_, _("Đang chuẩn bị tệp; khi xong, nút “Tải về” hiện ra ở đây."))
    return redirect(url_for("certs.round_view", round_id=round_.id))


EXPORTS = {"zip": JobKind.CERTIFICATES_ZIP, "pdf": JobKind.CERTIFICATES_PDF}
RUNNING_MESSAGES = {
    JobKind.ISSUE_ROUND: _l("Đang cấp giấy chứng nhận cho đợt này; hãy chờ lượt đang chạy kết thúc."),
    JobKind.REISSUE_ROUND: _l("Đang cấp lại giấy chứng nhận cho đợt này; hãy chờ lượt đang chạy kết thúc."),
    JobKind.CERTIFICATES_ZIP: _l("Tệp này đang được chuẩn bị; hãy chờ."),
    JobKind.CERTIFICATES_PDF: _l("Tệp này đang được chuẩn bị; hãy chờ."),
}


def _start(kind, round_, success):
    """Record the job, commit (the runner must find the row), then hand it to a runner."""
    try:
        job = submit(current_user, kind, round_)
    except JobRunning:
        db.session.rollback()
        flash(str(RUNNING_MESSAGES[kind]), "error")
        return None
    db.session.commit()
    dispatch(job)  # a runner that does not start says so on the job's line
    flash(success, "success")
    return job


def _managed_job(job_id):
    """A job of a round the organiser manages; 404 for anyone else."""
    job = db.get_or_404(BackgroundJob, job_id)
    managed_round(job.round_id)
    return job


@organiser_required
def job_status(job_id):
    job = expire_if_silent(_managed_job(job_id))
    db.session.commit()
    payload = {"status": job.status, "kind": job.kind, "done": job.done, "total": job.total, "error": job.error}
    if job.result_key:
        payload["download_url"] = url_for("certs.job_download", job_id=job.id)
    return jsonify(payload)


@organiser_required
def job_download(job_id):
    job = _managed_job(job_id)
    if job.status != JobStatus.DONE or not job.result_key:
        abort(404)
    mimetype = "application/zip" if job.kind == JobKind.CERTIFICATES_ZIP else "application/pdf"
    try:
        return storage("exports").send(job.result_key, mimetype=mimetype, download_name=job.result_name,
                                       as_attachment=True)
    except FileNotFoundError:
        abort(404)


def _visible_certificate(certificate_id):
    """The certificate for its producer's accounts and the organisers of its round; 404 for anyone else."""
    certificate = db.get_or_404(Certificate, certificate_id)
    if certificate.application is None:  # a re-issued paper certificate: the registry and /v/ show it
        abort(404)
    if current_user.role == Role.PRODUCER and current_user.producer_id == certificate.application.producer_id:
        return certificate
    if can_manage_round(current_user, db.session.get(Round, certificate.round_id)):
        return certificate
    abort(404)


@login_required
def certificate_pdf(certificate_id):
    certificate = _visible_certificate(certificate_id)
    if not certificate.pdf_storage_name:
        from certificates.views.verify.pages import being_prepared

        return being_prepared(certificate)
    from certificates.operations.signed_copies import official_pdf

    return send_file(io.BytesIO(official_pdf(certificate)), mimetype="application/pdf", as_attachment=True,
                     download_name=f"{ascii_filename(certificate.number)}.pdf")


@login_required
def labels_pdf(certificate_id):
    """An A4 sheet of packaging labels carrying the certificate's verification QR."""
    from certificates.operations.issuance import document_for
    from certificates.documents.label_sheets import label_sheet

    certificate = _visible_certificate(certificate_id)
    if certificate.status != CertificateStatus.VALID or certificate.status_on(today_vn()) != CertificateStatus.VALID:
        flash(_("Chỉ in nhãn cho giấy chứng nhận còn hiệu lực."), "error")
        back = "certs.mine" if current_user.role == Role.PRODUCER else "certs.round_view"
        return redirect(url_for(back, round_id=certificate.round_id) if back == "certs.round_view"
                        else url_for(back))
    return send_file(io.BytesIO(label_sheet(document_for(certificate))), mimetype="application/pdf",
                     as_attachment=True, download_name=f"nhan-{ascii_filename(certificate.number)}.pdf")


@producer_required
def mine():
    certificates = db.session.scalars(
        select(Certificate).join(Certificate.application)
        .where(Application.producer_id == current_user.producer_id)
        .options(selectinload(Certificate.application).selectinload(Application.product),
                 selectinload(Certificate.application).selectinload(Application.round))
        .order_by(Certificate.issued_on.desc(), Certificate.id.desc())).all() if current_user.producer_id else []
    return render_template("certificates/mine.html", certificates=certificates, today=today_vn())
