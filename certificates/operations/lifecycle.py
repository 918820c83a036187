"""What happens to a certificate after it is issued: suspension, revocation, reinstatement, correction
(đính chính), re-issue (cấp lại), and re-issue after a signing key's compromise.

Each takes the acting user (the issuing authority's organiser) and flushes; the caller commits.
"""
import json

from flask import current_app
from sqlalchemy import select

from certificates.models import REASON_CATEGORIES, Certificate, CertificateStatus, ReasonCategory
from certificates.operations.issuance import CORRECTABLE, document_date, new_certificate, render_and_store
from certificates.operations.keys import current_signer
from voting.core.errors import DomainError, InvalidTransition
from voting.core.text import nfc
from voting.extensions import db
from voting.models.base import utcnow
from voting.operations.audit import record_event
from voting.rules.permissions import can_manage_round


def require_issuer(actor, certificate):
    """Only an organiser who manages the certificate's round may withdraw, reinstate, correct or re-issue it."""
    from voting.models import Round

    if not can_manage_round(actor, db.session.get(Round, certificate.round_id)):
        raise DomainError("organiser_only")


def _withdraw(actor, certificate, target, category, reason, action):
    require_issuer(actor, certificate)
    if category not in REASON_CATEGORIES:
        raise DomainError("reason_category_unknown")
    reason = nfc(reason or "").strip()
    if not reason:
        raise DomainError("reason_required")
    allowed = {CertificateStatus.SUSPENDED: (CertificateStatus.VALID,),
               CertificateStatus.REVOKED: (CertificateStatus.VALID, CertificateStatus.SUSPENDED)}[target]
    if certificate.status not in allowed:
        raise InvalidTransition(status=certificate.status)
    before = certificate.status
    certificate.status, certificate.reason_category, certificate.reason = target, category, reason
    certificate.status_changed_at, certificate.status_changed_by_id = utcnow(), actor.id
    record_event(actor, action, certificate, reason=reason,
                 data={"number": certificate.number, "from": str(before), "category": category})
    return certificate


def suspend_certificate(actor, certificate, category, reason):
    """Tạm đình chỉ: the certificate shows as suspended until reinstated."""
    return _withdraw(actor, certificate, CertificateStatus.SUSPENDED, category, reason, "certificate.suspend")


def revoke_certificate(actor, certificate, category, reason):
    """Thu hồi: final; a revoked certificate is never valid again."""
    return _withdraw(actor, certificate, CertificateStatus.REVOKED, category, reason, "certificate.revoke")


def reinstate_certificate(actor, certificate, reason):
    """Lift a suspension. A certificate suspended because its key was compromised is re-issued instead."""
    require_issuer(actor, certificate)
    if certificate.status != CertificateStatus.SUSPENDED:
        raise InvalidTransition(status=certificate.status)
    if certificate.reason_category == ReasonCategory.KEY_COMPROMISED:
        raise DomainError("reissue_instead")
    reason = nfc(reason or "").strip()
    if not reason:
        raise DomainError("reason_required")
    record_event(actor, "certificate.reinstate", certificate, reason=reason,
                 data={"number": certificate.number, "suspended_for": certificate.reason})
    certificate.status, certificate.reason_category, certificate.reason = CertificateStatus.VALID, "", ""
    certificate.status_changed_at, certificate.status_changed_by_id = utcnow(), actor.id
    return certificate


def _check_correctable(certificate, today):
    """A correction replaces a certificate in force: not an expired, suspended, revoked or replaced one."""
    if certificate.status == CertificateStatus.SUPERSEDED:
        replacement = certificate.superseded_by
        raise DomainError("certificate_superseded", number=replacement.number if replacement else "")
    if certificate.status == CertificateStatus.REVOKED:
        raise DomainError("certificate_revoked")
    if certificate.status == CertificateStatus.SUSPENDED:
        # A correction issues a valid certificate: it must not lift a suspension by the back door.
        raise DomainError("reissue_instead" if certificate.reason_category == ReasonCategory.KEY_COMPROMISED
                          else "certificate_suspended")
    if certificate.status_on(today) == "expired":
        raise DomainError("certificate_expired", expired_on=certificate.expires_on.strftime("%d/%m/%Y"))


def corrections(certificate, changes):
    """``{field: [printed, corrected]}`` for each typed value that differs from what the certificate prints."""
    facts = json.loads(certificate.snapshot)
    changed = {}
    for name, value in changes.items():
        value = nfc(value or "").strip()
        if value and value != facts.get(name, ""):
            changed[name] = [facts.get(name, ""), value]
    return changed


