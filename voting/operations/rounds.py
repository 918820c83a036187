"""Rounds: creation, settings and the lifecycle up to deliberation.

draft → registration_open → screening → scoring → (field_visits → second_scoring)
→ deliberation; the results, certificates and nominations issues add the rest.
Each transition checks its preconditions and writes the audit log.
"""
from decimal import Decimal

from sqlalchemy import func, select

from voting.core.errors import DomainError, InvalidTransition
from voting.extensions import db
from voting.models import (
    PENDING_STATUSES,
    Application,
    ApplicationStatus,
    Round,
    RoundCriterion,
    RoundStatus,
    ScoreSheet,
    ScoringSheetTemplate,
    SheetStatus,
)
from voting.models.base import utcnow
from voting.models.council import GUIDANCE_MAX
from voting.operations.audit import record_event
from voting.operations.council import entries_short_of_jurors
from voting.operations.reference import OFFICIAL_SHEET_CODE
from voting.rules.results import second_stage_ids
from voting.rules.signer import SignerBlock, signer_problems
from voting.core.text import nfc


class PreconditionFailed(DomainError):
    """A transition's preconditions do not hold; ``problems`` lists ``(code, params)``."""

    code = "precondition_failed"

    def __init__(self, problems):
        super().__init__(self.code, problems=problems)
        self.problems = problems

ROUND_FIELDS = ("title", "year", "registration_opens_on", "registration_closes_on")


def create_round(actor, fields, authority):
    """Draft a round in the acting organiser's own jurisdiction."""
    round_ = Round(
        jurisdiction_level=actor.jurisdiction_level, region_id=actor.region_id,
        province_id=actor.province_id, commune_id=actor.commune_id,
        authority=authority, created_by_id=actor.id, status=RoundStatus.DRAFT,
        require_signed_registration_form=True,  # unless the fields say otherwise
    )
    _apply(round_, fields)
    copy_official_sheet(round_)
    db.session.add(round_)
    record_event(actor, "round.create", round_, data=_snapshot(round_))
    return round_


def update_round(actor, round_, fields, authority):
    if round_.status not in (RoundStatus.DRAFT, RoundStatus.REGISTRATION_OPEN):
        raise InvalidTransition(status=round_.status)
    before = _snapshot(round_)
    _apply(round_, fields)
    round_.authority = authority
    after = _snapshot(round_)
    record_event(actor, "round.update", round_,
                 data={"changed": {k: [before[k], after[k]] for k in after if before[k] != after[k]}})
    return round_


def copy_official_sheet(round_):
    """Give the round its own copy of the official 40/40/10/10 sheet, which it may refine."""
    sheet = db.session.scalar(select(ScoringSheetTemplate).where(ScoringSheetTemplate.code == OFFICIAL_SHEET_CODE))
    # Positions leave room for sub-criteria between the criteria (100, 101, 102, 200 ...).
    round_.criteria = [RoundCriterion(code=c.code, name=c.name, max_points=c.max_points, position=(i + 1) * 100)
                       for i, c in enumerate(sheet.criteria)]
    round_.pass_mark = sheet.default_pass_mark


def _move(actor, round_, expected, target, action, **data):
    if round_.status != expected:
        raise InvalidTransition(status=round_.status)
    round_.status = target
    round_.status_changed_at = utcnow()
    record_event(actor, action, round_, data={"from": str(expected), "to": str(target), **data})


def open_registration(actor, round_):
    _move(actor, round_, RoundStatus.DRAFT, RoundStatus.REGISTRATION_OPEN, "round.open_registration")


def close_registration(actor, round_):
    """End registration; pending dossiers are screened from here on."""
    _move(actor, round_, RoundStatus.REGISTRATION_OPEN, RoundStatus.SCREENING, "round.close_registration")


def scoring_problems(round_):
    """What stops scoring from opening: unscreened dossiers, no entries, a bad sheet, too few jurors."""
    problems = []
    pending = db.session.scalar(select(func.count(Application.id)).where(
        Application.round_id == round_.id, Application.status.in_(PENDING_STATUSES)))
    if pending:
        problems.append(("unscreened", {"count": pending}))
    accepted = db.session.scalar(select(func.count(Application.id)).where(
        Application.round_id == round_.id, Application.status == ApplicationStatus.ACCEPTED))
    if not accepted:
        problems.append(("no_entries", {}))
    problems.extend(criteria_problems(round_))
    for application, count in entries_short_of_jurors(round_):
        problems.append(("too_few_jurors", {"entry_code": application.entry_code, "eligible": count,
                                            "needed": round_.min_sheets_per_entry}))
    return problems


def criteria_problems(round_):
    """The sheet must have criteria, and sub-criteria must add up to their parent's maximum."""
    if not round_.criteria:
        return [("no_criteria", {})]
    problems = []
    for parent in round_.criteria:
        children = [c for c in round_.criteria if c.parent_id == parent.id]
        if children and sum(c.max_points for c in children) != parent.max_points:
            problems.append(("subcriteria_sum", {"code": parent.code}))
    return problems


