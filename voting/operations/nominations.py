"""Nominations (đề cử): the organiser of a lower round puts certified entries forward to the next level.

The entry in the higher round is an Application of the same product and
producer, submitted at once: the dossier is the product's and is carried
forward ("sử dụng liên thông"), not entered again.
"""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from voting.rules.eligibility import (
    NOMINATED_FROM,
    current_certificate,
    dossier_missing,
    nomination_problems,
    nominating_province_id,
    round_is_open,
)
from voting.rules.entry_names import EntryNames, names_decided
from voting.core.errors import DomainError, InvalidTransition, NotEligible
from voting.extensions import db
from voting.core.locking import lock_row
from voting.models import (
    NotificationKind,
    Application,
    ApplicationStatus,
    Decision,
    DecisionEntry,
    JurisdictionLevel,
    Nomination,
    Round,
    RoundStatus,
    User,
)
from voting.rules.certification import CertificateRecord, certification
from voting.models.base import utcnow
from voting.models.round import COMMITMENTS_NOMINATED
from voting.operations.audit import record_event
from voting.operations.notifications import notify_producer, notify_user
from voting.rules.permissions import can_manage_round
from voting.core.text import nfc, province_name_key, sort_key


def _require_source_organiser(actor, source_application):
    if not can_manage_round(actor, source_application.round):
        raise DomainError("organiser_only")


def _submitted_entry(target_round, source_application):
    """The target round's application of the product, new or a withdrawn one reused, now submitted."""
    application = db.session.scalar(select(Application).where(
        Application.round_id == target_round.id, Application.product_id == source_application.product_id))
    if application is None:
        application = Application(round=target_round, product=source_application.product,
                                  producer=source_application.producer)
        db.session.add(application)
    application.status = ApplicationStatus.SUBMITTED
    application.entry_code = None
    application.withdrawal_reason = application.organiser_message = ""
    application.submitted_at = utcnow()
    application.decided_at = application.decided_by_id = None
    # The lower round's council put it forward: its producer was not asked for the registration form here.
    application.commitments, application.commitments_given_at = COMMITMENTS_NOMINATED, None
    return application


def nominate(actor, source_application, target_round, today):
    """Nominate a certified entry to the next level's round; return ``(nomination, notifications)``.

    :raise DomainError: ``organiser_only`` unless the actor manages the source round.
    :raise NotEligible: the codes of :func:`~voting.rules.eligibility.nomination_problems`, and of
        :func:`~voting.rules.eligibility.dossier_missing` if the dossier is no longer complete.
    """
    _require_source_organiser(actor, source_application)
    # Serialise nominations to one round, so that two organisers never both take a province's last place.
    lock_row(Round, target_round.id)
    problems = nomination_problems(source_application, target_round, today)
    problems += dossier_missing(source_application.producer, source_application.product)
    if problems:
        raise NotEligible(problems)
    application = _submitted_entry(target_round, source_application)
    certificate = current_certificate(source_application)
    nomination = db.session.scalar(select(Nomination).where(
        Nomination.target_round_id == target_round.id,
        Nomination.source_application_id == source_application.id))
    if nomination is None:
        nomination = Nomination(source_application=source_application, target_round=target_round,
                                province_id=nominating_province_id(source_application))
        db.session.add(nomination)
    nomination.source_certificate = certificate
    nomination.target_application = application
    nomination.nominated_by_id, nomination.nominated_at = actor.id, utcnow()
    nomination.withdrawn_at = nomination.withdrawn_by_id = None
    record_event(actor, "nomination.create", nomination, data={
        "source_application": source_application.id, "certificate": certificate.number,
        "target_round": target_round.id, "target_application": application.id})
    return nomination, _notify(nomination, NotificationKind.NOMINATION_RECEIVED, NotificationKind.APPLICATION_NOMINATED)


class NominationsRefused(DomainError):
    """Some of the entries chosen may not be nominated; ``problems`` maps application ids to rule codes."""

    code = "nominations_refused"

    def __init__(self, problems):
        super().__init__(self.code)
        self.problems = problems


