"""The signed registration form (phiếu đăng ký có chữ ký) a producer uploads for an application."""
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from voting.extensions import db
from voting.models.base import UTCDateTime, utcnow


class SignedRegistrationForm(db.Model):
    """The scan of the printed, signed (and perhaps sealed) phiếu đăng ký: one per application.

    A dossier document like a product's files (checked by content, stored outside ``static/`` under a
    random name, never public), but it belongs to the application, not to the product: the form names
    the round it registers for. A new upload replaces the old one.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id", ondelete="CASCADE"), unique=True)
    storage_name: Mapped[str] = mapped_column(String(80), unique=True)
    # The name the user gave, shown back only; never used on disk.
    original_name: Mapped[str] = mapped_column(String(255), default="")
    mime_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int]
    pages: Mapped[int | None]
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    application: Mapped["Application"] = relationship(back_populates="signed_registration_form")  # noqa: F821

    __table_args__ = (
        CheckConstraint("mime_type IN ('application/pdf', 'image/jpeg', 'image/png', 'image/webp')",
                        name="mime_type_known"),
        CheckConstraint("size > 0", name="size_positive"),
    )
