"""Rural eligibility at screening (issue 18): the commune's kind is shown, a producer in a ward (phường) or an
industrial zone is flagged with the rule quoted, and accepting it needs the organiser's recorded decision."""
import html
import json
import unicodedata

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from tests.conftest import csrf_token, login
from tests.factories import build_world, commune_in
from tests.support.databases import fresh_database as fresh_database  # noqa: PLC0414 (a fixture)
from voting.core.errors import DomainError
from voting.extensions import db
from voting.models import Application, AuditEvent, Producer, User
from voting.operations.applications import accept_application
from voting.rules.eligibility import rural_flags

RULE = "“Sản phẩm công nghiệp nông thôn: cơ sở sản xuất ở khu vực nông thôn”"
REASON = "Xưởng ở thôn Đồng Tâm thuộc phường mới sáp nhập; nguyên liệu và lao động tại chỗ."


@pytest.fixture
def world(app, make_user):
    owner, organiser = make_user("producer"), make_user("organiser")
    built = build_world(app, owner.email, organiser.email)
    built.organiser = organiser
    return built


def _move_producer(app, world, kind="xã", address=None):
    with app.app_context():
        producer = db.session.get(Producer, db.session.get(Application, world.application_id).producer_id)
        producer.commune = commune_in("19", kind=kind)
        if address is not None:
            producer.address = address
        db.session.commit()


def _page(client, world):
    response = client.get(f"/organiser/applications/{world.application_id}")
    assert response.status_code == 200
    return html.unescape(response.get_data(as_text=True))


def _screen(client, world, **fields):
    url = f"/organiser/applications/{world.application_id}"
    return client.post(url, data={"decision": "accept", "message": "", "csrf_token": csrf_token(client, url), **fields})


@pytest.mark.parametrize("kind, address, flags", [
    ("xã", "Thôn Nà Cà", []),
    ("phường", "Tổ 5", ["ward"]),
    ("xã", "Lô C7, khu công nghiệp Quế Võ", ["industrial_zone"]),
    ("xã", "Lô B3, Cụm Công Nghiệp Cam Thịnh", ["industrial_zone"]),
    ("xã", unicodedata.normalize("NFD", "Lô 2, KHU CÔNG NGHIỆP Yên Phong"), ["industrial_zone"]),
    ("xã", "Đường số 3, KCN Đình Trám", ["industrial_zone"]),
    ("phường", "Lô 4, CCN Phú Xuyên", ["ward", "industrial_zone"]),
    ("xã", "Thôn Kcnh, xóm Khu Công", []),  # words that only look like the abbreviations
    ("đặc khu", "Khu phố 2", []),
])
def test_the_flags_come_from_the_commune_kind_and_the_address(app_ctx, kind, address, flags):
    producer = Producer(name="Cơ sở", address=address, commune=commune_in("19" if kind != "đặc khu" else "79", kind=kind))
    assert rural_flags(producer) == flags


def test_the_screening_page_shows_the_commune_kind_and_no_flag_for_a_xa(app, client, world):
    login(client, world.organiser.email)
    page = _page(client, world)
    assert '<dd id="commune-kind">Xã</dd>' in page
    assert 'id="rural-flag"' not in page and "rural_confirmed" not in page
    assert _screen(client, world).status_code == 302
    with app.app_context():
        application = db.session.get(Application, world.application_id)
        assert (application.status, application.rural_flags, application.rural_reason) == ("accepted", "", "")


def test_a_producer_in_a_ward_is_flagged_with_the_rule_quoted(app, client, world):
    _move_producer(app, world, kind="phường")
    login(client, world.organiser.email)
    page = _page(client, world)
    assert '<dd id="commune-kind">Phường</dd>' in page
    flag = page[page.index('id="rural-flag"'):]
    assert RULE in flag and "Địa chỉ cơ sở ở phường, là khu vực đô thị." in flag
    assert 'name="rural_confirmed"' in page and 'name="rural_reason"' in page


