"""A published decision lists the names it was voted with, whatever the producer changes afterwards.

The council's vote freezes each listed entry's code, product, producer, province and group into the
decision (``DecisionEntry``); the public results, the decision's list and the minutes (PDF), the
results workbooks, the producer's own result and the organiser's and council's pages read that copy.
Here the producer renames its product and itself, moves to another province and puts the product in
another group after the decision is published; every one of them still shows what was decided (the
staff and producer pages mark the current name beside it). An amending decision takes its own copy.
"""
import json
import re
from io import BytesIO
from types import SimpleNamespace

import openpyxl
import pytest
from pypdf import PdfReader
from sqlalchemy import select

from tests.conftest import create_user, login
from tests.support.certificates import certify
from tests.support.databases import fresh_database as fresh_database  # noqa: PLC0414 (a fixture)
from voting.core.formatting import group_short
from voting.rules.signer import SignerBlock
from voting.core.clock import today_vn
from voting.extensions import db
from voting.models import (
    Application,
    Complaint,
    Decision,
    DecisionEntry,
    ProductGroup,
    Province,
    Role,
    Round,
    User,
)
from voting.operations.complaints import answer_complaint, file_complaint
from voting.operations.deliberation import publish_results, record_decision, record_vote
from voting.operations.nominations import nomination_candidates
from voting.core.text import fold
from voting.documents.decision import decision_doc
from voting.documents.reports import long_date

pytestmark = pytest.mark.xdist_group("decided_names")

NEW_PRODUCT = "Miến dong đổi tên sau Quyết định"
NEW_PRODUCER = "Hợp tác xã Đổi Tên Sau Quyết Định"
NEW_PROVINCE_CODE = "96"   # Cà Mau: named nowhere else in the round's documents
NEW_GROUP_CODE = "3"       # the entries were decided in group 2


def squash(text):
    return "".join(text.split())


def pdf_text(data):
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(BytesIO(data)).pages)


def sheet_values(data):
    """Every non-empty cell of the workbook's sheet, row by row, as text."""
    sheet = openpyxl.load_workbook(BytesIO(data)).active
    return [[str(v) for v in row if v is not None] for row in sheet.iter_rows(values_only=True)]


def move_and_rename(application, product_name, producer_name, province, group):
    """What a producer may do after the decision (and an administrator to a product's group)."""
    product, producer = application.product, application.producer
    product.name, product.name_folded, product.group_code = product_name, fold(product_name), group.code
    producer.name, producer.name_folded = producer_name, fold(producer_name)
    producer.province_id, producer.commune_id = province.id, None


def decided(application):
    product, producer = application.product, application.producer
    return SimpleNamespace(code=application.entry_code, product=product.name, producer=producer.name,
                           province=producer.province.name, group_code=product.group_code,
                           group=product.group.name)


@pytest.fixture(scope="module")
def renamed(app, module_rows):
    """Two entries certified and published; then the first one's producer renames, moves and regroups."""
    serial = iter(range(1, 100))

    def create(role=Role.PRODUCER, **kwargs):
        return create_user(app, role, f"decided.{role}{next(serial)}@example.vn", **kwargs)

    hall = certify(app, create, entries=2, failing=1)
    with app.app_context():
        first = db.session.get(Application, hall.application_ids[0])
        was = decided(first)
        province = db.session.scalar(select(Province).where(Province.code == NEW_PROVINCE_CODE))
        group = db.session.scalar(select(ProductGroup).where(ProductGroup.code == NEW_GROUP_CODE))
        move_and_rename(first, NEW_PRODUCT, NEW_PRODUCER, province, group)
        db.session.commit()
        decision = db.session.scalar(select(Decision).where(Decision.round_id == hall.round_id))
        world = SimpleNamespace(hall=hall, was=was, round_id=hall.round_id, decision_id=decision.id,
                                application_id=first.id, new_province=province.name, new_group=group.name)
    assert was.product != NEW_PRODUCT and was.producer != NEW_PRODUCER
    assert was.province != world.new_province and was.group != world.new_group
    clients = {}
    for name, user in (("owner", hall.owners[0]), ("organiser", hall.organiser), ("chair", hall.chair)):
        clients[name] = app.test_client()
        assert login(clients[name], user.email, user.password).status_code == 302
    world.clients = clients
    return world


