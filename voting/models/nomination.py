"""Nominations (đề cử) of certified entries from one level's round to the next level's."""
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from voting.extensions import db
from voting.models.base import UTCDateTime, utcnow


class Nomination(db.Model):
    """Đề cử: a lower round's certified entry put forward to a higher round.

    The entry in the higher round is an ordinary :class:`Application` of the
    same product and producer, so the dossier is carried forward ("sử dụng liên
    thông"), never entered again. A withdrawn nomination keeps its row (with
    ``withdrawn_at``); nominating the entry again revives it.

    A province still on paper sends its list to the higher round's organiser,
    who imports it: such a nomination has no source entry on the platform and
    names the paper certificate (:class:`ImportedCertificate`) instead.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    source_application_id: Mapped[int | None] = mapped_column(ForeignKey("application.id"), index=True)
    #: The certificate that made the entry eligible when it was nominated.
    source_certificate_id: Mapped[int | None] = mapped_column(ForeignKey("certificate.id"), index=True)
    source_imported_certificate_id: Mapped[int | None] = mapped_column(
        ForeignKey("imported_certificate.id"), index=True)
    #: The province the nomination counts against (quota, danh sách by province).
    province_id: Mapped[int] = mapped_column(ForeignKey("province.id"), index=True)
    target_round_id: Mapped[int] = mapped_column(ForeignKey("round.id"), index=True)
    target_application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), unique=True)
    nominated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    nominated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    source_application: Mapped["Application"] = relationship(  # noqa: F821
        foreign_keys=[source_application_id])
    target_application: Mapped["Application"] = relationship(  # noqa: F821
        foreign_keys=[target_application_id])
    source_certificate: Mapped["Certificate | None"] = relationship()  # noqa: F821
    source_imported_certificate: Mapped["ImportedCertificate | None"] = relationship()  # noqa: F821
    province: Mapped["Province"] = relationship()  # noqa: F821
    target_round: Mapped["Round"] = relationship()  # noqa: F821

    __table_args__ = (
        UniqueConstraint("target_round_id", "source_application_id"),
        UniqueConstraint("target_round_id", "source_imported_certificate_id"),
        # From an entry certified here, or from a paper list: exactly one of the two.
        CheckConstraint("(source_application_id IS NOT NULL AND source_certificate_id IS NOT NULL"
                        " AND source_imported_certificate_id IS NULL)"
                        " OR (source_application_id IS NULL AND source_certificate_id IS NULL"
                        " AND source_imported_certificate_id IS NOT NULL)", name="one_source"),
        # The summary report's path upward reads the nominations per higher round and province from this index
        # alone (migration 0022c).
        Index("ix_nomination_path_upward", "target_round_id", "province_id", "withdrawn_at", "target_application_id"),
    )

    @property
    def is_active(self):
        return self.withdrawn_at is None
