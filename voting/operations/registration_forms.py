"""The signed registration form (phiếu đăng ký có chữ ký) the producer uploads for an application."""
from voting.core.errors import DomainError, InvalidTransition
from voting.core.locking import lock_row
from voting.core.text import nfc
from voting.extensions import db
from voting.models import Application, ApplicationStatus, SignedRegistrationForm
from voting.models.base import utcnow
from voting.operations.audit import record_event
from voting.rules.commitments import given_on_platform

S = ApplicationStatus
#: Once submitted and until the organiser decides, the producer may upload (or replace) the signed form.
SIGNED_FORM_STATUSES = (S.SUBMITTED, S.RETURNED, S.RESUBMITTED)


def attach_signed_form(actor, application, checked, storage_name, original_name):
    """Record the checked, stored scan as ``application``'s signed form; return the storage name it replaces.

    The caller deletes the replaced file once this is committed (and the new one if it is not).

    :raise InvalidTransition: the application is a draft (the form printed from it has no ticks yet) or
        decided.
    :raise DomainError: ``signed_form_not_asked`` for an application whose commitments were not given on
        the platform (from before the form, or nominated): there is no form of it to print and sign.
    """
    lock_row(Application, application.id)
    if application.status not in SIGNED_FORM_STATUSES:
        raise InvalidTransition(status=application.status)
    if not given_on_platform(application.commitments):
        raise DomainError("signed_form_not_asked")
    previous = application.signed_registration_form
    replaced = previous.storage_name if previous is not None else None
    if previous is not None:
        db.session.delete(previous)
        db.session.flush()  # the unique application_id is free again before the new row goes in
    application.signed_registration_form = SignedRegistrationForm(
        storage_name=storage_name, original_name=(nfc(original_name) or "")[:255], mime_type=checked.mime_type,
        size=checked.size, pages=checked.pages, sha256=checked.sha256, uploaded_by_id=actor.id,
        uploaded_at=utcnow())
    record_event(actor, "application.signed_form", application,
                 data={"sha256": checked.sha256, "mime_type": checked.mime_type, "replaced": replaced is not None})
    return replaced
