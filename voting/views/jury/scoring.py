"""The juror's score sheet (phiếu chấm điểm) beside the dossier: shown, saved as a draft, submitted.

Showing it writes nothing; the first save creates the draft. A refused value keeps everything typed.
"""
from decimal import Decimal, InvalidOperation
from functools import partial

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from voting.core.errors import DomainError
from voting.core.formatting import format_points
from voting.extensions import db
from voting.forms.jury import ScoreSheetForm, typed_scores
from voting.models import ScoreSheet, SheetStatus
from voting.operations.scoring import ScoresInvalid, open_sheet, save_draft, sheet_to_show, submit_sheet
from voting.views.domain_messages import ERROR_MESSAGES, SCORE_MESSAGES, flash_domain_error
from voting.views.jury.pages import jury_member_required, my_entries, my_entry, my_sheets, second_stage_of, submitted_count


#: Refusals that are about this entry only; anything else (not a juror, not an entry) is a 404.
REFUSED_STATUS = {"conflicted": 403, "not_assigned": 403, "not_scoring_phase": 403}


@jury_member_required
def sheet(round_id, application_id):
    """Phiếu chấm điểm beside the dossier. Showing it writes nothing; the first save creates the draft."""
    round_, application = my_entry(round_id, application_id)
    try:
        if request.method == "GET":
            sheet = sheet_to_show(application, current_user, advanced=second_stage_of(round_))
        else:
            sheet = open_sheet(current_user, application, current_user, advanced=second_stage_of(round_))
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
    entries = my_entries(round_)
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
        entry_count=len(entries), submitted=submitted_count(entries, my_sheets(round_)),
        points=format_points, plain=partial(format_points, machine=True),
        decimal_mark=format_points(Decimal("1.5"))[1], live_messages=_live_messages(round_))


def _live_messages(round_):
    """The server's own words for a typed score it would refuse, for the page to say them as points are typed;
    "__MAX__" stands for the criterion's maximum."""
    params = {"step": format_points(round_.point_step), "max": "__MAX__"}
    return {code: str(SCORE_MESSAGES[code]) % params for code in ("above_max", "negative", "off_step")}


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
