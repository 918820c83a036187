"""The audit chain: linked, append-only, and tampering is found."""
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from voting.extensions import db
from voting.models import AuditEvent
from voting.models.audit import APPEND_ONLY_TRIGGERS, CHECKPOINT_TRIGGERS, GENESIS_HASH
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
    from tests.support.certificates import certify
    from voting.models import AuditCheckpoint

    certify(app, make_user)
    with app.app_context():
        # Creating the accounts published checkpoints of their own (reason "security").
        checkpoint = db.session.scalar(select(AuditCheckpoint).where(AuditCheckpoint.reason == "results_published"))
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


# Gaps: TRUNCATE, a deleted tail, a lost or shortened checkpoint file (issue 16, item 6) --------

def _as_attacker(*statements):
    """Run statements as someone with database access would: around the append-only triggers."""
    dialect = db.engine.dialect.name
    if dialect == "postgresql":
        db.session.execute(text("SET LOCAL session_replication_role = replica"))
    else:
        for name in ("audit_event_no_update", "audit_event_no_delete", "audit_checkpoint_no_update",
                     "audit_checkpoint_no_delete"):
            db.session.execute(text(f"DROP TRIGGER {name}"))
    for statement in statements:
        db.session.execute(text(statement))
    if dialect == "sqlite":
        for statement in APPEND_ONLY_TRIGGERS["sqlite"] + CHECKPOINT_TRIGGERS["sqlite"]:
            db.session.execute(text(statement))
    db.session.commit()


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_emptying_the_audit_tables_wholesale_is_refused(app_ctx, checkpoint_file):
    """PostgreSQL's TRUNCATE fires no row trigger; a statement trigger refuses it, also when cascaded
    from the accounts table. SQLite has no TRUNCATE: its DELETE without WHERE fires the row triggers."""
    from voting.models import AuditCheckpoint
    from voting.operations.audit import publish_checkpoint

    _write_events(2)
    publish_checkpoint("manual")
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        statements = ["TRUNCATE audit_event", "TRUNCATE audit_checkpoint", 'TRUNCATE "user" CASCADE',
                      "TRUNCATE audit_event, audit_checkpoint"]
    else:
        statements = ["DELETE FROM audit_event", "DELETE FROM audit_checkpoint"]
    for statement in statements:
        with pytest.raises(DBAPIError, match="append-only"):
            db.session.execute(text(statement))
        db.session.rollback()
    assert (_count(AuditEvent), _count(AuditCheckpoint)) == (2, 1)


def test_a_transaction_with_security_relevant_events_publishes_one_checkpoint_as_it_commits(app_ctx,
                                                                                            checkpoint_file):
    from voting.models import AuditCheckpoint
    from voting.operations.audit import SECURITY_RELEVANT_ACTIONS, is_security_relevant, publish_checkpoint

    assert all(is_security_relevant(a) for a in ("account.update", "account.lock", "signing_key.compromise",
                                                 "certificate.revoke", "certificate.correct"))
    assert not is_security_relevant("application.accept") and "account." in SECURITY_RELEVANT_ACTIONS
    _write_events(2)  # nothing security-relevant: no checkpoint
    assert _count(AuditCheckpoint) == 0 and not checkpoint_file.exists()

    for n in range(3):  # three security-relevant events and a plain one, one transaction: one checkpoint
        record_event(None, "account.update", object_type="user", object_id=str(n))
    record_event(None, "certificate.suspend", object_type="certificate", object_id="7")
    last = record_event(None, "test.event")
    db.session.commit()
    (checkpoint,) = db.session.scalars(select(AuditCheckpoint)).all()
    assert (checkpoint.seq, checkpoint.hash, checkpoint.reason) == (last.seq, last.hash, "security")
    assert checkpoint.detail == "account.update, certificate.suspend"
    assert checkpoint_file.read_text().splitlines() == [checkpoint.line()]

    record_event(None, "account.disable", object_type="user", object_id="1")
    db.session.rollback()  # rolled back: nothing published
    record_event(None, "account.enable", object_type="user", object_id="1")
    publish_checkpoint("manual")  # already covers the transaction's events: no second one
    db.session.commit()
    assert [c.reason for c in db.session.scalars(select(AuditCheckpoint).order_by(AuditCheckpoint.id))] == [
        "security", "manual"]

    record_event(None, "signing_key.register", object_type="signing_key", object_id="1")
    with db.session.begin_nested():  # a savepoint released is not the transaction's commit
        record_event(None, "account.lock", object_type="user", object_id="1")
    last = record_event(None, "test.event")
    db.session.commit()
    checkpoints = db.session.scalars(select(AuditCheckpoint).order_by(AuditCheckpoint.id)).all()
    assert len(checkpoints) == 3 and checkpoints[-1].seq == last.seq
    assert checkpoint_file.read_text().splitlines() == [c.line() for c in checkpoints]


