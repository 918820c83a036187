"""The juror's workspace (Ban Giám khảo): assigned rounds, entries, score sheets, conflicts.

Organisers may sit on a round's jury too, so every page admits both roles and
then asks the round whether the signed-in user is one of its jurors. Blind
scoring: nothing here ever loads another juror's sheet.
"""
from decimal import Decimal, InvalidOperation
from functools import partial

from flask import abort, flash, g, jsonify, redirect, render_template, request, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from voting.core.access import roles_required
from voting.core.errors import DomainError
from voting.extensions import db
from voting.forms.jury import ConflictForm, ScoreSheetForm, typed_scores
from voting.core.formatting import format_points
from voting.forms.results import JustificationForm
from voting.models import (
    Application,
    ApplicationStatus,
    Juror,
    Producer,
    Product,
    ProductFile,
    Role,
    Round,
    RoundStatus,
    ScoreSheet,
    ScoringSheetTemplate,
    SheetStatus,
)
from voting.operations.deliberation import justify_sheet
from voting.rules.results import second_stage_ids
from voting.operations.council import declare_conflict, eligible_by_entry, eligible_jurors, warn_if_short
from voting.core.mail import deliver_emails
from voting.operations.reference import OFFICIAL_SHEET_CODE
from voting.operations.scoring import SCORING_STAGE, ScoresInvalid, open_sheet, progress, save_draft, sheet_to_show, \
    submit_sheet
from voting.rules.permissions import can_judge_round
from voting.views.domain_messages import ERROR_MESSAGES, SCORE_MESSAGES, flash_domain_error, flash_form_errors
from voting.views.files import send_product_file
from voting.views.transactions import committing

jury_member_required = roles_required(Role.JUROR, Role.ORGANISER)
#: Refusals that are about this entry only; anything else (not a juror, not an entry) is a 404.
REFUSED_STATUS = {"conflicted": 403, "not_assigned": 403, "not_scoring_phase": 403}


# ---------- loading, with 404 for what the user may not see ----------

def _my_round(round_id):
    """The round if the signed-in user sits on its jury; 404 otherwise (ids cannot be probed)."""
    round_ = db.get_or_404(Round, round_id)
    if not can_judge_round(current_user, round_):
        abort(404)
    return round_


def _my_entry(round_id, application_id):
    round_ = _my_round(round_id)
    application = db.get_or_404(Application, application_id)
    if application.round_id != round_.id or application.status != ApplicationStatus.ACCEPTED:
        abort(404)
    return round_, application


def _my_entries(round_):
    """The accepted entries this juror may score (assigned, not in conflict), in entry-code order."""
    eligible = eligible_by_entry(round_)
    accepted = db.session.scalars(
        select(Application).where(Application.round_id == round_.id,
                                  Application.status == ApplicationStatus.ACCEPTED)
        .order_by(Application.entry_code)
        .options(selectinload(Application.product).selectinload(Product.group),
                 selectinload(Application.producer).selectinload(Producer.province))).all()
    advanced = _second_stage(round_)
    if advanced is not None:  # only the entries that went on to the second stage
        accepted = [a for a in accepted if a.id in advanced]
    return [a for a in accepted if any(j.user_id == current_user.id for j in eligible.get(a.id, ()))]


def _second_stage(round_):
    """In the second scoring stage, the ids of the entries that went on to it (else None).

    It takes a whole first-stage ranking, so a page works it out once, however many times it asks.
    """
    if round_.status != RoundStatus.SECOND_SCORING:
        return None
    known = g.setdefault("second_stage_ids", {})
    if round_.id not in known:
        known[round_.id] = second_stage_ids(round_)
    return known[round_.id]


def _my_sheets(round_):
    """``{application_id: sheet}``: the signed-in juror's own sheets at the round's current stage."""
    stage = SCORING_STAGE.get(round_.status, 1)
    sheets = db.session.scalars(select(ScoreSheet).where(
        ScoreSheet.round_id == round_.id, ScoreSheet.juror_user_id == current_user.id,
        ScoreSheet.stage == stage).options(selectinload(ScoreSheet.scores))).all()
    return {s.application_id: s for s in sheets}


def _submitted_count(entries, sheets):
    return sum(1 for a in entries if a.id in sheets and sheets[a.id].status == SheetStatus.SUBMITTED)


# ---------- dashboard and the juror's list of entries ----------

