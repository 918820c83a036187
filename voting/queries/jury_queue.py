"""Việc cần làm of a juror: sheets still to score (drafts among them), the council's requests to justify a sheet,
and for the Trưởng Ban Giám khảo the conflict flags waiting for a decision.

One query finds the rounds the user sits on the jury of, one UNION ALL of grouped counts answers for all of them
(plus the first-stage ranking of a round in its second stage, as in :mod:`voting.queries.organiser_queue`).
"""
from sqlalchemy import case, func, select, union_all

from voting.extensions import db
from voting.models import Conflict, Juror, Round, RoundStatus, ScoreSheet, SheetStatus
from voting.models.council import DECLARED
from voting.queries.items import WorkItem, WorkQueue
from voting.queries.sheets import count_row, sheets_missing
from voting.rules.results import second_stage_ids

#: While a flag still changes who scores what (voting.operations.council.CONFLICT_STATUSES).
FLAG_STEPS = (RoundStatus.SCREENING, RoundStatus.SCORING, RoundStatus.FIELD_VISITS, RoundStatus.SECOND_SCORING,
              RoundStatus.DELIBERATION)
#: The rounds a juror may still have work in: scoring, answering the council, the head's flags.
UNDER_WAY = (*FLAG_STEPS, RoundStatus.ANNOUNCED)


def _counts(user, rounds, heads):
    """``[(kind, round_id, label, n)]``: the user's sheets to score and drafts, requests, and (head) open flags."""
    scoring = [r.id for r in rounds if r.status == RoundStatus.SCORING]
    every = [r.id for r in rounds]
    # The draft of the stage the round is scoring, not one left from the first stage.
    current_stage = case((Round.status == RoundStatus.SECOND_SCORING, 2), else_=1)
    parts = [
        sheets_missing(scoring, user_id=user.id),
        select(*count_row("drafts", ScoreSheet.round_id, func.count(ScoreSheet.id)))
        .join(Round, Round.id == ScoreSheet.round_id)
        .where(ScoreSheet.juror_user_id == user.id, ScoreSheet.status == SheetStatus.DRAFT,
               Round.status.in_((RoundStatus.SCORING, RoundStatus.SECOND_SCORING)), ScoreSheet.round_id.in_(every),
               ScoreSheet.stage == current_stage)
        .group_by(ScoreSheet.round_id),
        select(*count_row("justify", ScoreSheet.round_id, func.count(ScoreSheet.id)))
        .where(ScoreSheet.juror_user_id == user.id, ScoreSheet.round_id.in_(every),
               ScoreSheet.justification_requested_at.is_not(None), ScoreSheet.justified_at.is_(None))
        .group_by(ScoreSheet.round_id),
        select(*count_row("flags", Conflict.round_id, func.count(Conflict.id)))
        .where(Conflict.round_id.in_([r.id for r in rounds if r.status in FLAG_STEPS and r.id in heads]),
               Conflict.active.is_(True), Conflict.source != DECLARED)
        .group_by(Conflict.round_id),
    ]
    parts += [sheets_missing([r.id], 2, second_stage_ids(r), user_id=user.id)
              for r in rounds if r.status == RoundStatus.SECOND_SCORING]
    return db.session.execute(union_all(*parts)).all()


def _round_items(round_, counts):
    def item(kind, count, endpoint, **extra):
        return WorkItem(kind, round_.id, round_.title, count, endpoint, **extra)

    items = []
    if counts.get("sheets"):
        items.append(item("to_score", counts["sheets"], "jury.round_view", deadline=round_.scoring_ends_on,
                          details={"drafts": counts.get("drafts", 0)}))
    if counts.get("justify"):
        items.append(item("justify", counts["justify"], "jury.round_view", anchor="justifications"))
    if counts.get("flags"):
        items.append(item("flags", counts["flags"], "council.round_view", anchor="conflicts"))
    return items


def jury_queue(user):
    """The waiting work of ``user`` on the juries they sit on, newest round first."""
    rows = db.session.execute(
        select(Round, Juror.is_head).join(Juror, Juror.round_id == Round.id)
        .where(Juror.user_id == user.id, Round.status.in_(UNDER_WAY))
        .order_by(Round.year.desc(), Round.id.desc())).all()
    if not rows:
        return WorkQueue([])
    rounds = [round_ for round_, _ in rows]
    # A round without a head leaves the flags to the council's chair (voting.rules.permissions.can_lead_jury):
    # they find them on the council's page, not here.
    heads = {round_.id for round_, is_head in rows if is_head}
    counts = {}
    for kind, round_id, _label, n in _counts(user, rounds, heads):
        counts.setdefault(round_id, {})[kind] = n
    items = []
    for round_ in rounds:
        items += _round_items(round_, counts.get(round_.id, {}))
    return WorkQueue(items)
