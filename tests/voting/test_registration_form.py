"""The registration form (phiếu đăng ký): commitments ticked when submitting, the printable PDF, the signed
scan, what the organiser sees at screening, the round's rule on the scan, and revision 0020f."""
import html
import io
import re
import subprocess

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from tests.conftest import csrf_from, login
from tests.factories import attach_signed_scan, build_world, jpeg_bytes, make_round, pdf_bytes
from tests.support.databases import fresh_database  # noqa: F401  (a fixture)
from tests.support.dossiers import all_commitments
from tests.support.layout import centre, find, top_left, top_right
from tests.support.office import pages_of
from voting import create_app
from voting.core.clock import today_vn
from voting.core.errors import DomainError
from voting.core.storage import storage
from voting.documents.registration_form import registration_form_doc, registration_form_pdf
from voting.extensions import db
from voting.forms.producer import COMMITMENT_FIELDS
from voting.models import Application, ApplicationStatus, Round, SignedRegistrationForm, User
from voting.operations.applications import accept_application, start_application
from voting.operations.rounds import close_registration
from voting.rules.commitments import CURRENT_VERSION, VERSIONS, commitment_codes

CODES = commitment_codes()
FORM_MESSAGES = {code: str(message) for code, (_, message) in COMMITMENT_FIELDS.items()}


def _text(response):
    return html.unescape(response.get_data(as_text=True))


def _pdf_text(data):
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True).stdout \
        .decode("utf-8")


@pytest.fixture
def draft(app, make_user):
    """A Thái Nguyên producer's complete dossier, its application still a draft; the owner's client signed in."""
    owner, organiser = make_user("producer"), make_user("organiser", province_code="19")
    world = build_world(app, owner.email, organiser.email, submitted=False)
    return world, owner, organiser


def _submit(client, application_id, data):
    url = f"/producer/applications/{application_id}"
    return client.post(f"{url}/submit", data={"csrf_token": csrf_from(client.get(url)), **data})


# The commitments ---------------------------------------------------------------------------------------

def test_the_form_labels_are_the_versions_wording(app):
    """The sentences the producer ticks are the ones the form prints (in Vietnamese)."""
    with app.test_request_context(headers={"Accept-Language": "vi"}):
        labels = {code: str(label) for code, (label, _) in COMMITMENT_FIELDS.items()}
    assert labels == dict(VERSIONS[CURRENT_VERSION])


@pytest.mark.parametrize("left_out", CODES)
def test_each_unticked_commitment_is_named_and_the_other_ticks_are_kept(app, client, draft, left_out):
    world, owner, _ = draft
    assert login(client, owner.email).status_code == 302
    response = _submit(client, world.application_id, {c: "y" for c in CODES if c != left_out})
    body = _text(response)
    assert response.status_code == 400
    assert FORM_MESSAGES[left_out] in body
    assert all(FORM_MESSAGES[c] not in body for c in CODES if c != left_out)
    for code in CODES:  # what was ticked stays ticked
        box = re.search(rf'<input[^>]*id="{code}"[^>]*>', body).group(0)
        assert ("checked" in box) == (code != left_out), code
    with app.app_context():
        application = db.session.get(Application, world.application_id)
        assert (application.status, application.commitments, application.commitments_given_at) == \
            (ApplicationStatus.DRAFT, None, None)


def test_submitting_with_every_tick_records_the_wording_and_the_moment(app, client, draft):
    world, owner, _ = draft
    assert login(client, owner.email).status_code == 302
    assert _submit(client, world.application_id, all_commitments()).status_code == 302
    with app.app_context():
        application = db.session.get(Application, world.application_id)
        assert application.status == ApplicationStatus.SUBMITTED
        assert application.commitments == CURRENT_VERSION
        assert application.commitments_given_at == application.submitted_at


def test_a_gap_in_the_dossier_keeps_the_ticks_and_writes_nothing(app, client, draft):
    world, owner, _ = draft
    with app.app_context():  # the producer's profile loses its representative: the dossier is incomplete
        db.session.get(Application, world.application_id).producer.representative = ""
        db.session.commit()
    assert login(client, owner.email).status_code == 302
    response = _submit(client, world.application_id, all_commitments())
    assert response.status_code == 400
    body = _text(response)
    assert "Hồ sơ cơ sở chưa đầy đủ" in body
    for code in CODES:
        assert "checked" in re.search(rf'<input[^>]*id="{code}"[^>]*>', body).group(0), code
    with app.app_context():
        application = db.session.get(Application, world.application_id)
        assert (application.status, application.commitments) == (ApplicationStatus.DRAFT, None)


