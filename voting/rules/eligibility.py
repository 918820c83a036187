"""Who may enter which round with what: the one place these rules live.

Producers enter commune and provincial rounds themselves
(:func:`application_problems`); regional and national rounds take entries only
by nomination of a certified entry from the level below
(:func:`nomination_problems`), or from a province's paper list of entries it
certified on paper (:func:`paper_list_problems`, :func:`paper_nomination_problems`).
"""
import re

from sqlalchemy import func, select

from voting.extensions import db
from voting.models import (
    Application,
    ApplicationStatus,
    LOCKING_STATUSES,
    PENDING_STATUSES,
    DecisionEntry,
    JurisdictionLevel,
    Nomination,
    RoundStatus,
)
from voting.rules.certification import EXPIRED, VALID, certification
from voting.rules.results import latest_decision
from voting.rules.validation import registration_number_problem
from voting.core.text import fold

MIN_PHOTOS = 3
#: The level whose certified entries each nomination level takes (đề cử lên cấp trên).
NOMINATED_FROM = {JurisdictionLevel.REGION: JurisdictionLevel.PROVINCE,
                  JurisdictionLevel.NATIONAL: JurisdictionLevel.REGION}
#: Levels entered only by nomination from the level below.
NOMINATION_LEVELS = set(NOMINATED_FROM)
#: A round has certified its entries once issuance has started.
CERTIFIED_ROUND_STATUSES = (RoundStatus.CERTIFYING, RoundStatus.CLOSED)
#: Khu công nghiệp, cụm công nghiệp and their abbreviations (KCN, CCN, khu CN, cụm CN), on the folded address.
_INDUSTRIAL_ZONE = re.compile(r"\b(?:(?:khu|cum) (?:cong nghiep|cn)|kcn|ccn)\b")


def round_is_open(round_, today):
    return (round_.status == RoundStatus.REGISTRATION_OPEN
            and round_.registration_opens_on <= today <= round_.registration_closes_on)


def round_covers_producer(round_, producer):
    """True if the producer's address lies in the round's jurisdiction."""
    level = round_.jurisdiction_level
    if level == JurisdictionLevel.COMMUNE:
        return producer.commune_id is not None and producer.commune_id == round_.commune_id
    if level == JurisdictionLevel.PROVINCE:
        return producer.province_id == round_.province_id
    if level == JurisdictionLevel.REGION:
        return round_.region_id is None or producer.province.region_id == round_.region_id
    return level == JurisdictionLevel.NATIONAL


def rural_flags(producer):
    """Return the codes of :data:`RURAL_FLAGS` that ``producer``'s place raises (empty: nothing to check).

    The programme is for industry in rural areas, but the rules let a council accept rural industry
    in an urban ward in some cases: a flag asks the organiser to decide, it refuses nothing. The
    commune's kind (xã, phường, đặc khu) comes from the ``vietnam-provinces`` package; the address
    is matched without diacritics or case ("Lô 3, KCN Quế Võ", "cụm công nghiệp Cam Thịnh").
    """
    flags = []
    if producer.commune is not None and producer.commune.division_type == "phường":
        flags.append("ward")
    if _INDUSTRIAL_ZONE.search(fold(producer.address)):
        flags.append("industrial_zone")
    return flags


def application_problems(producer, product, round_, today):
    """Return codes of the rules that stop ``product`` entering ``round_`` now (empty: eligible)."""
    problems = []
    if product.producer_id != producer.id:
        problems.append("not_own_product")
    if round_.jurisdiction_level in NOMINATION_LEVELS:
        problems.append("nomination_only")
    elif not round_covers_producer(round_, producer):
        problems.append("outside_jurisdiction")
    if not round_is_open(round_, today):
        problems.append("round_not_open")
    existing = db.session.scalar(select(Application).where(
        Application.round_id == round_.id, Application.product_id == product.id))
    if existing is not None and existing.status != ApplicationStatus.WITHDRAWN:
        problems.append("already_applied")
    return problems