def assert_only_decided(text, world):
    assert world.was.product in text and world.was.producer in text
    assert NEW_PRODUCT not in text and NEW_PRODUCER not in text
    assert world.new_province not in text and world.new_group not in text


def test_the_public_results_list_the_names_as_decided(app, renamed):
    response = app.test_client().get(f"/results/{renamed.round_id}")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    row = next(r for r in re.findall(r"<tr>(.*?)</tr>", body, re.S) if renamed.was.product in r)
    cells = [" ".join(re.sub(r"<[^>]+>", "", c).split()) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    assert cells[1:3] + cells[4:5] == [renamed.was.product, renamed.was.producer, renamed.was.group]
    # The address as the vote listed it, to the commune (the producer has moved province since).
    assert cells[3].endswith(", " + renamed.was.province) and cells[3].startswith(("Xã ", "Phường ", "Đặc khu "))
    assert_only_decided(body, renamed)
    assert "tên hiện nay" not in body  # the public page prints what was decided, nothing else


def test_the_decision_list_pdf_prints_the_names_as_decided(renamed):
    response = renamed.clients["organiser"].get(
        f"/rounds/{renamed.round_id}/results/decisions/{renamed.decision_id}/list.pdf")
    assert response.status_code == 200
    text = pdf_text(response.data)
    # The address column holds the public address frozen at the vote: the commune, then the province voted with.
    assert squash(f"{renamed.was.code} {renamed.was.product} {renamed.was.producer}") in squash(text)
    assert squash(f"{renamed.was.province} {renamed.was.group_code}") in squash(text)
    assert squash(f"{renamed.was.group_code} – {renamed.was.group}") in squash(text)  # the legend
    assert squash(NEW_PRODUCT) not in squash(text) and squash(NEW_PRODUCER) not in squash(text)
    assert squash(renamed.new_province) not in squash(text) and squash(renamed.new_group) not in squash(text)


def test_the_minutes_pdf_prints_the_names_as_voted(renamed):
    response = renamed.clients["chair"].get(
        f"/rounds/{renamed.round_id}/results/decisions/{renamed.decision_id}/minutes.pdf")
    assert response.status_code == 200
    text = squash(pdf_text(response.data))
    assert squash(f"{renamed.was.code} {renamed.was.product} {renamed.was.producer}") in text
    assert squash(NEW_PRODUCT) not in text and squash(NEW_PRODUCER) not in text
    assert squash(renamed.new_group) not in text


def test_the_results_workbooks_name_a_listed_entry_as_decided(renamed):
    client = renamed.clients["organiser"]
    table = client.get(f"/rounds/{renamed.round_id}/results/results.xlsx")
    assert table.status_code == 200
    rows = sheet_values(table.data)
    row = next(r for r in rows if renamed.was.code in r)
    position = row.index(renamed.was.code)
    product, producer, address, group = row[position + 1:position + 5]
    assert [product, producer, group] == [renamed.was.product, renamed.was.producer, renamed.was.group]
    # The address frozen at the vote, to the commune (the producer has moved province since).
    assert address.endswith(", " + renamed.was.province) and address.startswith(("Xã ", "Phường ", "Đặc khu "))
    cells = {cell for r in rows for cell in r}
    assert not {NEW_PRODUCT, NEW_PRODUCER, renamed.new_province, renamed.new_group} & cells
    matrix = sheet_values(client.get(f"/rounds/{renamed.round_id}/results/scores.xlsx").data)
    products = {r[r.index(renamed.was.code) + 1] for r in matrix if renamed.was.code in r}
    assert products == {renamed.was.product}


def test_the_producer_sees_the_names_decided_and_its_current_ones(renamed):
    body = renamed.clients["owner"].get(f"/producer/applications/{renamed.application_id}").get_data(as_text=True)
    block = re.search(r'<dl class="facts decided-names">(.*?)</dl>', body, re.S)
    assert block, "the result names nothing as decided"
    facts = " ".join(re.sub(r"<[^>]+>", " ", block.group(1)).split())
    assert f"Tên sản phẩm theo Quyết định {renamed.was.product} (tên hiện nay: {NEW_PRODUCT})" in facts
    assert f"Tên cơ sở theo Quyết định {renamed.was.producer} (tên hiện nay: {NEW_PRODUCER})" in facts
    assert f"{renamed.was.province} (hiện nay: {renamed.new_province})" in facts
    assert f"{group_short(renamed.was.group)} (hiện nay: {group_short(renamed.new_group)})" in facts  # after its label


@pytest.mark.parametrize("who", ["organiser", "chair"])
def test_the_results_page_shows_the_names_decided_with_the_current_ones_beside(renamed, who):
    body = renamed.clients[who].get(f"/rounds/{renamed.round_id}/results").get_data(as_text=True)
    row = next(r for r in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S) if renamed.was.code in r)
    text = " ".join(re.sub(r"<[^>]+>", " ", row).split())
    assert f"{renamed.was.product} (tên hiện nay: {NEW_PRODUCT})" in text
    assert f"{renamed.was.producer} (tên hiện nay: {NEW_PRODUCER})" in text


