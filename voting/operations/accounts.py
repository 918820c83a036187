"""Accounts: registration, authentication, passwords, staff accounts."""
import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select

from voting.extensions import db
from voting.models import NotificationKind, PasswordResetToken, Role, User
from voting.models.base import utcnow
from voting.operations.audit import record_event
from voting.operations.lockout import count_wrong_password, forget_wrong_passwords, held_off_until
from voting.operations.sessions import end_all_sessions
from voting.core.passwords import hash_password, needs_rehash, verify_password
from voting.core.text import nfc


class InvalidToken(Exception):
    """The reset link is unknown, used or expired."""


class AccountLocked(Exception):
    """The right password, from an address held off the account after too many wrong ones; ``until`` is when it may try again."""

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
    """Create a producer's own account at once (demo data and tests; people confirm by e-mail first)."""
    return create_producer_account(email, hash_password(password), phone, full_name)


def create_producer_account(email, password_hash, phone, full_name=""):
    """Create a producer's account from what the producer typed (the password already hashed)."""
    user = User(
        email=normalise_email(email),
        password_hash=password_hash,
        password_changed_at=utcnow(),
        phone=nfc(phone),
        full_name=nfc(full_name) or "",
        role=Role.PRODUCER,
    )
    db.session.add(user)
    record_event(user, "account.register", user)
    return user


def authenticate(email, password, client="", now=None):
    """Return the active user with these credentials, or None.

    Unknown e-mail and wrong password take the same path and the same time. ``LOCKOUT_THRESHOLD``
    wrong passwords in a row from one client address hold that address off the account for
    ``LOCKOUT_MINUTES`` (:mod:`voting.operations.lockout`) and tell its owner; the right password
    from anywhere else still signs in. While held off a wrong password is only wrong, and the right
    one raises :class:`AccountLocked`: only who knows the password learns of the lock.
    """
    now = now or utcnow()
    user = find_user_by_email(email)
    if user is None or not user.active:
        verify_password(None, password)
        return None
    locked_until = held_off_until(user, client, now)
    if not verify_password(user.password_hash, password):
        if locked_until is None:
            count_wrong_password(user, client, now)
        return None
    if locked_until is not None:
        raise AccountLocked(locked_until)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    forget_wrong_passwords(user, client)
    user.last_login_at = now
    return user


def lockout_notices(user):
    """The unsent "account locked" messages of ``user`` (for e-mail copies after the commit)."""
    from voting.models import Notification

    return db.session.scalars(select(Notification).where(
        Notification.user_id == user.id, Notification.kind == NotificationKind.ACCOUNT_LOCKED,
        Notification.emailed_at.is_(None), Notification.read_at.is_(None))).all()


def change_password(user, new_password):
    """Set a new password and end every session of the user (the view signs this browser in again)."""
    user.password_hash = hash_password(new_password)
    user.password_changed_at = utcnow()
    ended = end_all_sessions(user)
    record_event(user, "account.change_password", user, data={"sessions_ended": ended})


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
    ended = end_all_sessions(user)
    # Whoever holds a reset link (e-mailed to the owner, or from an administrator) may sign in now.
    forget_wrong_passwords(user)
    record_event(user, "account.reset_password", user, data={"purpose": token.purpose, "sessions_ended": ended})
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
    data = {} if active else {"sessions_ended": end_all_sessions(user)}
    record_event(actor, "account.enable" if active else "account.disable", user, reason=reason, data=data)