def correct_certificate(actor, certificate, changes, today, reason):
    """Đính chính: re-issue with corrected facts (a typo); the old certificate is superseded by the new one.

    Only a certificate in force, and only with at least one fact that differs (a blank value
    leaves its fact as printed). The new certificate has its own number, signed with the current
    key, and the old one's validity dates; it prints that it replaces the old one, which keeps
    answering "superseded" and names it.

    :raise DomainError: ``nothing_corrected``, ``certificate_expired``, ``certificate_revoked``,
        ``certificate_suspended``, ``certificate_superseded``, ``not_correctable``, ``reason_required``…
    """
    if actor is not None:
        require_issuer(actor, certificate)
    _check_correctable(certificate, today)
    unknown = set(changes) - set(CORRECTABLE)
    if unknown:
        raise DomainError("not_correctable", fields=", ".join(sorted(unknown)))
    if any(len(value or "") > 300 for value in changes.values()):
        raise DomainError("text_too_long", limit=300)
    changed = corrections(certificate, changes)
    if not changed:
        raise DomainError("nothing_corrected")
    reason = nfc(reason or "").strip()
    if not reason:
        raise DomainError("reason_required")
    facts = json.loads(certificate.snapshot)
    facts.update({name: corrected for name, (_printed, corrected) in changed.items()})
    old_status = certificate.status
    replacement = supersede(actor, certificate, facts, today)
    record_event(actor, "certificate.correct", certificate, reason=reason, data={
        "number": certificate.number, "replaced_by": replacement.number, "from": str(old_status),
        "changed": changed, "corrected_on": today.isoformat()})
    return replacement


def supersede(actor, certificate, facts, today):
    """Replace ``certificate`` by a new one of ``facts`` dated ``today``, valid over the same dates.

    The replacement's snapshot (and so its signed digest) records which certificate it replaces
    and the date of the replacement; validity never starts again from a correction or re-issue.
    """
    from voting.models import Decision, Round

    facts = {**facts, "supersedes_number": certificate.number,
             "supersedes_dated": document_date(certificate).isoformat(), "dated_on": today.isoformat()}
    # Free the entry's "one current certificate" slot before the replacement is inserted.
    certificate.status = CertificateStatus.SUPERSEDED
    certificate.status_changed_at = utcnow()
    certificate.status_changed_by_id = actor.id if actor else None
    db.session.flush()
    replacement = new_certificate(actor, db.session.get(Round, certificate.round_id),
                                   db.session.get(Decision, certificate.decision_id), certificate.application,
                                   facts, current_signer(current_app), today, supersedes=certificate,
                                   validity=(certificate.issued_on, certificate.expires_on))
    render_and_store([replacement])
    return replacement


def reissue_certificate(actor, certificate, today, reason):
    """Cấp lại: the same facts under a new number and the current key (after a key compromise),
    valid over the old certificate's dates; the old one is superseded."""
    if actor is not None:
        require_issuer(actor, certificate)
    if certificate.status not in (CertificateStatus.VALID, CertificateStatus.SUSPENDED):
        raise InvalidTransition(status=certificate.status)
    old_status = certificate.status
    replacement = supersede(actor, certificate, json.loads(certificate.snapshot), today)
    record_event(actor, "certificate.reissue", certificate, reason=reason, data={
        "number": certificate.number, "replaced_by": replacement.number, "from": str(old_status),
        "reissued_on": today.isoformat()})
    return replacement


def compromised_certificates(round_=None):
    """Certificates issued here and suspended because their signing key was compromised (of one round)."""
    query = select(Certificate).where(
        Certificate.status == CertificateStatus.SUSPENDED,
        Certificate.reason_category == ReasonCategory.KEY_COMPROMISED,
        Certificate.application_id.is_not(None)).order_by(Certificate.id)
    if round_ is not None:
        query = query.where(Certificate.round_id == round_.id)
    return db.session.scalars(query).all()


def reissue_compromised(actor, today, round_=None, progress=None):
    """Re-issue every certificate suspended because its signing key was compromised; return the new ones.

    Only certificates issued here: a re-issued paper certificate keeps the paper number, which a
    correction could not keep (numbers are unique), so it stays suspended and is listed by
    :func:`suspended_paper_reissues`. ``progress(done, total)`` is called after each re-issue: a
    background job's commits there (:func:`voting.core.background.run_job`), so that a run stopped
    half-way leaves only whole ones. Flushed; the caller commits.
    """
    suspended = compromised_certificates(round_)
    replaced = []
    for certificate in suspended:
        replaced.append(reissue_certificate(actor, certificate, today, "Cấp lại do khóa ký bị lộ"))
        if progress:
            db.session.flush()
            progress(len(replaced), len(suspended))
    return replaced


def suspended_paper_reissues():
    """Re-issued paper certificates suspended because their key was compromised (not re-issued automatically)."""
    return db.session.scalars(select(Certificate).where(
        Certificate.status == CertificateStatus.SUSPENDED,
        Certificate.reason_category == ReasonCategory.KEY_COMPROMISED,
        Certificate.imported_certificate_id.is_not(None)).order_by(Certificate.id)).all()