def test_the_decision_keeps_its_own_copy(app, renamed):
    with app.app_context():
        entry = db.session.scalar(select(DecisionEntry).where(DecisionEntry.application_id == renamed.application_id))
        assert (entry.entry_code, entry.product_name, entry.producer_name, entry.province_name, entry.group_code,
                entry.group_name) == (renamed.was.code, renamed.was.product, renamed.was.producer,
                                      renamed.was.province, renamed.was.group_code, renamed.was.group)


# Worlds of their own (after the shared world's tests: they empty the database when they end) -------------

def test_an_amending_decision_freezes_its_own_copy_at_its_own_vote(app, make_user):
    hall = certify(app, make_user, entries=2, failing=1, close_window=False)
    today = today_vn()
    with app.app_context():
        first = db.session.get(Application, hall.application_ids[0])
        was = decided(first)
        province = db.session.scalar(select(Province).where(Province.code == NEW_PROVINCE_CODE))
        group = db.session.scalar(select(ProductGroup).where(ProductGroup.code == NEW_GROUP_CODE))
        move_and_rename(first, NEW_PRODUCT, NEW_PRODUCER, province, group)
        db.session.commit()  # the producer's own request, before the complaint
        owner, chair = db.session.get(User, hall.owners[1].id), db.session.get(User, hall.chair.id)
        organiser = db.session.get(User, hall.organiser.id)
        file_complaint(owner, db.session.get(Application, hall.application_ids[1]), "Xin xem lại điểm.", today)
        complaint = db.session.scalar(select(Complaint).where(Complaint.round_id == hall.round_id))
        answer_complaint(chair, complaint, True, "Hội đồng xét lại danh sách.", True)
        round_ = db.session.get(Round, hall.round_id)
        amending = record_vote(chair, round_, today, 4, 4, 0, 0, "", today)
        record_decision(organiser, amending, f"{hall.round_id}06/QĐ-UBND", today, SignerBlock(
                            capacity="kt", head_title="Chủ tịch", title="Phó Chủ tịch", name="Nguyễn Văn Bình"),
                        today)
        publish_results(organiser, round_, today)
        db.session.commit()
        first_id, amending_id = [d.id for d in db.session.scalars(
            select(Decision).where(Decision.round_id == hall.round_id).order_by(Decision.sequence))]
        copies = {d: db.session.scalar(select(DecisionEntry).where(
            DecisionEntry.decision_id == d, DecisionEntry.application_id == first.id)) for d in (first_id, amending_id)}
        assert (copies[first_id].product_name, copies[first_id].producer_name, copies[first_id].province_name,
                copies[first_id].group_name) == (was.product, was.producer, was.province, was.group)
        assert (copies[amending_id].product_name, copies[amending_id].producer_name,
                copies[amending_id].province_name, copies[amending_id].group_name) == (
                    NEW_PRODUCT, NEW_PRODUCER, province.name, group.name)
        snapshot = json.loads(db.session.get(Decision, amending_id).snapshot)
        assert {r["product_name"] for r in snapshot["proposed"]} >= {NEW_PRODUCT}

    public = app.test_client().get(f"/results/{hall.round_id}").get_data(as_text=True)
    assert NEW_PRODUCT in public and was.product not in public  # the amending decision is the one in force
    client = app.test_client()
    assert login(client, hall.organiser.email, hall.organiser.password).status_code == 302
    listing = squash(pdf_text(client.get(f"/rounds/{hall.round_id}/results/decisions/{first_id}/list.pdf").data))
    assert squash(was.product) in listing and squash(NEW_PRODUCT) not in listing  # the first still as decided
    listing = squash(pdf_text(client.get(f"/rounds/{hall.round_id}/results/decisions/{amending_id}/list.pdf").data))
    assert squash(NEW_PRODUCT) in listing and squash(was.product) not in listing

    # The amending decision reads as one: it names the decision it amends, restates Điều 1 with its own list,
    # and leaves the rest in force. The first decision still reads as the recognition itself.
    first_number, decided_on = f"{hall.round_id}05/QĐ-UBND", long_date(today)
    with app.app_context():
        amending_doc, first_doc = (decision_doc(db.session.get(Decision, d)) for d in (amending_id, first_id))
    cited = f"Quyết định số {first_number} {decided_on}"
    assert amending_doc.subject.startswith(f"Về việc sửa đổi, bổ sung {cited} của ")
    assert f"Căn cứ {cited} của " in amending_doc.bases[-2]
    assert amending_doc.bases[-1].startswith("Xét kết quả giải quyết khiếu nại")
    articles = dict(amending_doc.articles)
    assert articles[1].startswith(f"Sửa đổi Điều 1 {cited} như sau: “Công nhận 2 sản phẩm của 2 cơ sở")
    assert articles[1].endswith(f"Danh sách kèm theo Quyết định này thay thế danh sách kèm theo {cited}.")
    assert articles[2] == f"Các nội dung khác của {cited} giữ nguyên hiệu lực."
    assert first_doc.subject.startswith("Về việc công nhận sản phẩm") and "Sửa đổi" not in dict(first_doc.articles)[1]
    printed = squash(pdf_text(client.get(f"/rounds/{hall.round_id}/results/decisions/{amending_id}/decision.pdf").data))
    assert squash(f"Về việc sửa đổi, bổ sung {cited}") in printed


