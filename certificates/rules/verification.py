"""What a scanned token says about a certificate today: valid, expired, suspended, revoked, superseded,
forged or not found.

The token is checked before the database is trusted with it: a token that is
malformed or not signed by a registered key (whatever its status) is
"forged"; so is a well-signed token whose digest, dates or key differ from
the certificate of that number. A number may be used by several authorities ("15/GCN-UBND"), so
the token's number and signed digest name the certificate together. Only then does the certificate's own status
answer. A certificate signed by a key later marked compromised shows its
stored status: :func:`certificates.operations.keys.mark_compromised` suspends them.

Two ways to the same answer: :func:`verify` loads the certificate as an ORM
object (the page shows much of it), :func:`verify_facts` reads only what the
JSON API shows in one Core query, and remembers signature verdicts, so that
the API keeps up with a popular product's QR being scanned by thousands
(``make bench``). A test holds both to the same answer for every status.
"""
import json
from dataclasses import dataclass, fields
from datetime import date, datetime
from functools import lru_cache

from sqlalchemy import String, and_, bindparam, literal, select
from sqlalchemy.orm import aliased

from certificates.rules.signing import Claims, TokenInvalid, check_signature, parse_token, public_key_from_b64
from voting.extensions import db
from voting.models import IssuingAuthority
from certificates.models import Certificate, SigningKey
from voting.models.base import utcnow
from certificates.models.certificate import public_status

STATUSES = ("valid", "expired", "suspended", "revoked", "superseded", "forged", "not_found")
WITHDRAWN = ("suspended", "revoked")


@dataclass(frozen=True)
class CertificateFacts:
    """The columns of a certificate that the public API shows (and its ETag is made of)."""

    id: int
    number: str
    level: str
    status: str
    reason_category: str
    status_changed_at: datetime | None
    issued_on: date
    expires_on: date | None  # None: no expiry
    snapshot: str
    digest: str
    kid: str
    public_key: str
    authority_name: str | None
    superseded_by: str | None
    #: Whether its PDF is stored (an issuance stopped half-way leaves numbered certificates without one).
    document_ready: bool
    #: The stored PDF's digital signature (PAdES): the signing certificate's name and the time; None when unsigned.
    pdf_signed_by: str | None = None
    pdf_signed_at: datetime | None = None

    @classmethod
    def of(cls, certificate):
        replacement = certificate.superseded_by
        return cls(id=certificate.id, number=certificate.number, level=certificate.level,
                   status=str(certificate.status), reason_category=certificate.reason_category,
                   status_changed_at=certificate.status_changed_at, issued_on=certificate.issued_on,
                   expires_on=certificate.expires_on, snapshot=certificate.snapshot, digest=certificate.digest,
                   kid=certificate.signing_key.kid, public_key=certificate.signing_key.public_key,
                   authority_name=certificate.authority.name if certificate.authority is not None else None,
                   superseded_by=replacement.number if replacement is not None else None,
                   document_ready=certificate.pdf_storage_name is not None,
                   pdf_signed_by=certificate.pdf_signed_by, pdf_signed_at=certificate.pdf_signed_at)

    def status_on(self, day):
        return public_status(self.status, self.expires_on, day)


@dataclass
class Verification:
    """The answer to a scan; ``reason`` is for the log, never shown to the public.

    ``certificate`` is the ORM object (from :func:`verify`), ``facts`` its public columns (from
    :func:`verify_facts`, or derived from ``certificate`` on demand).
    """

    status: str
    certificate: Certificate | None = None
    claims: Claims | None = None
    reason: str = ""
    facts: CertificateFacts | None = None

    def public_facts(self):
        if self.facts is None and self.certificate is not None:
            self.facts = CertificateFacts.of(self.certificate)
        return self.facts


def _differs(digest, issued_on, expires_on, claims):
    """Why the signed claims do not describe the certificate of that number, or ""."""
    if not digest.startswith(claims.digest_prefix_hex):
        return "digest differs from the certificate's"
    if (issued_on, expires_on) != (claims.issued_on, claims.expires_on):
        return "dates differ from the certificate's"
    return ""


def _digest_begins(prefix):
    """The digest begins with ``prefix`` (lower-case hex, as every digest), as a range of the index on
    (number, digest), migration 0024b: the digests that begin so sort from the prefix to the prefix and
    "g" (above every hex digit). A seek, where LIKE read each certificate of the number (158 against 3 us).
    Callers compare the prefix again (:func:`_differs`)."""
    return and_(Certificate.digest >= prefix, Certificate.digest < prefix + literal("g"))


