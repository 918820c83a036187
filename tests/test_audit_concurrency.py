"""Concurrent writers never fork or break the audit chain."""
import threading

from sqlalchemy import func, select

from voting.extensions import db
from voting.models import AuditEvent
from voting.operations.audit import record_event, verify_chain

WRITERS, EVENTS_EACH = 4, 10


def test_parallel_writers_keep_one_chain(app):
    errors = []
    start = threading.Barrier(WRITERS)

    def writer(n):
        try:
            with app.app_context():
                start.wait()
                for i in range(EVENTS_EACH):
                    record_event(None, "test.parallel", object_type="writer", object_id=f"{n}-{i}")
                    db.session.commit()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(repr(error))

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    with app.app_context():
        assert db.session.scalar(select(func.count(AuditEvent.id))) == WRITERS * EVENTS_EACH
        report = verify_chain()
        assert report.ok, report.problem
        assert report.checked == WRITERS * EVENTS_EACH