def test_the_minutes_keep_a_struck_entry_as_voted(app, make_user):
    from tests.factories import make_deliberating_round
    from tests.support.certificates import PASSING
    from voting.operations.deliberation import strike_entry
    from voting.documents.minutes import minutes_pdf

    hall = make_deliberating_round(app, make_user, [PASSING] * 2)
    today = today_vn()
    with app.app_context():
        round_ = db.session.get(Round, hall.round_id)
        struck = db.session.get(Application, hall.application_ids[1])
        was = decided(struck)
        secretary = db.session.get(User, hall.organiser.id)
        strike_entry(secretary, round_, struck, "Trùng với sản phẩm đã được công nhận.")
        decision = record_vote(secretary, round_, today, 4, 4, 0, 0, "", today)
        db.session.commit()
        province = db.session.scalar(select(Province).where(Province.code == NEW_PROVINCE_CODE))
        group = db.session.scalar(select(ProductGroup).where(ProductGroup.code == NEW_GROUP_CODE))
        move_and_rename(struck, NEW_PRODUCT, NEW_PRODUCER, province, group)
        db.session.commit()
        text = squash(pdf_text(minutes_pdf(db.session.get(Decision, decision.id))))
    section = text.split(squash("2. Sản phẩm đạt điểm"))[1].split(squash("3. Biểu quyết"))[0]
    assert squash(f"{was.code} {was.product} {was.producer}") in section
    assert squash(NEW_PRODUCT) not in text and squash(NEW_PRODUCER) not in text


