"""A fresh, empty database of the suite's kind (migrations, schema checks)."""
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


@pytest.fixture
def fresh_database(database_url, tmp_path):
    """A new, empty database of the same kind as the suite's."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
        return
    name = f"cnnt_mig_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


#: Rows of a database at revision 0002 for migration tests: a region, a province, two rounds (one decided,
#: one in deliberation) and an administrator; the columns later revisions add get their server defaults.
ROWS_AT_0002 = (  # the columns later revisions add get their server defaults
    "INSERT INTO region (id, code, name, position) VALUES (1, 'bac', 'Bắc', 0)",
    "INSERT INTO province (id, code, name, name_folded, kind, region_id) "
    "VALUES (1, '19', 'Thái Nguyên', 'thai nguyen', 'tỉnh', 1)",
    "INSERT INTO round (id, title, year, status, registration_opens_on, registration_closes_on, created_at, "
    "jurisdiction_level, province_id) VALUES (1, 'Đợt 2025', 2025, 'decided', '2025-01-01', '2025-02-01', "
    "'2025-01-01 00:00:00', 'tinh', 1), (2, 'Đợt 2026', 2026, 'deliberation', '2026-01-01', '2026-02-01', "
    "'2026-01-01 00:00:00', 'tinh', 1)",
    "INSERT INTO \"user\" (id, email, full_name, title, phone, role, active, session_token, created_at) "
    "VALUES (1, 'admin@example.vn', 'Quản trị', '', '', 'admin', true, 't', '2026-01-01 00:00:00')",
)
ROWS_AT_0018 = (
    "INSERT INTO decision (id, round_id, sequence, meeting_on, meeting_place, members_present, votes_for, "
    "votes_against, votes_abstain, carried, minutes_note, snapshot, recorded_by_id, recorded_at, decision_number, "
    "decision_on, signer_name, signer_title, published_at, complaints_close_on) VALUES (1, 1, 1, '2025-03-01', '', "
    "5, 5, 0, 0, true, '', '{}', 1, '2025-03-01 00:00:00', '12/QĐ-UBND', '2025-03-02', '', '', "
    "'2025-03-03 00:00:00', '2025-03-18'), (2, 2, 1, '2026-03-01', '', 5, 5, 0, 0, true, '', '{}', 1, "
    "'2026-03-01 00:00:00', NULL, NULL, '', '', NULL, NULL)",
)
