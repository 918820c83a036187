"""The council's working pages: its members with accounts, the Trưởng Ban Giám khảo and the tổ giúp việc.

The Trưởng ban dismisses false conflict flags, reopens submitted sheets and chases late ones; the
secretary and the tổ giúp việc type in paper sheets. Scores stay blind until deliberation: these pages show who has
submitted, never the points.
"""
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from voting.core.access import roles_required
from voting.core.errors import DomainError
from voting.extensions import db
from voting.forms.admin import ReasonForm
from voting.models import (
    Application,
    ApplicationStatus,
    Conflict,
    CouncilMember,
    FileKind,
    Juror,
    Role,
    Round,
    ScoreSheet,
    SupportMember,
    User,
)
from voting.core.numbers import parse_id
from voting.views.files import upload_endpoint
from voting.core.mail import deliver_emails
from voting.operations.council import dismiss_conflict, eligible_by_entry, remind_late_jurors
from voting.operations.scoring import ScoresInvalid, enter_paper_sheet, reopen_sheet
from voting.rules.permissions import (
    can_act_for_council,
    can_enter_paper_sheets,
    can_lead_jury,
    can_use_council_pages,
    can_view_results,
    council_role,
)
from voting.core.storage import storage
from voting.core.uploads import UploadRejected, check_document, delete_stored, store
from voting.views.domain_messages import SCORE_MESSAGES, flash_domain_error, upload_message
from voting.views.transactions import committing

council_required = roles_required(Role.JUROR, Role.ORGANISER, Role.ADMIN)


def _round_for_council(round_id, allowed=can_use_council_pages):
    """The round if ``allowed(user, round)`` (by default: anyone who works on its council pages); 404 otherwise."""
    round_ = db.get_or_404(Round, round_id)
    if not allowed(current_user, round_):
        abort(404)
    return round_, council_role(round_, current_user)


@council_required
def index():
    memberships = db.session.scalars(select(CouncilMember).where(CouncilMember.user_id == current_user.id)
                                     .order_by(CouncilMember.id.desc())).all()
    headships = db.session.scalars(select(Juror).where(Juror.user_id == current_user.id, Juror.is_head.is_(True))
                                   .order_by(Juror.id.desc())).all()
    support = db.session.scalars(select(SupportMember).where(SupportMember.user_id == current_user.id)
                                 .order_by(SupportMember.id.desc())).all()
    return render_template("council/index.html", memberships=memberships, headships=headships, support=support)


@council_required
def round_view(round_id):
    round_, role = _round_for_council(round_id)
    conflicts = db.session.scalars(select(Conflict).where(Conflict.round_id == round_.id)
                                   .options(selectinload(Conflict.producer), selectinload(Conflict.juror_user))
                                   .order_by(Conflict.active.desc(), Conflict.id)).all()
    sheets = db.session.scalars(select(ScoreSheet).where(ScoreSheet.round_id == round_.id)
                                .options(selectinload(ScoreSheet.application), selectinload(ScoreSheet.juror_user),
                                         selectinload(ScoreSheet.entered_by))
                                .order_by(ScoreSheet.application_id, ScoreSheet.juror_user_id)).all()
    return render_template("council/round.html", round=round_, role=role, conflicts=conflicts, sheets=sheets,
                           acting=can_act_for_council(current_user, round_),
                           leads_jury=can_lead_jury(current_user, round_),
                           sees_results=can_view_results(current_user, round_),
                           enters_paper=can_enter_paper_sheets(current_user, round_),
                           action_form=ReasonForm(formdata=None))


@council_required
def conflict_dismiss(conflict_id):
    conflict = db.get_or_404(Conflict, conflict_id)
    return _act_with_reason(conflict.round_id, dismiss_conflict, conflict,
                            _("Đã bác bỏ cảnh báo xung đột lợi ích."))


@council_required
def sheet_reopen(sheet_id):
    sheet = db.get_or_404(ScoreSheet, sheet_id)
    return _act_with_reason(sheet.round_id, reopen_sheet, sheet, _("Đã mở lại phiếu chấm để giám khảo sửa."))


