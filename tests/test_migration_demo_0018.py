"""A real database from before issue 18 upgrades to head with nothing lost and its audit chain intact.

The database is the demo as seeded at migration 0018_decision_entry_names (``tests/data/demo_at_0018.json.gz``,
made by ``tests/support/dump_demo_fixture.py`` from the last commit with that head), loaded row for row into a fresh
database of the suite's kind (SQLite, or PostgreSQL under ``DATABASE_URL``), then upgraded through 0019b..0020a.
"""
import base64
import datetime as dt
import decimal
import gzip
import json
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import DateTime, MetaData, select, text

from tests.support.databases import fresh_database as fresh_database  # noqa: PLC0414 (a fixture)
from voting import create_app
from voting.extensions import db
from voting.core.text import collate, province_name_key
from voting.operations.audit import verify_chain, verify_checkpoints

FIXTURE = Path(__file__).parent / "data" / "demo_at_0018.json.gz"
START = "0018_decision_entry_names"
#: Tables whose rows no migration since 0018 may alter: every column they had then keeps its value.
UNTOUCHED = ("application", "score_sheet", "score", "decision_entry", "certificate", "complaint", "nomination",
             "council_member", "juror", "audit_event", "audit_checkpoint", "user")
#: The demo's numbers at 0018 (a regenerated fixture that changes them should say so here).
SEEDED = {"score_sheet": 81, "score": 324, "decision": 4, "decision_entry": 17, "certificate": 18, "complaint": 1,
          "application": 55, "council_member": 22, "juror": 18, "audit_event": 492}
#: A demo organiser seated as a council member (round 5).
UNNAMED = "cuc.phiabac@demo.cnnt.vn"


def _decode(value, column, dialect):
    if not isinstance(value, dict):
        return value
    (tag, raw), = value.items()
    if tag == "$dt":
        moment = dt.datetime.fromisoformat(raw)  # naive UTC, as SQLite keeps it
        aware = dialect == "postgresql" and isinstance(column.type, DateTime) and column.type.timezone
        return moment.replace(tzinfo=dt.timezone.utc) if aware else moment
    return {"$d": dt.date.fromisoformat, "$t": dt.time.fromisoformat, "$dec": decimal.Decimal,
            "$b": base64.b64decode}[tag](raw)


def _comparable(value):
    """A value read back, as the fixture holds it (PostgreSQL returns aware timestamps, SQLite naive UTC)."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return value


def _load(connection, fixture):
    """Insert the fixture's rows as they were: tables in foreign-key order, ids kept, sequences moved past them."""
    dialect = connection.dialect.name
    tables = MetaData()
    tables.reflect(connection)
    for name, dumped in fixture["tables"].items():
        table = tables.tables[name]
        assert dumped["columns"] == [c.name for c in table.columns], f"{name}: the fixture is not of 0018"
        columns = [table.columns[c] for c in dumped["columns"]]
        rows = [{c.name: _decode(v, c, dialect) for c, v in zip(columns, row, strict=True)} for row in dumped["rows"]]
        if rows:
            connection.execute(table.insert(), rows)
    if dialect == "postgresql":
        for name, dumped in fixture["tables"].items():
            if dumped["rows"] and "id" in dumped["columns"]:
                connection.execute(text(f"SELECT setval(pg_get_serial_sequence('\"{name}\"', 'id'), "
                                        f"(SELECT max(id) FROM \"{name}\"))"))


def _rows(connection, tables, fixture, name):
    """The table's rows now, in the columns it had at 0018 (reflected: SQLite's dates read as dates)."""
    table = tables.tables[name]
    query = select(*[table.c[c] for c in fixture["tables"][name]["columns"]]).order_by(table.c.id)
    return [tuple(_comparable(v) for v in row) for row in connection.execute(query)]