def open_scoring(actor, round_):
    """Screening → scoring, once every entry has enough eligible jurors."""
    if round_.status != RoundStatus.SCREENING:
        raise InvalidTransition(status=round_.status)
    problems = scoring_problems(round_)
    if problems:
        raise PreconditionFailed(problems)
    _move(actor, round_, RoundStatus.SCREENING, RoundStatus.SCORING, "round.open_scoring")


def incomplete_entries(round_, stage):
    """Entries with fewer submitted sheets at ``stage`` than the minimum."""
    counts = dict(db.session.execute(select(ScoreSheet.application_id, func.count(ScoreSheet.id)).where(
        ScoreSheet.round_id == round_.id, ScoreSheet.stage == stage, ScoreSheet.status == SheetStatus.SUBMITTED)
        .group_by(ScoreSheet.application_id)).all())
    entries = db.session.scalars(select(Application).where(
        Application.round_id == round_.id, Application.status == ApplicationStatus.ACCEPTED)
        .order_by(Application.entry_code)).all()
    if stage == 2:  # only the entries that went on to the second stage are scored again
        advanced = second_stage_ids(round_)
        entries = [a for a in entries if a.id in advanced]
    return [(a, counts.get(a.id, 0)) for a in entries if counts.get(a.id, 0) < round_.min_sheets_per_entry]


def _require_complete(round_, stage):
    missing = incomplete_entries(round_, stage)
    if missing:
        raise PreconditionFailed([("sheets_missing", {"entry_code": a.entry_code, "submitted": n,
                                                      "needed": round_.min_sheets_per_entry}) for a, n in missing])


def start_field_visits(actor, round_):
    """Scoring → field visits, for rounds with a second scoring stage."""
    if not round_.second_stage:
        raise PreconditionFailed([("no_second_stage", {})])
    if round_.status == RoundStatus.SCORING:
        _require_complete(round_, 1)
    _move(actor, round_, RoundStatus.SCORING, RoundStatus.FIELD_VISITS, "round.start_field_visits")


def open_second_scoring(actor, round_):
    _move(actor, round_, RoundStatus.FIELD_VISITS, RoundStatus.SECOND_SCORING, "round.open_second_scoring")


def council_short_of_quorum(round_):
    """``("council_below_quorum", params)`` if the seated council is smaller than the round's quorum, else None.

    Every member of the council counts: the vote needs ``council_quorum`` members present
    (:func:`voting.operations.deliberation.record_vote`), so a smaller council can never carry one.
    """
    members = len(round_.council_members)
    if members >= round_.council_quorum:
        return None
    return "council_below_quorum", {"members": members, "quorum": round_.council_quorum}


def council_unfounded(round_):
    """``("council_not_founded", {})`` while the council's founding decision is not recorded, else None."""
    if round_.council is not None and round_.council.is_founded:
        return None
    return "council_not_founded", {}


def start_deliberation(actor, round_, accept_below_quorum=False):
    """The last scoring stage is complete: the council deliberates; return the warnings, ``(code, params)``.

    Entries short of sheets stop the move, unless the organiser accepts that
    they go on below quorum (a juror fell ill): such entries are then marked
    and not ranked (see :mod:`voting.rules.results`); the audit log names them.
    A council smaller than the quorum does not stop it but is returned as a
    warning (and logged): from deliberation on, neither the council nor the
    quorum can change, so its vote could never carry.
    """
    if round_.status == RoundStatus.SCORING and round_.second_stage:
        raise PreconditionFailed([("second_stage_pending", {})])
    if round_.status not in (RoundStatus.SCORING, RoundStatus.SECOND_SCORING):
        raise InvalidTransition(status=round_.status)
    stage = 2 if round_.status == RoundStatus.SECOND_SCORING else 1
    short = [a.entry_code for a, _n in incomplete_entries(round_, stage)]
    if not accept_below_quorum:
        _require_complete(round_, stage)
    warnings = [w for w in (council_short_of_quorum(round_), council_unfounded(round_)) if w is not None]
    _move(actor, round_, round_.status, RoundStatus.DELIBERATION, "round.start_deliberation", stage=stage,
          below_quorum=short, council_members=len(round_.council_members), warnings=[code for code, _ in warnings])
    return warnings


def _apply(round_, fields):
    round_.title = nfc(fields["title"])
    round_.year = fields["year"]
    round_.registration_opens_on = fields["registration_opens_on"]
    round_.registration_closes_on = fields["registration_closes_on"]
    if "require_signed_registration_form" in fields:
        round_.require_signed_registration_form = bool(fields["require_signed_registration_form"])


def _snapshot(round_):
    return {
        "title": round_.title, "year": round_.year,
        "registration_opens_on": str(round_.registration_opens_on),
        "registration_closes_on": str(round_.registration_closes_on),
        "require_signed_registration_form": round_.require_signed_registration_form,
        "authority_id": round_.authority.id if round_.authority else None,
    }