def _named_by(claims, options=()):
    """The one certificate the claims name: its number, and among several certificates of that number
    (authorities and years repeat official numbers such as "15/GCN-UBND") the one whose digest the
    token signs; when none has it, one of that number (its digest then makes the token "forged").

    The digest is compared by the database: a number repeats once per authority and year (160 times in the
    benchmark's twenty years), and loading every one with the page's ``options`` cost a scan 13 ms of CPU.
    """
    of_number = select(Certificate).where(Certificate.number == claims.number).options(*options)
    signed = of_number.where(_digest_begins(claims.digest_prefix_hex))
    return (db.session.scalars(signed.order_by(Certificate.id).limit(1)).unique().first()
            or db.session.scalars(of_number.order_by(Certificate.id).limit(1)).unique().first())


def verify(token, today, options=()):
    """Check ``token`` against the published keys and the registry as on ``today``.

    ``options``: loader options for the certificate, so that a page loads what it shows in the same
    statement (:data:`certificates.views.verify.pages.PAGE_LOADS`).
    """
    try:
        claims = parse_token(token)
        key = db.session.scalar(select(SigningKey).where(SigningKey.kid == claims.kid))
        check_signature(claims, {key.kid: key.public_key} if key else {})
    except TokenInvalid as error:
        return Verification("forged", reason=str(error))
    certificate = _named_by(claims, options)
    if certificate is None:
        return Verification("not_found", claims=claims, reason=f"no certificate {claims.number}")
    problem = ("signed by another key than the certificate's" if certificate.signing_key_id != key.id
               else _differs(certificate.digest, certificate.issued_on, certificate.expires_on, claims))
    if problem:
        return Verification("forged", claims=claims, reason=f"{claims.number}: {problem}")
    return Verification(certificate.status_on(today), certificate=certificate, claims=claims,
                        reason=f"{claims.number} signed by {key.kid} ({key.status})")


_Replacement = aliased(Certificate)
FACTS_QUERY = (
    select(Certificate.id, Certificate.number, Certificate.level, Certificate.status, Certificate.reason_category,
           Certificate.status_changed_at, Certificate.issued_on, Certificate.expires_on, Certificate.snapshot,
           Certificate.digest, SigningKey.kid, SigningKey.public_key,
           IssuingAuthority.name.label("authority_name"), _Replacement.number.label("superseded_by"),
           Certificate.pdf_storage_name.is_not(None).label("document_ready"), Certificate.pdf_signed_by,
           Certificate.pdf_signed_at)
    .join(SigningKey, SigningKey.id == Certificate.signing_key_id)
    .outerjoin(IssuingAuthority, IssuingAuthority.id == Certificate.authority_id)
    .outerjoin(_Replacement, _Replacement.supersedes_id == Certificate.id)
    .where(Certificate.number == bindparam("number"), _digest_begins(bindparam("digest_prefix", type_=String)))
)


@lru_cache(maxsize=64)
def _public_key(text):
    return public_key_from_b64(text)


@lru_cache(maxsize=16_384)
def _signed(token, kid, public_key):
    """Whether ``token`` carries a good signature by the key ``kid``: a pure function of its
    arguments (a kid is its key's thumbprint), so each worker checks a given token once."""
    try:
        check_signature(parse_token(token), {kid: _public_key(public_key)})
    except TokenInvalid:
        return False
    return True


def reading_connection():
    """A pooled connection for a scan's reads. On PostgreSQL outside any transaction (autocommit): no BEGIN
    before the first statement and no ROLLBACK when it goes back to the pool, two round trips of a scan's
    four (a kept scan page: 1.53 -> 1.38 ms of CPU in-process); the pool puts the usual isolation back when it
    is returned. Not on SQLite, where switching pysqlite's mode cost more than it saved (0.86 -> 1.10 ms)."""
    connection = db.engine.connect()
    if db.engine.dialect.name == "postgresql":
        connection = connection.execution_options(isolation_level="AUTOCOMMIT")
    return connection