def test_the_demo_at_0018_upgrades_to_head_with_every_row_and_a_verifying_audit_chain(fresh_database, tmp_path):
    fixture = json.loads(gzip.decompress(FIXTURE.read_bytes()))
    assert fixture["revision"] == START
    assert {name: len(fixture["tables"][name]["rows"]) for name in SEEDED} == SEEDED
    # 0018 allowed a council seat for an account without a name: the demo has none, so one is made so (accounts'
    # names are outside the audit chain). Its member must take the e-mail as name.
    users = fixture["tables"]["user"]
    unnamed = next(row for row in users["rows"] if row[users["columns"].index("email")] == UNNAMED)
    unnamed[users["columns"].index("full_name")] = ""
    checkpoints = tmp_path / "checkpoints.log"
    checkpoints.write_text("".join(f"{line}\n" for line in fixture["checkpoint_file"]), encoding="utf-8")
    app = create_app({"SQLALCHEMY_DATABASE_URI": fresh_database, "AUDIT_CHECKPOINT_FILE": str(checkpoints)})
    with app.app_context():
        upgrade(revision=START)
        with db.engine.begin() as connection:
            _load(connection, fixture)
        upgrade()

        with db.engine.connect() as connection:
            # Every row is still there, under its id.
            for name, dumped in fixture["tables"].items():
                if "id" in dumped["columns"]:
                    ids = sorted(row[dumped["columns"].index("id")] for row in dumped["rows"])
                    assert connection.execute(text(f'SELECT id FROM "{name}" ORDER BY id')).scalars().all() == ids, name
                else:
                    count = connection.execute(text(f'SELECT count(*) FROM "{name}"')).scalar()
                    assert count == len(dumped["rows"]), name
            # Sheets, votes, the decisions' lists, certificates, complaints, applications, the audit log: unchanged.
            tables = MetaData()
            tables.reflect(connection)
            for name in UNTOUCHED:
                expected = [tuple(_decode(v, None, "sqlite") for v in row) for row in fixture["tables"][name]["rows"]]
                assert _rows(connection, tables, fixture, name) == expected, name
            decisions = connection.execute(text(
                "SELECT id, members_present, votes_for, votes_against, votes_abstain, carried, minutes_number, "
                "meeting_starts_at, meeting_ends_at FROM decision ORDER BY id")).all()
            old = fixture["tables"]["decision"]
            wanted = ("id", "members_present", "votes_for", "votes_against", "votes_abstain", "carried")
            assert [tuple(row) for row in decisions] == [
                tuple(row[old["columns"].index(c)] for c in wanted) + (None, None, None) for row in old["rows"]]
            assert connection.execute(text("SELECT count(*) FROM meeting_attendance")).scalar() == 0  # not taken then

            # The old council becomes the new structure: each member a person named from the account it was seated
            # with, its seat and account kept; each juror titled from its account, none made head; no founding
            # decision or support team invented.
            members = connection.execute(text(
                'SELECT m.id, m.user_id, m.role, m.full_name, m.position, m.agency, '
                'u.full_name AS user_name, u.email, u.title '
                'FROM council_member m JOIN "user" u ON u.id = m.user_id ORDER BY m.id')).all()
            assert len(members) == SEEDED["council_member"]
            for _, _, _, full_name, position, agency, user_name, email, title in members:
                assert (full_name, position, agency) == (user_name or email, title, "")
            assert {m.role for m in members} == {"chair", "secretary", "member"}
            assert [m.full_name for m in members if m.email == UNNAMED] == [UNNAMED]
            jurors = connection.execute(text(
                'SELECT j.is_head, j.position, j.agency, u.title FROM juror j JOIN "user" u ON u.id = j.user_id')).all()
            assert len(jurors) == SEEDED["juror"]
            assert all((is_head, position, agency) == (False, title, "") for is_head, position, agency, title in jurors)
            assert all(position for _, position, _, _ in jurors)  # the demo's jurors have titles: the copy is seen
            assert connection.execute(text("SELECT count(*) FROM council")).scalar() == 0
            assert connection.execute(text("SELECT count(*) FROM support_member")).scalar() == 0

            # The registry's entries got their ICU sort keys (0020g): ordering by them in SQL is Vietnamese order.
            by_key = connection.execute(text("SELECT name FROM registry_entry ORDER BY name_sort, id")).scalars().all()
            assert len(by_key) > 1 and by_key == collate(by_key)
            provinces = connection.execute(text(
                "SELECT province_name FROM registry_entry ORDER BY province_sort, id")).scalars().all()
            assert provinces == collate(provinces, key=province_name_key)

        # `flask audit verify`: the chain walks, and every published checkpoint (rows and file) still matches.
        report = verify_chain()
        assert report.ok, report.problem
        assert report.checked == SEEDED["audit_event"]
        assert verify_checkpoints() == []
        assert len(fixture["checkpoint_file"]) == len(fixture["tables"]["audit_checkpoint"]["rows"]) > 0
        db.session.remove()
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert f"Audit chain OK: {SEEDED['audit_event']} events" in result.output
    with app.app_context():
        db.engine.dispose()
