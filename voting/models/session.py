"""Who is signed in where, and which client addresses are held off an account."""
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from voting.extensions import db
from voting.models.base import UTCDateTime, utcnow
from voting.models.user import User


class UserSession(db.Model):
    """One signed-in browser (phiên đăng nhập): made at sign-in, deleted at sign-out.

    Flask-Login's id (in the session cookie and the "remember me" cookie) is
    ``"<user id>:<token>"``; only a hash of the token is stored, and a cookie whose row is gone
    signs nobody in.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    remember: Mapped[bool] = mapped_column(default=False)
    # What the owner sees in the list of sessions: "Firefox · Windows", and the client's address.
    client: Mapped[str] = mapped_column(String(100), default="")
    address: Mapped[str] = mapped_column(String(45), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class LoginFailure(db.Model):
    """Wrong passwords in a row for one account from one client address (an IPv6 /64).

    At ``LOCKOUT_THRESHOLD`` that address is held off the account until ``locked_until``; the
    account itself stays open to its owner elsewhere.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    client: Mapped[str] = mapped_column(String(64))
    wrong_passwords: Mapped[int] = mapped_column(default=0, server_default="0")
    last_failed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        # The upsert that counts a wrong password (atomically, on both databases) needs it.
        UniqueConstraint("user_id", "client"),
        CheckConstraint("wrong_passwords >= 0", name="wrong_passwords_not_negative"),
    )
