"""Certificates (giấy chứng nhận), their numbering and the keys that sign them.

A certificate keeps a snapshot of what was certified as it stood at issue, so
that later edits of the producer or the product never change a certificate;
a correction is a new certificate that supersedes the old one.
"""
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from voting.extensions import db
from voting.models.base import UTCDateTime, folded_number_default, utcnow
from voting.core.text import fold_number


class KeyStatus(StrEnum):
    ACTIVE = "active"          # signs new certificates
    RETIRED = "retired"        # no longer signs; its certificates still verify
    COMPROMISED = "compromised"  # its certificates are suspended until re-issued


class SigningKey(db.Model):
    """An Ed25519 public key the platform signs with; the private key lives in a file, never here.

    ``kid`` is the RFC 7638 thumbprint of the public key (base64url, shortened);
    retired and compromised keys stay published so that old tokens still verify.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    kid: Mapped[str] = mapped_column(String(64), unique=True)
    #: The key's raw 32-byte public key, base64url without padding.
    public_key: Mapped[str] = mapped_column(String(64), unique=True)
    #: None: the platform's key; otherwise the issuing authority's own.
    authority_id: Mapped[int | None] = mapped_column(ForeignKey("issuing_authority.id"))
    #: "platform" or "authority:<id>": at most one active key per scope (NULLs would not collide
    #: in a unique index on authority_id, hence a column of its own).
    scope: Mapped[str] = mapped_column(String(30), default="platform")
    status: Mapped[str] = mapped_column(String(20), default=KeyStatus.ACTIVE)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    compromised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        CheckConstraint("status IN ('active', 'retired', 'compromised')", name="status_known"),
        CheckConstraint("(authority_id IS NULL) = (scope = 'platform')", name="scope_matches_authority"),
        Index("uq_signing_key_one_active", "scope", unique=True,
              sqlite_where=text("status = 'active'"), postgresql_where=text("status = 'active'")),
    )


class CertificateCounter(db.Model):
    """The last sequence number used per authority, level and year; locked while a number is taken.

    Taking a number and inserting the certificate happen in one transaction, so a
    rolled-back issuance gives its number back: no duplicates and no gaps.
    """

    authority_id: Mapped[int] = mapped_column(ForeignKey("issuing_authority.id"), primary_key=True)
    level: Mapped[str] = mapped_column(String(10), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    last_sequence: Mapped[int] = mapped_column(default=0)

    __table_args__ = (CheckConstraint("last_sequence >= 0", name="sequence_not_negative"),)


class CertificateStatus(StrEnum):
    VALID = "valid"
    SUSPENDED = "suspended"
    REVOKED = "revoked"
    SUPERSEDED = "superseded"


class PublicStatus(StrEnum):
    """What the public is shown of a certificate on a day: its stored status, or "expired" for a valid
    one past its date, or "unstated" for a paper certificate that never said how long it holds."""

    VALID = "valid"
    EXPIRED = "expired"
    SUSPENDED = "suspended"
    REVOKED = "revoked"
    SUPERSEDED = "superseded"
    UNSTATED = "unstated"


class ReasonCategory(StrEnum):
    """Why a certificate was suspended or revoked (the text adds the details)."""

    COMPLAINT_UPHELD = "complaint_upheld"
    FALSE_DECLARATION = "false_declaration"
    QUALITY_VIOLATION = "quality_violation"
    PRODUCER_REQUEST = "producer_request"
    KEY_COMPROMISED = "key_compromised"   # set by the platform when a signing key is declared compromised
    OTHER = "other"


#: The categories an organiser chooses from, in the order the form lists them.
REASON_CATEGORIES = tuple(ReasonCategory)


class Certificate(db.Model):
    """Giấy chứng nhận sản phẩm CNNT tiêu biểu for one certified entry of a decision."""

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Unique per issuing authority and year only: two provinces may both issue "15/GCN-UBND".
    # Indexed with the digest (ix_certificate_number_digest, below): every QR scan looks its certificate up by
    # the number and digest prefix its token signs (the number is not unique on its own).
    number: Mapped[str] = mapped_column(String(60))
    #: ``voting.core.text.fold_number(number)``: what every lookup by number compares (set with the number).
    number_folded: Mapped[str] = mapped_column(String(120), index=True, default=folded_number_default)
    authority_id: Mapped[int] = mapped_column(ForeignKey("issuing_authority.id"), index=True)
    level: Mapped[str] = mapped_column(String(10))
    year: Mapped[int]
    #: From the authority's counter; None for a paper certificate re-issued under its own number.
    sequence: Mapped[int | None]
    #: Round, entry and decision of a certificate issued here; all None for a re-issued paper
    #: certificate, which names its :class:`ImportedCertificate` instead.
    round_id: Mapped[int | None] = mapped_column(ForeignKey("round.id"), index=True)
    application_id: Mapped[int | None] = mapped_column(ForeignKey("application.id"), index=True)
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decision.id"))
    imported_certificate_id: Mapped[int | None] = mapped_column(ForeignKey("imported_certificate.id"), index=True)
    #: Canonical JSON of the certified facts as at issue (product, group, producer, address,
    #: province, level, year, decision, signer); ``digest`` is its SHA-256, bound into the token.
    snapshot: Mapped[str] = mapped_column(Text)
    digest: Mapped[str] = mapped_column(String(64))
    issued_on: Mapped[date]
    #: None: the certificate does not expire (its round said so; the token holds 0xFFFF).
    expires_on: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(20), default=CertificateStatus.VALID, index=True)
    reason_category: Mapped[str] = mapped_column(String(30), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    status_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status_changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    #: A corrected certificate names the one it replaces (which is then "superseded").
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("certificate.id"), unique=True)
    signing_key_id: Mapped[int] = mapped_column(ForeignKey("signing_key.id"), index=True)
    token: Mapped[str] = mapped_column(Text)
    #: The stored PDF (written once, served from storage afterwards) and its SHA-256.
    pdf_storage_name: Mapped[str | None] = mapped_column(String(80))
    pdf_sha256: Mapped[str | None] = mapped_column(String(64))
    #: The stored PDF's digital signature (PAdES), when its authority signed it: the signing certificate's name
    #: and the signing time. Both or neither; a signature is never stored without its PDF.
    pdf_signed_by: Mapped[str | None] = mapped_column(String(300))
    pdf_signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: A copy the authority signed with its own tools and uploaded (the platform's PDF, a signature appended): handed
    #: out in its place; the signer and time above are then this copy's. The platform's own file stays stored.
    signed_pdf_storage_name: Mapped[str | None] = mapped_column(String(120))
    signed_pdf_sha256: Mapped[str | None] = mapped_column(String(64))
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    application: Mapped["Application | None"] = relationship()  # noqa: F821
    imported_certificate: Mapped["ImportedCertificate | None"] = relationship()  # noqa: F821
    authority: Mapped["IssuingAuthority"] = relationship()  # noqa: F821
    signing_key: Mapped[SigningKey] = relationship()
    supersedes: Mapped["Certificate | None"] = relationship(remote_side=[id], back_populates="superseded_by")
    superseded_by: Mapped["Certificate | None"] = relationship(back_populates="supersedes", uselist=False)

    __table_args__ = (
        UniqueConstraint("authority_id", "level", "year", "sequence"),
        # Official numbers ("15/GCN-UBND") repeat across authorities and years, never within one.
        UniqueConstraint("authority_id", "year", "number"),
        CheckConstraint("status IN ('valid', 'suspended', 'revoked', 'superseded')", name="status_known"),
        CheckConstraint("expires_on IS NULL OR expires_on > issued_on", name="expires_after_issue"),
        CheckConstraint("sequence >= 1", name="sequence_positive"),
        CheckConstraint("status IN ('valid', 'superseded') OR length(reason) > 0", name="reason_when_withdrawn"),
        CheckConstraint("(pdf_signed_by IS NULL) = (pdf_signed_at IS NULL)"
                        " AND (pdf_signed_by IS NULL OR pdf_storage_name IS NOT NULL)", name="pdf_signature_with_pdf"),
        # A scan names its certificate by number and digest prefix (certificates/rules/verification.py): one seek.
        Index("ix_certificate_number_digest", "number", "digest"),
        # One current certificate per entry: corrections supersede, they do not duplicate.
        # A PDF dropped on the public check page is found by its SHA-256 (certificates/rules/document_check.py).
        Index("ix_certificate_pdf_sha256", "pdf_sha256"),
        Index("ix_certificate_signed_pdf_sha256", "signed_pdf_sha256"),
        CheckConstraint("(signed_pdf_storage_name IS NULL) = (signed_pdf_sha256 IS NULL)"
                        " AND (signed_pdf_storage_name IS NULL OR pdf_signed_by IS NOT NULL)", name="signed_copy_known"),
        Index("uq_certificate_current_per_entry", "application_id", unique=True,
              sqlite_where=text("status <> 'superseded'"), postgresql_where=text("status <> 'superseded'")),
        Index("uq_certificate_current_per_import", "imported_certificate_id", unique=True,
              sqlite_where=text("status <> 'superseded'"), postgresql_where=text("status <> 'superseded'")),
        # Issued here (an entry of a decision, numbered by the counter) or a paper one re-issued.
        CheckConstraint("(application_id IS NOT NULL AND round_id IS NOT NULL AND decision_id IS NOT NULL"
                        " AND sequence IS NOT NULL AND imported_certificate_id IS NULL)"
                        " OR (application_id IS NULL AND imported_certificate_id IS NOT NULL)",
                        name="issued_here_or_reissued"),
    )

    @validates("number")
    def _fold_number(self, _key, number):
        self.number_folded = fold_number(number)
        return number

    def status_on(self, day):
        """The status as the public sees it on ``day``: "expired" follows from the date."""
        return public_status(self.status, self.expires_on, day)


def public_status(status, expires_on, day):
    """A stored status as the public sees it on ``day``: a valid certificate past its date is "expired".

    ``expires_on`` None: a certificate without expiry, valid until withdrawn.
    """
    if status == CertificateStatus.VALID and expires_on is not None and day > expires_on:
        return PublicStatus.EXPIRED
    return PublicStatus(status)