@pytest.fixture
def issued_then_renamed(app, make_user, signer):
    """One entry certified, its certificate issued; then its producer renames, moves and regroups."""
    from tests.support.certificates import issue_certificates

    hall = certify(app, make_user, entries=1, failing=0)
    issue_certificates(app, hall)
    with app.app_context():
        application = db.session.get(Application, hall.application_ids[0])
        was = decided(application)
        province = db.session.scalar(select(Province).where(Province.code == NEW_PROVINCE_CODE))
        group = db.session.scalar(select(ProductGroup).where(ProductGroup.code == NEW_GROUP_CODE))
        move_and_rename(application, NEW_PRODUCT, NEW_PRODUCER, province, group)
        db.session.commit()  # the registry's rows refresh with the commit
        was.province_code = db.session.scalar(select(Province.code).where(Province.name == was.province))
    return SimpleNamespace(hall=hall, was=was)


def test_registry_counts_follow_the_certified_province_and_group_like_its_filters(app, client, issued_then_renamed):
    from certificates.registry.stats import certified_counts

    was = issued_then_renamed.was
    with app.test_request_context("/registry/"):
        counts = certified_counts(today_vn())
    assert [(c.key, c.name, c.count) for c in counts.by_province] == [(was.province_code, was.province, 1)]
    assert [(c.key, c.name, c.count) for c in counts.by_group] == [(was.group_code, was.group, 1)]

    def listed(**filters):
        response = client.get("/api/v1/products", query_string=filters)
        assert response.status_code == 200, response.get_data(as_text=True)
        return response.get_json()["total"]

    for count in counts.by_province:
        assert listed(province=count.key) == count.count
    for count in counts.by_group:
        assert listed(group=count.key) == count.count
    assert listed(province=NEW_PROVINCE_CODE) == 0 and listed(group=NEW_GROUP_CODE) == 0


def test_nomination_candidates_carry_the_names_decided(app, issued_then_renamed):
    was = issued_then_renamed.was
    with app.app_context():
        candidates = nomination_candidates(db.session.get(Round, issued_then_renamed.hall.round_id))
        assert [(c.listed_as.product_name, c.listed_as.producer_name, c.application.product.name)
                for c in candidates] == [(was.product, was.producer, NEW_PRODUCT)]


def test_a_certificate_issued_after_a_rename_names_what_the_decision_lists(app, client, make_user, signer):
    """A producer renamed between the decision and the issuance: the certificate, its PDF and its
    verification name what was decided (the decision is what the certificate attests)."""
    from certificates.operations.issuance import stored_pdf
    from tests.support.certificates import issue_certificates

    hall = certify(app, make_user, entries=1, failing=0)
    with app.app_context():
        application = db.session.get(Application, hall.application_ids[0])
        was = decided(application)
        province = db.session.scalar(select(Province).where(Province.code == NEW_PROVINCE_CODE))
        group = db.session.scalar(select(ProductGroup).where(ProductGroup.code == NEW_GROUP_CODE))
        move_and_rename(application, NEW_PRODUCT, NEW_PRODUCER, province, group)
        db.session.commit()
    [(certificate_id, _number)] = issue_certificates(app, hall)
    with app.app_context():
        from certificates.models import Certificate

        certificate = db.session.get(Certificate, certificate_id)
        facts = json.loads(certificate.snapshot)
        assert (facts["product_name"], facts["producer_name"], facts["province_name"], facts["group_name"]) == (
            was.product, was.producer, was.province, was.group)
        text = squash(pdf_text(stored_pdf(certificate)))
        token = certificate.token
    assert squash(was.product) in text and squash(NEW_PRODUCT) not in text and squash(NEW_PRODUCER) not in text
    answer = client.get(f"/api/v1/verify/{token}").get_json()
    assert answer["status"] == "valid"
    assert (answer["certificate"]["product"], answer["certificate"]["producer"]) == (was.product, was.producer)


# The migration -------------------------------------------------------------------------------------------

