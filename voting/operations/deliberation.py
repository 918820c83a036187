"""Deliberation and after: strikes, prize tiers, the vote, the decision, publication, complaints.

Two orders, chosen per round (:class:`~voting.models.StepOrder`):

- the rules' order (``announce_first``): deliberation → vote carried → results announced (status
  "announced", the complaint window opens) → complaints settled → window closed → the authority's
  decision (decided) → certificates;
- ``decide_first``: deliberation → vote carried → decision recorded (decided) → published, with a
  complaint window after it → certificates once the window has closed.

Either way a complaint upheld with a changed result sends the round back to deliberation, where a new
vote (and, once decided, an amending decision) follows. The chair and the secretary act for the council;
the organiser records the authority's decision, sets prize tiers and publishes. Everything is audited.
"""
import json
from datetime import timedelta
from decimal import Decimal, InvalidOperation

from sqlalchemy import func, select

from voting.rules.entry_names import names_now
from voting.core.errors import DomainError, InvalidTransition
from voting.extensions import db
from voting.models import (
    NotificationKind,
    Complaint,
    ComplaintStatus,
    Decision,
    DecisionEntry,
    DecisionTally,
    MeetingAttendance,
    PrizeTier,
    RoundStatus,
    SheetStatus,
    Strike,
)
from voting.models.base import utcnow
from voting.operations.audit import publish_checkpoint, record_event
from voting.operations.notifications import notify_producer, notify_user
from voting.rules.permissions import can_act_for_council, can_manage_round
from voting.rules.results import compute_results, latest_decision, shown
from voting.rules.signer import SignerBlock, signer_problems
from voting.rules.step_order import decision_wait
from voting.rules.tally import vote_tally
from voting.core.text import nfc

#: Phases in which the chair may still ask a juror to justify a sheet.
JUSTIFY_PHASES = (RoundStatus.SCORING, RoundStatus.FIELD_VISITS, RoundStatus.SECOND_SCORING,
                  RoundStatus.DELIBERATION)
MAX_TEXT = 5000


def require_acting(actor, round_):
    if not can_act_for_council(actor, round_):
        raise DomainError("chair_only")


def _require_organiser(actor, round_):
    """The authority's side: an organiser whose jurisdiction holds the round."""
    if not can_manage_round(actor, round_):
        raise DomainError("organiser_only")


def require_status(round_, *statuses):
    if round_.status not in statuses:
        raise InvalidTransition(status=round_.status)


def required_text(value, code="reason_required"):
    value = nfc(value or "").strip()
    if not value:
        raise DomainError(code)
    if len(value) > MAX_TEXT:
        raise DomainError("text_too_long", limit=MAX_TEXT)
    return value


# Disagreement ------------------------------------------------------------------------------------

def request_justification(actor, sheet, message):
    """The chair asks the juror why their sheet is far from the others'; the juror is told."""
    round_ = sheet.application.round
    require_acting(actor, round_)
    require_status(round_, *JUSTIFY_PHASES)
    if sheet.status != SheetStatus.SUBMITTED:
        raise DomainError("sheet_not_submitted")
    sheet.justification_request = required_text(message)
    sheet.justification_requested_by_id = actor.id
    sheet.justification_requested_at = utcnow()
    sheet.justification, sheet.justified_at = "", None
    record_event(actor, "sheet.request_justification", sheet, reason=sheet.justification_request,
                 data={"juror_user_id": sheet.juror_user_id, "application_id": sheet.application_id})
    return notify_user(sheet.juror_user, NotificationKind.JUSTIFICATION_REQUESTED, sheet.application,
                       round_id=round_.id, entry_code=sheet.application.entry_code, message=sheet.justification_request)


def justify_sheet(actor, sheet, text):
    """The juror answers the chair's request; the answer stays with the sheet (points do not change)."""
    if actor.id != sheet.juror_user_id:
        raise DomainError("not_your_sheet")
    if sheet.justification_requested_at is None:
        raise DomainError("no_justification_requested")
    sheet.justification = required_text(text, "justification_required")
    sheet.justified_at = utcnow()
    record_event(actor, "sheet.justify", sheet, data={"application_id": sheet.application_id,
                                                      "justification": sheet.justification})
    return sheet


# Strikes and prizes ------------------------------------------------------------------------------

