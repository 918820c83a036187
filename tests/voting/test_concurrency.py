"""Two people acting at the same moment, as real threads on separate connections (PostgreSQL in
the CI leg, SQLite's single writer otherwise): no lost update, no duplicate, no half-done state.

Each test starts its writers together at a barrier, then checks the database as a whole.
"""

import pytest
from sqlalchemy import func, select

from tests.factories import build_world
from tests.support.concurrency import run_together
from tests.support.certificates import certify
from voting.core.clock import today_vn
from voting.core.errors import DomainError
from voting.extensions import db
from voting.models import Application, AuditEvent, DecisionEntry, Role, Round, User
from certificates.models import Certificate
from voting.operations.audit import verify_chain


@pytest.mark.parametrize("attempt", range(3))  # the race is real: either may win; every order must end whole
def test_an_application_accepted_while_being_withdrawn_ends_one_way_only(app, make_user, attempt):
    from voting.operations.applications import accept_application, withdraw_application

    owner = make_user(Role.PRODUCER)
    organiser = make_user(Role.ORGANISER)
    world = build_world(app, owner.email, organiser.email)

    def accept():
        return accept_application(db.session.get(User, world.organiser_id),
                                  db.session.get(Application, world.application_id))

    def withdraw():
        return withdraw_application(db.session.get(User, world.owner_id),
                                    db.session.get(Application, world.application_id), "đổi ý")

    outcomes = run_together(app, accept, withdraw)
    refused = [o for o in outcomes if isinstance(o, Exception)]
    assert len(refused) == 1 and isinstance(refused[0], DomainError), outcomes
    with app.app_context():
        application = db.session.get(Application, world.application_id)
        events = db.session.scalars(select(AuditEvent.action).where(
            AuditEvent.object_type == "application", AuditEvent.object_id == str(application.id),
            AuditEvent.action.in_(("application.accept", "application.withdraw")))).all()
        assert len(events) == 1
        assert application.status == ("accepted" if events == ["application.accept"] else "withdrawn")
        assert (application.entry_code is not None) == (application.status == "accepted")


def test_two_organisers_issuing_the_same_round_at_once_issue_each_certificate_once(app, make_user, signer,
                                                                                   monkeypatch):
    from certificates.jobs import issue_round

    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "1000 per minute")
    hall = certify(app, make_user, entries=4, failing=0)

    def issue():
        round_ = db.session.get(Round, hall.round_id)
        return issue_round(db.session.get(User, hall.organiser.id), round_, today_vn())

    outcomes = run_together(app, issue, issue)
    assert not [o for o in outcomes if isinstance(o, Exception) and not isinstance(o, DomainError)], outcomes
    with app.app_context():
        certificates = db.session.scalars(select(Certificate).where(Certificate.round_id == hall.round_id)).all()
        entries = db.session.scalar(select(func.count(DecisionEntry.id)))
        assert len(certificates) == entries == 4
        assert len({c.application_id for c in certificates}) == 4  # one per entry
        assert sorted(c.sequence for c in certificates) == [1, 2, 3, 4]  # no number taken twice, none skipped
        assert all(c.pdf_storage_name for c in certificates)  # none left half-done
        assert verify_chain().ok
