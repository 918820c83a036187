"""Applications (hồ sơ đăng ký): the producer's steps and the organiser's screening."""
from sqlalchemy import func, select

from voting.rules.eligibility import application_problems, dossier_missing, round_is_open, rural_flags
from voting.core.errors import DomainError, InvalidTransition, NotEligible
from voting.extensions import db
from voting.core.locking import lock_row
from voting.models import Application, ApplicationStatus, NotificationKind, PENDING_STATUSES, Round, RoundStatus
from voting.models.base import utcnow
from voting.operations.audit import record_event
from voting.operations.notifications import notify_producer
from voting.core.text import nfc
from voting.rules.commitments import CURRENT_VERSION, given_on_platform, missing_commitments

S = ApplicationStatus
#: Until a decision (accepted or rejected), the producer may withdraw.
WITHDRAWABLE = (S.DRAFT, S.SUBMITTED, S.RETURNED, S.RESUBMITTED)
#: A returned dossier may still be fixed while the organiser screens.
RESUBMIT_ROUND_STATUSES = (RoundStatus.REGISTRATION_OPEN, RoundStatus.SCREENING)
#: The longest reason for accepting a flagged producer as rural (characters).
RURAL_REASON_MAX = 2000


def _require(application, allowed):
    """Lock the application's row, then check its status as it now is.

    Two people acting on one dossier at once (an organiser accepting it while the producer
    withdraws it) therefore act one after the other, and the second meets the first's outcome
    instead of overwriting it.
    """
    lock_row(Application, application.id)
    if application.status not in allowed:
        raise InvalidTransition(status=application.status)


def start_application(actor, producer, product, round_, today):
    """Open a draft application of ``product`` to ``round_`` (reusing a withdrawn one)."""
    problems = application_problems(producer, product, round_, today)
    if problems:
        raise NotEligible(problems)
    application = db.session.scalar(select(Application).where(
        Application.round_id == round_.id, Application.product_id == product.id))
    if application is None:
        application = Application(round=round_, product=product, producer=producer)
        db.session.add(application)
    application.status = S.DRAFT
    application.withdrawal_reason = ""
    application.organiser_message = ""
    application.rural_flags = application.rural_reason = ""
    # A restarted draft has not been submitted or decided yet, nor committed to anything.
    application.submitted_at = application.decided_at = application.decided_by_id = None
    application.commitments = application.commitments_given_at = None
    record_event(actor, "application.start", application, data={"round": round_.id, "product": product.id})
    return application


def submit_application(actor, application, today, commitments):
    """Submit (or resubmit after a return) with the registration form's commitments; the dossier is locked.

    :param commitments: the codes of the commitments the producer ticked
        (:mod:`voting.rules.commitments`); every one of the current wording is required, and is recorded
        with the moment it was given (again on a resubmission: the dossier may have changed).
    :raise NotEligible: the dossier's gaps, ``round_not_open``, and ``commitment_<code>`` per missing tick.
    """
    _require(application, (S.DRAFT, S.RETURNED))
    problems = dossier_missing(application.producer, application.product)
    problems += [f"commitment_{code}" for code in missing_commitments(commitments)]
    if application.status == S.DRAFT and not round_is_open(application.round, today):
        problems.append("round_not_open")
    if application.status == S.RETURNED and application.round.status not in RESUBMIT_ROUND_STATUSES:
        problems.append("round_not_open")
    if problems:
        raise NotEligible(problems)
    application.status = S.SUBMITTED if application.status == S.DRAFT else S.RESUBMITTED
    application.submitted_at = application.commitments_given_at = utcnow()
    application.commitments = CURRENT_VERSION
    record_event(actor, f"application.{application.status}", application, data={"commitments": CURRENT_VERSION})
    return application


def withdraw_application(actor, application, reason=""):
    """The producer withdraws, any time before a decision."""
    _require(application, WITHDRAWABLE)
    application.status = S.WITHDRAWN
    application.withdrawal_reason = nfc(reason) or ""
    record_event(actor, "application.withdraw", application, reason=application.withdrawal_reason)
    return application


def return_application(actor, application, message):
    """Send the dossier back to the producer for changes, with a message."""
    _require(application, PENDING_STATUSES)
    application.status = S.RETURNED
    application.organiser_message = nfc(message)
    record_event(actor, "application.return", application, reason=application.organiser_message)
    return notify_producer(application.producer, NotificationKind.APPLICATION_RETURNED, application,
                           message=application.organiser_message)


def reject_application(actor, application, reason):
    _require(application, PENDING_STATUSES)
    application.status = S.REJECTED
    application.organiser_message = nfc(reason)
    application.decided_at, application.decided_by_id = utcnow(), actor.id
    record_event(actor, "application.reject", application, reason=application.organiser_message)
    return notify_producer(application.producer, NotificationKind.APPLICATION_REJECTED, application,
                           message=application.organiser_message)


def accept_application(actor, application, rural_reason=""):
    """Accept the dossier and give the entry its code (mã số bình chọn), by group.

    A producer whose place raises :func:`~voting.rules.eligibility.rural_flags` (a ward, an industrial
    zone) is accepted only on the organiser's recorded decision that it is rural industry all the
    same: ``rural_reason`` says why. The flags and the reason are kept on the application and in the
    audit event; without flags the reason is ignored.

    A round that requires the signed registration form (``Round.require_signed_registration_form``)
    accepts an application its producer registered here only once the scan is uploaded; entries from
    before the form or nominated by a lower round were never asked for one.

    :raise DomainError: ``rural_decision_required`` for a flagged producer without a reason;
        ``signed_form_missing`` when the round requires the signed form and it is not there.
    """
    _require(application, PENDING_STATUSES)
    if (application.round.require_signed_registration_form and given_on_platform(application.commitments)
            and application.signed_registration_form is None):
        raise DomainError("signed_form_missing")
    flags = rural_flags(application.producer)
    reason = (nfc(rural_reason) or "") if flags else ""
    if flags and not reason:
        raise DomainError("rural_decision_required")
    if len(reason) > RURAL_REASON_MAX:
        raise DomainError("text_too_long", limit=RURAL_REASON_MAX)
    # Serialise acceptances in a round so that two organisers never hand out the same code.
    lock_row(Round, application.round_id)
    application.entry_code = next_entry_code(application.round_id, application.product.group_code)
    application.status = S.ACCEPTED
    application.organiser_message = ""
    application.rural_flags, application.rural_reason = ",".join(flags), reason
    application.decided_at, application.decided_by_id = utcnow(), actor.id
    data = {"entry_code": application.entry_code}
    if flags:
        data["rural_flags"] = flags
    record_event(actor, "application.accept", application, reason=reason, data=data)
    return notify_producer(application.producer, NotificationKind.APPLICATION_ACCEPTED, application,
                           entry_code=application.entry_code)


def next_entry_code(round_id, group_code):
    """``<group>.<NNN>``: the next number among the round's accepted entries of that group."""
    prefix = f"{group_code}."
    codes = db.session.scalars(select(Application.entry_code).where(
        Application.round_id == round_id, Application.entry_code.startswith(prefix))).all()
    numbers = [int(code[len(prefix):]) for code in codes if code[len(prefix):].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"


def count_by_status(round_id):
    return dict(db.session.execute(select(Application.status, func.count(Application.id))
                                   .where(Application.round_id == round_id).group_by(Application.status)).all())
