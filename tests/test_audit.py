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


# Published checkpoints -------------------------------------------------------------------------

@pytest.fixture
def checkpoint_file(app, tmp_path, monkeypatch):
    path = tmp_path / "audit-checkpoints.log"
    monkeypatch.setitem(app.config, "AUDIT_CHECKPOINT_FILE", str(path))
    return path


def test_a_checkpoint_is_a_row_and_a_line_once_committed_never_when_rolled_back(app_ctx, checkpoint_file):
    from voting.models import AuditCheckpoint
    from voting.operations.audit import publish_checkpoint

    assert publish_checkpoint("manual") is None  # an empty chain has nothing to publish
    _write_events(3)
    head = db.session.scalar(select(AuditEvent).order_by(AuditEvent.seq.desc()))
    publish_checkpoint("manual", "thử")
    db.session.rollback()
    assert not checkpoint_file.exists() and db.session.scalars(select(AuditCheckpoint)).all() == []
    checkpoint = publish_checkpoint("daily")
    db.session.commit()
    assert (checkpoint.seq, checkpoint.hash) == (3, head.hash)
    assert checkpoint_file.read_text().splitlines() == [checkpoint.line()]
    assert f"seq=3 sha256={head.hash} daily" in checkpoint.line()


def test_checkpoints_are_append_only(app_ctx, checkpoint_file):
    from voting.operations.audit import publish_checkpoint

    _write_events(1)
    publish_checkpoint("manual")
    db.session.commit()
    with pytest.raises((IntegrityError, DBAPIError)):
        db.session.execute(text("UPDATE audit_checkpoint SET hash = 'x'"))
        db.session.flush()
    db.session.rollback()
    with pytest.raises((IntegrityError, DBAPIError)):
        db.session.execute(text("DELETE FROM audit_checkpoint"))
        db.session.flush()
    db.session.rollback()


def test_history_rewritten_with_every_hash_recomputed_no_longer_matches_the_published_head(app_ctx,
                                                                                          checkpoint_file):
    from voting.operations.audit import publish_checkpoint, verify_checkpoints

    _write_events(3)
    publish_checkpoint("daily")
    db.session.commit()
    assert verify_checkpoints() == []
    # The attacker rewrites event 2 and recomputes the hashes after it: the chain itself verifies.
    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()
    rewritten, prev = [], events[0].hash
    for event in events[1:]:
        event.reason = "viết lại" if event.seq == 2 else event.reason
        event.prev_hash = prev
        rewritten.append((event.seq, event.reason, prev, event.compute_hash()))
        prev = rewritten[-1][3]
    db.session.rollback()
    for seq, reason, prev_hash, new_hash in rewritten:
        _tamper("UPDATE audit_event SET reason = :r, prev_hash = :p, hash = :h WHERE seq = :s",
                r=reason, p=prev_hash, h=new_hash, s=seq)
    assert verify_chain().ok
    problems = verify_checkpoints()
    assert len(problems) == 2  # the row in the database (if left alone) and the line in the file
    assert all("event #3 no longer has the published hash" in str(p) for p in problems)


def test_cli_publishes_a_checkpoint_and_verify_compares_the_file(app, runner, checkpoint_file):
    with app.app_context():
        _write_events(2)
    result = runner.invoke(args=["audit", "checkpoint"])
    assert result.exit_code == 0 and "seq=2" in result.output
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
    with open(checkpoint_file, "a") as handle:  # a line published earlier that the chain no longer holds
        handle.write("2026-01-01T00:00:00+00:00 seq=2 sha256=" + "ab" * 32 + " daily\n")
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and "MISMATCH" in result.output and "line 2" in result.output


def test_publishing_results_publishes_a_checkpoint(app, make_user, checkpoint_file):
    from tests.test_certificates import certify
    from voting.models import AuditCheckpoint

    certify(app, make_user)
    with app.app_context():
        checkpoint = db.session.scalar(select(AuditCheckpoint))
        publication = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "result.publish"))
        assert (checkpoint.reason, checkpoint.seq, checkpoint.hash) == (
            "results_published", publication.seq, publication.hash)
    assert checkpoint_file.read_text().count("results_published") == 1


def test_registry_and_admin_show_the_published_head_and_the_admin_sees_a_mismatch(app, client, logged_in,
                                                                                    checkpoint_file):
    from voting.models import Role
    from voting.operations.audit import publish_checkpoint

    with app.app_context():
        _write_events(2)
        checkpoint = publish_checkpoint("daily")
        db.session.commit()
        head = checkpoint.hash
    assert head in client.get("/registry/").get_data(as_text=True)
    logged_in(Role.ADMIN)
    page = client.get("/admin/audit?verify=1").get_data(as_text=True)
    assert head in page and "không còn khớp" not in page
    with open(checkpoint_file, "a") as handle:
        handle.write("2026-01-01T00:00:00+00:00 seq=1 sha256=" + "cd" * 32 + " daily\n")
    page = client.get("/admin/audit?verify=1").get_data(as_text=True)
    assert "không còn khớp với dấu kiểm đã công bố tại các sự kiện: 1." in page
