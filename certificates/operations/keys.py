"""The signing keys the platform has used: registering, finding the current signer, compromise.

A scope ("platform", or "authority:<id>" for an authority signing with its
own key) has at most one active key; registering a new one retires the old,
whose certificates keep verifying. A compromised key stays published with
that status, and the certificates it signed are suspended until re-issued
(:func:`certificates.operations.issuance.reissue_compromised`).
"""
from sqlalchemy import or_, select

from certificates.rules.signing import SigningKeyError, kid_for, load_private_key, public_key_b64, public_key_from_b64
from voting.core.errors import DomainError, InvalidTransition
from voting.extensions import db
from certificates.models import Certificate, CertificateStatus, KeyStatus, ReasonCategory, SigningKey
from voting.models.base import utcnow
from voting.operations.audit import record_event

COMPROMISED_REASON = "khóa ký bị lộ — cần cấp lại"


class SignerUnavailable(RuntimeError):
    """No usable signing key: the message says what to do."""


def scope_of(authority):
    return "platform" if authority is None else f"authority:{authority.id}"


def active_key_for(authority=None):
    """The scope's active key, or None."""
    return db.session.scalar(select(SigningKey).where(
        SigningKey.scope == scope_of(authority), SigningKey.status == KeyStatus.ACTIVE))


def register_key(actor, public_key_b64_text, authority=None):
    """Register a public key as its scope's active key, retiring the one it replaces."""
    try:
        kid = kid_for(public_key_from_b64(public_key_b64_text))
    except SigningKeyError:
        raise DomainError("key_invalid") from None
    if db.session.scalar(select(SigningKey.id).where(
            (SigningKey.public_key == public_key_b64_text) | (SigningKey.kid == kid))) is not None:
        raise DomainError("key_already_registered", kid=kid)
    previous = active_key_for(authority)
    if previous is not None:
        previous.status, previous.retired_at = KeyStatus.RETIRED, utcnow()
        db.session.flush()  # one active key per scope: the old one steps down first
        record_event(actor, "signing_key.retire", previous, data={"kid": previous.kid, "replaced_by": kid})
    key = SigningKey(kid=kid, public_key=public_key_b64_text, scope=scope_of(authority),
                     authority_id=authority.id if authority is not None else None, status=KeyStatus.ACTIVE)
    db.session.add(key)
    db.session.flush()
    record_event(actor, "signing_key.register", key, data={"kid": kid, "scope": key.scope})
    return key


def current_signer(app):
    """The private key in ``SIGNING_KEY_FILE`` and its registered, active ``SigningKey``.

    :raise SignerUnavailable: no file, an unreadable one, or a key that is unknown or no longer active.
    """
    path = app.config.get("SIGNING_KEY_FILE")
    if not path:
        raise SignerUnavailable("SIGNING_KEY_FILE is not set")
    try:
        private_key = load_private_key(path)
    except SigningKeyError as error:
        raise SignerUnavailable(f"SIGNING_KEY_FILE: {error}") from None
    public = public_key_b64(private_key)
    key = db.session.scalar(select(SigningKey).where(SigningKey.public_key == public))
    if key is None:
        raise SignerUnavailable(f"the key in {path} (kid {kid_for(private_key)}) is not registered; "
                                "create and register one with 'flask certificates keygen'")
    if key.status != KeyStatus.ACTIVE:
        raise SignerUnavailable(f"the key in {path} (kid {key.kid}) is {key.status}; "
                                "generate a new one with 'flask certificates keygen --out NEW_PATH'")
    return private_key, key


def mark_compromised(actor, key, today):
    """Mark ``key`` compromised and suspend the certificates it signed that are valid on ``today``.

    Expired certificates are left as they are: they already answer "expired",
    and re-issuing them would extend their validity. Returns the suspended ones.
    """
    if key.status == KeyStatus.COMPROMISED:
        raise InvalidTransition(status=key.status)
    before = key.status
    key.status, key.compromised_at = KeyStatus.COMPROMISED, utcnow()
    certificates = db.session.scalars(select(Certificate).where(
        Certificate.signing_key_id == key.id, Certificate.status == CertificateStatus.VALID,
        or_(Certificate.expires_on.is_(None), Certificate.expires_on >= today)).order_by(Certificate.id)).all()
    record_event(actor, "signing_key.compromise", key,
                 data={"kid": key.kid, "from": str(before), "suspended": len(certificates)})
    changed_at = utcnow()
    for certificate in certificates:
        certificate.status = CertificateStatus.SUSPENDED
        certificate.reason_category, certificate.reason = ReasonCategory.KEY_COMPROMISED, COMPROMISED_REASON
        certificate.status_changed_at = changed_at
        certificate.status_changed_by_id = actor.id if actor is not None else None
        record_event(actor, "certificate.suspend", certificate, reason=COMPROMISED_REASON,
                     data={"number": certificate.number, "from": "valid", "category": ReasonCategory.KEY_COMPROMISED,
                           "kid": key.kid})
    db.session.flush()
    return certificates