def test_the_migration_fills_existing_lists_with_the_names_they_show_today(fresh_database):  # noqa: F811
    """Decisions recorded before 0018 keep the names they showed until now (the live ones at the upgrade)."""
    from flask_migrate import upgrade
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError

    from voting import create_app

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
                "(1, 'HTX Na Rì', 'htx na ri', 'htx', 1, '', '', '', '', false, '2026-01-01 00:00:00', "
                "false, false, false)",
                "INSERT INTO product (id, producer_id, name, name_folded, group_code, description, created_at, is_set) "
                "VALUES (1, 1, 'Miến dong', 'mien dong', '2', '', '2026-01-01 00:00:00', false), "
                "(2, 1, 'Măng khô', 'mang kho', '2', '', '2026-01-01 00:00:00', false)",
                "INSERT INTO round (id, title, year, status, registration_opens_on, registration_closes_on, "
                "created_at, jurisdiction_level, province_id) VALUES (1, 'Đợt 2026', 2026, 'decided', "
                "'2026-01-01', '2026-02-01', '2026-01-01 00:00:00', 'tinh', 1)",
                "INSERT INTO application (id, round_id, product_id, producer_id, status, entry_code, "
                "organiser_message, withdrawal_reason, created_at) VALUES "
                "(1, 1, 1, 1, 'accepted', '2.001', '', '', '2026-01-01 00:00:00'), "
                "(2, 1, 2, 1, 'accepted', '2.002', '', '', '2026-01-01 00:00:00')",
                "INSERT INTO \"user\" (id, email, full_name, title, phone, role, active, session_token, created_at) "
                "VALUES (1, 'admin@example.vn', 'Quản trị', '', '', 'admin', true, 't', '2026-01-01 00:00:00')",
            ):
                conn.execute(text(statement))
        upgrade(revision="0017_audit_no_truncate")
        snapshot = json.dumps({
            "entries": 2, "ranked": 2, "passed": 2, "below_quorum": 0,
            "proposed": [{"application_id": 1, "entry_code": "2.001", "score": "85.00", "prize": ""}],
            "struck": [{"application_id": 2, "entry_code": "2.002", "score": "80.00", "reason": "Trùng"}]},
            ensure_ascii=False)
        with db.engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO decision (id, round_id, sequence, meeting_on, meeting_place, members_present, votes_for, "
                "votes_against, votes_abstain, carried, minutes_note, snapshot, recorded_by_id, recorded_at, "
                "decision_number, decision_on, signer_name, signer_title) VALUES (1, 1, 1, '2026-03-01', '', 5, 5, "
                "0, 0, true, '', :snapshot, 1, '2026-03-01 00:00:00', '12/QĐ-UBND', '2026-03-02', '', '')"),
                {"snapshot": snapshot})
            conn.execute(text("INSERT INTO decision_entry (id, decision_id, application_id, rank, score, prize) "
                              "VALUES (1, 1, 1, 1, 85.00, '')"))
        upgrade()
        with db.engine.connect() as conn:
            row = conn.execute(text("SELECT entry_code, product_name, producer_name, province_name, group_code, "
                                    "group_name FROM decision_entry WHERE id = 1")).one()
            filled = json.loads(conn.execute(text("SELECT snapshot FROM decision WHERE id = 1")).scalar_one())
        assert tuple(row) == ("2.001", "Miến dong", "HTX Na Rì", "Thái Nguyên", "2", "Chế biến")
        assert filled["proposed"][0] == {"application_id": 1, "entry_code": "2.001", "score": "85.00",
                                        "prize": "", "product_name": "Miến dong", "producer_name": "HTX Na Rì",
                                        "province_name": "Thái Nguyên", "group_code": "2", "group_name": "Chế biến"}
        assert filled["struck"][0]["product_name"] == "Măng khô" and filled["struck"][0]["reason"] == "Trùng"
        # The default only served the upgrade: a list row must say what it lists.
        with pytest.raises(IntegrityError), db.engine.begin() as conn:
            conn.execute(text("INSERT INTO decision_entry (id, decision_id, application_id, rank, score, prize) "
                              "VALUES (2, 1, 2, 2, 80.00, '')"))
        db.engine.dispose()
