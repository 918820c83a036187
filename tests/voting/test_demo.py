"""The demo dataset: sized from the domain's volumes, labelled, and every role can sign in.

Its dossiers carry real files through the real upload path, and its applications
stand in every state, each put there by the real operations and actors.
"""
import hashlib
import io
import re
import unicodedata

import pytest
from markupsafe import escape
from PIL import Image
from sqlalchemy import func, select

from tests.conftest import login
from voting.core.clock import today_vn
from tests.support import demo_world
from voting.demo.seed import DEMO_ACCOUNTS
from voting.rules.eligibility import dossier_missing, round_is_open
from voting.extensions import db
from voting.models import (
    Application,
    ApplicationStatus,
    AuditEvent,
    Notification,
    Producer,
    Product,
    ProductFile,
    Role,
    Round,
    User,
)
from voting.operations.audit import verify_chain
from voting.core.storage import storage
from voting.core.uploads import read_stored

ROLE_PAGE = {
    "admin": ("/admin/", "Quản trị hệ thống"),
    "organiser": ("/organiser/", "Công tác tổ chức bình chọn"),
    "juror": ("/jury/", "Trang của giám khảo"),
    "producer": ("/producer/", "Hợp tác xã Miến dong Na Rì"),
}


# Seeded once for the module (module_rows), with the other demo modules' snapshots taken from the same seed
# (tests/support/demo_world.py); every test here only reads. The seed's own failure path is tested in
# tests/voting/test_demo_seed.py, on an empty database.
pytestmark = pytest.mark.xdist_group(demo_world.GROUP)


@pytest.fixture(scope="module")
def demo(app, module_rows):
    return demo_world.seed(app)


def test_demo_is_sized_and_labelled(app, demo):
    with app.app_context():
        producers = db.session.scalar(select(func.count(Producer.id)))
        provinces = db.session.scalar(select(func.count(func.distinct(Producer.province_id))))
        assert producers >= 30 and provinces >= 6
        assert db.session.scalar(select(func.count(Product.id))) >= 60
        assert db.session.scalar(select(func.count(Producer.id)).where(Producer.is_demo.is_(False))) == 0
        assert {a["role"] for a in DEMO_ACCOUNTS} == {"admin", "organiser", "juror", "producer"}
        assert verify_chain().ok


@pytest.mark.parametrize("account", DEMO_ACCOUNTS, ids=lambda a: a["email"].split("@")[0])
def test_each_demo_account_lands_on_its_role_page(client, demo, account):
    response = login(client, account["email"], account["password"])
    assert response.status_code == 302
    home = client.get("/account/")
    path, marker = ROLE_PAGE[account["role"]]
    assert home.headers["Location"] == path
    page = client.get(path).get_data(as_text=True)
    assert marker in page


def test_provincial_organiser_sees_only_their_province(client, demo):
    login(client, "sct.thainguyen@demo.cnnt.vn", "demo-tinh19-2026")
    page = client.get("/organiser/").get_data(as_text=True)
    assert "Thái Nguyên" in page
    assert "Khánh Hòa" not in page
    assert "Dữ liệu minh họa" in page or "Minh họa" in page


def test_demo_accounts_have_no_live_welcome_links(app, demo):
    from voting.models import PasswordResetToken

    with app.app_context():
        live = db.session.scalar(select(func.count(PasswordResetToken.id)).where(PasswordResetToken.used_at.is_(None)))
        assert live == 0
        assert db.session.scalar(select(func.count(User.id))) == len(DEMO_ACCOUNTS)


# --- the dossiers: files, rounds and applications in every state -----------------------------

DEMO_PRODUCER = next(a for a in DEMO_ACCOUNTS if a["role"] == "producer")
ORGANISERS = {a["province_code"]: a for a in DEMO_ACCOUNTS if a.get("jurisdiction_level") == "tinh"}


def _is_nfc(text):
    return unicodedata.normalize("NFC", text) == text


