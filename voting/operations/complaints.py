"""Complaints (khiếu nại) against a published list: filed by a producer within the window, answered by the council.

In the rules' order they are taken against the announced list before the decision; otherwise against the
decided list. An upheld complaint that changes the result sends the round back to deliberation.
"""
from sqlalchemy import func, select

from voting.core.errors import DomainError, InvalidTransition
from voting.extensions import db
from voting.models import ApplicationStatus, Complaint, ComplaintStatus, NotificationKind, RoundStatus
from voting.models.base import utcnow
from voting.operations.audit import record_event
from voting.operations.deliberation import open_complaints, require_acting, require_status, required_text
from voting.operations.notifications import notify_producer, notify_user
from voting.rules.permissions import ACTING_ROLES
from voting.rules.results import latest_decision


def complaint_window(round_):
    """``(published decision, last day for complaints)``, or ``(None, None)`` before publication."""
    published = latest_decision(round_.id, published_only=True)
    return (published, published.complaints_close_on) if published else (None, None)


def file_complaint(actor, application, text, today):
    """A producer contests their entry's result while the window is open; the council is told."""
    if actor.producer_id is None or actor.producer_id != application.producer_id:
        raise DomainError("not_your_application")
    if application.status != ApplicationStatus.ACCEPTED:
        raise DomainError("not_an_entry")  # screening decisions are not results: they are answered elsewhere
    round_ = application.round
    published, closes_on = complaint_window(round_)
    if published is None:
        raise DomainError("results_not_published")
    if today > closes_on:
        raise DomainError("complaint_window_closed", closes_on=closes_on.strftime("%d/%m/%Y"))
    pending = db.session.scalar(select(func.count(Complaint.id)).where(
        Complaint.application_id == application.id, Complaint.status == ComplaintStatus.OPEN))
    if pending:
        raise DomainError("complaint_pending")
    complaint = Complaint(round_id=round_.id, application_id=application.id, filed_by_id=actor.id,
                          text=required_text(text, "complaint_text_required"))
    db.session.add(complaint)
    db.session.flush()
    record_event(actor, "complaint.file", complaint, data={"application_id": application.id,
                                                           "entry_code": application.entry_code})
    return [notify_user(member.user, NotificationKind.COMPLAINT_FILED, application, round_id=round_.id,
                        entry_code=application.entry_code)
            for member in round_.council_members if member.role in ACTING_ROLES and member.user is not None]


def answer_complaint(actor, complaint, upheld, answer, changes_result):
    """The council answers; an upheld complaint that changes the result reopens deliberation."""
    round_ = complaint.application.round
    require_acting(actor, round_)
    if complaint.status != ComplaintStatus.OPEN:
        raise InvalidTransition(status=complaint.status)
    if changes_result and not upheld:
        raise DomainError("change_needs_upheld")
    if changes_result and round_.status in (RoundStatus.CERTIFYING, RoundStatus.CLOSED):
        # After issuance a change is carried out on the certificate (revocation or correction).
        raise DomainError("certificates_issued")
    if changes_result:  # the list under complaint: announced (the rules' order) or decided
        require_status(round_, RoundStatus.ANNOUNCED if round_.announces_first else RoundStatus.DECIDED)
    complaint.answer = required_text(answer, "answer_required")
    complaint.status = ComplaintStatus.UPHELD if upheld else ComplaintStatus.DISMISSED
    complaint.changes_result = bool(changes_result)
    complaint.answered_by_id = actor.id
    complaint.answered_at = utcnow()
    record_event(actor, "complaint.answer", complaint, data={
        "status": str(complaint.status), "changes_result": complaint.changes_result, "answer": complaint.answer})
    if changes_result:
        round_.status = RoundStatus.DELIBERATION
        round_.status_changed_at = utcnow()
        record_event(actor, "round.reopen_deliberation", round_, data={"complaint_id": complaint.id})
    return notify_producer(complaint.application.producer, NotificationKind.COMPLAINT_ANSWERED, complaint.application,
                           entry_code=complaint.application.entry_code, status=str(complaint.status))


def results_final(round_, today):
    """Certificates may be issued: results published, the window closed, no complaint left open."""
    if round_.status != RoundStatus.DECIDED:
        return False
    published, closes_on = complaint_window(round_)
    if published is None or today <= closes_on or published.id != latest_decision(round_.id).id:
        return False
    return not open_complaints(round_)