def nominate_entries(actor, source_applications, target_round, today):
    """Nominate several entries at once, all or none; return ``(nominations, notifications)``.

    :raise DomainError: ``nothing_chosen`` for an empty choice, ``organiser_only`` as :func:`nominate`.
    :raise NominationsRefused: with every refused entry's problems; nothing is nominated then.
    """
    if not source_applications:
        raise DomainError("nothing_chosen")
    nominations, notes, refused = [], [], {}
    for application in sorted(source_applications, key=lambda a: a.id):
        # nominate() checks every rule before it writes, so a refused entry leaves nothing behind.
        try:
            nomination, sent = nominate(actor, application, target_round, today)
        except NotEligible as error:
            refused[application.id] = error.problems
        else:
            nominations.append(nomination)
            notes.extend(sent)
    if refused:
        raise NominationsRefused(refused)
    return nominations, notes


def _notify(nomination, organiser_kind, producer_kind):
    if nomination.source_application is not None:
        params = {"source_round": nomination.source_application.round.title,
                  "certificate": nomination.source_certificate.number}
    else:  # from a province's paper list
        params = {"source_round": nomination.province.name,
                  "certificate": nomination.source_imported_certificate.number}
    notes = notify_producer(nomination.target_application.producer, producer_kind,
                            nomination.target_application, **params)
    organiser = db.session.get(User, nomination.target_round.created_by_id) \
        if nomination.target_round.created_by_id else None
    if organiser is not None and organiser.active:
        notes.append(notify_user(organiser, organiser_kind, nomination.target_application, **params))
    return notes


def withdraw_nomination(actor, nomination, reason=""):
    """Withdraw a nomination before the target round screens the entry; return the notifications.

    The lower round's organiser withdraws what they nominated; an entry of a
    province's paper list is withdrawn by the organiser who imported it, the
    higher round's (the province has no say on the platform).

    :raise DomainError: ``organiser_only`` for anyone else.
    :raise InvalidTransition: already withdrawn, or the entry was returned, accepted or rejected.
    """
    if nomination.source_application is not None:
        _require_source_organiser(actor, nomination.source_application)
    elif not can_manage_round(actor, nomination.target_round):
        raise DomainError("organiser_only")
    application = nomination.target_application
    if nomination.withdrawn_at is not None or application.status != ApplicationStatus.SUBMITTED:
        raise InvalidTransition(status=application.status)
    application.status = ApplicationStatus.WITHDRAWN
    application.withdrawal_reason = nfc(reason) or ""
    nomination.withdrawn_at, nomination.withdrawn_by_id = utcnow(), actor.id
    record_event(actor, "nomination.withdraw", nomination, reason=application.withdrawal_reason,
                 data={"source_application": nomination.source_application_id,
                       "source_imported_certificate": nomination.source_imported_certificate_id,
                       "target_application": application.id})
    return _notify(nomination, NotificationKind.NOMINATION_WITHDRAWN, NotificationKind.NOMINATION_WITHDRAWN)


@dataclass(frozen=True)
class Candidate:
    """A certified entry of a source round, as its organiser chooses what to nominate."""

    application: Application
    certificate: CertificateRecord
    score: Decimal
    rank: int
    nomination: Nomination | None  # standing nomination to the chosen target round
    listed_as: EntryNames  # the names its decision listed (the product and producer may be renamed since)


def nomination_targets(source_round, today):
    """Open rounds of the next level up that take this round's entries (a region: only its own)."""
    level = next((upper for upper, lower in NOMINATED_FROM.items()
                  if lower == source_round.jurisdiction_level), None)
    if level is None:
        return []
    rounds = db.session.scalars(select(Round).where(
        Round.jurisdiction_level == level, Round.status == RoundStatus.REGISTRATION_OPEN)
        .order_by(Round.registration_closes_on, Round.id)).all()
    region_id = source_round.province.region_id if source_round.province is not None else None
    return [r for r in rounds if round_is_open(r, today) and (
        level != JurisdictionLevel.REGION or r.region_id is None or r.region_id == region_id)]