def test_the_round_list_marks_the_flagged_dossiers_then_the_decided_ones(app, client, world):
    login(client, world.organiser.email)
    round_url = f"/organiser/rounds/{world.round_id}"
    assert "Cần xem xét: khu vực nông thôn" not in html.unescape(client.get(round_url).get_data(as_text=True))
    _move_producer(app, world, kind="phường")
    assert "Cần xem xét: khu vực nông thôn" in html.unescape(client.get(round_url).get_data(as_text=True))
    assert _screen(client, world, rural_confirmed="y", rural_reason=REASON).status_code == 302
    listed = html.unescape(client.get(round_url).get_data(as_text=True))
    assert "Cần xem xét: khu vực nông thôn" not in listed and "Chấp nhận là nông thôn, có lý do" in listed


def test_accepting_a_flagged_producer_without_a_decision_is_refused_keeping_what_was_typed(app, client, world):
    _move_producer(app, world, address="Lô C7, khu công nghiệp Quế Võ")
    login(client, world.organiser.email)
    response = _screen(client, world, message="Hồ sơ đầy đủ", rural_reason="Cụm làng nghề")  # the box left unticked
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 400  # refused: the page again, with the fields marked
    assert "hãy đánh dấu ô này để ghi nhận quyết định của bạn" in page
    assert "Cụm làng nghề</textarea>" in page and "Hồ sơ đầy đủ</textarea>" in page
    response = _screen(client, world, rural_confirmed="y", rural_reason="  ")
    assert "Hãy ghi lý do coi cơ sở là cơ sở công nghiệp nông thôn" in html.unescape(response.get_data(as_text=True))
    with app.app_context():
        application = db.session.get(Application, world.application_id)
        assert (application.status, application.entry_code) == ("submitted", None)
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "application.accept")) is None


def test_the_operation_refuses_a_flagged_acceptance_without_a_reason(app, world):
    _move_producer(app, world, kind="phường")
    with app.app_context():
        application = db.session.get(Application, world.application_id)
        organiser = db.session.get(User, world.organiser.id)
        with pytest.raises(DomainError) as refused:
            accept_application(organiser, application, "   ")
        assert refused.value.code == "rural_decision_required"
        db.session.rollback()


def test_the_decision_is_recorded_shown_and_audited(app, client, world):
    _move_producer(app, world, kind="phường", address="Tổ 3, cụm công nghiệp Đồng Tâm")
    login(client, world.organiser.email)
    assert _screen(client, world, rural_confirmed="y", rural_reason=REASON).status_code == 302
    with app.app_context():
        application = db.session.get(Application, world.application_id)
        assert application.status == "accepted" and application.entry_code == "2.001"
        assert (application.rural_flags, application.rural_reason) == ("ward,industrial_zone", REASON)
        assert application.decided_by_id == world.organiser.id
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "application.accept"))
        assert event.reason == REASON and event.object_id == str(application.id)
        assert json.loads(event.data) == {"entry_code": "2.001", "rural_flags": ["ward", "industrial_zone"]}
        organiser_name = db.session.get(User, world.organiser.id).display_name
    # Moved back to a xã later, the page still shows what was decided, and on what.
    _move_producer(app, world, kind="xã", address="Thôn Nà Cà")
    page = _page(client, world)
    decision = page[page.index('id="rural-decision"'):]
    assert "Đã chấp nhận là cơ sở sản xuất ở khu vực nông thôn dù bị đánh dấu." in decision
    assert REASON in decision and organiser_name in decision
    assert "Địa chỉ cơ sở ở phường, là khu vực đô thị." in decision
    assert "Địa chỉ cơ sở có nhắc tới khu công nghiệp hoặc cụm công nghiệp." in decision