def strike_entry(actor, round_, application, reason):
    """Take a passing entry off the proposed list, with the council's reason."""
    require_acting(actor, round_)
    require_status(round_, RoundStatus.DELIBERATION)
    reason = required_text(reason)
    entry = compute_results(round_).for_application(application.id)
    if entry is None or not entry.passed:
        raise DomainError("not_passing")
    if entry.strike is not None:
        raise DomainError("already_struck")
    strike = Strike(round_id=round_.id, application_id=application.id, reason=reason, struck_by_id=actor.id)
    db.session.add(strike)
    record_event(actor, "result.strike", application, reason=reason,
                 data={"round_id": round_.id, "entry_code": application.entry_code})
    return strike


def restore_entry(actor, strike):
    """Undo a strike before the vote."""
    round_ = strike.application.round
    require_acting(actor, round_)
    require_status(round_, RoundStatus.DELIBERATION)
    record_event(actor, "result.restore", strike.application,
                 data={"round_id": round_.id, "entry_code": strike.application.entry_code,
                       "struck_reason": strike.reason})
    db.session.delete(strike)


PRIZE_MODES = ("none", "rank", "score")


def set_prize_tiers(actor, round_, mode, tiers):
    """Replace the round's prize tiers: ``tiers`` are ``(name, places, min_score)`` in order.

    By rank each tier names how many places it takes; by score, its minimum
    score, and the minima must fall from one tier to the next.
    """
    _require_organiser(actor, round_)
    require_status(round_, *_BEFORE_DECISION)
    if mode not in PRIZE_MODES:
        raise DomainError("prize_mode_unknown")
    tiers = [(nfc(name or "").strip(), places, min_score) for name, places, min_score in tiers
             if (name or "").strip()]
    if mode == "none":
        tiers = []
    elif not tiers:
        raise DomainError("prize_tiers_missing")
    names = [name for name, _, _ in tiers]
    if len(set(names)) != len(names):
        raise DomainError("prize_name_duplicate")
    cleaned = []
    for name, places, min_score in tiers:
        if len(name) > 100:
            raise DomainError("text_too_long", limit=100)
        if mode == "rank":
            if not isinstance(places, int) or places < 1:
                raise DomainError("prize_places_invalid", name=name)
            cleaned.append(PrizeTier(name=name, places=places, min_score=None))
        else:
            try:
                score = Decimal(str(min_score))
            except (InvalidOperation, ValueError):
                raise DomainError("prize_score_invalid", name=name) from None
            if not score.is_finite() or score < 0 or score > 100:
                raise DomainError("prize_score_invalid", name=name)
            if cleaned and score >= cleaned[-1].min_score:
                raise DomainError("prize_scores_not_falling", name=name)
            cleaned.append(PrizeTier(name=name, places=None, min_score=score))
    round_.prize_tiers.clear()
    db.session.flush()
    for position, tier in enumerate(cleaned, start=1):
        tier.position = position
        round_.prize_tiers.append(tier)
    round_.prize_mode = mode
    record_event(actor, "round.set_prizes", round_, data={
        "mode": mode, "tiers": [[t.name, t.places, str(t.min_score) if t.min_score is not None else None]
                                for t in cleaned]})
    return cleaned


_BEFORE_DECISION = (RoundStatus.DRAFT, RoundStatus.REGISTRATION_OPEN, RoundStatus.SCREENING, RoundStatus.SCORING,
                    RoundStatus.FIELD_VISITS, RoundStatus.SECOND_SCORING, RoundStatus.DELIBERATION)


# The vote and the decision -----------------------------------------------------------------------

def vote_carried(round_, present, votes_for):
    """More than half of the members present (or two thirds, by the round's setting) vote for."""
    if round_.vote_majority == "two_thirds":
        return votes_for * 3 >= present * 2 and votes_for > 0
    return votes_for * 2 > present


