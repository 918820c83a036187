"""Wrong passwords counted per account and client address: an attacker is held off, the owner is not.

A lock on the account itself would let anyone shut its owner out by typing wrong passwords;
here only the address that typed them waits ``LOCKOUT_MINUTES``.
"""
import ipaddress
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, exists, select, update
from sqlalchemy.dialects import postgresql, sqlite

from voting.extensions import db
from voting.models import LoginFailure, Notification, NotificationKind
from voting.operations.audit import record_event

#: A count of wrong passwords this old starts again (and its row is dropped).
FORGET_AFTER = timedelta(days=1)
#: The owner hears of locks on their account at most this often, however many addresses try.
NOTICE_EVERY = timedelta(hours=1)


def client_key(address):
    """The unit a lock applies to: an IPv4 address, or an IPv6 /64 (what one subscriber gets)."""
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return (address or "unknown")[:64]
    if ip.version == 4:
        return str(ip)
    if ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    return str(ipaddress.ip_network(f"{ip}/64", strict=False))


def held_off_until(user, client, now):
    """Until when ``client`` may not sign in to ``user``, or None."""
    return db.session.scalar(select(LoginFailure.locked_until).where(
        LoginFailure.user_id == user.id, LoginFailure.client == client_key(client),
        LoginFailure.locked_until > now))


def count_wrong_password(user, client, now):
    """Add one wrong password from ``client`` (one upsert, so parallel attempts all count); lock at the threshold."""
    key = client_key(client)
    db.session.execute(delete(LoginFailure).where(
        LoginFailure.user_id == user.id, LoginFailure.last_failed_at < now - FORGET_AFTER,
        (LoginFailure.locked_until.is_(None)) | (LoginFailure.locked_until <= now)))
    insert = (postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert)
    statement = insert(LoginFailure).values(user_id=user.id, client=key, wrong_passwords=1, last_failed_at=now)
    statement = statement.on_conflict_do_update(
        index_elements=[LoginFailure.user_id, LoginFailure.client],
        set_={"wrong_passwords": LoginFailure.wrong_passwords + 1, "last_failed_at": now},
    ).returning(LoginFailure.wrong_passwords)
    count = db.session.execute(statement).scalar_one()
    threshold = current_app.config.get("LOCKOUT_THRESHOLD", 10)
    if threshold and count >= threshold:
        _lock(user, key, count, now)


def _lock(user, key, count, now):
    from voting.operations.notifications import notify_user

    minutes = current_app.config.get("LOCKOUT_MINUTES", 15)
    db.session.execute(update(LoginFailure).where(LoginFailure.user_id == user.id, LoginFailure.client == key)
                       .values(wrong_passwords=0, locked_until=now + timedelta(minutes=minutes)))
    record_event(None, "account.lock", user, data={"wrong_passwords": count, "minutes": minutes, "client": key})
    told_lately = db.session.scalar(select(exists().where(
        Notification.user_id == user.id, Notification.kind == NotificationKind.ACCOUNT_LOCKED,
        Notification.created_at > now - NOTICE_EVERY)))
    if not told_lately:
        notify_user(user, NotificationKind.ACCOUNT_LOCKED, wrong_passwords=count, minutes=minutes, client=key)


def forget_wrong_passwords(user, client=None):
    """Start the count again: for one client (a right password from it), or every client (a reset)."""
    condition = [LoginFailure.user_id == user.id]
    if client is not None:
        condition.append(LoginFailure.client == client_key(client))
    db.session.execute(delete(LoginFailure).where(*condition))