def dossier_missing(producer, product):
    """Return the checklist items still missing from a product's dossier."""
    missing = []
    if not (producer.name and producer.address and producer.commune_id and producer.representative
            and producer.phone) or registration_number_problem(producer.type_code, producer.registration_number):
        missing.append("profile")
    if len((product.description or "").strip()) < 50:
        missing.append("description")
    if len(product.photos) < MIN_PHOTOS:
        missing.append("photos")
    if not any(f.document_type == "registration" for f in product.documents):
        missing.append("registration_document")
    if product.is_set and len(product.set_items) < 2:
        missing.append("set_items")
    return missing


def holds_dossier(application):
    """True while ``application`` needs its product's dossier as it stands (the dossier is locked).

    A dossier awaiting screening is held. An accepted one is held while its round still
    reads the product live: through scoring, deliberation and the decision, and after it
    until the entry's certificate has frozen what was certified (the certificate keeps a
    snapshot; the decision keeps the scores). Once its round has certified and the entry
    awaits no certificate, the earlier acceptance needs nothing of the live product, so a
    later round's draft or returned application of the same product can amend it.
    A draft, returned, rejected or withdrawn application never holds the dossier.
    """
    if application.status in PENDING_STATUSES:
        return True
    if application.status != ApplicationStatus.ACCEPTED:
        return False
    if application.round.status not in CERTIFIED_ROUND_STATUSES:
        return True
    return awaits_certificate(application)


def awaits_certificate(application):
    """True if the entry is on its round's published decision but has no current certificate yet."""
    decision = latest_decision(application.round_id, published_only=True)
    if decision is None:
        return False
    certified = db.session.scalar(select(DecisionEntry.id).where(
        DecisionEntry.decision_id == decision.id, DecisionEntry.application_id == application.id))
    return certified is not None and current_certificate(application) is None


def dossier_holder(product):
    """The application that holds ``product``'s dossier (see :func:`holds_dossier`), or None."""
    if product.id is None:
        return None
    candidates = db.session.scalars(select(Application).where(
        Application.product_id == product.id, Application.status.in_(LOCKING_STATUSES))
        .order_by(Application.id)).all()
    # A dossier awaiting screening names the more pressing reason.
    candidates.sort(key=lambda a: a.status not in PENDING_STATUSES)
    return next((a for a in candidates if holds_dossier(a)), None)


def current_certificate(application):
    """The entry's certificate as it stands (a corrected one replaces the one it supersedes), or None."""
    return certification().current_certificate(application)


def nominating_province_id(application):
    """The province a nominated entry counts against: the source round's, else the producer's."""
    return application.round.province_id or application.producer.province_id


def active_nomination(source_application, target_round):
    """The entry's nomination to ``target_round`` unless withdrawn, or None."""
    return db.session.scalar(select(Nomination).where(
        Nomination.target_round_id == target_round.id,
        Nomination.source_application_id == source_application.id, Nomination.withdrawn_at.is_(None)))


def nominations_from_province(target_round, province_id):
    """How many entries of one province stand nominated to ``target_round`` (on the platform or on paper)."""
    return db.session.scalar(select(func.count(Nomination.id)).where(
        Nomination.target_round_id == target_round.id, Nomination.withdrawn_at.is_(None),
        Nomination.province_id == province_id))


