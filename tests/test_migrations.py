"""Migrations produce exactly the models' schema, on SQLite and PostgreSQL."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError
from tests.support.databases import ROWS_AT_0002
from tests.support.databases import fresh_database as fresh_database  # noqa: PLC0414 (a fixture)

from voting import create_app
from voting.extensions import db
from voting.models.audit import UNMODELLED_OBJECTS


def _include_object(obj, name, type_, reflected, compare_to):
    return name not in UNMODELLED_OBJECTS


def _schema_diff(connection):
    context = MigrationContext.configure(connection, opts={"compare_type": True, "include_object": _include_object})
    return compare_metadata(context, db.metadata)


def test_upgrade_yields_the_models_schema(fresh_database):
    app = create_app({"SQLALCHEMY_DATABASE_URI": fresh_database})
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            assert _schema_diff(connection) == []
        db.engine.dispose()


def test_downgrade_to_base_and_up_again(fresh_database):
    app = create_app({"SQLALCHEMY_DATABASE_URI": fresh_database})
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        with db.engine.connect() as connection:
            assert _schema_diff(connection) == []
        db.engine.dispose()


def test_a_model_change_without_migration_is_detected(app_ctx):
    """The comparison is live: a column the migrations lack shows up in the diff."""
    from sqlalchemy import Column, Integer

    table = db.metadata.tables["region"]
    extra = Column("unmigrated_probe", Integer)
    table.append_column(extra)
    try:
        with db.engine.connect() as connection:
            diff = _schema_diff(connection)
        assert any(op[0] == "add_column" and op[3].name == "unmigrated_probe" for op in diff)
    finally:
        table._columns.remove(extra)


def test_append_only_triggers_exist(app_ctx):
    """The triggers are outside the ORM's view, so they get their own check."""
    dialect = db.engine.dialect.name
    if dialect == "sqlite":
        names = set(db.session.scalars(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")))
        assert {"audit_event_no_update", "audit_event_no_delete", "audit_checkpoint_no_update",
                "audit_checkpoint_no_delete"} <= names
    else:
        names = set(db.session.scalars(text(
            "SELECT tgname FROM pg_trigger WHERE tgrelid IN ('audit_event'::regclass, 'audit_checkpoint'::regclass) "
            "AND NOT tgisinternal")))
        assert {"audit_event_no_update", "audit_event_no_truncate", "audit_checkpoint_no_update",
                "audit_checkpoint_no_truncate"} <= names


def test_upgrade_keeps_rows_written_under_an_earlier_revision(fresh_database):
    """Rounds and applications from revision 0002 survive 0003 (SQLite rebuilds tables to alter them)."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": fresh_database})
    with app.app_context():
        upgrade(revision="0002_producers_rounds")
        with db.engine.begin() as conn:
            for statement in (
                "INSERT INTO region (id, code, name, position) VALUES (1, 'bac', 'Bắc', 0)",
                "INSERT INTO province (id, code, name, name_folded, kind, region_id) "
                "VALUES (1, '19', 'Thái Nguyên', 'thai nguyen', 'tỉnh', 1)",
                "INSERT INTO producer_type (id, code, name) VALUES (1, 'htx', 'Hợp tác xã')",
                "INSERT INTO product_group (id, code, name) VALUES (1, '2', 'Chế biến')",
                "INSERT INTO producer (id, name, name_folded, type_code, province_id, address, representative, "
                "phone, email, is_demo, created_at, publish_address, publish_phone, publish_email) VALUES "
                "(1, 'HTX', 'htx', 'htx', 1, '', '', '', '', false, '2026-01-01 00:00:00', false, false, false)",
                "INSERT INTO product (id, producer_id, name, name_folded, group_code, description, created_at, is_set) "
                "VALUES (1, 1, 'Miến', 'mien', '2', '', '2026-01-01 00:00:00', false)",
                "INSERT INTO round (id, title, year, status, registration_opens_on, registration_closes_on, "
                "created_at, jurisdiction_level, province_id) VALUES (1, 'Đợt 2026', 2026, 'screening', "
                "'2026-01-01', '2026-02-01', '2026-01-01 00:00:00', 'tinh', 1)",
                "INSERT INTO application (id, round_id, product_id, producer_id, status, organiser_message, "
                "withdrawal_reason, created_at) VALUES (1, 1, 1, 1, 'submitted', '', '', '2026-01-01 00:00:00')",
            ):
                conn.execute(text(statement))
        upgrade()
        with db.engine.connect() as conn:
            row = conn.execute(text("SELECT point_step, pass_mark, min_sheets_per_entry, second_stage_rule "
                                    "FROM round WHERE id = 1")).one()
            assert (float(row[0]), float(row[1]), row[2], row[3]) == (0.5, 70.0, 3, "all_passing")
            assert conn.execute(text("SELECT count(*) FROM application")).scalar() == 1
            assert _schema_diff(conn) == []
        db.engine.dispose()


def test_criterion_guidance_is_added_empty_and_dropped_again(fresh_database):
    """0021a gives the criteria of existing rounds no guidance (the official sheet has none), refuses a text over
    1,000 characters, and going down keeps the criteria."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": fresh_database})
    with app.app_context():
        upgrade(revision="0002_producers_rounds")
        with db.engine.begin() as conn:
            for statement in ROWS_AT_0002:
                conn.execute(text(statement))
        upgrade(revision="0020h_lasting_certificates")
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO round_criterion (id, round_id, code, name, max_points, position) "
                              "VALUES (1, 1, '1', 'Thị trường', 40, 100)"))
        upgrade(revision="0021a_criterion_guidance")
        with db.engine.begin() as conn:
            assert conn.execute(text("SELECT guidance FROM round_criterion WHERE id = 1")).scalar() == ""
            conn.execute(text("UPDATE round_criterion SET guidance = :g WHERE id = 1"), {"g": "Ủ" * 1000})
        with pytest.raises(IntegrityError), db.engine.begin() as conn:
            conn.execute(text("UPDATE round_criterion SET guidance = :g WHERE id = 1"), {"g": "Ủ" * 1001})
        downgrade(revision="0020h_lasting_certificates")
        columns = {c["name"] for c in inspect(db.engine).get_columns("round_criterion")}
        assert "guidance" not in columns
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT name FROM round_criterion WHERE id = 1")).scalar() == "Thị trường"
        upgrade()
        with db.engine.connect() as connection:
            assert _schema_diff(connection) == []
        db.engine.dispose()