def test_demo_applications_cover_every_state(app, demo):
    with app.app_context():
        # Provincial rounds; the regional round open too takes nominations (tests/voting/test_demo_nominations.py).
        open_rounds = select(Round.id).where(Round.status == "registration_open", Round.jurisdiction_level == "tinh")
        applications = db.session.scalars(select(Application).where(Application.round_id.in_(open_rounds))).all()
        assert {a.status for a in applications} == set(ApplicationStatus)
        assert demo["applications"] == len(applications) >= 12
        for status in ApplicationStatus:
            assert demo[f"applications_{status}"] == sum(a.status == status for a in applications)
        # One provincial round open now in each demo province, made by that province's organiser.
        rounds = db.session.scalars(select(Round).where(Round.status == "registration_open",
                                                        Round.jurisdiction_level == "tinh")).all()
        assert demo["rounds"] == len(rounds) == 2
        organisers = {u.id: u for u in db.session.scalars(select(User).where(User.role == Role.ORGANISER))}
        for round_ in rounds:
            assert round_is_open(round_, today_vn())
            assert organisers[round_.created_by_id].province_id == round_.province_id
        assert {r.province.code for r in rounds} == {"19", "56"}
        # The entries span every producer type and every product group.
        assert {a.producer.type_code for a in applications} == {"dnnvv", "htx", "tht", "hkd"}
        accepted = [a for a in applications if a.status == ApplicationStatus.ACCEPTED]
        assert {a.product.group_code for a in accepted} == {"1", "2", "3", "4"}
        for application in accepted:
            assert re.fullmatch(rf"{application.product.group_code}\.\d{{3}}", application.entry_code)
            assert application.decided_by_id in organisers
        for application in applications:
            if application.status in (ApplicationStatus.RETURNED, ApplicationStatus.REJECTED):
                assert len(application.organiser_message) > 40 and _is_nfc(application.organiser_message)
            if application.status == ApplicationStatus.WITHDRAWN:
                assert application.withdrawal_reason and _is_nfc(application.withdrawal_reason)
            if application.status != ApplicationStatus.DRAFT:
                assert application.submitted_at is not None
                assert dossier_missing(application.producer, application.product) == []
        # A returned dossier that was fixed and sent again, and a draft still missing papers.
        assert any(dossier_missing(a.producer, a.product) for a in applications
                   if a.status == ApplicationStatus.DRAFT)
        # Every step went through the real operations: audited, with the right actors.
        actions = db.session.execute(select(AuditEvent.action, AuditEvent.actor_id)).all()
        by_action = {}
        for action, actor_id in actions:
            by_action.setdefault(action, set()).add(actor_id)
        for action in ("application.return", "application.accept", "application.reject"):
            assert by_action[action] and by_action[action] <= set(organisers)
        for action in ("round.create", "round.open_registration", "application.start", "application.submitted",
                       "application.resubmitted", "application.withdraw", "product.add_file",
                       "product.remove_file"):
            assert action in by_action, action
        assert verify_chain().ok


def test_demo_files_are_real_images_and_documents_on_disk(app, demo):
    from pypdf import PdfReader

    with app.app_context():
        uploads = storage("uploads")
        files = db.session.scalars(select(ProductFile)).all()
        photos = [f for f in files if f.kind == "photo"]
        documents = [f for f in files if f.kind == "document"]
        assert len(photos) == demo["photos"] >= 36
        assert len(documents) == demo["documents"] >= 12
        for record in photos:
            data = read_stored(uploads, record.storage_name)
            assert hashlib.sha256(data).hexdigest() == record.sha256
            assert (record.mime_type, record.width, record.height) == ("image/jpeg", 800, 600)
            assert record.original_name.endswith(".jpg") and _is_nfc(record.original_name)
            with Image.open(io.BytesIO(data)) as img:
                assert img.format == "JPEG" and img.size == (800, 600)
                # Not a flat fill: a drawn picture has many colours.
                assert len(img.convert("RGB").resize((200, 150)).getcolors(maxcolors=100_000)) > 200
            with Image.open(io.BytesIO(read_stored(uploads, record.thumbnail_name))) as thumb:
                assert thumb.format == "WEBP" and max(thumb.size) <= 480
        for record in documents:
            data = read_stored(uploads, record.storage_name)
            assert hashlib.sha256(data).hexdigest() == record.sha256
            if record.mime_type == "application/pdf":
                assert len(PdfReader(io.BytesIO(data)).pages) == record.pages == 1
            else:
                assert record.thumbnail_name and uploads.exists(record.thumbnail_name)
        assert {d.document_type for d in documents} == {"registration", "food_safety", "quality", "award"}
        # At least a dozen complete dossiers, over both provinces, every group and producer type.
        complete = [p for p in db.session.scalars(select(Product))
                    if len(p.photos) >= 3 and any(d.document_type == "registration" for d in p.documents)]
        assert len(complete) >= 12
        assert {p.producer.province.code for p in complete} >= {"19", "56"}
        assert {p.group_code for p in complete} == {"1", "2", "3", "4"}
        assert {p.producer.type_code for p in complete} == {"dnnvv", "htx", "tht", "hkd"}
        # Food-safety certificates go with food products only.
        assert all(d.product.group_code == "2" for d in documents if d.document_type == "food_safety")


