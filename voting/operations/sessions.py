"""Signed-in sessions, one row per browser: signing out ends that one; a password change, a reset,
"sign out everywhere" or disabling the account ends them all.
"""
import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, select

from voting.extensions import db
from voting.models import UserSession
from voting.models.base import utcnow
from voting.operations.audit import record_event

#: last_seen_at is written at most this often: a signed-in page view is not a write every time.
SEEN_EVERY = timedelta(minutes=5)
#: However the setting reads, a remembered session never outlives this.
LONGEST_REMEMBER = timedelta(days=30)


def _digest(raw_token):
    return hashlib.sha256(raw_token.encode()).hexdigest()


def _lifetime(remember):
    config = current_app.config
    if remember:
        return min(config["REMEMBER_COOKIE_DURATION"], LONGEST_REMEMBER)
    return config["PERMANENT_SESSION_LIFETIME"]


def start_session(user, *, remember=False, client="", address="", now=None):
    """Record a new signed-in session of ``user`` and return it.

    ``user.login_id`` becomes Flask-Login's id for it, ``"<user id>:<token>"``: the token lives
    only in the browser's cookies, the row keeps its hash. A remembered session lasts
    ``REMEMBER_COOKIE_DURATION`` (at most 30 days), another one ``PERMANENT_SESSION_LIFETIME``.
    """
    now = now or utcnow()
    db.session.execute(delete(UserSession).where(UserSession.user_id == user.id, UserSession.expires_at <= now))
    raw = secrets.token_urlsafe(32)
    row = UserSession(user_id=user.id, token_hash=_digest(raw), remember=bool(remember),
                      client=(client or "")[:100], address=(address or "")[:45],
                      created_at=now, last_seen_at=now, expires_at=now + _lifetime(remember))
    db.session.add(row)
    db.session.flush()
    user.login_id, user.signed_in_session = f"{user.id}:{raw}", row
    return row


def session_for(login_id, now=None):
    """The live session that Flask-Login's id ``"<user id>:<token>"`` names, or None.

    None too when the session has expired or its account is disabled.
    """
    user_id, _, raw = (login_id or "").partition(":")
    if not user_id.isdigit() or not raw:
        return None
    row = db.session.scalar(select(UserSession).where(UserSession.token_hash == _digest(raw)))
    if row is None or row.user_id != int(user_id) or row.expires_at <= (now or utcnow()):
        return None
    if not row.user.active:
        return None
    return row


def note_activity(row, now=None):
    """Move the session's "last seen" forward when it is older than :data:`SEEN_EVERY`; True if it moved."""
    now = now or utcnow()
    if now - row.last_seen_at < SEEN_EVERY:
        return False
    row.last_seen_at = now
    return True


def end_session(row):
    """End one session (signing out of this browser): its cookies sign nobody in any more."""
    db.session.delete(row)


def end_all_sessions(user):
    """End every session of ``user`` (no audit event: the caller's operation records one); their number."""
    return db.session.execute(delete(UserSession).where(UserSession.user_id == user.id)).rowcount


def sign_out_everywhere(user):
    """The owner ends all their sessions, this browser's too ("Đăng xuất khỏi mọi thiết bị")."""
    ended = end_all_sessions(user)
    record_event(user, "account.end_all_sessions", user, data={"sessions": ended})
    return ended


def live_sessions(user, now=None):
    """The user's unexpired sessions, the most recently seen first."""
    return db.session.scalars(
        select(UserSession).where(UserSession.user_id == user.id, UserSession.expires_at > (now or utcnow()))
        .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())).all()
