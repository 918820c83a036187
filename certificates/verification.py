"""What a scanned token says about a certificate today: valid, expired, suspended, revoked, superseded,
forged or not found.

The token is checked before the database is trusted with it: a token that is
malformed or not signed by a registered key (whatever its status) is
"forged"; so is a well-signed token whose digest, dates or key differ from
the certificate of that number. Only then does the certificate's own status
answer. A certificate signed by a key later marked compromised shows its
stored status: :func:`certificates.keys.mark_compromised` suspends them.
"""
import json
from dataclasses import dataclass

from sqlalchemy import select

from certificates.signing import Claims, TokenInvalid, check_signature, parse_token
from voting.extensions import db
from voting.models import Certificate, SigningKey
from voting.models.base import utcnow

STATUSES = ("valid", "expired", "suspended", "revoked", "superseded", "forged", "not_found")


@dataclass
class Verification:
    """The answer to a scan; ``reason`` is for the log, never shown to the public."""

    status: str
    certificate: Certificate | None = None
    claims: Claims | None = None
    reason: str = ""


def _mismatch(certificate, claims, key):
    if certificate.signing_key_id != key.id:
        return "signed by another key than the certificate's"
    if not certificate.digest.startswith(claims.digest_prefix_hex):
        return "digest differs from the certificate's"
    if (certificate.issued_on, certificate.expires_on) != (claims.issued_on, claims.expires_on):
        return "dates differ from the certificate's"
    return ""


def verify(token, today):
    """Check ``token`` against the published keys and the registry as on ``today``."""
    try:
        claims = parse_token(token)
        key = db.session.scalar(select(SigningKey).where(SigningKey.kid == claims.kid))
        check_signature(claims, {key.kid: key.public_key} if key else {})
    except TokenInvalid as error:
        return Verification("forged", reason=str(error))
    certificate = db.session.scalar(select(Certificate).where(Certificate.number == claims.number))
    if certificate is None:
        return Verification("not_found", claims=claims, reason=f"no certificate {claims.number}")
    problem = _mismatch(certificate, claims, key)
    if problem:
        return Verification("forged", claims=claims, reason=f"{claims.number}: {problem}")
    return Verification(certificate.status_on(today), certificate=certificate, claims=claims,
                        reason=f"{claims.number} signed by {key.kid} ({key.status})")


def status_payload(verification, checked_at=None):
    """The JSON answer of ``GET /api/v1/verify/<token>``: ``{"status", "checked_at", "certificate"}``.

    ``certificate`` is null unless the token is genuine and names a certificate of the registry;
    a forged or unknown code gets its status and nothing more.
    """
    checked_at = checked_at or utcnow()
    payload = {"status": verification.status, "checked_at": checked_at.isoformat(timespec="seconds"),
               "certificate": None}
    certificate = verification.certificate
    if certificate is None:
        return payload
    facts = json.loads(certificate.snapshot)
    replacement = certificate.superseded_by
    withdrawn = certificate.status in ("suspended", "revoked")
    payload["certificate"] = {
        "number": certificate.number,
        "product": facts.get("product_name"),
        "group": facts.get("group_name"),
        "producer": facts.get("producer_name"),
        "province": facts.get("province_name"),
        "level": certificate.level,
        "level_label": facts.get("level_label"),
        "year": facts.get("year"),
        "decision_number": facts.get("decision_number"),
        "decision_on": facts.get("decision_on"),
        "issuing_authority": facts.get("decision_authority") or (
            certificate.authority.name if certificate.authority is not None else None),
        "issued_on": certificate.issued_on.isoformat(),
        "expires_on": certificate.expires_on.isoformat(),
        "reason_category": certificate.reason_category if withdrawn else None,
        "status_changed_at": (certificate.status_changed_at.isoformat(timespec="seconds")
                              if withdrawn and certificate.status_changed_at else None),
        "superseded_by": replacement.number if replacement is not None else None,
        "key_id": certificate.signing_key.kid,
    }
    return payload
