"""Accounts: registration, authentication, passwords, staff accounts."""
import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select, update

from voting.extensions import db
from voting.models import PasswordResetToken, Role, User
from voting.models.base import utcnow
from voting.models.user import new_session_token
from voting.operations.audit import record_event
from voting.passwords import hash_password, needs_rehash, verify_password
from voting.text import nfc


class InvalidToken(Exception):
    """The reset link is unknown, used or expired."""


class AccountLocked(Exception):
    """The right password for an account locked after too many wrong ones; ``until`` is when it opens."""

    def __init__(self, until):
        super().__init__(f"locked until {until}")
        self.until = until


def normalise_email(email):
    return (nfc(email) or "").lower()


def find_user_by_email(email):
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def email_taken(email):
    return db.session.scalar(select(func.count()).where(User.email == normalise_email(email))) > 0


def register_producer(email, password, phone, full_name=""):
    """Create a producer's own account (self-registration)."""
    user = User(
        email=normalise_email(email),
        password_hash=hash_password(password),
        password_changed_at=utcnow(),
        phone=nfc(phone),
        full_name=nfc(full_name) or "",
        role=Role.PRODUCER,
    )
    db.session.add(user)
    record_event(user, "account.register", user)
    return user


def authenticate(email, password, now=None):
    """Return the active user with these credentials, or None.

    Unknown e-mail and wrong password take the same path and the same time. ``LOCKOUT_THRESHOLD``
    wrong passwords in a row lock the account for ``LOCKOUT_MINUTES`` and tell its owner (inbox,
    and e-mail when configured: :func:`lockout_notices`). While it is locked a wrong password is
    only wrong, and the right one raises :class:`AccountLocked`: only who knows the password learns
    of the lock, so a stranger cannot tell a locked account from any other.
    """
    now = now or utcnow()
    user = find_user_by_email(email)
    if user is None or not user.active:
        verify_password(None, password)
        return None
    locked = user.locked_until is not None and user.locked_until > now
    if not verify_password(user.password_hash, password):
        if not locked:
            _count_wrong_password(user, now)
        return None
    if locked:
        raise AccountLocked(user.locked_until)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.failed_logins, user.locked_until = 0, None
    user.last_login_at = now
    return user


def _count_wrong_password(user, now):
    """Add one wrong password (in SQL, so that parallel attempts all count); lock at the threshold."""
    from voting.operations.notifications import notify_user

    count = db.session.execute(update(User).where(User.id == user.id)
                               .values(failed_logins=User.failed_logins + 1)
                               .returning(User.failed_logins)).scalar_one()
    db.session.refresh(user, ["failed_logins"])
    threshold = current_app.config.get("LOCKOUT_THRESHOLD", 10)
    if threshold and count >= threshold:
        minutes = current_app.config.get("LOCKOUT_MINUTES", 15)
        user.locked_until = now + timedelta(minutes=minutes)
        user.failed_logins = 0
        record_event(None, "account.lock", user, data={"wrong_passwords": count, "minutes": minutes})
        notify_user(user, "account_locked", wrong_passwords=count, minutes=minutes)


def lockout_notices(user):
    """The unsent "account locked" messages of ``user`` (for e-mail copies after the commit)."""
    from voting.models import Notification

    return db.session.scalars(select(Notification).where(
        Notification.user_id == user.id, Notification.kind == "account_locked",
        Notification.emailed_at.is_(None), Notification.read_at.is_(None))).all()


def change_password(user, new_password):
    """Set a new password and end the user's other sessions."""
    user.password_hash = hash_password(new_password)
    user.password_changed_at = utcnow()
    user.session_token = new_session_token()
    record_event(user, "account.change_password", user)


def _token_digest(raw_token):
    return hashlib.sha256(raw_token.encode()).hexdigest()


