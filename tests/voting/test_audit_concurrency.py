"""Concurrent writers never fork or break the audit chain."""
import re
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


def test_parallel_security_transactions_are_each_covered_by_one_checkpoint_and_one_whole_line(
        app, tmp_path, monkeypatch):
    """Each committed transaction with security-relevant events gets its own checkpoint at its last event
    (the chain head at its commit); the file holds exactly their lines, none interleaved."""
    from voting.models import AuditCheckpoint
    from voting.operations.audit import verify_checkpoints

    path = tmp_path / "checkpoints.log"
    monkeypatch.setitem(app.config, "AUDIT_CHECKPOINT_FILE", str(path))
    transactions_each = 8
    errors, last_events = [], []
    start = threading.Barrier(WRITERS)

    def writer(n):
        try:
            with app.app_context():
                start.wait()
                for i in range(transactions_each):
                    record_event(None, "account.update", object_type="user", object_id=f"{n}-{i}")
                    record_event(None, "test.parallel", object_type="writer", object_id=f"{n}-{i}")
                    last = record_event(None, "account.lock", object_type="user", object_id=f"{n}-{i}")
                    db.session.commit()
                    last_events.append(last.seq)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(repr(error))

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    with app.app_context():
        checkpoints = db.session.scalars(select(AuditCheckpoint)).all()
        assert sorted(c.seq for c in checkpoints) == sorted(last_events)
        assert len(last_events) == WRITERS * transactions_each
        assert all(c.reason == "security" and c.detail == "account.lock, account.update" for c in checkpoints)
        lines = path.read_text(encoding="utf-8").splitlines()
        assert sorted(lines) == sorted(c.line() for c in checkpoints)
        assert all(re.fullmatch(r"\S+ seq=\d+ sha256=[0-9a-f]{64} security", line) for line in lines)
        assert verify_chain().ok and verify_checkpoints() == []
