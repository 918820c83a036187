"""Who may enter which round with what: the one place these rules live.

Later issues extend :func:`application_problems` (nominations to regional and
national rounds, valid lower-level certificates) rather than adding checks
elsewhere.
"""
from sqlalchemy import select

from voting.extensions import db
from voting.models import Application, ApplicationStatus, JurisdictionLevel, RoundStatus
from voting.validation import registration_number_problem

MIN_PHOTOS = 3
#: Levels entered only by nomination from the level below (a later issue).
NOMINATION_LEVELS = {JurisdictionLevel.REGION, JurisdictionLevel.NATIONAL}


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