def record_vote(actor, round_, meeting_on, present, votes_for, votes_against, votes_abstain, note, today,
                meeting_place="", *, attendance=None, minutes_number="", starts_at=None, ends_at=None):
    """Record the council's vote on the proposed list as a whole, at a meeting of its founded council.

    :param attendance: the ids of the members present (the minutes mark the others absent); ``present``
        is then counted from it (a count typed as well must agree). Without it, ``present`` is the count.
    The vote counts only with the council's quorum present; a carried vote
    freezes the proposed list (ranks, scores, prizes) into the decision.
    """
    require_acting(actor, round_)
    require_status(round_, RoundStatus.DELIBERATION)
    if round_.council is None or not round_.council.is_founded:
        raise DomainError("council_not_founded_vote")
    present_ids = _present_members(round_, attendance)
    if present_ids is not None:
        if present is not None and present != len(present_ids):
            raise DomainError("attendance_mismatch", present=len(present_ids))
        present = len(present_ids)
    counts = (present, votes_for, votes_against, votes_abstain)
    if any(not isinstance(n, int) or n < 0 for n in counts):
        raise DomainError("count_invalid")
    members = len(round_.council_members)
    if present > members:
        raise DomainError("more_present_than_members", members=members)
    if present < round_.council_quorum:
        raise DomainError("quorum_not_met", quorum=round_.council_quorum, present=present)
    if votes_for + votes_against + votes_abstain > present:
        raise DomainError("votes_exceed_present", present=present)
    if meeting_on is None or meeting_on > today:
        raise DomainError("date_in_future")
    if starts_at is not None and ends_at is not None and ends_at < starts_at:
        raise DomainError("meeting_ends_before_start")
    results = compute_results(round_)
    if not results.proposed:
        raise DomainError("nothing_proposed")
    carried = vote_carried(round_, present, votes_for)
    sequence = (db.session.scalar(select(func.max(Decision.sequence)).where(Decision.round_id == round_.id)) or 0) + 1
    decision = Decision(round_id=round_.id, sequence=sequence, meeting_on=meeting_on, members_present=present,
                        votes_for=votes_for, votes_against=votes_against, votes_abstain=votes_abstain,
                        carried=carried, minutes_note=nfc(note or "").strip()[:MAX_TEXT], recorded_by_id=actor.id,
                        meeting_place=nfc(meeting_place or "").strip()[:200], snapshot=_snapshot(results),
                        minutes_number=nfc(minutes_number or "").strip()[:60] or None,
                        meeting_starts_at=starts_at, meeting_ends_at=ends_at)
    if present_ids is not None:
        decision.attendance = [MeetingAttendance(member_id=m.id, present=m.id in present_ids)
                               for m in round_.council_members]
    if carried:
        # The list keeps the names it was voted with: a producer may rename or move afterwards.
        decision.entries = [DecisionEntry(application_id=e.application.id, rank=rank, score=shown(e.score),
                                          prize=e.prize, **names_now(e.application).as_dict())
                            for rank, e in enumerate(results.proposed, start=1)]
    # Counted now, per group, province and type, for the summary report: "passed" is known only from these results.
    decision.tallies = [DecisionTally(**row) for row in vote_tally(results, decision.entries)]
    db.session.add(decision)
    db.session.flush()
    record_event(actor, "result.vote", round_, data={
        "sequence": sequence, "present": present, "for": votes_for,
        "attendance": sorted(present_ids) if present_ids is not None else None, "against": votes_against,
        "abstain": votes_abstain, "carried": carried, "meeting_on": str(meeting_on),
        "proposed": [e.application.entry_code for e in results.proposed],
        "struck": [e.application.entry_code for e in results.entries if e.strike is not None]})
    return decision


def _present_members(round_, attendance):
    """The ids in ``attendance`` (None: not taken), each a member of the round's council."""
    if attendance is None:
        return None
    present_ids, members = set(attendance), {m.id for m in round_.council_members}
    if not present_ids <= members:
        raise DomainError("not_a_member")
    return present_ids


def _snapshot(results):
    """The results as the council voted on them, with the entries' names then, for the minutes."""
    def row(entry, **extra):
        return {"application_id": entry.application.id, **names_now(entry.application).as_dict(),
                "score": str(shown(entry.score)), **extra}

    return json.dumps({
        "entries": len(results.entries), "ranked": len(results.ranked), "passed": len(results.passed),
        "below_quorum": len(results.below_quorum),
        "proposed": [row(e, prize=e.prize) for e in results.proposed],
        "struck": [row(e, reason=e.strike.reason) for e in results.entries if e.strike is not None],
    }, ensure_ascii=False)