def test_the_registry_tally_is_filled_from_the_registry_as_it_stands(fresh_database):
    """0022a counts the registry's certificates already there, per entry province and group, province as
    certified, status and expiry, leaving out a corrected certificate's first copy."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": fresh_database})
    with app.app_context():
        upgrade(revision="0021c_certificate_number_index")
        with db.engine.begin() as conn:
            for entry_id, province_id, group in ((1, 7, "1"), (2, 7, "2"), (3, None, "1")):
                conn.execute(text(
                    "INSERT INTO registry_entry (id, name, name_folded, producer_name, current_name,"
                    " current_producer_name, province_id, province_name, province_name_folded, province_then,"
                    " group_code, group_name, year, search_text, exact_text, name_sort, province_sort, updated_at)"
                    " VALUES (:id, 'Miến dong', 'mien dong', 'HTX', '', '', :province, 'Thái Nguyên', 'thai nguyen',"
                    " '', :group, 'Nhóm', 2020, 'mien dong', 'miến dong', :blank, :blank, '2026-01-01 00:00:00')"),
                    {"id": entry_id, "province": province_id, "group": group, "blank": b""})
            for number, entry_id, then, status, expires in (
                    ("1", 1, "Bắc Kạn", "valid", "2023-01-01"), ("2", 1, "Bắc Kạn", "valid", "2023-01-01"),
                    ("3", 1, "Thái Nguyên", "revoked", "2029-01-01"), ("4", 1, "Bắc Kạn", "superseded", "2023-01-01"),
                    ("5", 2, "Bắc Kạn", "valid", "2023-01-01"), ("6", 3, "", "valid", None)):
                conn.execute(text(
                    "INSERT INTO registry_certificate (entry_id, number, level, year, status, expires_on, on_paper,"
                    " product_name, producer_name, group_name, province_name, province_then, authority_name, address)"
                    " VALUES (:entry, :number, 'tinh', 2020, :status, :expires, :paper, '', '', '', '', :then, '', '')"),
                    {"entry": entry_id, "number": number, "status": status, "expires": expires, "then": then,
                     "paper": False})
        upgrade(revision="0022a_registry_tally")
        with db.engine.connect() as conn:
            rows = conn.execute(text("SELECT province_id, group_code, province_then, status, expires_on, certificates"
                                     " FROM registry_tally")).all()
        assert sorted((p or 0, g, t, s, str(e) if e else None, n) for p, g, t, s, e, n in rows) == [
            (0, "1", "", "valid", None, 1), (7, "1", "Bắc Kạn", "valid", "2023-01-01", 2),
            (7, "1", "Thái Nguyên", "revoked", "2029-01-01", 1), (7, "2", "Bắc Kạn", "valid", "2023-01-01", 1)]
        downgrade(revision="0021c_certificate_number_index")
        assert "registry_tally" not in inspect(db.engine).get_table_names()
        upgrade()
        db.engine.dispose()