def test_an_operation_with_several_security_events_publishes_one_checkpoint(app, make_user, checkpoint_file):
    from voting.models import AuditCheckpoint, Role

    make_user(Role.ORGANISER)  # account.create and account.issue_welcome_link, one transaction
    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)).all()
        (checkpoint,) = db.session.scalars(select(AuditCheckpoint)).all()
        assert actions == ["account.create", "account.issue_welcome_link"]
        assert (checkpoint.seq, checkpoint.detail) == (2, "account.create, account.issue_welcome_link")


def _delete_events_after_the_first_two(path):
    _as_attacker("DELETE FROM audit_event WHERE seq > 2")


def _empty_both_tables_and_delete_the_file(path):
    if db.engine.dialect.name == "postgresql":
        _as_attacker("TRUNCATE audit_event, audit_checkpoint")
    else:
        _as_attacker("DELETE FROM audit_event", "DELETE FROM audit_checkpoint")
    path.unlink()


def _delete_the_file(path):
    path.unlink()


def _empty_the_file(path):
    path.write_text("")


def _cut_the_file_short(path):
    path.write_text(path.read_text().splitlines()[0] + "\n")


def _delete_the_checkpoint_rows(path):
    _as_attacker("DELETE FROM audit_checkpoint")


@pytest.mark.parametrize("tamper, cli_says, page_says", [
    (_delete_events_after_the_first_two, "is missing from the chain, which ends at event #2",
     "Chuỗi nhật ký chỉ còn đến sự kiện #2"),
    (_empty_both_tables_and_delete_the_file, "no checkpoint was ever published",
     "Chưa có dấu kiểm nào được công bố dù đã có tài khoản"),
    (_delete_the_file, "is missing, but the database holds 3 published checkpoint(s)",
     "không còn dấu kiểm nào (bị xoá hoặc làm rỗng), dù cơ sở dữ liệu giữ 3 dấu kiểm"),
    (_empty_the_file, "holds no checkpoint, but the database holds 3", "không còn dấu kiểm nào"),
    (_cut_the_file_short, "(event #8) is not in the checkpoint file", "một trong hai đã bị cắt bớt hoặc sửa"),
    (_delete_the_checkpoint_rows, "is not among the database's checkpoints", "một trong hai đã bị cắt bớt"),
], ids=["events-after-last-checkpoint-deleted", "tables-emptied-file-deleted", "file-deleted", "file-emptied",
        "file-cut-short", "checkpoint-rows-deleted"])
def test_audit_verify_and_the_log_page_catch_what_went_missing(app, runner, client, logged_in, make_user,
                                                                 checkpoint_file, tamper, cli_says, page_says):
    from voting.models import AuditCheckpoint, Role

    logged_in(Role.ADMIN)  # events 1-2 (account created, welcome link) and checkpoint 1
    with app.app_context():
        _write_events(2)  # 3-4
    make_user(Role.ORGANISER)  # 5-6, checkpoint 2
    make_user(Role.JUROR)  # 7-8, checkpoint 3
    with app.app_context():
        _write_events(1)  # 9, not yet covered
        assert [c.seq for c in db.session.scalars(select(AuditCheckpoint))] == [2, 6, 8]
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
    page = client.get("/admin/audit?verify=1").get_data(as_text=True)
    assert 'class="flash flash-error"' not in page
    with app.app_context():
        tamper(checkpoint_file)
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and cli_says in result.output, result.output
    page = client.get("/admin/audit?verify=1").get_data(as_text=True)
    assert page_says in page


def test_a_new_installation_verifies_with_no_checkpoint_and_no_file(app, runner, checkpoint_file):
    result = runner.invoke(args=["audit", "verify"])  # nothing yet
    assert result.exit_code == 0, result.output
    with app.app_context():
        _write_events(2)  # e.g. reference data loaded: nothing security-relevant, so nothing published yet
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
    checkpoint_file.touch()  # a deployer may create the file beforehand (owner, mode)
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0


def test_an_installation_with_accounts_and_no_checkpoint_verifies_once_one_is_published(app, runner, make_user,
                                                                                        checkpoint_file):
    """As after upgrading from a release that published only daily and never ran the daily job."""
    from voting.models import Role

    make_user(Role.ORGANISER)
    with app.app_context():
        _as_attacker("DELETE FROM audit_checkpoint")
    checkpoint_file.unlink()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and "but the database holds 1 account(s)" in result.output
    assert runner.invoke(args=["audit", "checkpoint"]).exit_code == 0
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
