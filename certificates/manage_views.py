"""Certificates for the people who hold or issue them.

The round's organiser issues (in the background), follows progress, downloads
the round's certificates as one ZIP or one print-ready PDF, and suspends,
reinstates, revokes or corrects a certificate. A producer downloads their own
certificates and packaging labels. Objects a user may not see answer 404.
"""
import io
import zipfile

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from pypdf import PdfWriter
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from certificates.issuance import (
    CORRECTABLE,
    correct_certificate,
    issuance_problems,
    pending_entries,
    reinstate_certificate,
    revoke_certificate,
    stored_pdf,
    suspend_certificate,
)
from certificates.jobs import JobRunning, latest_job, mark_failed, queue_issuance, start_worker
from voting.access import login_required, organiser_required, producer_required
from voting.clock import today_vn
from voting.errors import DomainError
from voting.extensions import db
from voting.forms.admin import ReasonForm
from voting.models import REASON_CATEGORIES, Application, Certificate, Role, Round
from voting.pdf import ascii_filename
from voting.permissions import can_manage_round
from voting.views.domain_messages import flash_domain_error
from voting.views.organiser import _managed_round
from voting.views.round_messages import flash_preconditions

blueprint = Blueprint("certs", __name__, url_prefix="/certificates")


def _managed_certificate(certificate_id):
    """A certificate of a round the organiser manages; re-issued paper ones have none and are 404 here."""
    certificate = db.get_or_404(Certificate, certificate_id)
    if certificate.round_id is None:
        abort(404)
    return certificate, _managed_round(certificate.round_id)


def _round_certificates(round_):
    return db.session.scalars(select(Certificate).where(Certificate.round_id == round_.id)
                              .options(selectinload(Certificate.application), selectinload(Certificate.supersedes))
                              .order_by(Certificate.sequence)).all()


@blueprint.get("/rounds/<int:round_id>")
@organiser_required
def round_view(round_id):
    round_ = _managed_round(round_id)
    _decision, pending = pending_entries(round_)
    certificates = _round_certificates(round_)
    return render_template("certificates/round.html", round=round_, certificates=certificates,
                           pending=len(pending), problems=issuance_problems(round_, today_vn()),
                           job=latest_job(round_.id), categories=REASON_CATEGORIES, correctable=CORRECTABLE,
                           action_form=ReasonForm(formdata=None), today=today_vn(),
                           **_scan_columns(certificates))


def _scan_columns(certificates):
    """Scans of the last 30 days per certificate and which of them had a spike (see certificates.scans)."""
    from certificates.scans import scan_totals, spike_days

    ids = [c.id for c in certificates]
    totals = scan_totals(ids, today_vn())
    spikes = spike_days([i for i in ids if totals.get(i)], today_vn(), current_app.config["SCAN_SPIKE_FACTOR"])
    return {"scan_totals": totals, "scan_spikes": spikes}


@blueprint.post("/rounds/<int:round_id>/issue")
@organiser_required
def issue(round_id):
    """Queue the round's issuance and start the worker; the page follows its progress."""
    round_ = _managed_round(round_id)
    if not ReasonForm().validate_on_submit():
        abort(400)
    problems = issuance_problems(round_, today_vn())
    if problems:
        from voting.operations.rounds import PreconditionFailed

        flash_preconditions(PreconditionFailed(problems))
        return redirect(url_for("certs.round_view", round_id=round_.id))
    try:
        job = queue_issuance(current_user, round_)
    except JobRunning:
        flash(_("Đang cấp giấy chứng nhận cho đợt này; hãy chờ lượt đang chạy kết thúc."), "error")
        return redirect(url_for("certs.round_view", round_id=round_.id))
    db.session.commit()
    try:
        start_worker(job.id)
    except OSError as error:  # no process could be started: say so, and let the next click try again
        mark_failed(job.id, f"worker did not start: {error}")
        flash(_("Không khởi động được tiến trình cấp giấy chứng nhận; hãy thử lại hoặc dùng lệnh "
                "«flask certificates issue»."), "error")
        return redirect(url_for("certs.round_view", round_id=round_.id))
    flash(_("Đã bắt đầu cấp giấy chứng nhận. Trang này cho biết tiến độ."), "success")
    return redirect(url_for("certs.round_view", round_id=round_.id))


@blueprint.get("/rounds/<int:round_id>/progress.json")
@organiser_required
def progress(round_id):
    round_ = _managed_round(round_id)
    job = latest_job(round_.id)
    if job is None:
        return jsonify(status="none")
    return jsonify(status=job.status, done=job.done, total=job.total, error=job.error)


def _issued(round_):
    return [c for c in _round_certificates(round_) if c.pdf_storage_name]


@blueprint.get("/rounds/<int:round_id>/certificates.zip")
@organiser_required
def round_zip(round_id):
    round_ = _managed_round(round_id)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:  # PDFs do not compress
        for certificate in _issued(round_):
            archive.writestr(f"{ascii_filename(certificate.number)}.pdf", stored_pdf(certificate))
    buffer.seek(0)
    return send_file(buffer, mimetype="application/zip", as_attachment=True,
                     download_name=f"giay-chung-nhan-dot-{round_.id}.zip")


