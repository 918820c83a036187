"""Producer profiles, publication consent, and accounts attached to a producer."""
from voting.extensions import db
from voting.models import Producer, Role
from voting.models.base import utcnow
from voting.operations.audit import record_event
from voting.core.text import fold, nfc

PROFILE_FIELDS = ("name", "type_code", "registration_number", "address", "representative", "phone", "email")
CONSENT_FIELDS = ("publish_address", "publish_phone", "publish_email")


def save_producer_profile(actor, producer, fields, commune):
    """Create (``producer`` None) or update a producer's profile; return the producer.

    A self-registered producer account is attached to the profile it creates.
    Changes to what may be published are stamped with the date of consent.
    """
    creating = producer is None
    if creating:
        producer = Producer()
        db.session.add(producer)
    before = {name: getattr(producer, name) for name in PROFILE_FIELDS + CONSENT_FIELDS}
    for name in PROFILE_FIELDS:
        value = fields.get(name)
        setattr(producer, name, nfc(value) if isinstance(value, str) else value)
    producer.registration_number = producer.registration_number or None
    producer.name_folded = fold(producer.name)
    producer.commune_id = commune.id
    producer.province_id = commune.province_id
    consent = {name: bool(fields.get(name)) for name in CONSENT_FIELDS}
    consent_changed = creating or any(before[name] != consent[name] for name in CONSENT_FIELDS)
    for name, value in consent.items():
        setattr(producer, name, value)
    if consent_changed:
        producer.consent_recorded_at = utcnow()
    if creating and actor is not None and actor.role == Role.PRODUCER and actor.producer_id is None:
        actor.producer = producer
    changed = {k: [before[k], getattr(producer, k)] for k in PROFILE_FIELDS if before[k] != getattr(producer, k)}
    record_event(actor, "producer.create" if creating else "producer.update", producer,
                 data={"changed": changed} if not creating else {"name": producer.name})
    if consent_changed:
        record_event(actor, "producer.consent", producer, data=consent)
    return producer


def attach_account(actor, user, producer):
    """Attach a producer account to a producer (several accounts may share one)."""
    if user.role != Role.PRODUCER:
        raise ValueError("only producer accounts are attached to producers")
    previous = user.producer_id
    user.producer = producer
    record_event(actor, "producer.attach_account", producer,
                 data={"user_id": user.id, "previous_producer_id": previous})