@jury_member_required
def dashboard():
    sheet = db.session.scalar(select(ScoringSheetTemplate).where(ScoringSheetTemplate.code == OFFICIAL_SHEET_CODE))
    rounds = db.session.scalars(select(Round).join(Juror, Juror.round_id == Round.id)
                                .where(Juror.user_id == current_user.id)
                                .order_by(Round.year.desc(), Round.id.desc())).all()
    done = {r.id: progress(r).get(current_user.id, (0, 0)) for r in rounds}
    return render_template("jury/dashboard.html", sheet=sheet, rounds=rounds, progress_by_round=done)


@jury_member_required
def round_view(round_id):
    round_ = _my_round(round_id)
    entries = _my_entries(round_)
    sheets = _my_sheets(round_)
    requests = db.session.scalars(select(ScoreSheet).where(
        ScoreSheet.round_id == round_.id, ScoreSheet.juror_user_id == current_user.id,
        ScoreSheet.justification_requested_at.is_not(None)).order_by(ScoreSheet.justification_requested_at)).all()
    return render_template("jury/round.html", round=round_, entries=entries, sheets=sheets,
                           submitted=_submitted_count(entries, sheets), scoring=round_.status in SCORING_STAGE,
                           conflict_form=ConflictForm(formdata=None), points=format_points,
                           justification_requests=requests, justification_form=JustificationForm(formdata=None))


@jury_member_required
def justify(round_id, sheet_id):
    """The juror answers the chair's request to justify a sheet far from the others."""
    round_ = _my_round(round_id)
    sheet = db.session.scalar(select(ScoreSheet).where(ScoreSheet.id == sheet_id, ScoreSheet.round_id == round_.id,
                                                       ScoreSheet.juror_user_id == current_user.id))
    if sheet is None:
        abort(404)
    form = JustificationForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
    else:
        with committing(_("Đã gửi giải trình cho Hội đồng.")):
            justify_sheet(current_user, sheet, form.justification.data)
    return redirect(url_for("jury.round_view", round_id=round_.id) + "#justifications")


@jury_member_required
def conflict_declare(round_id):
    """Khai báo xung đột lợi ích with the producer of one of the round's entries."""
    round_ = _my_round(round_id)
    form = ConflictForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(url_for("jury.round_view", round_id=round_.id))
    application = db.session.scalar(select(Application).where(
        Application.round_id == round_.id, Application.producer_id == form.producer_id.data,
        Application.status == ApplicationStatus.ACCEPTED).limit(1))
    if application is None:
        abort(404)
    with committing() as outcome:
        declare_conflict(current_user, round_, application.producer, form.reason.data)
        notes = warn_if_short(round_)  # the minimum sheets per entry is re-checked after a recusal
    if outcome.ok:
        deliver_emails(notes)
        flash(_("Đã ghi nhận xung đột lợi ích với %(producer)s. Bạn sẽ không chấm sản phẩm của cơ sở này.",
                producer=application.producer.name), "success")
    return redirect(url_for("jury.round_view", round_id=round_.id))


# ---------- the score sheet ----------

@jury_member_required
def sheet(round_id, application_id):
    """Phiếu chấm điểm beside the dossier. Showing it writes nothing; the first save creates the draft."""
    round_, application = _my_entry(round_id, application_id)
    try:
        if request.method == "GET":
            sheet = sheet_to_show(application, current_user, advanced=_second_stage(round_))
        else:
            sheet = open_sheet(current_user, application, current_user, advanced=_second_stage(round_))
    except DomainError as error:
        db.session.rollback()
        return _refused(round_, application, error)
    if request.method == "GET":
        return _render_sheet(round_, application, sheet)
    return _receive_sheet(round_, application, sheet)


def _wants_json():
    return request.headers.get("X-Requested-With") == "fetch"


def _refused(round_, application, error):
    if error.code not in REFUSED_STATUS:
        abort(404)
    if error.code == "not_scoring_phase" and request.method == "GET":
        own = db.session.scalar(select(ScoreSheet).where(
            ScoreSheet.application_id == application.id, ScoreSheet.juror_user_id == current_user.id)
            .order_by(ScoreSheet.stage.desc()).limit(1))
        if own is not None:  # outside scoring the juror may still read back their own sheet
            return _render_sheet(round_, application, own, closed=True)
    message = ERROR_MESSAGES[error.code]
    if _wants_json():
        return jsonify(ok=False, error=str(message)), REFUSED_STATUS[error.code]
    return render_template("jury/refused.html", round=round_, application=application,
                           message=message), REFUSED_STATUS[error.code]