def _act_with_reason(round_id, operation, target, success):
    """Run a jury-housekeeping operation that needs a reason (the Trưởng ban's), then go back to the round's page."""
    round_, _role = _round_for_council(round_id, can_lead_jury)
    form = ReasonForm()
    if not form.validate_on_submit():
        abort(400)
    with committing(success):
        operation(current_user, target, form.reason.data)
    return redirect(url_for("council.round_view", round_id=round_.id))


@council_required
def remind_jurors(round_id):
    """The Trưởng ban chases the jurors behind with their sheets."""
    round_, _role = _round_for_council(round_id, can_lead_jury)
    if not ReasonForm().validate_on_submit():
        abort(400)
    notes = []
    with committing() as outcome:
        notes = remind_late_jurors(current_user, round_)
    if outcome.ok:
        deliver_emails(notes)
        flash(_("Đã gửi nhắc nhở tới %(n)d giám khảo.", n=len(notes)), "success")
    return redirect(url_for("council.round_view", round_id=round_.id))


@council_required
@upload_endpoint(FileKind.DOCUMENT)  # the paper sheet's scan
def paper_sheet(round_id):
    """The secretary or the tổ giúp việc types in a juror's paper sheet, with the scan attached."""
    round_, _role = _round_for_council(round_id, can_enter_paper_sheets)
    entries = db.session.scalars(select(Application).where(
        Application.round_id == round_.id, Application.status == ApplicationStatus.ACCEPTED)
        .options(selectinload(Application.product)).order_by(Application.entry_code)).all()
    eligible = eligible_by_entry(round_)
    choices = {a.id: [j.user for j in eligible.get(a.id, ())] for a in entries}
    errors, typed = {}, {}
    if request.method == "POST":
        if not ReasonForm().validate_on_submit():
            abort(400)
        typed = request.form.to_dict()
        result = _enter_paper_sheet(round_, entries, typed, errors)
        if result is not None:
            return result
    return render_template("council/paper.html", round=round_, entries=entries, choices=choices, typed=typed,
                           errors=errors, messages=_score_messages(round_, errors),
                           action_form=ReasonForm(formdata=None)), (400 if errors else 200)


def _score_messages(round_, errors):
    """Translated text for each refused value, with the criterion's maximum and the round's step."""
    maxima = {str(c.id): c.max_points for c in round_.leaf_criteria}
    messages = {}
    for key, code in errors.items():
        template = SCORE_MESSAGES.get(code)
        if template is not None:
            messages[key] = template % {"max": format_decimal(maxima.get(key, "")), "step": format_decimal(round_.point_step)}
    return messages


def _enter_paper_sheet(round_, entries, typed, errors):
    application = next((a for a in entries if str(a.id) == typed.get("application_id")), None)
    juror_id = parse_id(typed.get("juror_id"))
    juror = db.session.get(User, juror_id) if juror_id is not None else None
    if application is None or juror is None:
        errors["form"] = "choose"
        return None
    points = {key.removeprefix("points-"): value for key, value in typed.items() if key.startswith("points-")}
    notes = {key.removeprefix("note-"): value for key, value in typed.items() if key.startswith("note-")}
    scan, files = request.files.get("scan"), storage("uploads")
    storage_name = None
    if scan and scan.filename:
        try:
            checked = check_document(scan.stream, max_bytes=20 * 1024 * 1024,
                                     max_pixels=current_app.config["UPLOAD_MAX_PIXELS"])
        except UploadRejected as rejection:
            errors["scan"] = upload_message(rejection, scan.filename)
            return None
        storage_name = store(scan.stream, checked, files)
    try:
        enter_paper_sheet(current_user, application, juror, points, typed.get("comment", ""), storage_name, notes)
        db.session.commit()
    except ScoresInvalid as invalid:
        db.session.rollback()
        errors.update(invalid.errors)
    except DomainError as error:
        db.session.rollback()
        flash_domain_error(error)
        errors["form"] = error.code
    except BaseException:
        db.session.rollback()
        if storage_name:
            delete_stored(files, storage_name)
        raise
    if errors:
        if storage_name:
            delete_stored(files, storage_name)
        return None
    flash(_("Đã nhập phiếu giấy của %(name)s cho sản phẩm %(code)s.", name=juror.display_name,
            code=application.entry_code), "success")
    return redirect(url_for("council.round_view", round_id=round_.id))

