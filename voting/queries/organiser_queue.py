"""Việc cần làm of an organiser: the waiting work of the rounds they manage, counted in a fixed number of queries.

One query finds the rounds still under way; one UNION ALL of grouped counts answers for all of them (dossiers
to screen, complaints to answer and the window they came in, council seats, entries short of jurors, sheets
missing per juror); the certification port counts the certificates still to issue when some round is at that
step. A round in its second scoring stage adds the first-stage ranking that says which entries went on
(:func:`voting.rules.results.second_stage_ids`, a few queries), since no SQL can rank them.
"""
from datetime import date

from sqlalchemy import String, and_, cast, func, literal, select, union_all

from voting.core.text import sort_key
from voting.extensions import db
from voting.models import (
    PENDING_STATUSES,
    Application,
    ApplicationStatus,
    Complaint,
    ComplaintStatus,
    CouncilMember,
    Decision,
    Juror,
    Product,
    Round,
    RoundStatus,
)
from voting.queries.items import WorkItem, WorkQueue
from voting.queries.sheets import count_row, may_score, sheets_missing
from voting.rules.certification import certification
from voting.rules.permissions import rounds_managed_by
from voting.rules.results import second_stage_ids

#: Rounds with work left: neither drafts nor closed ones.
UNDER_WAY = (RoundStatus.REGISTRATION_OPEN, RoundStatus.SCREENING, RoundStatus.SCORING, RoundStatus.FIELD_VISITS,
             RoundStatus.SECOND_SCORING, RoundStatus.DELIBERATION, RoundStatus.ANNOUNCED, RoundStatus.DECIDED,
             RoundStatus.CERTIFYING)
#: While the jury can still change before the scores count: entries short of eligible jurors stop scoring from
#: opening (voting.operations.rounds.scoring_problems) or leave an entry below quorum at deliberation.
JURY_STEPS = (RoundStatus.SCREENING, RoundStatus.SCORING, RoundStatus.FIELD_VISITS, RoundStatus.SECOND_SCORING)
#: Until the council votes: a council smaller than its quorum can never carry the vote.
COUNCIL_STEPS = (*JURY_STEPS, RoundStatus.DELIBERATION)
#: A published list is open to complaints in these (announced first, or decided first).
COMPLAINT_STEPS = (RoundStatus.ANNOUNCED, RoundStatus.DECIDED, RoundStatus.CERTIFYING)
#: Decided rounds whose certified entries may still lack a certificate.
CERTIFY_STEPS = (RoundStatus.DECIDED, RoundStatus.CERTIFYING)


def _ids(rounds, statuses):
    return [r.id for r in rounds if r.status in statuses]


def _short_of_jurors(round_ids):
    """Accepted entries with fewer eligible jurors than the round's sheets per entry, per round."""
    eligible = (select(func.count(Juror.id)).where(Juror.round_id == Application.round_id,
                                                   may_score(Juror, Application))
                .correlate(Application, Product).scalar_subquery())
    return (select(*count_row("short", Application.round_id, func.count(Application.id)))
            .join(Product, Product.id == Application.product_id).join(Round, Round.id == Application.round_id)
            .where(Application.round_id.in_(round_ids), Application.status == ApplicationStatus.ACCEPTED,
                   eligible < Round.min_sheets_per_entry)
            .group_by(Application.round_id))


def _windows(round_ids):
    """The last day for complaints on each round's latest published list, as ISO text in the label column."""
    latest = (select(Decision.round_id, func.max(Decision.sequence).label("sequence"))
              .where(Decision.round_id.in_(round_ids), Decision.published_at.is_not(None))
              .group_by(Decision.round_id).subquery())
    return (select(*count_row("window", Decision.round_id, literal(0), cast(Decision.complaints_close_on, String)))
            .join(latest, and_(latest.c.round_id == Decision.round_id, latest.c.sequence == Decision.sequence)))


def _counts(rounds):
    """``[(kind, round_id, label, n)]`` of every grouped count, in one statement."""
    every = [r.id for r in rounds]
    parts = [
        select(*count_row("dossiers", Application.round_id, func.count(Application.id)))
        .where(Application.round_id.in_(every), Application.status.in_(PENDING_STATUSES))
        .group_by(Application.round_id),
        select(*count_row("complaints", Complaint.round_id, func.count(Complaint.id)))
        .where(Complaint.round_id.in_(every), Complaint.status == ComplaintStatus.OPEN)
        .group_by(Complaint.round_id),
        select(*count_row("council", CouncilMember.round_id, func.count(CouncilMember.id)))
        .where(CouncilMember.round_id.in_(_ids(rounds, COUNCIL_STEPS))).group_by(CouncilMember.round_id),
        _short_of_jurors(_ids(rounds, JURY_STEPS)),
        sheets_missing(_ids(rounds, (RoundStatus.SCORING,))),
        _windows(_ids(rounds, COMPLAINT_STEPS)),
    ]
    parts += [sheets_missing([r.id], 2, second_stage_ids(r)) for r in rounds if r.status == RoundStatus.SECOND_SCORING]
    return db.session.execute(union_all(*parts)).all()


def _round_items(round_, counts, missing, windows, uncertified):
    """The items of one round, in the order its work comes: dossiers, jury, council, complaints, certificates."""
    def item(kind, count, endpoint, **extra):
        return WorkItem(kind, round_.id, round_.title, count, endpoint, **extra)

    items = []
    if counts.get("dossiers"):
        items.append(item("dossiers", counts["dossiers"], "organiser.round_view",
                          deadline=round_.registration_closes_on
                          if round_.status == RoundStatus.REGISTRATION_OPEN else None))
    if counts.get("short"):
        items.append(item("short_of_jurors", counts["short"], "organiser.round_council", anchor="juror",
                          details={"needed": round_.min_sheets_per_entry}))
    if missing:
        jurors = tuple(sorted(missing, key=lambda pair: sort_key(pair[0])))
        items.append(item("sheets", sum(n for _, n in jurors), "organiser.round_progress",
                          deadline=round_.scoring_ends_on, details={"jurors": jurors}))
    members = counts.get("council", 0)
    if round_.status in COUNCIL_STEPS and members < round_.council_quorum:
        items.append(item("council_below_quorum", round_.council_quorum - members, "organiser.round_council",
                          anchor="member",
                          details={"members": members, "quorum": round_.council_quorum}))
    if counts.get("complaints"):
        items.append(item("complaints", counts["complaints"], "results.view", anchor="complaints",
                          deadline=windows.get(round_.id)))
    if uncertified.get(round_.id):
        items.append(item("certificates", uncertified[round_.id], "certs.round_view",
                          details={"window_closes": windows.get(round_.id)}))
    return items


def organiser_queue(user):
    """The waiting work of the rounds ``user`` manages (:func:`rounds_managed_by`), newest round first."""
    rounds = db.session.scalars(rounds_managed_by(user).where(Round.status.in_(UNDER_WAY))).all()
    if not rounds:
        return WorkQueue([])
    counts, missing, windows = {}, {}, {}
    for kind, round_id, label, n in _counts(rounds):
        if kind == "sheets":
            missing.setdefault(round_id, []).append((label, n))
        elif kind == "window":
            windows[round_id] = date.fromisoformat(label) if label else None
        else:
            counts.setdefault(round_id, {})[kind] = n
    certify = _ids(rounds, CERTIFY_STEPS)
    uncertified = certification().uncertified_counts(certify) if certify else {}
    items = []
    for round_ in rounds:
        items += _round_items(round_, counts.get(round_.id, {}), missing.get(round_.id), windows, uncertified)
    return WorkQueue(items)