@blueprint.get("/rounds/<int:round_id>/certificates.pdf")
@organiser_required
def round_pdf(round_id):
    """Every current certificate of the round in one PDF, to print in one go."""
    round_ = _managed_round(round_id)
    writer = PdfWriter()
    for certificate in _issued(round_):
        if certificate.status != "superseded":
            writer.append(io.BytesIO(stored_pdf(certificate)))
    if not writer.pages:
        flash(_("Đợt này chưa có giấy chứng nhận nào."), "error")
        return redirect(url_for("certs.round_view", round_id=round_.id))
    buffer = io.BytesIO()
    writer.write(buffer)
    buffer.seek(0)
    return send_file(buffer, mimetype="application/pdf", as_attachment=True,
                     download_name=f"giay-chung-nhan-dot-{round_.id}-ban-in.pdf")


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


@blueprint.get("/<int:certificate_id>.pdf")
@login_required
def certificate_pdf(certificate_id):
    certificate = _visible_certificate(certificate_id)
    if not certificate.pdf_storage_name:
        abort(404)
    return send_file(io.BytesIO(stored_pdf(certificate)), mimetype="application/pdf", as_attachment=True,
                     download_name=f"{ascii_filename(certificate.number)}.pdf")


@blueprint.get("/<int:certificate_id>/labels.pdf")
@login_required
def labels_pdf(certificate_id):
    """An A4 sheet of packaging labels carrying the certificate's verification QR."""
    from certificates.issuance import document_for
    from certificates.labels import label_sheet

    certificate = _visible_certificate(certificate_id)
    if certificate.status != "valid" or certificate.status_on(today_vn()) != "valid":
        flash(_("Chỉ in nhãn cho giấy chứng nhận còn hiệu lực."), "error")
        back = "certs.mine" if current_user.role == Role.PRODUCER else "certs.round_view"
        return redirect(url_for(back, round_id=certificate.round_id) if back == "certs.round_view"
                        else url_for(back))
    return send_file(io.BytesIO(label_sheet(document_for(certificate))), mimetype="application/pdf",
                     as_attachment=True, download_name=f"nhan-{ascii_filename(certificate.number)}.pdf")


@blueprint.get("/mine")
@producer_required
def mine():
    certificates = db.session.scalars(
        select(Certificate).join(Certificate.application)
        .where(Application.producer_id == current_user.producer_id)
        .order_by(Certificate.issued_on.desc(), Certificate.id.desc())).all() if current_user.producer_id else []
    return render_template("certificates/mine.html", certificates=certificates, today=today_vn())


ACTIONS = {"suspend": suspend_certificate, "revoke": revoke_certificate}


@blueprint.post("/<int:certificate_id>/<any(suspend, revoke):action>")
@organiser_required
def withdraw(certificate_id, action):
    certificate, round_ = _managed_certificate(certificate_id)
    if not ReasonForm().validate_on_submit():
        abort(400)
    category = request.form.get("category", "")
    _apply(lambda: ACTIONS[action](current_user, certificate, category, request.form.get("reason", "")),
           {"suspend": _("Đã tạm đình chỉ giấy chứng nhận %(number)s.", number=certificate.number),
            "revoke": _("Đã thu hồi giấy chứng nhận %(number)s.", number=certificate.number)}[action])
    return redirect(url_for("certs.round_view", round_id=round_.id))


@blueprint.post("/<int:certificate_id>/reinstate")
@organiser_required
def reinstate(certificate_id):
    certificate, round_ = _managed_certificate(certificate_id)
    if not ReasonForm().validate_on_submit():
        abort(400)
    _apply(lambda: reinstate_certificate(current_user, certificate, request.form.get("reason", "")),
           _("Giấy chứng nhận %(number)s có hiệu lực trở lại.", number=certificate.number))
    return redirect(url_for("certs.round_view", round_id=round_.id))


@blueprint.post("/<int:certificate_id>/correct")
@organiser_required
def correct(certificate_id):
    """Re-issue with a corrected fact; the old certificate is superseded and its QR says so."""
    certificate, round_ = _managed_certificate(certificate_id)
    if not ReasonForm().validate_on_submit():
        abort(400)
    changes = {name: request.form[name] for name in CORRECTABLE if request.form.get(name, "").strip()}
    _apply(lambda: correct_certificate(current_user, certificate, changes, today_vn(),
                                       request.form.get("reason", "")),
           _("Đã cấp giấy chứng nhận đính chính thay cho số %(number)s.", number=certificate.number))
    return redirect(url_for("certs.round_view", round_id=round_.id))


def _apply(operation, success):
    try:
        operation()
    except DomainError as error:
        db.session.rollback()
        flash_domain_error(error)
        return False
    db.session.commit()
    flash(success, "success")
    return True
