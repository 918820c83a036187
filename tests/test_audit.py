"""The audit chain: linked, append-only, and tampering is found."""
import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from voting.extensions import db
from voting.models import AuditEvent
from voting.models.audit import APPEND_ONLY_TRIGGERS, GENESIS_HASH
from voting.operations.audit import record_event, verify_chain


def _write_events(n):
    for i in range(n):
        record_event(None, "test.event", object_type="thing", object_id=str(i), reason=f"lý do {i}",
                     data={"i": i, "tên": "Miến dong"})
    db.session.commit()


def _tamper(sql, **params):
    """Change a row as an attacker with database access would: around the trigger."""
    dialect = db.engine.dialect.name
    if dialect == "postgresql":
        db.session.execute(text("SET LOCAL session_replication_role = replica"))
        db.session.execute(text(sql), params)
    else:
        db.session.execute(text("DROP TRIGGER audit_event_no_update"))
        db.session.execute(text(sql), params)
        db.session.execute(text(APPEND_ONLY_TRIGGERS["sqlite"][0]))
    db.session.commit()


def test_events_are_linked(app_ctx):
    _write_events(3)
    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()
    assert [e.seq for e in events] == [1, 2, 3]
    assert events[0].prev_hash == GENESIS_HASH
    assert events[1].prev_hash == events[0].hash
    assert events[2].prev_hash == events[1].hash
    report = verify_chain()
    assert report.ok and report.checked == 3 and report.head_hash == events[2].hash


def test_altered_content_is_reported_at_its_event(app_ctx):
    _write_events(5)
    _tamper("UPDATE audit_event SET reason = 'đã sửa' WHERE seq = 3")
    report = verify_chain()
    assert not report.ok
    assert report.broken_seq == 3
    assert "altered" in report.problem
    assert report.checked == 2


def test_rehashed_forgery_breaks_the_next_link(app_ctx):
    """Recomputing the forged event's own hash does not help: its successor no longer matches."""
    _write_events(4)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.seq == 2))
    event.reason = "giả mạo"
    forged_hash = event.compute_hash()
    db.session.rollback()
    _tamper("UPDATE audit_event SET reason = 'giả mạo', hash = :h WHERE seq = 2", h=forged_hash)
    report = verify_chain()
    assert report.broken_seq == 3
    assert "prev_hash" in report.problem


def test_deleted_event_is_a_gap(app_ctx):
    _write_events(4)
    dialect = db.engine.dialect.name
    if dialect == "postgresql":
        db.session.execute(text("SET LOCAL session_replication_role = replica"))
        db.session.execute(text("DELETE FROM audit_event WHERE seq = 2"))
    else:
        db.session.execute(text("DROP TRIGGER audit_event_no_delete"))
        db.session.execute(text("DELETE FROM audit_event WHERE seq = 2"))
        db.session.execute(text(APPEND_ONLY_TRIGGERS["sqlite"][1]))
    db.session.commit()
    report = verify_chain()
    assert report.broken_seq == 3
    assert "gap" in report.problem


def test_database_refuses_update_and_delete(app_ctx):
    _write_events(1)
    for statement in ("UPDATE audit_event SET reason = 'x'", "DELETE FROM audit_event"):
        with pytest.raises(DBAPIError, match="append-only"):
            db.session.execute(text(statement))
        db.session.rollback()
    assert db.session.scalar(select(AuditEvent.reason)) == "lý do 0"


def test_chain_cannot_fork(app_ctx):
    """Two events claiming the same predecessor violate the schema."""
    _write_events(1)
    head = db.session.scalar(select(AuditEvent))
    from voting.models.base import utcnow

    twin = AuditEvent(seq=99, created_at=utcnow(), action="fork", prev_hash=head.prev_hash, data="{}")
    twin.hash = twin.compute_hash()
    db.session.add(twin)
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_audit_verify_command_reports_first_broken_link(app, runner):
    with app.app_context():
        _write_events(3)
    ok = runner.invoke(args=["audit", "verify"])
    assert ok.exit_code == 0 and "Audit chain OK: 3 events" in ok.output
    with app.app_context():
        _tamper("UPDATE audit_event SET action = 'khác' WHERE seq = 2")
    broken = runner.invoke(args=["audit", "verify"])
    assert broken.exit_code == 1
    assert "BROKEN at event #2" in broken.output


def test_data_survives_round_trip(app_ctx):
    event = record_event(None, "test.unicode", data={"tên": "Hợp tác xã Miến dong Na Rì"})
    db.session.commit()
    db.session.expire_all()
    stored = db.session.get(AuditEvent, event.id)
    assert stored.data_dict == {"tên": "Hợp tác xã Miến dong Na Rì"}
    assert stored.compute_hash() == stored.hash
    assert stored.created_at.tzinfo is not None
