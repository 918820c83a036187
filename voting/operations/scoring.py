"""Score sheets: drafts with autosave, submission that locks, reopening, paper sheets.

Points are validated on the server against the round's sheet: each value is a
number, between 0 and the criterion's maximum, on the round's point step,
and for a criterion of this round.
"""
from decimal import Decimal, InvalidOperation

from sqlalchemy import select, update

from voting.core.errors import DomainError, InvalidTransition
from voting.extensions import db
from voting.models import ApplicationStatus, RoundStatus, Score, ScoreSheet, SheetStatus
from voting.models.base import utcnow
from voting.operations.audit import record_event
from voting.operations.council import conflicted_pairs, eligible_by_entry, eligible_jurors
from voting.rules.permissions import can_enter_paper_sheets, can_lead_jury, can_write_sheet
from voting.rules.results import second_stage_ids
from voting.core.text import nfc

SCORING_STAGE = {RoundStatus.SCORING: 1, RoundStatus.SECOND_SCORING: 2}


class ScoresInvalid(DomainError):
    """Some points are not acceptable; ``errors`` maps criterion id (or "comment") to a code."""

    code = "scores_invalid"

    def __init__(self, errors):
        super().__init__(self.code, errors=errors)
        self.errors = errors


def current_stage(round_):
    """The stage being scored now, or raise: sheets change only in a scoring phase."""
    stage = SCORING_STAGE.get(round_.status)
    if stage is None:
        raise DomainError("not_scoring_phase")
    return stage


def sheet_to_show(application, juror_user, advanced=None):
    """The juror's sheet for the entry at the current stage, or a blank unsaved one: reading writes nothing.

    :param advanced: the ids of :func:`second_stage_ids`, when the caller has computed them
        already in this request (a whole first-stage ranking: computed once, not twice).
    :raise DomainError: outside a scoring phase, for an entry not accepted,
        or for a juror who may not score it (not assigned, or in conflict).
    """
    round_ = application.round
    stage = current_stage(round_)
    if application.status != ApplicationStatus.ACCEPTED:
        raise DomainError("not_an_entry")
    if stage == 2 and application.id not in (second_stage_ids(round_) if advanced is None else advanced):
        raise DomainError("not_advanced")
    if juror_user.id not in {j.user_id for j in eligible_jurors(round_, application)}:
        conflicted = (juror_user.id, application.producer_id) in conflicted_pairs(round_.id)
        raise DomainError("conflicted" if conflicted else "not_assigned")
    sheet = db.session.scalar(select(ScoreSheet).where(
        ScoreSheet.application_id == application.id, ScoreSheet.juror_user_id == juror_user.id,
        ScoreSheet.stage == stage))
    if sheet is None:  # the column defaults, set here since the sheet is not inserted
        sheet = ScoreSheet(round_id=round_.id, application=application, juror_user=juror_user, stage=stage,
                           status=SheetStatus.DRAFT, comment="", version=1, justification_request="",
                           justification="")
    return sheet


def open_sheet(actor, application, juror_user, entered_by=None, advanced=None):
    """Return the juror's sheet for the entry at the current stage, creating the draft (flushed) if new.

    :raise DomainError: as :func:`sheet_to_show`.
    """
    sheet = sheet_to_show(application, juror_user, advanced)
    if sheet.id is None:
        sheet.entered_by = entered_by
        db.session.add(sheet)
        db.session.flush()
    return sheet


def parse_points(raw, criterion, step):
    """Return ``(Decimal or None, error code or None)`` for one typed value."""
    text = (raw or "").strip().replace(",", ".")
    if text == "":
        return None, None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None, "not_a_number"
    if not value.is_finite():
        return None, "not_a_number"
    if value < 0:
        return None, "negative"
    if value > criterion.max_points:
        return None, "above_max"
    if value % step != 0:
        return None, "off_step"
    return value, None


def save_draft(actor, sheet, raw_points, notes=None, comment=""):
    """Store the typed points (criterion id → text) and comment on a draft sheet.

    Everything is checked before anything is written: one bad value leaves
    the sheet as it was.
    """
    _require_writer(actor, sheet)
    if sheet.status != SheetStatus.DRAFT:
        raise DomainError("sheet_submitted")
    current_stage(sheet.application.round)
    round_ = sheet.application.round
    criteria = {c.id: c for c in round_.leaf_criteria}
    errors, values = {}, {}
    for key, raw in raw_points.items():
        criterion = criteria.get(_as_int(key))
        if criterion is None:
            errors[str(key)] = "unknown_criterion"
            continue
        value, error = parse_points(raw, criterion, round_.point_step)
        if error:
            errors[str(criterion.id)] = error
        else:
            values[criterion.id] = value
    if errors:
        raise ScoresInvalid(errors)
    existing = {s.criterion_id: s for s in sheet.scores}
    for criterion_id, value in values.items():
        score = existing.get(criterion_id) or Score(criterion_id=criterion_id)
        score.points = value
        score.note = nfc((notes or {}).get(str(criterion_id), score.note or "")) or ""
        if criterion_id not in existing:
            sheet.scores.append(score)
    sheet.comment = nfc(comment) or ""
    sheet.version += 1
    return sheet