def verify_facts(token, today, connection=None):
    """:func:`verify`'s answer from one query, with ``facts`` in place of the ORM certificate.

    The common case (the certificate of that number and digest exists and names the token's key) is
    answered here; anything else (an unknown number, another digest or key) goes the full way, where
    forged and not found are told apart. ``connection``: one the caller reads more on (a connection taken from the
    pool after lying idle is pinged first, a round trip on PostgreSQL); by default a pooled one of its own.
    """
    return verify_facts_row(token, today, connection)[0]


#: The columns of :data:`FACTS_QUERY` that make a :class:`CertificateFacts` (a query may read more after them).
_FACT_NAMES = tuple(field.name for field in fields(CertificateFacts))
if tuple(column.key for column in FACTS_QUERY.selected_columns) != _FACT_NAMES:
    raise RuntimeError("FACTS_QUERY must read CertificateFacts' fields, in their order")


def verify_facts_row(token, today, connection=None, query=FACTS_QUERY):
    """``(verification, row)``: :func:`verify_facts`'s answer and the row it was read from (None when it went the
    full way). ``query``: :data:`FACTS_QUERY` with more columns after its own, which the caller reads from ``row``
    (the scan page's photo, read in the same statement)."""
    try:
        claims = parse_token(token)
    except TokenInvalid as error:
        return Verification("forged", reason=str(error)), None
    # One statement object for the process (compiled once), on a pooled connection: a Session's
    # bookkeeping would cost this read-only answer ~80 us more (measured, SQLite).
    parameters = {"number": claims.number, "digest_prefix": claims.digest_prefix_hex}
    if connection is None:
        with reading_connection() as connection:
            row = connection.execute(query, parameters).first()
    else:
        row = connection.execute(query, parameters).first()
    if row is None or row.kid != claims.kid:
        full = verify(token, today)
        full.public_facts()
        return full, None
    if not _signed(token, row.kid, row.public_key):
        return Verification("forged", reason="bad signature"), None
    facts = CertificateFacts(*row[:len(_FACT_NAMES)])
    problem = _differs(facts.digest, facts.issued_on, facts.expires_on, claims)
    if problem:
        return Verification("forged", claims=claims, reason=f"{claims.number}: {problem}"), None
    return Verification(facts.status_on(today), claims=claims, facts=facts,
                        reason=f"{claims.number} signed by {facts.kid}"), row


def status_payload(verification, checked_at=None):
    """The JSON answer of ``GET /api/v1/verify/<token>``: ``{"status", "checked_at", "certificate"}``.

    ``certificate`` is null unless the token is genuine and names a certificate of the registry;
    a forged or unknown code gets its status and nothing more.
    """
    checked_at = checked_at or utcnow()
    payload = {"status": verification.status, "checked_at": checked_at.isoformat(timespec="seconds"),
               "certificate": None}
    facts = verification.public_facts()
    if facts is None:
        return payload
    snapshot = json.loads(facts.snapshot)
    withdrawn = facts.status in WITHDRAWN
    payload["certificate"] = {
        "number": facts.number,
        "product": snapshot.get("product_name"),
        "group": snapshot.get("group_name"),
        "producer": snapshot.get("producer_name"),
        "province": snapshot.get("province_name"),
        "level": facts.level,
        "level_label": snapshot.get("level_label"),
        "year": snapshot.get("year"),
        "decision_number": snapshot.get("decision_number"),
        "decision_on": snapshot.get("decision_on"),
        "issuing_authority": snapshot.get("decision_authority") or facts.authority_name,
        "issued_on": facts.issued_on.isoformat(),
        "expires_on": facts.expires_on.isoformat() if facts.expires_on else None,  # None: no expiry
        "reason_category": facts.reason_category if withdrawn else None,
        "status_changed_at": (facts.status_changed_at.isoformat(timespec="seconds")
                              if withdrawn and facts.status_changed_at else None),
        "superseded_by": facts.superseded_by,
        "key_id": facts.kid,
        "document_ready": bool(facts.document_ready),
        # The stored PDF's own digital signature (PAdES), by the issuing authority's certificate; null: unsigned.
        "pdf_signature": ({"signed_by": facts.pdf_signed_by,
                           "signed_at": facts.pdf_signed_at.isoformat(timespec="seconds")}
                          if facts.pdf_signed_by else None),
        # The SHA-256 of the certified facts' canonical form, whose first 16 bytes the token signs
        # (docs/verification.md): binds this answer to the scanned token.
        "snapshot_sha256": facts.digest,
    }
    return payload
