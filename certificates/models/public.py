"""What the public leaves behind: scans of certificates (counted per day) and reports of suspected fakes."""
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from voting.extensions import db
from voting.models.base import UTCDateTime, utcnow


class CertificateScanDay(db.Model):
    """How many times a certificate's verification page or API answered on one day (Vietnam time).

    Only counts: no IP address, no user agent, nothing that identifies who scanned.
    Counts arrive in batches (see ``certificates.scans``), so today's may lag a little.
    """

    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificate.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    scans: Mapped[int] = mapped_column(default=0)

    __table_args__ = (CheckConstraint("scans >= 0", name="scans_not_negative"),)


class SuspectedFakeReport(db.Model):
    """Báo cáo nghi ngờ hàng giả: a member of the public reports a product or label they doubt.

    ``certificate_id`` is set when the report comes from a genuine certificate's page; a forged
    or unknown code is kept as text (``code``) for the organiser to see what was scanned.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int | None] = mapped_column(ForeignKey("certificate.id"), index=True)
    #: The authority whose organisers receive the report (the certificate's issuer).
    authority_id: Mapped[int | None] = mapped_column(ForeignKey("issuing_authority.id"), index=True)
    code: Mapped[str] = mapped_column(String(600), default="")
    where_seen: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text)
    #: Optional, only if the reporter wants an answer.
    contact: Mapped[str] = mapped_column(String(254), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    certificate: Mapped["Certificate | None"] = relationship()  # noqa: F821

    __table_args__ = (CheckConstraint("length(description) > 0", name="description_not_empty"),)
