"""The in-app inbox: operations record each message as a :class:`Notification` row (flushed with
the change it tells of, committed by the caller). Sending its e-mail copy is infrastructure, after
the commit: :func:`voting.core.mail.deliver_emails`."""
import json

from sqlalchemy import select

from voting.extensions import db
from voting.models import Notification
from voting.models.base import utcnow


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