def test_the_schema_refuses_a_submitted_application_without_commitments(app, draft):
    world, _, _ = draft
    with app.app_context():
        with pytest.raises(IntegrityError):
            db.session.execute(text("UPDATE application SET status = 'submitted' WHERE id = :id"),
                               {"id": world.application_id})
            db.session.flush()
        db.session.rollback()
        with pytest.raises(IntegrityError):  # ticks given on the platform carry their moment
            db.session.execute(text(f"UPDATE application SET commitments = '{CURRENT_VERSION}' WHERE id = :id"),
                               {"id": world.application_id})
            db.session.flush()
        db.session.rollback()


# The printable form ------------------------------------------------------------------------------------

def test_the_pdf_prints_the_producer_the_product_and_the_ticks(app, client, make_user, tmp_path):
    owner, organiser = make_user("producer"), make_user("organiser", province_code="19")
    world = build_world(app, owner.email, organiser.email)
    assert login(client, owner.email).status_code == 302
    response = client.get(f"/producer/applications/{world.application_id}/registration-form.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "private, no-store"
    printed = " ".join(_pdf_text(response.data).split())
    for expected in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "PHIẾU ĐĂNG KÝ",
                     "Kính gửi: Sở Công Thương tỉnh Thái Nguyên.", "Hợp tác xã Miến dong Na Rì", "4700123456",
                     "Hoàng Văn Thắng", "0912345678", "htx@example.vn", "Miến dong Na Rì", "Thôn Nà Cà",
                     "ĐẠI DIỆN CƠ SỞ", "(Ký, ghi rõ họ tên, đóng dấu nếu có)", "Thái Nguyên, ngày"):
        assert expected in printed, expected
    assert printed.count("☒") == len(CODES) and "☐" not in printed
    for _, sentence in VERSIONS[CURRENT_VERSION]:
        assert " ".join(sentence.split()) in printed
    # Positions: the producer top left, the motto and the place-date top right, the signature bottom right.
    path = tmp_path / "phieu.pdf"
    path.write_bytes(response.data)
    page = pages_of(path)[0]
    assert top_left(page, find(page, "HỢP TÁC XÃ MIẾN DONG NA RÌ") or find(page, "Hợp tác xã Miến dong Na Rì"))
    assert top_right(page, find(page, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"))
    assert top_right(page, find(page, "Thái Nguyên, ngày"))
    signature = find(page, "ĐẠI DIỆN CƠ SỞ")
    last_commitment = find(page, " ".join(VERSIONS[CURRENT_VERSION][-1][1].split()[-4:]))
    assert signature and centre(signature)[0] > page.width / 2 and signature[1] > last_commitment[3]


def test_the_pdf_prints_a_name_with_markup_as_typed(app, make_user):
    owner, organiser = make_user("producer"), make_user("organiser", province_code="19")
    world = build_world(app, owner.email, organiser.email)
    name = 'Cơ sở <b>Mây & Tre</b> "Đan" \'Lát\''
    with app.app_context():
        application = db.session.get(Application, world.application_id)
        application.producer.name = name
        application.product.name = "Giỏ <script>alert(1)</script>"
        html_out = app.jinja_env.get_template("pdf/registration_form.html").render(
            doc=registration_form_doc(application), title="", subtitle="")
        assert "<b>Mây" not in html_out and "&lt;b&gt;Mây &amp; Tre&lt;/b&gt;" in html_out
        assert "<script>" not in html_out
        printed = " ".join(_pdf_text(registration_form_pdf(application)).split())
        db.session.rollback()
    assert "<b>Mây & Tre</b>" in printed and "Giỏ <script>alert(1)</script>" in printed


def test_there_is_no_form_to_print_before_the_commitments_are_given(app, client, draft):
    world, owner, _ = draft
    assert login(client, owner.email).status_code == 302
    assert client.get(f"/producer/applications/{world.application_id}/registration-form.pdf").status_code == 404


# The signed scan ---------------------------------------------------------------------------------------

def _upload(client, application_id, data, name):
    url = f"/producer/applications/{application_id}"
    return client.post(f"{url}/signed-form/upload", content_type="multipart/form-data", follow_redirects=True,
                       data={"csrf_token": csrf_from(client.get(url)), "file": (io.BytesIO(data), name)})


def test_a_program_renamed_pdf_is_refused_by_its_content(app, client, make_user):
    owner, organiser = make_user("producer"), make_user("organiser", province_code="19")
    world = build_world(app, owner.email, organiser.email)
    with app.app_context():
        before = db.session.scalar(select(SignedRegistrationForm.storage_name))
    assert login(client, owner.email).status_code == 302
    body = _text(_upload(client, world.application_id, b"MZ\x90\x00\x03" + bytes(200), "phieu-da-ky.pdf"))
    assert "Tệp “phieu-da-ky.pdf” không phải là PDF hoặc ảnh JPEG, PNG, WebP." in body
    with app.app_context():  # the scan already there stays
        assert db.session.scalars(select(SignedRegistrationForm.storage_name)).all() == [before]


def test_a_new_scan_replaces_the_old_one_and_its_file(app, client, make_user):
    owner, organiser = make_user("producer"), make_user("organiser", province_code="19")
    world = build_world(app, owner.email, organiser.email)
    with app.app_context():
        old = db.session.scalar(select(SignedRegistrationForm.storage_name))
    assert login(client, owner.email).status_code == 302
    assert "Đã tải lên phiếu đăng ký đã ký." in _text(_upload(client, world.application_id, jpeg_bytes(), "scan.jpg"))
    with app.app_context():
        scans = db.session.scalars(select(SignedRegistrationForm)).all()
        assert [(s.mime_type, s.original_name) for s in scans] == [("image/jpeg", "scan.jpg")]
        assert not storage("uploads").exists(old)
    response = client.get(f"/producer/applications/{world.application_id}/signed-form")
    assert response.status_code == 200 and response.data == jpeg_bytes()


def test_a_draft_takes_no_scan_and_keeps_no_file(app, client, draft):
    world, owner, _ = draft
    assert login(client, owner.email).status_code == 302
    with app.app_context():
        files_before = set(storage("uploads").keys())
    body = _text(_upload(client, world.application_id, pdf_bytes(), "phieu.pdf"))
    assert "Thao tác này không áp dụng được" in body
    with app.app_context():
        assert db.session.scalar(select(SignedRegistrationForm)) is None
        assert set(storage("uploads").keys()) == files_before


# Screening ---------------------------------------------------------------------------------------------

def test_the_organiser_sees_the_ticks_and_downloads_the_scan(app, client, make_user):
    owner, organiser = make_user("producer"), make_user("organiser", province_code="19")
    world = build_world(app, owner.email, organiser.email)
    assert login(client, organiser.email).status_code == 302
    body = _text(client.get(f"/organiser/applications/{world.application_id}"))
    status = re.search(r'id="commitments-status">(.*?)</dd>', body, re.S).group(1)
    assert "Đã đánh dấu đủ 5 cam kết" in status
    scan = re.search(r'id="signed-form-status">(.*?)</dd>', body, re.S).group(1)
    assert f"/organiser/applications/{world.application_id}/signed-form" in scan
    response = client.get(f"/organiser/applications/{world.application_id}/signed-form")
    assert response.status_code == 200 and response.data == pdf_bytes()
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["Cache-Control"] == "private, no-store"


def test_a_round_that_requires_the_scan_accepts_only_with_it(app, client, make_user):
    owner, organiser = make_user("producer"), make_user("organiser", province_code="19")
    world = build_world(app, owner.email, organiser.email, submitted=False)
    with app.app_context():
        application = db.session.get(Application, world.application_id)
        application.round.require_signed_registration_form = True
        from voting.operations.applications import submit_application

        submit_application(db.session.get(User, owner.id), application, today_vn(), CODES)
        db.session.commit()
    assert login(client, organiser.email).status_code == 302
    url = f"/organiser/applications/{world.application_id}"
    page = _text(client.get(url))
    assert "Chưa tải lên." in page and "Đợt này chỉ chấp nhận hồ sơ khi có phiếu đã ký." in page
    assert "Chưa có phiếu đăng ký đã ký" in _text(client.get(f"/organiser/rounds/{world.round_id}"))
    refused = client.post(url, data={"decision": "accept", "message": "", "csrf_token": csrf_from(client.get(url))},
                          follow_redirects=True)
    assert "chỉ chấp nhận hồ sơ khi cơ sở đã tải lên phiếu đăng ký có chữ ký" in _text(refused)
    with app.app_context():
        application = db.session.get(Application, world.application_id)
        assert (application.status, application.entry_code) == (ApplicationStatus.SUBMITTED, None)
        attach_signed_scan(db.session.get(User, owner.id), application)
        accept_application(db.session.get(User, organiser.id), application)
        db.session.commit()
        assert application.entry_code == "2.001"


def test_an_application_from_before_the_form_is_shown_as_unknown(app, client, make_user):
    owner, organiser = make_user("producer"), make_user("organiser", province_code="19")
    world = build_world(app, owner.email, organiser.email)
    with app.app_context():
        db.session.execute(text("DELETE FROM signed_registration_form"))
        db.session.execute(text("UPDATE application SET commitments = 'before_form', commitments_given_at = NULL"))
        round_ = db.session.get(Round, world.round_id)
        round_.require_signed_registration_form = True  # it asks nothing of entries that were never asked
        close_registration(db.session.get(User, organiser.id), round_)
        accept_application(db.session.get(User, organiser.id), db.session.get(Application, world.application_id))
        db.session.commit()
    assert login(client, organiser.email).status_code == 302
    body = _text(client.get(f"/organiser/applications/{world.application_id}"))
    status = re.search(r'id="commitments-status">(.*?)</dd>', body, re.S).group(1)
    assert "Không rõ: hồ sơ nộp trước khi có phiếu đăng ký trên hệ thống." in status


def test_a_nominated_entry_is_not_asked_for_the_form(app, client, provincial, regional_round):
    """The lower round's council put it forward: the higher round, though it requires the scan of its own
    registrants, accepts it without one, and the organiser is told why there are no ticks."""
    from voting.operations.nominations import nominate

    target_id, regional_organiser = regional_round()
    with app.app_context():
        target = db.session.get(Round, target_id)
        assert target.require_signed_registration_form is True
        nomination, _ = nominate(db.session.get(User, provincial.organiser.id),
                                 db.session.get(Application, provincial.application_ids[0]), target, today_vn())
        entry = nomination.target_application
        assert (entry.commitments, entry.commitments_given_at) == ("nominated", None)
        accept_application(db.session.get(User, regional_organiser.id), entry)
        db.session.commit()
        entry_id = entry.id
    assert login(client, regional_organiser.email).status_code == 302
    body = _text(client.get(f"/organiser/applications/{entry_id}"))
    assert "Không áp dụng: sản phẩm được đề cử từ đợt bình chọn cấp dưới." in \
        re.search(r'id="commitments-status">(.*?)</dd>', body, re.S).group(1)
    assert client.get(f"/organiser/applications/{entry_id}/signed-form").status_code == 404


def test_new_rounds_require_the_scan_unless_the_organiser_unticks_it(app, client, make_user):
    organiser = make_user("organiser", province_code="19")
    assert login(client, organiser.email).status_code == 302
    page = client.get("/organiser/rounds/new").get_data(as_text=True)
    box = re.search(r'<input[^>]*id="require_signed_registration_form"[^>]*>', page).group(0)
    assert "checked" in box
    with app.app_context():
        round_ = make_round(db.session.get(User, organiser.id), signed_form_required=True)
        db.session.commit()
        assert db.session.get(Round, round_.id).require_signed_registration_form is True
        from voting.operations.rounds import create_round

        bare = create_round(db.session.get(User, organiser.id), {
            "title": "Đợt thử", "year": 2026, "registration_opens_on": today_vn(),
            "registration_closes_on": today_vn()}, round_.authority)
        db.session.commit()
        assert bare.require_signed_registration_form is True
        authority_id = round_.authority_id
    response = client.post("/organiser/rounds/new", data={  # the box left unticked
        "csrf_token": csrf_from(client.get("/organiser/rounds/new")), "title": "Đợt không cần phiếu giấy",
        "year": "2026", "registration_opens_on": today_vn().isoformat(),
        "registration_closes_on": today_vn().isoformat(), "authority_id": str(authority_id)})
    assert response.status_code == 302, _text(response)[:2000]
    with app.app_context():
        unticked = db.session.scalar(select(Round).where(Round.title == "Đợt không cần phiếu giấy"))
        assert unticked.require_signed_registration_form is False


def test_a_restarted_application_is_asked_again(app, make_user):
    owner, organiser = make_user("producer"), make_user("organiser", province_code="19")
    world = build_world(app, owner.email, organiser.email)
    with app.app_context():
        from voting.operations.applications import withdraw_application

        acting = db.session.get(User, owner.id)
        application = db.session.get(Application, world.application_id)
        withdraw_application(acting, application)
        restarted = start_application(acting, application.producer, application.product, application.round,
                                      today_vn())
        db.session.commit()
        assert (restarted.commitments, restarted.commitments_given_at) == (None, None)
        with pytest.raises(DomainError):
            accept_application(db.session.get(User, organiser.id), restarted)
        db.session.rollback()


# Revision 0020f ----------------------------------------------------------------------------------------

ROWS_AT_0002 = (
    "INSERT INTO region (id, code, name, position) VALUES (1, 'bac', 'Bắc', 0)",
    "INSERT INTO province (id, code, name, name_folded, kind, region_id) "
    "VALUES (1, '19', 'Thái Nguyên', 'thai nguyen', 'tỉnh', 1)",
    "INSERT INTO producer_type (id, code, name) VALUES (1, 'htx', 'Hợp tác xã')",
    "INSERT INTO product_group (id, code, name) VALUES (1, '2', 'Chế biến')",
    "INSERT INTO producer (id, name, name_folded, type_code, province_id, address, representative, "
    "phone, email, is_demo, created_at, publish_address, publish_phone, publish_email) VALUES "
    "(1, 'HTX', 'htx', 'htx', 1, '', '', '', '', false, '2026-01-01 00:00:00', false, false, false)",
    "INSERT INTO product (id, producer_id, name, name_folded, group_code, description, created_at, is_set) "
    "VALUES (1, 1, 'Miến', 'mien', '2', '', '2026-01-01 00:00:00', false), "
    "(2, 1, 'Chè', 'che', '2', '', '2026-01-01 00:00:00', false), "
    "(3, 1, 'Mật ong', 'mat ong', '2', '', '2026-01-01 00:00:00', false)",
    "INSERT INTO round (id, title, year, status, registration_opens_on, registration_closes_on, "
    "created_at, jurisdiction_level, province_id) VALUES (1, 'Đợt 2026', 2026, 'registration_open', "
    "'2026-01-01', '2026-02-01', '2026-01-01 00:00:00', 'tinh', 1)",
    "INSERT INTO application (id, round_id, product_id, producer_id, status, organiser_message, "
    "withdrawal_reason, created_at, submitted_at) VALUES "
    "(1, 1, 1, 1, 'submitted', '', '', '2026-01-01 00:00:00', '2026-01-02 00:00:00'), "
    "(2, 1, 2, 1, 'draft', '', '', '2026-01-01 00:00:00', NULL), "
    "(3, 1, 3, 1, 'withdrawn', '', '', '2026-01-01 00:00:00', '2026-01-02 00:00:00')",
)


def test_applications_from_before_0020f_are_marked_not_ticked(fresh_database):  # noqa: F811
    app = create_app({"SQLALCHEMY_DATABASE_URI": fresh_database})
    with app.app_context():
        upgrade(revision="0002_producers_rounds")
        with db.engine.begin() as conn:
            for statement in ROWS_AT_0002:
                conn.execute(text(statement))
        upgrade(revision="0019e_step_order")
        upgrade(revision="0020f_registration_form")
        with db.engine.connect() as conn:
            rows = conn.execute(text("SELECT id, commitments, commitments_given_at FROM application ORDER BY id")).all()
            assert [tuple(r) for r in rows] == [(1, "before_form", None), (2, None, None), (3, "before_form", None)]
            assert conn.execute(text("SELECT require_signed_registration_form FROM round")).scalar() in (False, 0)
            assert conn.execute(text("SELECT count(*) FROM signed_registration_form")).scalar() == 0
        with pytest.raises(IntegrityError), db.engine.begin() as conn:  # the draft is asked when it is submitted
            conn.execute(text("UPDATE application SET status = 'submitted' WHERE id = 2"))
        with pytest.raises(IntegrityError), db.engine.begin() as conn:  # no made-up ticks
            conn.execute(text("UPDATE application SET commitments = 'tt26-2014-v1' WHERE id = 1"))
        with pytest.raises(IntegrityError), db.engine.begin() as conn:
            conn.execute(text("UPDATE application SET commitments = 'whatever' WHERE id = 1"))
        with db.engine.begin() as conn:  # the draft submitted with its ticks
            conn.execute(text("UPDATE application SET status = 'submitted', commitments = 'tt26-2014-v1', "
                              "commitments_given_at = '2026-01-03 00:00:00' WHERE id = 2"))

        downgrade(revision="0019e_step_order")
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM application")).scalar() == 3
        upgrade()
        db.engine.dispose()