def _receive_sheet(round_, application, sheet):
    """Save the typed sheet (plain button or background autosave), then submit it if asked."""
    form = ScoreSheetForm()
    typed = typed_scores(request.form)
    if not form.validate_on_submit():
        return _invalid(round_, application, sheet, form, typed, {})
    shown_version, loaded_version = form.version.data, sheet.version
    try:
        save_draft(current_user, sheet, *typed, comment=form.comment.data)
        db.session.flush()
    except ScoresInvalid as error:
        db.session.rollback()
        return _invalid(round_, application, sheet, form, typed, error.errors)
    except DomainError as error:
        db.session.rollback()
        return _sheet_refusal(round_, application, error)
    if form.wanted == "submit":
        if shown_version != loaded_version:  # edited or submitted elsewhere since this page was shown
            db.session.rollback()
            return _sheet_changed(round_, application, sheet, form, typed)
        try:
            submit_sheet(current_user, sheet, sheet.version)
        except ScoresInvalid as error:
            db.session.commit()  # the draft is kept; only the submission waits for the missing parts
            return _invalid(round_, application, sheet, form, typed, error.errors, saved=True)
        except DomainError as error:
            db.session.rollback()
            if error.code == "sheet_changed":
                return _sheet_changed(round_, application, sheet, form, typed)
            return _sheet_refusal(round_, application, error)
    db.session.commit()
    return _saved(round_, application, sheet, form.wanted)


def _saved(round_, application, sheet, action):
    if _wants_json():
        return jsonify(ok=True, version=sheet.version, total=format_points(sheet.total, machine=True),
                       saved_at=format_datetime(sheet.updated_at, "HH:mm"),
                       submitted=sheet.status == SheetStatus.SUBMITTED)
    if action == "submit":
        flash(_("Đã nộp phiếu chấm %(code)s, tổng %(total)s điểm. Phiếu đã được khóa.",
                code=application.entry_code, total=format_points(sheet.total)), "success")
    else:
        flash(_("Đã lưu nháp lúc %(time)s.", time=format_datetime(sheet.updated_at, "HH:mm")), "success")
    return redirect(url_for("jury.sheet", round_id=round_.id, application_id=application.id))


def _sheet_refusal(round_, application, error):
    """The sheet cannot be written at all (already submitted, phase over): say so and show it."""
    if _wants_json():
        return jsonify(ok=False, error=str(ERROR_MESSAGES.get(error.code, ERROR_MESSAGES["invalid_transition"])),
                       locked=error.code == "sheet_submitted"), 409
    flash_domain_error(error)
    return redirect(url_for("jury.sheet", round_id=round_.id, application_id=application.id))


def _sheet_changed(round_, application, sheet, form, typed):
    """Of two submissions, this one lost; keep what was typed unless the sheet is now locked.

    Called after a rollback, so ``sheet`` reloads as it now stands.
    """
    if sheet.status != SheetStatus.DRAFT or _wants_json():
        return _sheet_refusal(round_, application, DomainError("sheet_changed"))
    flash(ERROR_MESSAGES["sheet_changed"], "error")
    # The juror has now seen the change: a second press submits what is on screen.
    return _render_sheet(round_, application, sheet, form=form, typed=typed, version=sheet.version), 409


def _invalid(round_, application, sheet, form, typed, errors, saved=False):
    """Answer 400 with a Vietnamese message per field, keeping everything as typed."""
    messages = _score_messages(round_, errors)
    for name, field_errors in form.errors.items():
        if name == "comment":
            messages[name] = " ".join(str(e) for e in field_errors)
        else:  # a tampered or truncated form, not something the juror typed
            messages["form"] = _("Biểu mẫu không đầy đủ. Hãy tải lại trang rồi thử lại.")
    if _wants_json():
        return jsonify(ok=False, errors=messages, version=sheet.version), 400
    version = sheet.version if saved else form.version.data
    return _render_sheet(round_, application, sheet, form=form, typed=typed, errors=messages, version=version,
                         saved=saved), 400


def _score_messages(round_, errors):
    criteria = {str(c.id): c for c in round_.leaf_criteria}
    messages = {}
    for key, code in errors.items():
        criterion = criteria.get(key)
        params = {"step": format_points(round_.point_step),
                  "max": format_points(criterion.max_points) if criterion else ""}
        messages[key] = str(SCORE_MESSAGES.get(code, SCORE_MESSAGES["not_a_number"])) % params
    return messages