SETTING_FIELDS = (
    "point_step", "pass_mark", "min_sheets_per_entry", "council_quorum", "second_stage", "second_stage_rule",
    "second_stage_top_n", "certificate_validity_months", "signer_capacity", "signer_body", "signer_head_title",
    "signer_title", "signer_name", "scoring_starts_on",
    "scoring_ends_on", "deliberation_on", "detect_same_person", "detect_same_contact",
    "detect_same_registration", "detect_same_organisation", "second_stage_weight", "outlier_mad_factor",
    "outlier_min_spread", "vote_majority", "complaint_window_days", "nomination_quota", "step_order",
    "validity_from",
)
#: The rules of scoring are fixed once scoring opens.
SCORING_RULES = ("point_step", "second_stage", "second_stage_rule", "second_stage_top_n", "second_stage_weight")


def update_scoring_settings(actor, round_, fields):
    """Change the round's settings; the scoring rules only before scoring opens."""
    if round_.status in (RoundStatus.DELIBERATION, RoundStatus.ANNOUNCED, RoundStatus.DECIDED,
                         RoundStatus.CERTIFYING, RoundStatus.CLOSED):
        raise InvalidTransition(status=round_.status)
    before = {name: getattr(round_, name) for name in SETTING_FIELDS}
    scoring_started = round_.status not in (RoundStatus.DRAFT, RoundStatus.REGISTRATION_OPEN,
                                            RoundStatus.SCREENING)
    for name in SETTING_FIELDS:
        value = fields[name]
        if isinstance(value, str):
            value = nfc(value)
        if scoring_started and name in SCORING_RULES and value != before[name]:
            raise DomainError("rules_fixed")
        setattr(round_, name, value)
    if round_.second_stage_rule != "top_n":
        round_.second_stage_top_n = None
    if signer_problems(SignerBlock.of(round_), required=False):
        raise DomainError("signer_incomplete")
    changed = {k: [str(before[k]), str(getattr(round_, k))] for k in SETTING_FIELDS if before[k] != getattr(round_, k)}
    record_event(actor, "round.update_settings", round_, data={"changed": changed})
    return changed


def set_subcriteria(actor, round_, parent_code, items):
    """Replace the sub-criteria of one criterion: ``items`` are ``(code, name, max_points)``.

    Their maxima must add up to the criterion's own; an empty list removes them.
    Only before scoring opens, so that no sheet is scored against another sheet.
    """
    _check_sheet_editable(round_)
    parent = next((c for c in round_.criteria if c.code == parent_code and c.parent_id is None), None)
    if parent is None:
        raise DomainError("unknown_criterion")
    if items and sum(Decimal(m) for _, _, m in items) != parent.max_points:
        raise DomainError("subcriteria_sum", criterion=parent.code)
    codes = [code for code, _, _ in items]
    taken = {c.code for c in round_.criteria if c.parent_id != parent.id}
    if len(set(codes)) != len(codes) or taken & set(codes):
        raise DomainError("duplicate_code")
    # A sub-criterion given again under its code keeps the guidance written for it.
    guidance = {}
    for child in [c for c in round_.criteria if c.parent_id == parent.id]:
        guidance[child.code] = child.guidance
        round_.criteria.remove(child)
    db.session.flush()
    for offset, (code, name, max_points) in enumerate(items, start=1):
        round_.criteria.append(RoundCriterion(parent_id=parent.id, code=nfc(code), name=nfc(name),
                                              max_points=Decimal(max_points), position=parent.position + offset,
                                              guidance=guidance.get(nfc(code), "")))
    record_event(actor, "round.set_subcriteria", round_,
                 data={"criterion": parent.code, "items": [[c, n, str(m)] for c, n, m in items]})


def set_criterion_guidance(actor, round_, texts):
    """Set the guidance jurors read under each criterion: ``texts`` maps criterion ids to their text.

    Under the same rule as the criteria themselves (before scoring opens), so that every juror scores
    an entry with the same guidance in front of them. Criteria not named keep theirs.
    """
    _check_sheet_editable(round_)
    changed = {}
    for criterion in round_.criteria:
        text = nfc(texts.get(criterion.id, criterion.guidance)) or ""
        if len(text) > GUIDANCE_MAX:
            raise DomainError("guidance_too_long", criterion=criterion.code, max=GUIDANCE_MAX)
        if text != criterion.guidance:
            changed[criterion.code] = text
            criterion.guidance = text
    if changed:
        record_event(actor, "round.set_guidance", round_, data={"changed": changed})
    return changed


def _check_sheet_editable(round_):
    """The sheet may change until scoring opens: afterwards no sheet is scored against another sheet."""
    if round_.status not in (RoundStatus.DRAFT, RoundStatus.REGISTRATION_OPEN, RoundStatus.SCREENING):
        raise DomainError("rules_fixed")
