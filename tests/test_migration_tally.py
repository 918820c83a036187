"""0022b_decision_tally tallies the votes taken before it: per group, province and producer type, the round's
accepted entries, the decision's lines among them and the sum of their scores; "passed" is not recorded (NULL),
and the summary report shows none where such a vote counts."""
from decimal import Decimal

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from certificates.reports.entries import results
from certificates.reports.figures import Area, Filters
from tests.support.databases import fresh_database as fresh_database  # noqa: PLC0414 (a fixture)
from voting import create_app
from voting.extensions import db

PRODUCER = ("INSERT INTO producer (id, name, name_folded, type_code, province_id, address, representative, phone, "
            "email, is_demo, created_at, publish_address, publish_phone, publish_email) VALUES "
            "({id}, 'Cơ sở {id}', 'co so {id}', '{type}', {province}, '', '', '', '', false, '2025-01-01 00:00:00', "
            "false, false, false)")
PRODUCT = ("INSERT INTO product (id, producer_id, name, name_folded, group_code, description, created_at, is_set) "
           "VALUES ({id}, {producer}, 'Sản phẩm {id}', 'san pham {id}', '{group}', '', '2025-01-01 00:00:00', false)")
APPLICATION = ("INSERT INTO application (id, round_id, product_id, producer_id, status, entry_code, organiser_message, "
               "withdrawal_reason, created_at) VALUES ({id}, {round}, {product}, {producer}, '{status}', {code}, '', "
               "'', '2025-01-01 00:00:00')")
#: At 0002: two provinces, two producer types, two groups; round 1 (decided) with four accepted entries and one
#: never accepted, round 2 (its vote carried, not decided yet) with one.
ROWS = (
    "INSERT INTO region (id, code, name, position) VALUES (1, 'bac', 'Bắc', 0)",
    "INSERT INTO province (id, code, name, name_folded, kind, region_id) VALUES "
    "(1, '19', 'Thái Nguyên', 'thai nguyen', 'tỉnh', 1), (2, '01', 'Hà Nội', 'ha noi', 'thành phố', 1)",
    "INSERT INTO producer_type (id, code, name) VALUES (1, 'htx', 'Hợp tác xã'), (2, 'dn', 'Doanh nghiệp')",
    "INSERT INTO product_group (id, code, name) VALUES (1, '1', 'Thực phẩm'), (2, '2', 'Chế biến')",
    PRODUCER.format(id=1, type="htx", province=1), PRODUCER.format(id=2, type="dn", province=1),
    PRODUCER.format(id=3, type="htx", province=2),
    *(PRODUCT.format(id=i, producer=p, group=g) for i, p, g in ((1, 1, 2), (2, 1, 2), (3, 2, 2), (4, 3, 1), (5, 1, 1))),
    "INSERT INTO round (id, title, year, status, registration_opens_on, registration_closes_on, created_at, "
    "jurisdiction_level, province_id) VALUES (1, 'Đợt 2025', 2025, 'decided', '2025-01-01', '2025-02-01', "
    "'2025-01-01 00:00:00', 'tinh', 1), (2, 'Đợt 2026', 2026, 'deliberation', '2026-01-01', '2026-02-01', "
    "'2026-01-01 00:00:00', 'tinh', 1)",
    *(APPLICATION.format(id=i, round=r, product=p, producer=o, status=s, code=c) for i, r, p, o, s, c in (
        (1, 1, 1, 1, "accepted", "'2.001'"), (2, 1, 2, 1, "accepted", "'2.002'"), (3, 1, 3, 2, "accepted", "'2.003'"),
        (4, 1, 4, 3, "accepted", "'1.001'"), (5, 1, 5, 1, "submitted", "NULL"), (6, 2, 1, 1, "accepted", "'2.001'"))),
    "INSERT INTO \"user\" (id, email, full_name, title, phone, role, active, session_token, created_at) "
    "VALUES (1, 'admin@example.vn', 'Quản trị', '', '', 'admin', true, 't', '2025-01-01 00:00:00')",
)
#: At 0017: round 1's decision certifies entries 1, 3 and 4; round 2's carried vote lists its entry.
VOTES = (
    "INSERT INTO decision (id, round_id, sequence, meeting_on, meeting_place, members_present, votes_for, "
    "votes_against, votes_abstain, carried, minutes_note, snapshot, recorded_by_id, recorded_at, decision_number, "
    "decision_on, signer_name, signer_title) VALUES (1, 1, 1, '2025-03-01', '', 5, 5, 0, 0, true, '', '{}', 1, "
    "'2025-03-01 00:00:00', '12/QĐ-UBND', '2025-03-02', '', ''), (2, 2, 1, '2026-03-01', '', 5, 5, 0, 0, true, '', "
    "'{}', 1, '2026-03-01 00:00:00', NULL, NULL, '', '')",
    "INSERT INTO decision_entry (id, decision_id, application_id, rank, score, prize) VALUES "
    "(1, 1, 4, 1, 90.25, ''), (2, 1, 1, 2, 85.00, ''), (3, 1, 3, 3, 80.50, ''), (4, 2, 6, 1, 75.00, '')",
)


def test_the_votes_before_it_are_tallied_without_a_passing_count(fresh_database):
    app = create_app({"SQLALCHEMY_DATABASE_URI": fresh_database})
    with app.app_context():
        upgrade(revision="0002_producers_rounds")
        with db.engine.begin() as conn:
            for statement in ROWS:
                conn.execute(text(statement))
        upgrade(revision="0017_audit_no_truncate")
        with db.engine.begin() as conn:
            for statement in VOTES:
                conn.execute(text(statement))
        upgrade(revision="0022b_decision_tally")
        with db.engine.connect() as conn:
            rows = conn.execute(text(
                "SELECT decision_id, group_code, province_id, producer_type, entries, passed, certified, score_sum "
                "FROM decision_tally ORDER BY decision_id, group_code, province_id, producer_type")).all()
        assert [(*row[:7], Decimal(str(row[7])).quantize(Decimal("0.01"))) for row in rows] == [
            (1, "1", 2, "htx", 1, None, 1, Decimal("90.25")),  # Hà Nội's producer
            (1, "2", 1, "dn", 1, None, 1, Decimal("80.50")),
            (1, "2", 1, "htx", 2, None, 1, Decimal("85.00")),  # entry 2 not certified; 5 never an entry
            (2, "2", 1, "htx", 1, None, 1, Decimal("75.00")),  # a vote not decided yet: tallied all the same
        ]
        outcome = results(Area(None), Filters())  # round 1 only: round 2 is not decided
        [row] = outcome.by_year_level
        assert (row.key, row.entries, row.passed, row.certified, row.mean_score) == (
            (2025, "tinh"), 4, None, 3, Decimal("85.25"))
        assert [(t.name, t.entries, t.passed, t.certified) for t in outcome.by_province] == [
            ("Thái Nguyên", 3, None, 2), ("Hà Nội", 1, None, 1)]
        db.session.remove()

        downgrade(revision="0022a_registry_tally")
        assert "decision_tally" not in inspect(db.engine).get_table_names()
        upgrade()
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM decision_tally")).scalar() == 4
        db.engine.dispose()