def _render_sheet(round_, application, sheet, form=None, typed=None, errors=None, version=None, saved=False,
                  closed=False):
    """Render the sheet: stored values, or what the juror typed when it must be shown again.

    :param version: the sheet version the page vouches for; a submission must name it.
    :param closed: the phase is over, so even a draft is only shown.
    """
    errors = errors or {}
    values, notes = typed if typed is not None else _stored_values(sheet)
    entries = _my_entries(round_)
    previous, following = _neighbours(entries, application)
    leaf_ids = {str(c.id) for c in round_.leaf_criteria}
    return render_template(
        "jury/sheet.html", round=round_, application=application, product=application.product, sheet=sheet,
        form=form or ScoreSheetForm(formdata=None, comment=sheet.comment),
        version=sheet.version if version is None else version,
        criteria=_criteria_tree(round_), stored={s.criterion_id: s for s in sheet.scores},
        values=values, notes=notes, errors=errors, saved=saved,
        stray_errors=[m for k, m in errors.items() if k not in leaf_ids and k != "comment"],
        total=_running_total(values, errors), max_total=sum((c.max_points for c in round_.leaf_criteria), Decimal(0)),
        locked=closed or sheet.status != SheetStatus.DRAFT, closed=closed,
        previous=previous, following=following, position=_position(entries, application),
        entry_count=len(entries), submitted=_submitted_count(entries, _my_sheets(round_)),
        points=format_points, plain=partial(format_points, machine=True),
        decimal_mark=format_points(Decimal("1.5"))[1])


def _stored_values(sheet):
    """``(points, notes)`` as the form shows them, keyed by criterion id."""
    return ({str(s.criterion_id): format_points(s.points, machine=True) for s in sheet.scores},
            {str(s.criterion_id): s.note for s in sheet.scores})


def _criteria_tree(round_):
    """``[(criterion, [sub-criteria])]`` in sheet order; a criterion without children is scored itself."""
    children = {}
    for criterion in round_.criteria:
        if criterion.parent_id is not None:
            children.setdefault(criterion.parent_id, []).append(criterion)
    return [(c, children.get(c.id, [])) for c in round_.criteria if c.parent_id is None]


def _running_total(values, errors):
    """The sum of the acceptable values typed; refused ones count for nothing until corrected."""
    total = Decimal(0)
    for key, raw in values.items():
        if key in errors:
            continue
        try:
            value = Decimal((raw or "").strip().replace(",", "."))
        except InvalidOperation:
            continue
        if value.is_finite() and value > 0:
            total += value
    return total


def _neighbours(entries, application):
    ids = [a.id for a in entries]
    if application.id not in ids:
        return None, None
    index = ids.index(application.id)
    return (entries[index - 1] if index > 0 else None,
            entries[index + 1] if index + 1 < len(entries) else None)


def _position(entries, application):
    return next((i for i, a in enumerate(entries, start=1) if a.id == application.id), None)


@jury_member_required
def entry_file(round_id, application_id, file_id):
    """A photo or document of an entry the signed-in juror may score."""
    round_, application = _my_entry(round_id, application_id)
    if not any(j.user_id == current_user.id for j in eligible_jurors(round_, application)):
        abort(404)
    record = db.session.get(ProductFile, file_id)
    if record is None or record.product_id != application.product_id:
        abort(404)
    return send_product_file(record, thumbnail=request.args.get("thumb") == "1")


@jury_member_required
def sheet_pdf(round_id, application_id):
    """The juror's own sheet for this entry as the official printed form (to sign and file)."""
    from voting.core.pdf import pdf_response
    from voting.documents.scoresheet_pdf import render_score_sheets
    from voting.views.sheets_pdf import filled_doc

    round_, application = _my_entry(round_id, application_id)
    sheet = db.session.scalar(select(ScoreSheet).where(
        ScoreSheet.application_id == application.id, ScoreSheet.juror_user_id == current_user.id)
        .order_by(ScoreSheet.stage.desc()).limit(1))
    if sheet is None:
        abort(404)
    data = render_score_sheets([filled_doc(sheet)], locale="vi")  # the official form, to sign
    return pdf_response(data, f"phieu-cham-{application.entry_code}.pdf")
