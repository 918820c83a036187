"""Việc cần làm of a producer: dossiers returned for completion, with the organiser's message, while they can
still be sent again; drafts not yet submitted while their round still takes dossiers, with its closing day and
what the dossier still lacks (the checklist of :func:`voting.rules.eligibility.dossier_missing`).

One query with the products' files loaded alongside: a producer has a handful of applications.
"""
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import selectinload

from voting.extensions import db
from voting.models import Application, ApplicationStatus, Product, Round, RoundStatus
from voting.operations.applications import RESUBMIT_ROUND_STATUSES
from voting.queries.items import WorkItem, WorkQueue
from voting.rules.eligibility import dossier_missing, round_is_open


def producer_queue(producer, today):
    """The producer's waiting dossiers, the soonest deadline first; an empty queue without a producer."""
    if producer is None:
        return WorkQueue([])
    applications = db.session.scalars(
        select(Application).join(Round, Round.id == Application.round_id)
        .where(Application.producer_id == producer.id,
               or_(and_(Application.status == ApplicationStatus.RETURNED, Round.status.in_(RESUBMIT_ROUND_STATUSES)),
                   and_(Application.status == ApplicationStatus.DRAFT,
                        Round.status == RoundStatus.REGISTRATION_OPEN)))
        .order_by(Application.id)
        .options(selectinload(Application.round),
                 selectinload(Application.product).selectinload(Product.files),
                 selectinload(Application.product).selectinload(Product.set_items))).all()
    items = []
    for application in applications:
        round_ = application.round
        returned = application.status == ApplicationStatus.RETURNED
        if not returned and not round_is_open(round_, today):
            continue  # a draft of a round whose window has passed can no longer be sent
        # While registration is open its closing day is the deadline; a dossier returned during screening has none.
        deadline = round_.registration_closes_on if round_.status == RoundStatus.REGISTRATION_OPEN else None
        items.append(WorkItem(
            "returned" if returned else "draft", round_.id, round_.title, 1, "producer.application",
            deadline=deadline, url_args={"application_id": application.id},
            details={"product": application.product.name, "message": application.organiser_message,
                     "missing": dossier_missing(producer, application.product)}))
    return WorkQueue(items)