def _as_int(key):
    try:
        return int(key)
    except (TypeError, ValueError):
        return None


def _require_writer(actor, sheet):
    """The juror themself, or the council's secretary entering a paper sheet."""
    if not can_write_sheet(actor, sheet):
        raise DomainError("not_your_sheet")


def submit_sheet(actor, sheet, expected_version):
    """Lock a complete sheet. Of two simultaneous submissions, exactly one wins."""
    _require_writer(actor, sheet)
    current_stage(sheet.application.round)
    missing = [c.id for c in sheet.application.round.leaf_criteria
               if next((s.points for s in sheet.scores if s.criterion_id == c.id), None) is None]
    errors = {str(cid): "missing" for cid in missing}
    if not (sheet.comment or "").strip():
        errors["comment"] = "comment_required"
    if errors:
        raise ScoresInvalid(errors)
    now = utcnow()
    result = db.session.execute(
        update(ScoreSheet)
        .where(ScoreSheet.id == sheet.id, ScoreSheet.status == SheetStatus.DRAFT,
               ScoreSheet.version == expected_version)
        .values(status=SheetStatus.SUBMITTED, submitted_at=now, version=ScoreSheet.version + 1)
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        raise DomainError("sheet_changed")  # submitted meanwhile, or edited since it was shown
    db.session.refresh(sheet)
    record_event(actor, "sheet.submit", sheet, data={
        "application_id": sheet.application_id, "juror_user_id": sheet.juror_user_id, "stage": sheet.stage,
        "total": str(sheet.total), "proxy_by": sheet.entered_by_id})
    return sheet


def reopen_sheet(actor, sheet, reason):
    """The Trưởng Ban Giám khảo reopens a submitted sheet (:func:`can_lead_jury`); the reason is logged."""
    if not can_lead_jury(actor, sheet.application.round):
        raise DomainError("jury_head_only")
    if sheet.status != SheetStatus.SUBMITTED:
        raise InvalidTransition(status=sheet.status)
    if not nfc(reason):
        raise DomainError("reason_required")
    current_stage(sheet.application.round)
    sheet.status = SheetStatus.DRAFT
    sheet.submitted_at = None
    sheet.version += 1
    record_event(actor, "sheet.reopen", sheet, reason=nfc(reason),
                 data={"juror_user_id": sheet.juror_user_id, "application_id": sheet.application_id})
    return sheet


def enter_paper_sheet(actor, application, juror_user, raw_points, comment, scan_storage_name=None, notes=None):
    """The secretary types in a juror's paper sheet (a proxy entry) and submits it."""
    if not can_enter_paper_sheets(actor, application.round):
        raise DomainError("secretary_only")
    sheet = open_sheet(actor, application, juror_user, entered_by=actor)
    if sheet.status != SheetStatus.DRAFT:
        raise DomainError("sheet_submitted")
    sheet.entered_by = actor
    sheet.scan_storage_name = scan_storage_name
    save_draft(actor, sheet, raw_points, notes, comment)
    db.session.flush()
    return submit_sheet(actor, sheet, sheet.version)


def progress(round_):
    """``{juror_user_id: (submitted, expected)}`` for the current stage, in a fixed number of queries."""
    stage = SCORING_STAGE.get(round_.status, 1)
    eligible = eligible_by_entry(round_)
    if stage == 2:
        advanced = second_stage_ids(round_)
        eligible = {app_id: jurors for app_id, jurors in eligible.items() if app_id in advanced}
    submitted = set(db.session.execute(select(ScoreSheet.application_id, ScoreSheet.juror_user_id).where(
        ScoreSheet.round_id == round_.id, ScoreSheet.stage == stage,
        ScoreSheet.status == SheetStatus.SUBMITTED)).all())
    counts = {juror.user_id: [0, 0] for juror in round_.jurors}
    for app_id, jurors in eligible.items():
        for juror in jurors:
            counts[juror.user_id][0] += (app_id, juror.user_id) in submitted
            counts[juror.user_id][1] += 1
    return {user_id: (done, expected) for user_id, (done, expected) in counts.items()}
