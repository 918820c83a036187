"""Who may handle what of the certificates: reports of suspected fakes, by jurisdiction.

The selection's predicates are in :mod:`voting.rules.permissions`; these follow the same rules
(a predicate, and the ``Select`` of everything it allows, scoped in SQL).
"""
from sqlalchemy import false, select

from certificates.models import SuspectedFakeReport
from voting.extensions import db
from voting.models import IssuingAuthority, Role
from voting.rules.permissions import jurisdiction_contains, jurisdiction_holds, signed_in


def can_handle_report(user, report):
    """Administrators, and organisers whose jurisdiction holds the report's issuing authority."""
    if not signed_in(user):
        return False
    if user.role == Role.ADMIN:
        return True
    if user.role != Role.ORGANISER or report.authority_id is None:
        return False
    return jurisdiction_contains(user, db.session.get(IssuingAuthority, report.authority_id))


def reports_visible_to(user):
    """The reports :func:`can_handle_report` lets ``user`` handle, newest first, as a ``Select``."""
    query = select(SuspectedFakeReport).order_by(SuspectedFakeReport.created_at.desc(),
                                                 SuspectedFakeReport.id.desc())
    if not signed_in(user):
        return query.where(false())
    if user.role == Role.ADMIN:
        return query
    if user.role != Role.ORGANISER:
        return query.where(false())
    held = select(IssuingAuthority.id).where(jurisdiction_holds(user, IssuingAuthority))
    return query.where(SuspectedFakeReport.authority_id.in_(held))