def issue_password_token(actor, user, purpose="reset"):
    """Create a one-time link token for ``user``; return the raw token (shown once).

    Earlier unused tokens of the user are spent, so only the newest link works.
    """
    now = utcnow()
    for old in db.session.scalars(
        select(PasswordResetToken).where(
            PasswordResetToken.user_id == user.id, PasswordResetToken.used_at.is_(None)
        )
    ):
        old.used_at = now
    raw = secrets.token_urlsafe(32)
    hours = current_app.config["PASSWORD_RESET_HOURS"] * (7 if purpose == "welcome" else 1)
    db.session.add(PasswordResetToken(
        user_id=user.id, token_hash=_token_digest(raw), purpose=purpose,
        created_by_id=actor.id if actor else None, created_at=now,
        expires_at=now + timedelta(hours=hours),
    ))
    record_event(actor, f"account.issue_{purpose}_link", user)
    return raw


def user_for_token(raw_token):
    """Return the user a valid, unused token belongs to, or raise InvalidToken."""
    token = db.session.scalar(
        select(PasswordResetToken).where(PasswordResetToken.token_hash == _token_digest(raw_token or ""))
    )
    if token is None or token.used_at is not None or token.expires_at <= utcnow():
        raise InvalidToken()
    if not token.user.active:
        raise InvalidToken()
    return token


def reset_password_with_token(raw_token, new_password):
    """Spend the token and set the password; return the user."""
    token = user_for_token(raw_token)
    token.used_at = utcnow()
    user = token.user
    user.password_hash = hash_password(new_password)
    user.password_changed_at = token.used_at
    user.session_token = new_session_token()
    # Whoever holds a reset link (e-mailed to the owner, or from an administrator) may sign in now.
    user.failed_logins, user.locked_until = 0, None
    record_event(user, "account.reset_password", user, data={"purpose": token.purpose})
    return user


def create_staff_account(actor, *, email, full_name, role, title="", phone="",
                         jurisdiction_level=None, region=None, province=None, commune=None):
    """Create an administrator, organiser or jury account with no password yet.

    Returns ``(user, raw_welcome_token)``: the new user sets a password
    through the one-time welcome link.
    """
    if role == Role.PRODUCER:
        raise ValueError("producers register themselves")
    user = User(
        email=normalise_email(email), full_name=nfc(full_name), title=nfc(title) or "",
        phone=nfc(phone) or "", role=role,
    )
    set_jurisdiction(user, jurisdiction_level if role == Role.ORGANISER else None, region, province, commune)
    db.session.add(user)
    db.session.flush()
    record_event(actor, "account.create", user, data={"role": str(role), "jurisdiction": user.jurisdiction_level})
    return user, issue_password_token(actor, user, purpose="welcome")


def set_jurisdiction(user, level, region=None, province=None, commune=None):
    """Fill the jurisdiction columns in the shape the schema requires."""
    user.jurisdiction_level = level or None
    user.region_id = region.id if (level == "khu_vuc" and region) else None
    user.province_id = None
    user.commune_id = None
    if level == "tinh":
        user.province_id = province.id
    elif level == "xa":
        user.commune_id = commune.id
        user.province_id = commune.province_id


def update_staff_account(actor, user, *, full_name, title, phone, role,
                         jurisdiction_level=None, region=None, province=None, commune=None):
    """Change a staff account's name, title, role or jurisdiction."""
    before = {"role": user.role, "jurisdiction": user.jurisdiction_level}
    user.full_name, user.title, user.phone = nfc(full_name), nfc(title) or "", nfc(phone) or ""
    user.role = role
    set_jurisdiction(user, jurisdiction_level if role == Role.ORGANISER else None, region, province, commune)
    record_event(actor, "account.update", user, data={"before": before, "role": str(role)})


def set_account_active(actor, user, active, reason=""):
    """Enable or disable an account; disabling ends its sessions."""
    user.active = active
    if not active:
        user.session_token = new_session_token()
    record_event(actor, "account.enable" if active else "account.disable", user, reason=reason)
