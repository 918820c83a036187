"""Rounds as data: creation, settings and the registration window.

The full lifecycle (screening → scoring → ... → closed) comes with the
scoring issue; here a round can be drafted, opened for registration and
moved on to screening.
"""
from voting.errors import InvalidTransition
from voting.extensions import db
from voting.models import Round, RoundStatus
from voting.operations.audit import record_event
from voting.text import nfc

ROUND_FIELDS = ("title", "year", "registration_opens_on", "registration_closes_on")


def create_round(actor, fields, authority):
    """Draft a round in the acting organiser's own jurisdiction."""
    round_ = Round(
        jurisdiction_level=actor.jurisdiction_level, region_id=actor.region_id,
        province_id=actor.province_id, commune_id=actor.commune_id,
        authority=authority, created_by_id=actor.id, status=RoundStatus.DRAFT,
    )
    _apply(round_, fields)
    db.session.add(round_)
    record_event(actor, "round.create", round_, data=_snapshot(round_))
    return round_


def update_round(actor, round_, fields, authority):
    if round_.status not in (RoundStatus.DRAFT, RoundStatus.REGISTRATION_OPEN):
        raise InvalidTransition(status=round_.status)
    before = _snapshot(round_)
    _apply(round_, fields)
    round_.authority = authority
    after = _snapshot(round_)
    record_event(actor, "round.update", round_,
                 data={"changed": {k: [before[k], after[k]] for k in after if before[k] != after[k]}})
    return round_


def open_registration(actor, round_):
    if round_.status != RoundStatus.DRAFT:
        raise InvalidTransition(status=round_.status)
    round_.status = RoundStatus.REGISTRATION_OPEN
    record_event(actor, "round.open_registration", round_)


def close_registration(actor, round_):
    """End registration; pending dossiers are screened from here on."""
    if round_.status != RoundStatus.REGISTRATION_OPEN:
        raise InvalidTransition(status=round_.status)
    round_.status = RoundStatus.SCREENING
    record_event(actor, "round.close_registration", round_)


def _apply(round_, fields):
    round_.title = nfc(fields["title"])
    round_.year = fields["year"]
    round_.registration_opens_on = fields["registration_opens_on"]
    round_.registration_closes_on = fields["registration_closes_on"]


def _snapshot(round_):
    return {
        "title": round_.title, "year": round_.year,
        "registration_opens_on": str(round_.registration_opens_on),
        "registration_closes_on": str(round_.registration_closes_on),
        "authority_id": round_.authority.id if round_.authority else None,
    }
