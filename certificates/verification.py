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


def status_payload(verification):
    """The JSON answer of ``GET /api/v1/verify/<token>``: just the status when there is no certificate."""
    certificate = verification.certificate
    if certificate is None:
        return {"status": verification.status}
    facts = json.loads(certificate.snapshot)
    replacement = certificate.superseded_by
    return {
        "status": verification.status,
        "number": certificate.number,
        "issued_on": certificate.issued_on.isoformat(),
        "expires_on": certificate.expires_on.isoformat(),
        "product": facts.get("product_name"),
        "producer": facts.get("producer_name"),
        "province": facts.get("province_name"),
        "level": facts.get("level_label"),
        "year": facts.get("year"),
        "superseded_by": replacement.number if replacement is not None else None,
    }
