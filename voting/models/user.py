"""Accounts, global roles, one-time password-reset tokens and registrations awaiting confirmation."""
from datetime import datetime
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from voting.extensions import db
from voting.models.base import UTCDateTime, utcnow
from voting.models.jurisdiction import JurisdictionMixin


class Role(StrEnum):
    """Global roles. Council roles (chair, secretary, ...) are per round."""

    ADMIN = "admin"
    ORGANISER = "organiser"
    JUROR = "juror"
    PRODUCER = "producer"


ROLE_VALUES_SQL = ", ".join(f"'{r.value}'" for r in Role)


class User(JurisdictionMixin, UserMixin, db.Model):
    """An account. Organisers carry the jurisdiction they act in."""

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased and NFC (see operations.accounts.normalise_email).
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    full_name: Mapped[str] = mapped_column(String(200), default="")
    title: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(20), default="")
    role: Mapped[str] = mapped_column(String(20), index=True)
    producer_id: Mapped[int | None] = mapped_column(ForeignKey("producer.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    producer: Mapped["Producer | None"] = relationship(back_populates="accounts")  # noqa: F821

    __table_args__ = (
        CheckConstraint(f"role IN ({ROLE_VALUES_SQL})", name="role_known"),
        JurisdictionMixin.jurisdiction_check(),
        # Only organisers act within a jurisdiction, and every organiser does.
        CheckConstraint(
            "(role = 'organiser') = (jurisdiction_level IS NOT NULL)", name="organiser_jurisdiction"
        ),
        CheckConstraint("producer_id IS NULL OR role = 'producer'", name="producer_link_role"),
        CheckConstraint("email = lower(email)", name="email_lower"),
    )

    #: Flask-Login's id, ``"<user id>:<session token>"``, and the :class:`UserSession` it names: set
    #: when a session starts (:func:`voting.operations.sessions.start_session`) or is loaded.
    login_id = None
    signed_in_session = None

    def get_id(self):
        if self.login_id is None:
            raise RuntimeError("sign in through voting.core.login_sessions.sign_in, which starts a session")
        return self.login_id

    @property
    def is_active(self):
        return self.active

    @property
    def display_name(self):
        return self.full_name or self.email

    def has_role(self, *roles):
        return self.role in {str(r) for r in roles}

    def __repr__(self):
        return f"<User {self.id} {self.role}>"


class PasswordResetToken(db.Model):
    """A one-time link to set a password; only a hash of the token is stored."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    purpose: Mapped[str] = mapped_column(String(20), default="reset")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(foreign_keys=[user_id])

    __table_args__ = (CheckConstraint("purpose IN ('reset', 'welcome')", name="purpose_known"),)


class PendingRegistration(db.Model):
    """A producer's self-registration waiting for the owner of the address to confirm it.

    Nothing holds the address until then: each registration has its own link, and the one
    confirmed becomes the account (with the password typed in it); the others are dropped.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(20), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (CheckConstraint("email = lower(email)", name="email_lower"),)
