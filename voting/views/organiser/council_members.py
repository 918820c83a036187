"""The council as founded, on the organiser's side: the founding decision, the members, the jury, the tổ giúp việc.

The authority founds the council by decision and the council appoints its jury: the organiser (or the
council's secretary, who is usually Sở Công Thương staff) records both here. Members are people named in
the decision; an account is linked only for those who work on the platform.
"""
from flask import abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from voting.core.access import organiser_required, roles_required
from voting.core.storage import storage
from voting.core.uploads import UploadRejected, check_document, delete_stored, send_stored, store
from voting.extensions import db
from voting.forms.admin import ReasonForm
from voting.forms.council import (
    CouncilFoundingForm,
    CouncilMemberForm,
    JuryAppointmentForm,
    JurorForm,
    SupportMemberForm,
)
from voting.models import Conflict, FileKind, Role, SignedKind, User
from voting.operations.accounts import normalise_email
from voting.operations.founding import DOCUMENT_STATUSES, attach_founding_scan, record_founding, record_jury_appointment
from voting.operations.council import (
    EDITABLE_STATUSES,
    add_support_member,
    appoint_jury_head,
    assign_juror,
    entries_short_of_jurors,
    seat_council_member,
)
from voting.operations.rounds import council_short_of_quorum, council_unfounded
from voting.operations.signed_documents import official_copy, signs_here
from voting.rules.permissions import jury_head
from voting.rules.council import seated_in_order
from voting.rules.signer import SignerBlock
from voting.views.domain_messages import upload_message
from voting.views.files import upload_endpoint
from voting.views.organiser.council_documents import council_round
from voting.views.organiser.council_people import group_choices, linked_account, person_of
from voting.views.organiser.rounds import managed_round
from voting.views.round_messages import precondition_message
from voting.views.transactions import committing

SCAN_MAX_BYTES = 20 * 1024 * 1024
SCAN_TYPES = {".pdf": "application/pdf", ".jpg": "image/jpeg", ".png": "image/png"}


def _forms(round_):
    council = round_.council
    founding = CouncilFoundingForm(prefix="founding", obj=council if request.method == "GET" else None)
    if request.method == "GET" and council is None:  # the round's own signer is the likely signer
        for name, value in SignerBlock.of(round_).columns().items():
            getattr(founding, name).data = value
    forms = {
        "founding": founding,
        "jury_doc": JuryAppointmentForm(prefix="jury_doc", obj=council if request.method == "GET" else None),
        "member": CouncilMemberForm(prefix="member"),
        "support": SupportMemberForm(prefix="support"),
        "juror": JurorForm(prefix="juror"),
    }
    forms["juror"].groups.choices = group_choices()
    return forms


@organiser_required
@upload_endpoint(FileKind.DOCUMENT)  # the signed founding decision's scan
def round_council(round_id):
    """Hội đồng, Ban Giám khảo and Tổ giúp việc of the round, conflicts, and the phase buttons."""
    round_ = managed_round(round_id)
    forms = _forms(round_)
    if request.method == "POST":
        submitted = next((name for name in forms if f"{name}-submit" in request.form), None)
        if submitted is None:
            abort(400)
        form = forms[submitted]
        if form.validate_on_submit() and SUBMISSIONS[submitted](round_, form):
            return redirect(url_for("organiser.round_council", round_id=round_.id) + f"#{submitted}")
    conflicts = db.session.scalars(select(Conflict).where(Conflict.round_id == round_.id)
                                   .options(selectinload(Conflict.producer), selectinload(Conflict.juror_user))
                                   .order_by(Conflict.active.desc(), Conflict.id)).all()
    return render_template("organiser/round_council.html", round=round_, forms=forms, conflicts=conflicts,
                           members=seated_in_order(round_.council_members), head=jury_head(round_),
                           short=entries_short_of_jurors(round_), council_warnings=_council_warnings(round_),
                           editable_statuses=EDITABLE_STATUSES, signs_here=signs_here(round_),
                           signed_founding=official_copy(round_.id, SignedKind.FOUNDING),
                           action_form=ReasonForm(formdata=None)), (400 if request.method == "POST" else 200)


