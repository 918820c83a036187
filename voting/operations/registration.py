"""Producers register themselves, and the account exists once the address's owner confirms it.

Registration answers the same whether or not the address has an account: the form never says
"this e-mail is taken". The owner of the address learns which by e-mail — a confirmation link for
a new address, a note that someone tried (with a sign-in and reset hint) for an existing one.
"""
import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, select

from voting.extensions import db
from voting.models import PendingRegistration, User
from voting.models.base import utcnow
from voting.operations.accounts import (
    InvalidToken,
    create_producer_account,
    email_taken,
    find_user_by_email,
    normalise_email,
)
from voting.core.passwords import hash_password
from voting.core.text import nfc


@dataclass
class RegistrationRequest:
    """What a registration form led to: what to e-mail, and to whom."""

    email: str
    #: The address already has this account: nothing is created, its owner is told.
    existing: User | None = None
    #: For a new address, the confirmation link's token (shown once, in the e-mail).
    token: str | None = None


def _digest(raw_token):
    return hashlib.sha256(raw_token.encode()).hexdigest()


def confirmation_hours():
    return current_app.config["PASSWORD_RESET_HOURS"]


def request_registration(email, password, phone, full_name="", now=None):
    """Keep a registration until the address's owner confirms it; nothing for an address with an account.

    The password is hashed on both paths, so that neither answers sooner.
    """
    now = now or utcnow()
    email = normalise_email(email)
    password_hash = hash_password(password)
    db.session.execute(delete(PendingRegistration).where(PendingRegistration.expires_at <= now))
    existing = find_user_by_email(email)
    if existing is not None:
        return RegistrationRequest(email, existing=existing)
    raw = secrets.token_urlsafe(32)
    db.session.add(PendingRegistration(
        email=email, full_name=nfc(full_name) or "", phone=nfc(phone) or "", password_hash=password_hash,
        token_hash=_digest(raw), created_at=now, expires_at=now + timedelta(hours=confirmation_hours())))
    return RegistrationRequest(email, token=raw)


def pending_registration(raw_token, now=None):
    """The unexpired registration a confirmation token names, or raise :class:`InvalidToken`."""
    pending = db.session.scalar(
        select(PendingRegistration).where(PendingRegistration.token_hash == _digest(raw_token or "")))
    if pending is None or pending.expires_at <= (now or utcnow()) or email_taken(pending.email):
        raise InvalidToken()
    return pending


def confirm_registration(raw_token, now=None):
    """Create the producer account that the confirmed registration describes, and return it.

    Every other registration of the same address is dropped with it: their links stop working.
    """
    pending = pending_registration(raw_token, now)
    user = create_producer_account(pending.email, pending.password_hash, pending.phone, pending.full_name)
    db.session.execute(delete(PendingRegistration).where(PendingRegistration.email == pending.email))
    return user
