"""Báo cáo nghi ngờ hàng giả: a member of the public reports a product whose code or label they doubt.

The report reaches the inbox of the organisers who answer for the certificate's
issuing authority (active organisers whose jurisdiction contains it). A code
that names no certificate (forged, or validly signed for an unknown number)
goes to the authority that owns the signing key when it has one, otherwise to
the platform's administrators, who run the signing keys.
"""
from sqlalchemy import select

from certificates.rules.verification import Verification
from voting.core.errors import DomainError
from voting.extensions import db
from voting.models import IssuingAuthority, NotificationKind, Role, User
from certificates.models import SigningKey
from voting.models.base import utcnow
from certificates.models.public import SuspectedFakeReport
from voting.operations.audit import record_event
from voting.operations.notifications import notify_user
from certificates.rules.permissions import can_handle_report
from voting.rules.permissions import jurisdiction_contains
from voting.core.text import nfc

MAX_DESCRIPTION = 2000
MAX_WHERE = 300
MAX_CONTACT = 254
MAX_CODE = 600


def responsible_authority(verification: Verification):
    """The authority whose organisers receive a report about this scan, or None (administrators)."""
    if verification.certificate is not None:
        return verification.certificate.authority
    if verification.status == "not_found" and verification.claims is not None:
        key = db.session.scalar(select(SigningKey).where(SigningKey.kid == verification.claims.kid))
        if key is not None and key.authority_id is not None:
            return db.session.get(IssuingAuthority, key.authority_id)
    return None


def recipients(authority):
    """Active organisers whose jurisdiction contains ``authority``; administrators when there is none."""
    if authority is None:
        return list(db.session.scalars(select(User).where(User.role == Role.ADMIN, User.active.is_(True))
                                       .order_by(User.id)))
    organisers = db.session.scalars(select(User).where(User.role == Role.ORGANISER, User.active.is_(True))
                                    .order_by(User.id))
    found = [user for user in organisers if jurisdiction_contains(user, authority)]
    if found:
        return found
    return recipients(None)  # nobody answers for it yet: the platform's administrators do


def report_suspected_fake(verification, code, where_seen, description, contact):
    """Store a public report and notify who answers for it; returns the report (not committed)."""
    description = nfc(description or "")
    if not description:
        raise DomainError("description_required")
    if len(description) > MAX_DESCRIPTION:
        raise DomainError("description_too_long", max=MAX_DESCRIPTION)
    authority = responsible_authority(verification)
    report = SuspectedFakeReport(
        certificate_id=verification.certificate.id if verification.certificate is not None else None,
        authority_id=authority.id if authority is not None else None,
        code=(code or "")[:MAX_CODE], where_seen=nfc(where_seen or "")[:MAX_WHERE],
        description=description, contact=nfc(contact or "")[:MAX_CONTACT])
    db.session.add(report)
    db.session.flush()
    number = verification.certificate.number if verification.certificate is not None else ""
    for user in recipients(authority):
        notify_user(user, NotificationKind.FAKE_REPORTED, report_id=report.id, certificate=number, status=verification.status)
    record_event(None, "fake_report.receive", report,
                 data={"certificate": number, "status": verification.status,
                       "authority": authority.code if authority is not None else None})
    return report


def mark_report_handled(actor, report):
    """Mark a report as dealt with (once); audited."""
    if not can_handle_report(actor, report):
        raise DomainError("not_allowed")
    if report.handled_at is not None:
        return report
    report.handled_at = utcnow()
    report.handled_by_id = actor.id
    record_event(actor, "fake_report.handle", report)
    return report
