"""The in-app inbox, and e-mail copies when SMTP is configured."""
import json
import smtplib

from flask import current_app, render_template
from sqlalchemy import select

from voting.extensions import db
from voting.core.mail import mail_configured, send_mail
from voting.models import Notification, User
from voting.models.base import utcnow
from voting.core.security import public_url


def notify_producer(producer, kind, application=None, **params):
    """Put a message in the inbox of every account of ``producer``; return them."""
    notes = []
    for user in producer.accounts:
        if not user.active:
            continue
        note = Notification(user_id=user.id, kind=kind, application=application,
                            params=json.dumps(params, ensure_ascii=False, default=str))
        db.session.add(note)
        notes.append(note)
    return notes


def notify_user(user, kind, application=None, **params):
    """Put one message in one user's inbox (jurors, organisers); return it."""
    note = Notification(user_id=user.id, kind=kind, application=application,
                        params=json.dumps(params, ensure_ascii=False, default=str))
    db.session.add(note)
    return note


def deliver_emails(notifications):
    """E-mail copies of committed notifications; failures are logged, never raised.

    Called after the commit, so a message never describes a change that was
    rolled back; the inbox is the record, e-mail only a courtesy.
    """
    if not mail_configured():
        return 0
    sent = 0
    for note in notifications:
        user = db.session.get(User, note.user_id)
        link = public_url("account.inbox")
        try:
            send_mail(user.email, render_template("notifications/subject.txt", note=note).strip(),
                      render_template("notifications/email.txt", note=note, user=user, link=link))
        except (smtplib.SMTPException, OSError) as error:
            current_app.logger.warning("could not e-mail notification %s: %s", note.id, error)
            continue
        note.emailed_at = utcnow()
        sent += 1
    db.session.commit()
    return sent


def unread_count(user):
    from sqlalchemy import func

    return db.session.scalar(select(func.count(Notification.id)).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)))


def mark_read(user, notification_ids=None):
    """Mark the user's notifications (all, or the given ids) as read."""
    query = select(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    if notification_ids is not None:
        query = query.where(Notification.id.in_(notification_ids))
    now = utcnow()
    for note in db.session.scalars(query):
        note.read_at = now