def nomination_candidates(source_round, target_round=None):
    """The round's entries holding a current certificate, best ranked first."""
    certificates = certification().certified_entries(source_round)
    listed = {(e.decision_id, e.application_id): e for e in db.session.scalars(select(DecisionEntry).where(
        DecisionEntry.decision_id.in_({c.decision_id for c in certificates})))}
    standing = {}
    if target_round is not None:
        standing = {n.source_application_id: n for n in db.session.scalars(select(Nomination).where(
            Nomination.target_round_id == target_round.id, Nomination.withdrawn_at.is_(None)))}
    candidates = []
    for certificate in certificates:
        entry = listed[(certificate.decision_id, certificate.application_id)]
        candidates.append(Candidate(certificate.application, certificate, entry.score, entry.rank,
                                    standing.get(certificate.application_id), names_decided(entry)))
    return sorted(candidates, key=lambda c: (c.rank, c.application.id))


def nominations_made(source_round):
    """Every nomination of this round's entries (standing or withdrawn), newest first."""
    return db.session.scalars(select(Nomination).join(
        Application, Application.id == Nomination.source_application_id)
        .where(Application.round_id == source_round.id)
        .order_by(Nomination.nominated_at.desc(), Nomination.id.desc())).all()


@dataclass(frozen=True)
class NominationRow:
    """One line of the danh sách trích ngang sent with the nominations."""

    nomination_id: int
    application_id: int
    product_name: str
    group_code: str
    group_name: str
    producer_name: str
    province_name: str
    decision_number: str
    decision_on: date | None
    certificate_number: str
    certificate_expires_on: date | None
    status: str
    on_paper: bool  # from a province's paper list rather than a round on the platform


def _source_facts(nomination):
    """Decision number and date, certificate number and expiry of the certificate nominated."""
    if nomination.source_certificate is not None:
        certificate = nomination.source_certificate
        decision = db.session.get(Decision, certificate.decision_id)
        return decision.decision_number or "", decision.decision_on, certificate.number, certificate.expires_on
    paper = nomination.source_imported_certificate
    return paper.decision_number, paper.decision_on, paper.number, paper.valid_until


@dataclass(frozen=True)
class NominationFacts:
    """Where a nominated entry came from, as its screening page and its producer see it."""

    nomination: Nomination
    source_title: str  # the lower round, or the province's paper list
    decision_number: str
    decision_on: date | None
    certificate_number: str
    certificate_expires_on: date | None


def nomination_facts(application):
    """The standing nomination that brought ``application`` into its round, or None."""
    nomination = db.session.scalar(select(Nomination).where(
        Nomination.target_application_id == application.id, Nomination.withdrawn_at.is_(None)))
    if nomination is None:
        return None
    title = nomination.source_application.round.title if nomination.source_application else ""
    return NominationFacts(nomination, title, *_source_facts(nomination))


def nomination_list(target_round):
    """The round's standing nominations as plain rows, by province, then product name."""
    nominations = db.session.scalars(select(Nomination).where(
        Nomination.target_round_id == target_round.id, Nomination.withdrawn_at.is_(None))
        .options(selectinload(Nomination.target_application).selectinload(Application.product),
                 selectinload(Nomination.target_application).selectinload(Application.producer),
                 selectinload(Nomination.province))).all()
    rows = []
    for nomination in nominations:
        entry = nomination.target_application
        rows.append(NominationRow(
            nomination.id, entry.id, entry.product.name, entry.product.group_code, entry.product.group.name,
            entry.producer.name,
            nomination.province.name, *_source_facts(nomination), str(entry.status),
            nomination.source_application_id is None))
    return sorted(rows, key=lambda row: (sort_key(province_name_key(row.province_name)), sort_key(row.product_name), row.nomination_id))