def nomination_problems(source_application, target_round, today):
    """Return codes of the rules that stop nominating ``source_application`` to ``target_round`` now.

    The certificate must still be valid on the target round's registration
    deadline ("còn giá trị"), not merely today. A province nominates only to
    its own region's round (a regional round without a region takes any).
    """
    problems = []
    source_round = source_application.round
    if NOMINATED_FROM.get(target_round.jurisdiction_level) != source_round.jurisdiction_level:
        problems.append("not_level_below")
    if source_round.status not in CERTIFIED_ROUND_STATUSES:
        problems.append("source_not_certified")
    certificate = current_certificate(source_application)
    if certificate is None:
        problems.append("no_certificate")
    elif certificate.status != VALID:
        problems.append("certificate_not_valid")
    elif certificate.status_on(target_round.registration_closes_on) == EXPIRED:
        problems.append("certificate_expires")
    if not round_is_open(target_round, today):
        problems.append("round_not_open")
    if (target_round.jurisdiction_level == JurisdictionLevel.REGION and target_round.region_id is not None
            and source_round.province is not None and source_round.province.region_id != target_round.region_id):
        problems.append("other_region")
    if active_nomination(source_application, target_round) is not None:
        problems.append("already_nominated")
    else:
        entered = db.session.scalar(select(Application).where(
            Application.round_id == target_round.id, Application.product_id == source_application.product_id))
        if entered is not None and entered.status != ApplicationStatus.WITHDRAWN:
            problems.append("already_applied")
    quota = target_round.nomination_quota
    if quota is not None and nominations_from_province(
            target_round, nominating_province_id(source_application)) >= quota:
        problems.append("quota_reached")
    return problems


def paper_list_problems(target_round, province, today):
    """Codes of the rules that stop ``province`` nominating on paper to ``target_round`` at all.

    Only regional and national rounds take nominations; the round must be open;
    a regional round takes its own region's provinces (one without a region takes any).
    """
    problems = []
    if target_round.jurisdiction_level not in NOMINATION_LEVELS:
        problems.append("not_nomination_round")
    if not round_is_open(target_round, today):
        problems.append("round_not_open")
    if (target_round.jurisdiction_level == JurisdictionLevel.REGION and target_round.region_id is not None
            and province.region_id != target_round.region_id):
        problems.append("other_region")
    return problems


def active_paper_nomination(imported_certificate, target_round):
    """The paper certificate's nomination to ``target_round`` unless withdrawn, or None."""
    return db.session.scalar(select(Nomination).where(
        Nomination.target_round_id == target_round.id,
        Nomination.source_imported_certificate_id == imported_certificate.id, Nomination.withdrawn_at.is_(None)))


def paper_nomination_problems(target_round, province, today, *, certificate_level, valid_until,
                              imported_certificate=None, product=None, earlier_in_list=0):
    """Codes of the rules that stop one row of a province's paper list being nominated to ``target_round``.

    :param certificate_level: the paper certificate's level; it must be the one below the round's.
    :param valid_until: its expiry; it must still be valid on the round's registration deadline.
        None (no expiry known) is refused: the rules set no validity period to assume.
    :param imported_certificate: the paper certificate (:class:`~voting.rules.certification.PaperCertificateRecord`) already on the platform under that
        number, if any (it must not stand nominated to this round already).
    :param product: the product already on the platform the row names, if any (it must not be entered).
    :param earlier_in_list: rows of the same list before this one; they take quota places first.
    """
    problems = paper_list_problems(target_round, province, today)
    below = NOMINATED_FROM.get(target_round.jurisdiction_level)
    if below is not None and certificate_level != below:
        problems.append("not_level_below")
    if imported_certificate is not None and paper_certificate_withdrawn(imported_certificate):
        problems.append("certificate_not_valid")
    elif valid_until is None:
        problems.append("validity_unknown")
    elif valid_until < target_round.registration_closes_on:
        problems.append("certificate_expires")
    if imported_certificate is not None and active_paper_nomination(imported_certificate, target_round) is not None:
        problems.append("already_nominated")
    elif product is not None:
        entered = db.session.scalar(select(Application).where(
            Application.round_id == target_round.id, Application.product_id == product.id))
        if entered is not None and entered.status != ApplicationStatus.WITHDRAWN:
            problems.append("already_applied")
    quota = target_round.nomination_quota
    if quota is not None and nominations_from_province(target_round, province.id) + earlier_in_list >= quota:
        problems.append("quota_reached")
    return problems


def paper_certificate_withdrawn(imported_certificate):
    """True if the paper certificate was re-issued here and that certificate is now suspended or revoked."""
    return certification().paper_certificate_withdrawn(imported_certificate)