def record_decision(actor, decision, number, decision_on, signer, today, legal_bases=None):
    """Record the authority's decision (number, date, signer) on a carried vote: the round is decided.

    In the rules' order the vote was announced first, and the decision follows the complaint window:
    it is recorded once the window has closed with every complaint answered, and dated after it.

    :param signer: a :class:`~voting.rules.signer.SignerBlock`, or None for the round's own signer.
    :param legal_bases: the "Căn cứ …" lines the decision cites, one a line (blank lines dropped); None or
        empty: the usual bases of the round's level are printed.
    """
    round_ = decision.round
    _require_organiser(actor, round_)
    if round_.announces_first and decision.carried and decision.published_at is None:
        raise DomainError("results_not_announced")
    require_status(round_, RoundStatus.ANNOUNCED if round_.announces_first else RoundStatus.DELIBERATION)
    if not decision.carried:
        raise DomainError("vote_not_carried")
    if decision.is_decided or latest_decision(round_.id).id != decision.id:
        raise DomainError("not_latest_vote")
    if round_.announces_first:
        _require_complaints_settled(round_, decision, today)
    number = nfc(number or "").strip()
    if not number:
        raise DomainError("decision_number_required")
    if decision_on is None or decision_on > today or decision_on < decision.meeting_on:
        raise DomainError("decision_date_invalid")
    if round_.announces_first and decision_on <= decision.complaints_close_on:
        raise DomainError("decision_before_complaints_close",
                          closes_on=decision.complaints_close_on.strftime("%d/%m/%Y"))
    taken = db.session.scalar(select(func.count(Decision.id)).where(
        Decision.round_id == round_.id, Decision.decision_number == number))
    if taken:
        raise DomainError("decision_number_taken")
    signer = signer if signer is not None else SignerBlock.of(round_)
    if signer_problems(signer, required=True):
        raise DomainError("signer_incomplete")
    decision.decision_number = number
    decision.decision_on = decision_on
    decision.legal_bases = "\n".join(line for line in (nfc(line) for line in (legal_bases or "").splitlines()) if line)
    for column, value in signer.columns().items():
        setattr(decision, column, value)
    decision.decided_by_id = actor.id
    round_.status = RoundStatus.DECIDED
    round_.status_changed_at = utcnow()
    record_event(actor, "result.decide", round_, data={
        "sequence": decision.sequence, "number": number, "decision_on": str(decision_on),
        "signer": decision.signer_name, "signer_lines": list(signer.lines), "legal_bases": decision.legal_bases, "certified": [e.application_id for e in decision.entries]})
    return decision


def publish_results(actor, round_, today):
    """Publish the list: every entrant is told, and the complaint window opens.

    In the rules' order the council's carried vote is announced before any decision (the round is then
    "announced"); otherwise the decided list is published. A new vote after an upheld complaint, or an
    amending decision, is published the same way; the window keeps the end date it got at the first
    publication.
    """
    _require_organiser(actor, round_)
    if round_.announces_first:
        require_status(round_, RoundStatus.DELIBERATION)
        decision = latest_decision(round_.id)
        if decision is None or not decision.carried:
            raise DomainError("nothing_to_publish")
    else:
        require_status(round_, RoundStatus.DECIDED)
        decision = latest_decision(round_.id, decided_only=True)
    if decision is None or decision.published_at is not None:
        raise DomainError("nothing_to_publish")
    earlier = latest_decision(round_.id, published_only=True)
    decision.published_at = utcnow()
    decision.complaints_close_on = (earlier.complaints_close_on if earlier is not None
                                    else today + timedelta(days=round_.complaint_window_days))
    if round_.announces_first:
        round_.status = RoundStatus.ANNOUNCED
        round_.status_changed_at = utcnow()
    certified = {e.application_id for e in decision.entries}
    notes = []
    for entry in compute_results(round_).entries:
        application = entry.application
        notes += notify_producer(application.producer, NotificationKind.RESULTS_PUBLISHED, application,
                                 round_title=round_.title, entry_code=application.entry_code,
                                 certified=application.id in certified, proposed=not decision.is_decided,
                                 complaints_close_on=decision.complaints_close_on.strftime("%d/%m/%Y"))
    record_event(actor, "result.publish", round_, data={
        "sequence": decision.sequence, "number": decision.decision_number, "decided": decision.is_decided,
        "complaints_close_on": str(decision.complaints_close_on), "certified": sorted(certified)})
    publish_checkpoint("results_published", round_.title)
    return notes


def _require_complaints_settled(round_, decision, today):
    """The rules' order: the decision waits for the announced list's window to close, every complaint answered."""
    wait = decision_wait(decision.complaints_close_on, open_complaints(round_), today)
    if wait is not None:
        raise DomainError(wait, closes_on=decision.complaints_close_on.strftime("%d/%m/%Y"))


def open_complaints(round_):
    return db.session.scalar(select(func.count(Complaint.id)).where(
        Complaint.round_id == round_.id, Complaint.status == ComplaintStatus.OPEN))
