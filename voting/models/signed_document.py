"""A round's official documents as digitally signed PDFs (PAdES): the recognition decision with its annex, the
council's minutes, the decision founding the council.

Rows are never changed: signing again (a new signer, a corrected decision) adds a row, and the latest of a
document is its official copy; the earlier ones stay, with who signed and when.
"""
from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from voting.extensions import db
from voting.models.base import UTCDateTime, utcnow


class SignedKind(StrEnum):
    DECISION = "decision"  # Quyết định công nhận, with its annex (Danh sách kèm theo) as the following pages
    MINUTES = "minutes"  # Biên bản họp Hội đồng (one per vote)
    FOUNDING = "founding"  # Quyết định thành lập Hội đồng (one per round)


class SignedOrigin(StrEnum):
    SERVER = "server"  # signed here with the authority's key
    UPLOAD = "upload"  # signed by the office with its own tools and uploaded


class SignedDocument(db.Model):
    __tablename__ = "signed_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"))
    #: The vote (decision row) a decision or minutes belong to; none for the founding decision.
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decision.id", ondelete="CASCADE"))
    origin: Mapped[str] = mapped_column(String(10))
    storage_name: Mapped[str] = mapped_column(String(120))
    sha256: Mapped[str] = mapped_column(String(64))
    signed_by: Mapped[str] = mapped_column(String(300))
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    created_by: Mapped["User | None"] = relationship()  # noqa: F821
    round: Mapped["Round"] = relationship()  # noqa: F821

    __table_args__ = (
        CheckConstraint("kind IN ('decision', 'minutes', 'founding')", name="kind_known"),
        CheckConstraint("origin IN ('server', 'upload')", name="origin_known"),
        CheckConstraint("(kind = 'founding') = (decision_id IS NULL)", name="decision_unless_founding"),
        Index("ix_signed_document_of", "round_id", "kind", "decision_id", "id"),
        Index("ix_signed_document_sha256", "sha256"),
    )