def test_demo_producer_sees_a_returned_dossier_and_an_inbox(app, client, demo):
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == DEMO_PRODUCER["email"]))
        applications = {a.status: a for a in db.session.scalars(
            select(Application).join(Round).where(Application.producer_id == user.producer_id,
                                                  Round.status == "registration_open"))}
        returned, accepted = applications[ApplicationStatus.RETURNED], applications[ApplicationStatus.ACCEPTED]
        message, entry_code = returned.organiser_message, accepted.entry_code
        returned_id, accepted_id = returned.id, accepted.id
        photo_id = accepted.product.photos[0].id
        kinds = db.session.scalars(select(Notification.kind).where(Notification.user_id == user.id)).all()
        # Two returns and an acceptance in the open round, and the acceptance into the second round;
        # from last year's published round, read long ago: two acceptances, two results and the
        # answer to a complaint.
        assert sorted(kinds) == ["application_accepted"] * 4 + ["application_returned"] * 2 + [
            "complaint_answered", "results_published", "results_published"]
        other_file = db.session.scalar(select(ProductFile.id).join(Product).where(
            Product.producer_id != user.producer_id).limit(1))

    assert login(client, DEMO_PRODUCER["email"], DEMO_PRODUCER["password"]).status_code == 302
    dashboard = client.get("/producer/").get_data(as_text=True)
    assert "Trả lại để bổ sung" in dashboard and entry_code in dashboard
    page = client.get(f"/producer/applications/{returned_id}").get_data(as_text=True)
    assert "Lời nhắn của cơ quan tổ chức" in page and str(escape(message)) in page
    assert "Nộp lại hồ sơ" in page  # the producer can fix the dossier and send it again
    assert entry_code in client.get(f"/producer/applications/{accepted_id}").get_data(as_text=True)
    # The inbox is reached the way a user reaches it: through the link in the page.
    inbox_url = re.search(r'href="([^"]*/inbox)"', dashboard).group(1)
    inbox = client.get(inbox_url).get_data(as_text=True)
    assert str(escape(message)) in inbox and f"mã số bình chọn {entry_code}" in inbox
    assert inbox.count('class="unread"') == 4
    thumb = client.get(f"/producer/files/{photo_id}?thumb=1")
    assert thumb.status_code == 200 and thumb.mimetype == "image/webp"
    assert client.get(f"/producer/files/{other_file}").status_code == 404


def test_demo_organiser_screens_their_own_round_only(app, client, demo):
    with app.app_context():
        rounds = {r.province.code: r.id for r in db.session.scalars(
            select(Round).where(Round.status == "registration_open", Round.jurisdiction_level == "tinh"))}
        pending = db.session.scalar(select(Application).where(
            Application.round_id == rounds["19"], Application.status == ApplicationStatus.SUBMITTED))
        pending_id, pending_name = pending.id, pending.product.name
    organiser = ORGANISERS["19"]
    login(client, organiser["email"], organiser["password"])
    page = client.get(f"/organiser/rounds/{rounds['19']}").get_data(as_text=True)
    assert "Miến dong Na Rì" in page and "2.001" in page and "Khánh Hòa" not in page
    assert pending_name in client.get(f"/organiser/applications/{pending_id}").get_data(as_text=True)
    assert client.get(f"/organiser/rounds/{rounds['56']}").status_code == 404  # another province's round: none


def test_demo_has_a_round_part_way_through_scoring_and_one_ready_for_deliberation(app, client, demo):
    from voting.models import Round, RoundStatus
    from voting.operations.rounds import council_short_of_quorum, incomplete_entries
    from voting.operations.scoring import progress

    assert demo["rounds_scoring"] == 2
    with app.app_context():
        scoring = db.session.scalars(select(Round).where(Round.status == RoundStatus.SCORING)
                                     .order_by(Round.id)).all()
        assert len(scoring) == 2
        part_way, ready = scoring
        jurors = {u.email: u.id for u in db.session.scalars(select(User).where(User.role == "juror"))}
        done = progress(part_way)
        first, second, third = (done[jurors[a["email"]]] for a in DEMO_ACCOUNTS if a["role"] == "juror")
        assert first[0] == first[1] > 0 and 0 < second[0] < second[1] and third[0] == 0
        assert incomplete_entries(part_way, 1) != []
        assert incomplete_entries(ready, 1) == []
        # Issue 16, item 20: ready for deliberation means a council that can reach its quorum.
        for round_ in scoring:
            assert council_short_of_quorum(round_) is None
            assert len(round_.council_members) >= round_.council_quorum
    login(client, "giamkhao.tvminh@demo.cnnt.vn", "demo-jury1-2026")
    page = client.get("/jury/").get_data(as_text=True)
    assert "đã chấm" in page


# ``flask seed-demo --if-empty``: the demo_world seed above is that command on the empty database.
def test_seed_demo_loads_the_demo_accounts(app, demo):
    assert "Demo data loaded:" in demo_world.snapshot(app, "cli_output")
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == len(DEMO_ACCOUNTS)


def test_seed_demo_prints_the_demo_accounts(app, demo):
    output = demo_world.snapshot(app, "cli_output")
    assert "Demo accounts (development only):" in output
    for account in DEMO_ACCOUNTS:
        assert re.search(rf"{re.escape(account['email'])}\s+{re.escape(account['password'])}", output)


def test_seed_demo_if_empty_does_not_load_twice(app, runner, demo):
    result = runner.invoke(args=["seed-demo", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert "demo data not loaded again" in result.output
    assert "Demo data loaded:" not in result.output
    assert "Demo accounts (development only):" in result.output
    assert DEMO_ACCOUNTS[0]["email"] in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == len(DEMO_ACCOUNTS)


def test_seed_demo_accounts_can_sign_in(app, demo):
    admin = next(a for a in DEMO_ACCOUNTS if a["role"] == "admin")
    response = login(app.test_client(), admin["email"], admin["password"])
    assert response.headers["Location"] == "/account/"
