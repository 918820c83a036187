"""The council's founding documents: the authority's decision that founds it, and the council's own document
that appoints the jury and the tổ giúp việc. They exist on paper; the platform records their number, date and
signer, and keeps the signed scan.
"""
from voting.core.errors import DomainError, InvalidTransition
from voting.core.text import nfc
from voting.extensions import db
from voting.models import Council, RoundStatus
from voting.operations.audit import record_event
from voting.operations.council import EDITABLE_STATUSES
from voting.rules.signer import signer_problems

#: The founding decision and the jury's appointment are documents that exist on paper: they may be recorded
#: until the council has voted, although the people they name are fixed from deliberation on.
DOCUMENT_STATUSES = (*EDITABLE_STATUSES, RoundStatus.DELIBERATION)


def record_founding(actor, round_, number, founded_on, signer):
    """Record the authority's decision founding the council (number, date, signer), which seats it."""
    if round_.status not in DOCUMENT_STATUSES:
        raise InvalidTransition(status=round_.status)
    number = nfc(number or "").strip()
    if not number or founded_on is None:
        raise DomainError("founding_number_required")
    if signer_problems(signer, required=True):
        raise DomainError("signer_incomplete")
    council = _council(round_)
    council.founding_number, council.founded_on = number[:60], founded_on
    for column, value in signer.columns().items():
        setattr(council, column, value)
    record_event(actor, "council.found", round_, data={"number": council.founding_number,
                                                       "on": founded_on.isoformat()})
    return council


def attach_founding_scan(actor, round_, storage_name):
    """Attach the signed founding decision as scanned; return the name of the scan it replaces, if any."""
    council = _council(round_)
    if not council.is_founded:
        raise DomainError("council_not_founded")
    replaced, council.founding_scan_storage_name = council.founding_scan_storage_name, storage_name
    record_event(actor, "council.attach_founding_scan", round_, data={"replaced": bool(replaced)})
    return replaced


def record_jury_appointment(actor, round_, number, appointed_on):
    """Record the council's document appointing the Ban Giám khảo and the tổ giúp việc."""
    if round_.status not in DOCUMENT_STATUSES:
        raise InvalidTransition(status=round_.status)
    number = nfc(number or "").strip()
    if not number or appointed_on is None:
        raise DomainError("jury_number_required")
    council = _council(round_)
    if council.founded_on is not None and appointed_on < council.founded_on:
        raise DomainError("jury_before_founding")
    council.jury_document_number, council.jury_appointed_on = number[:60], appointed_on
    record_event(actor, "jury.appoint", round_, data={"number": council.jury_document_number,
                                                      "on": appointed_on.isoformat()})
    return council


def _council(round_):
    if round_.council is None:
        round_.council = Council()
        db.session.add(round_.council)
    return round_.council
