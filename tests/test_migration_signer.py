"""Migration 0019c: the old one-box signer title becomes a signer block, on SQLite and PostgreSQL."""
import importlib.util
from pathlib import Path

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from tests.support.databases import fresh_database as fresh_database  # noqa: PLC0414 (a fixture)

from voting import create_app
from voting.extensions import db

BEFORE = "0018_decision_entry_names"
MIGRATION = Path(__file__).parent.parent / "migrations" / "versions" / "0019c_signer_block.py"


def _migration():
    spec = importlib.util.spec_from_file_location("migration_0019c", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(("old", "block"), [
    ("KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH", ("kt", "", "CHỦ TỊCH", "PHÓ CHỦ TỊCH")),
    ("TM. Ủy ban nhân dân\nKT. Chủ tịch\nPhó Chủ tịch", ("kt", "Ủy ban nhân dân", "Chủ tịch", "Phó Chủ tịch")),
    ("TM. Ủy ban nhân dân / Chủ tịch", ("tm", "Ủy ban nhân dân", "", "Chủ tịch")),
    ("TL. Giám đốc\nChánh Văn phòng", ("tl", "", "Giám đốc", "Chánh Văn phòng")),
    ("TUQ.Bộ trưởng\nVụ trưởng", ("tuq", "", "Bộ trưởng", "Vụ trưởng")),
    ("Q. Giám đốc", ("q", "", "Giám đốc", "")),
    ("kt. chủ tịch phó chủ tịch", ("kt", "", "chủ tịch phó chủ tịch", "")),
    # Kept whole, as typed: no prefix, or a shape the block cannot print the same way.
    ("Phó Chủ tịch Ủy ban nhân dân tỉnh", ("none", "", "", "Phó Chủ tịch Ủy ban nhân dân tỉnh")),
    ("Giám đốc Sở Nông nghiệp / Môi trường", ("none", "", "", "Giám đốc Sở Nông nghiệp / Môi trường")),
    ("Q. Giám đốc\nPhó Giám đốc", ("none", "", "", "Q. Giám đốc\nPhó Giám đốc")),
    ("TM. Ủy ban nhân dân\nTM. Hội đồng", ("none", "", "", "TM. Ủy ban nhân dân\nTM. Hội đồng")),
    ("KT.", ("none", "", "", "KT.")),
    ("", ("none", "", "", "")),
])
def test_old_titles_split_only_when_they_clearly_parse(old, block):
    assert _migration().split_title(old) == block


ROWS = {1: ("Nguyễn Mạnh Quyền", "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"),
        2: ("Hoàng Minh Tuấn", "Phó Chủ tịch Ủy ban nhân dân tỉnh"),
        3: ("", "")}


def _seed_rounds(conn):
    """Rounds as revision 0002 has them (later revisions add their settings with defaults)."""
    conn.execute(text("INSERT INTO region (id, code, name, position) VALUES (1, 'bac', 'Bắc', 0)"))
    conn.execute(text("INSERT INTO province (id, code, name, name_folded, kind, region_id) "
                      "VALUES (1, '19', 'Thái Nguyên', 'thai nguyen', 'tỉnh', 1)"))
    for row_id in ROWS:
        conn.execute(text(
            "INSERT INTO round (id, title, year, status, registration_opens_on, registration_closes_on, "
            "created_at, jurisdiction_level, province_id) VALUES (:id, :t, 2026, 'screening', '2026-01-01', "
            "'2026-02-01', '2026-01-01 00:00:00', 'tinh', 1)"), {"id": row_id, "t": f"Đợt {row_id}"})


def _seed_signers(conn):
    """The rounds' and their decisions' signers as revision 0018 has them: a name and one box of title."""
    conn.execute(text(
        "INSERT INTO \"user\" (id, email, full_name, title, phone, role, active, created_at) "
        "VALUES (1, 'admin@example.vn', 'Quản trị', '', '', 'admin', true, '2026-01-01 00:00:00')"))
    for row_id, (name, title) in ROWS.items():
        conn.execute(text("UPDATE round SET signer_name = :name, signer_title = :title WHERE id = :id"),
                     {"id": row_id, "name": name, "title": title})
        conn.execute(text(
            "INSERT INTO decision (id, round_id, sequence, meeting_on, meeting_place, members_present, votes_for, "
            "votes_against, votes_abstain, carried, minutes_note, snapshot, recorded_by_id, recorded_at, "
            "decision_number, decision_on, signer_name, signer_title) VALUES (:id, :id, 1, '2026-03-01', '', 5, 5, "
            "0, 0, true, '', '{}', 1, '2026-03-01 00:00:00', :number, '2026-03-02', :name, :title)"),
            {"id": row_id, "number": f"{row_id}/QĐ-UBND", "name": name, "title": title})


def _blocks(conn, table):
    return {row[0]: tuple(row[1:]) for row in conn.execute(text(
        f"SELECT id, signer_capacity, signer_body, signer_head_title, signer_title, signer_name FROM {table} "
        "ORDER BY id"))}


def test_upgrade_splits_old_titles_and_downgrade_joins_them_back(fresh_database):
    app = create_app({"SQLALCHEMY_DATABASE_URI": fresh_database})
    with app.app_context():
        upgrade(revision="0002_producers_rounds")
        with db.engine.begin() as conn:
            _seed_rounds(conn)
        upgrade(revision=BEFORE)
        with db.engine.begin() as conn:
            _seed_signers(conn)
        upgrade()
        expected = {1: ("kt", "", "CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Mạnh Quyền"),
                    2: ("none", "", "", "Phó Chủ tịch Ủy ban nhân dân tỉnh", "Hoàng Minh Tuấn"),
                    3: ("none", "", "", "", "")}
        with db.engine.connect() as conn:
            assert _blocks(conn, "round") == expected
            assert _blocks(conn, "decision") == expected
        # The new invariants hold from now on.
        with pytest.raises(IntegrityError), db.engine.begin() as conn:
            conn.execute(text("UPDATE decision SET signer_capacity = 'tm' WHERE id = 2"))
        downgrade(revision=BEFORE)
        with db.engine.connect() as conn:
            rows = {row[0]: (row[1], row[2]) for row in conn.execute(text(
                "SELECT id, signer_name, signer_title FROM decision ORDER BY id"))}
            assert rows == ROWS
        db.engine.dispose()