def _save_founding(round_, form):
    scan, files, stored = form.scan.data, storage("uploads"), None
    if scan and scan.filename:
        try:
            checked = check_document(scan.stream, max_bytes=SCAN_MAX_BYTES,
                                     max_pixels=current_app.config["UPLOAD_MAX_PIXELS"])
        except UploadRejected as rejection:
            form.scan.errors.append(upload_message(rejection, scan.filename))
            return False
        stored = store(scan.stream, checked, files)
    replaced = None
    try:
        with committing(_("Đã lưu quyết định thành lập Hội đồng.")) as outcome:
            record_founding(current_user, round_, form.founding_number.data, form.founded_on.data,
                            form.signer_block)
            if stored:
                replaced = attach_founding_scan(current_user, round_, stored)
    except BaseException:
        if stored:
            delete_stored(files, stored)
        raise
    if not outcome.ok and stored:
        delete_stored(files, stored)
    if outcome.ok and replaced:
        delete_stored(files, replaced)
    return outcome.ok


def _save_jury_document(round_, form):
    with committing(_("Đã lưu văn bản thành lập Ban Giám khảo và Tổ giúp việc.")) as outcome:
        record_jury_appointment(current_user, round_, form.jury_document_number.data, form.jury_appointed_on.data)
    return outcome.ok


def _save_member(round_, form):
    user = linked_account(form)
    if user is False:
        return False
    with committing(_("Đã thêm %(name)s vào Hội đồng.", name=form.full_name.data)) as outcome:
        seat_council_member(current_user, round_, person_of(form), form.role.data, user=user)
    return outcome.ok


def _save_support(round_, form):
    user = linked_account(form)
    if user is False:
        return False
    with committing(_("Đã thêm %(name)s vào Tổ giúp việc.", name=form.full_name.data)) as outcome:
        add_support_member(current_user, round_, person_of(form), user=user, is_lead=form.is_lead.data)
    return outcome.ok


def _save_juror(round_, form):
    user = db.session.scalar(select(User).where(User.email == normalise_email(form.email.data)))
    if user is None or user.role == Role.PRODUCER:
        form.email.errors.append(_("Không có tài khoản cán bộ hoặc giám khảo với e-mail này."))
        return False
    with committing(_("Đã cập nhật %(name)s.", name=user.display_name)) as outcome:
        juror = assign_juror(current_user, round_, user, form.groups.data or None,
                             position=form.position.data or None, agency=form.agency.data or None)
        if form.is_head.data:
            appoint_jury_head(current_user, juror)
    return outcome.ok


SUBMISSIONS = {"founding": _save_founding, "jury_doc": _save_jury_document, "member": _save_member,
               "support": _save_support, "juror": _save_juror}


def _council_warnings(round_):
    """Before the vote, what would stop the council from voting: a council below quorum, no founding decision."""
    if round_.status not in DOCUMENT_STATUSES:
        return []
    checks = [council_unfounded(round_)]
    if round_.status in EDITABLE_STATUSES:
        checks.append(council_short_of_quorum(round_))
    return [precondition_message(code, params) for code, params in filter(None, checks)]


@roles_required(Role.JUROR, Role.ORGANISER, Role.ADMIN)
def founding_scan(round_id):
    """The signed founding decision as scanned: for the round's organisers and its council."""
    round_ = council_round(round_id)
    name = round_.council.founding_scan_storage_name if round_.council else None
    if not name:
        abort(404)
    mime_type = SCAN_TYPES.get(name[name.rfind("."):], "application/octet-stream")
    try:
        response = send_stored(storage("uploads"), name, mimetype=mime_type, as_attachment=True,
                               download_name=f"quyet-dinh-thanh-lap-hoi-dong-{round_.id}{name[name.rfind('.'):]}")
    except FileNotFoundError:
        abort(404)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