def test_the_schema_refuses_flags_without_a_reason_or_unknown_flags(app, world):
    with app.app_context():
        for flags, reason, status in (("ward", "", "accepted"), ("ward", "Lý do", "submitted"), ("phuong", "Lý do", "accepted")):
            with pytest.raises(IntegrityError), db.engine.begin() as conn:
                conn.execute(text("UPDATE application SET status = :status, entry_code = :code, rural_flags = :flags, "
                                  "rural_reason = :reason WHERE id = :id"),
                             {"status": status, "code": "2.001" if status == "accepted" else None, "flags": flags,
                              "reason": reason, "id": world.application_id})


def test_the_migration_keeps_decided_applications_with_no_decision_recorded(fresh_database):
    """Applications accepted before revision 0019b survive it with empty flags; down again, they are still there."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import inspect

    from voting import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": fresh_database})
    with app.app_context():
        upgrade(revision="0002_producers_rounds")  # rows as the oldest schema has them, as in test_migrations
        with db.engine.begin() as conn:
            for statement in (
                "INSERT INTO region (id, code, name, position) VALUES (1, 'bac', 'Bắc', 0)",
                "INSERT INTO province (id, code, name, name_folded, kind, region_id) "
                "VALUES (1, '19', 'Thái Nguyên', 'thai nguyen', 'tỉnh', 1)",
                "INSERT INTO producer_type (id, code, name) VALUES (1, 'htx', 'Hợp tác xã')",
                "INSERT INTO product_group (id, code, name) VALUES (1, '2', 'Chế biến')",
                "INSERT INTO producer (id, name, name_folded, type_code, province_id, address, representative, "
                "phone, email, is_demo, created_at, publish_address, publish_phone, publish_email) VALUES "
                "(1, 'HTX', 'htx', 'htx', 1, 'Lô 3, KCN Yên Bình', '', '', '', false, '2026-01-01 00:00:00', "
                "false, false, false)",
                "INSERT INTO product (id, producer_id, name, name_folded, group_code, description, created_at, is_set) "
                "VALUES (1, 1, 'Miến', 'mien', '2', '', '2026-01-01 00:00:00', false), "
                "(2, 1, 'Măng', 'mang', '2', '', '2026-01-01 00:00:00', false)",
                "INSERT INTO round (id, title, year, status, registration_opens_on, registration_closes_on, "
                "created_at, jurisdiction_level, province_id) VALUES (1, 'Đợt 2026', 2026, 'screening', "
                "'2026-01-01', '2026-02-01', '2026-01-01 00:00:00', 'tinh', 1)",
                "INSERT INTO application (id, round_id, product_id, producer_id, status, entry_code, organiser_message, "
                "withdrawal_reason, created_at) VALUES (1, 1, 1, 1, 'accepted', '2.001', '', '', '2026-01-01 00:00:00'), "
                "(2, 1, 2, 1, 'submitted', NULL, '', '', '2026-01-01 00:00:00')",
            ):
                conn.execute(text(statement))
        upgrade(revision="0018_decision_entry_names")
        upgrade(revision="0019b_application_rural_decision")
        with db.engine.connect() as conn:
            rows = conn.execute(text("SELECT id, status, entry_code, rural_flags, rural_reason FROM application "
                                     "ORDER BY id")).all()
        assert [tuple(r) for r in rows] == [(1, "accepted", "2.001", "", ""), (2, "submitted", None, "", "")]
        # The server default only served the upgrade: a new row states its flags (the application always does),
        # and a flag needs an accepted status and a reason.
        with pytest.raises(IntegrityError), db.engine.begin() as conn:
            conn.execute(text("UPDATE application SET rural_flags = 'industrial_zone' WHERE id = 1"))
        with db.engine.begin() as conn:
            conn.execute(text("UPDATE application SET rural_flags = 'industrial_zone', rural_reason = 'Cụm làng nghề' "
                              "WHERE id = 1"))
        downgrade(revision="0018_decision_entry_names")
        columns = {c["name"] for c in inspect(db.engine).get_columns("application")}
        assert "rural_flags" not in columns and "rural_reason" not in columns
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM application")).scalar() == 2
        db.engine.dispose()
