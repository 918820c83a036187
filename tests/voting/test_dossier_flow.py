"""The dossier journey through real HTTP requests with real files.

A producer registers, fills the profile, creates a product, uploads photos and
the registration copy one by one, applies to an open round and submits; the
organiser returns, then accepts; the producer sees the entry code. Setting up
the organiser's round goes through the organiser's own pages too.
"""
import email
import email.policy
import html
import io
import re
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from tests.conftest import csrf_from, login
from tests.factories import DESCRIPTION, jpeg_bytes, pdf_bytes
from tests.support.dossiers import all_commitments, create_product, fill_profile, id_from, register, token, upload
from voting.core.clock import today_vn
from voting.extensions import db
from voting.models import Application, AuditEvent, Notification, Product, User
from voting.operations.reference import load_authorities

RETURN_MESSAGE = "Ảnh chụp bao bì bị mờ, đề nghị bổ sung ảnh rõ nét hơn."


# --- steps, each one or more real requests ----------------------------------------------------


def page(client, url):
    """GET ``url`` and return its text with HTML entities decoded."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return html.unescape(response.get_data(as_text=True))


def follow(response):
    return html.unescape(response.get_data(as_text=True))


def complete_dossier(client, product_id, colours=("teal", "orange", "navy")):
    for colour in colours:
        assert "Đã tải lên" in follow(upload(client, product_id, jpeg_bytes(colour), f"{colour}.jpg"))
    assert "Đã tải lên" in follow(upload(client, product_id, pdf_bytes(), "dkkd.pdf", kind="document"))


def apply(client, product_id, round_id):
    response = client.post(f"/producer/products/{product_id}/apply",
                           data={"round_id": str(round_id), "csrf_token": token(client)})
    return id_from(response, r"/producer/applications/(\d+)$")


def submit(client, application_id):
    return client.post(f"/producer/applications/{application_id}/submit",
                       data={"csrf_token": token(client), **all_commitments()}, follow_redirects=True)


def decide(organiser, application_id, decision, message=""):
    url = f"/organiser/applications/{application_id}"
    response = organiser.post(url, data={"decision": decision, "message": message,
                                         "csrf_token": token(organiser, url)})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return response


def open_round_via_ui(organiser):
    """Create a round on the organiser's form, then open its registration; return its id."""
    new_page = organiser.get("/organiser/rounds/new").get_data(as_text=True)
    authority_id = re.search(r'<select[^>]*name="authority_id".*?<option[^>]*value="(\d+)"', new_page, re.S)
    assert authority_id, "the round form offers no issuing authority"
    today = today_vn()
    form = {"title": "Bình chọn sản phẩm CNNT tiêu biểu tỉnh Thái Nguyên", "year": str(today.year),
            "registration_opens_on": (today - timedelta(days=1)).isoformat(),
            "registration_closes_on": (today + timedelta(days=30)).isoformat(),
            "authority_id": authority_id.group(1), "csrf_token": csrf_from(organiser.get("/organiser/rounds/new"))}
    round_id = id_from(organiser.post("/organiser/rounds/new", data=form), r"/organiser/rounds/(\d+)$")
    response = organiser.post(f"/organiser/rounds/{round_id}/registration",
                              data={"csrf_token": token(organiser, f"/organiser/rounds/{round_id}")},
                              follow_redirects=True)
    assert "Đã mở nhận hồ sơ." in follow(response)
    return round_id


@pytest.fixture
def organiser(app, make_user):
    """A signed-in client of a Thái Nguyên organiser."""
    with app.app_context():
        # The session's first test starts without the authorities the round form offers.
        load_authorities()
        db.session.commit()
    user = make_user("organiser", province_code="19")
    client = app.test_client()
    assert login(client, user.email).status_code == 302
    return client


@pytest.fixture
def producer(app, client):
    """A producer who registered and filled the profile through the pages."""
    register(client, "htx.nari@example.vn")
    fill_profile(client, app)
    return client


def ready_application(producer, round_id, name="Miến dong Na Rì", group_code="2"):
    product_id = create_product(producer, name=name, group_code=group_code)
    complete_dossier(producer, product_id)
    return product_id, apply(producer, product_id, round_id)


def audit_actions(app):
    with app.app_context():
        return [(e.action, e.object_type, e.object_id) for e in db.session.scalars(
            select(AuditEvent).order_by(AuditEvent.seq))]


# --- the journey ----------------------------------------------------------------------------


def test_dossier_is_returned_fixed_resubmitted_and_accepted(app, client, organiser):
    round_id = open_round_via_ui(organiser)
    register(client, "htx@example.vn")
    fill_profile(client, app)
    product_id = create_product(client)
    complete_dossier(client, product_id)
    application_id = apply(client, product_id, round_id)
    assert "Đã nộp hồ sơ" in follow(submit(client, application_id))

    # Screening is three buttons, none chosen in advance: a post without one is refused, what was typed kept.
    url = f"/organiser/applications/{application_id}"
    screening = organiser.get(url).get_data(as_text=True)
    assert {'name="decision" value="accept"', 'name="decision" value="return"',
            'name="decision" value="reject"'} <= set(re.findall(r'name="decision" value="\w+"', screening))
    assert "<select" not in screening.split('id="message"')[0].rsplit("<form", 1)[-1]
    undecided = organiser.post(url, data={"message": RETURN_MESSAGE, "csrf_token": token(organiser, url)})
    assert undecided.status_code == 400 and "Hãy bấm một trong ba nút" in undecided.get_data(as_text=True)
    assert RETURN_MESSAGE in html.unescape(undecided.get_data(as_text=True))
    decided = decide(organiser, application_id, "return", RETURN_MESSAGE)
    assert "Đã trả lại hồ sơ Miến dong Na Rì của" in page(organiser, decided.location)
    text = page(client, f"/producer/applications/{application_id}")
    assert "Trả lại để bổ sung" in text and RETURN_MESSAGE in text
    assert RETURN_MESSAGE in page(client, "/account/inbox")
    product_page = page(client, f"/producer/products/{product_id}")
    assert "đã bị khóa" not in product_page and 'name="description"' in product_page
    form = {"name": "Miến dong Na Rì", "group_code": "2", "description": DESCRIPTION + " Ảnh mới, rõ nét.",
            "csrf_token": csrf_from(client.get(f"/producer/products/{product_id}"))}
    assert "Đã lưu sản phẩm." in follow(client.post(f"/producer/products/{product_id}", data=form,
                                                    follow_redirects=True))
    assert "Đã tải lên" in follow(upload(client, product_id, jpeg_bytes("maroon"), "bao-bi.jpg"))
    assert "Đã nộp hồ sơ" in follow(submit(client, application_id))
    assert "Đã nộp lại" in page(client, f"/producer/applications/{application_id}")

    decided = decide(organiser, application_id, "accept")
    assert "mã số bình chọn 2.001. Cơ sở đã được thông báo." in page(organiser, decided.location)
    text = page(client, f"/producer/applications/{application_id}")
    assert "Được chấp nhận" in text and "2.001" in text
    assert "mã số bình chọn 2.001" in page(client, "/account/inbox")

    events = audit_actions(app)
    actions = [action for action, *_ in events]
    for step in ("round.create", "round.open_registration", "producer.create", "product.create",
                 "product.add_file", "product.update"):
        assert step in actions, step
    assert actions.count("product.add_file") == 5
    on_application = [action for action, kind, object_id in events
                      if kind == "application" and object_id == str(application_id)]
    assert on_application == ["application.start", "application.submitted", "application.return",
                              "application.resubmitted", "application.accept"]


def test_returned_dossier_reaches_the_inbox_of_the_producer_account(app, producer, organiser):
    round_id = open_round_via_ui(organiser)
    _, application_id = ready_application(producer, round_id)
    submit(producer, application_id)
    decide(organiser, application_id, "return", RETURN_MESSAGE)
    with app.app_context():
        account = db.session.scalar(select(User).where(User.email == "htx.nari@example.vn"))
        notes = db.session.scalars(select(Notification).where(Notification.user_id == account.id)).all()
        assert [(n.kind, n.application_id) for n in notes] == [("application_returned", application_id)]
    assert "Mới" in page(producer, "/account/inbox")


def test_accepted_entry_is_in_the_excel_summary(app, producer, organiser):
    round_id = open_round_via_ui(organiser)
    _, application_id = ready_application(producer, round_id)
    submit(producer, application_id)
    decide(organiser, application_id, "accept")
    response = organiser.get(f"/organiser/rounds/{round_id}/summary.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    header = [cell.value for cell in sheet[8]]
    assert header[:3] == ["STT", "Mã số", "Tên sản phẩm"]
    row = [cell.value for cell in sheet[9]]
    assert row[0] == 1 and row[1] == "2.001" and row[2] == "Miến dong Na Rì"
    assert row[4] == "Hợp tác xã Miến dong Na Rì" and row[7] == "0912345678"
    assert sheet.max_row == 9


def test_entry_codes_are_sequential_within_each_group(app, producer, organiser):
    round_id = open_round_via_ui(organiser)
    applications = [ready_application(producer, round_id, name=name, group_code=group)[1]
                    for name, group in (("Miến dong", "2"), ("Mật ong bạc hà", "2"), ("Giỏ mây tre đan", "1"))]
    for application_id in applications:
        submit(producer, application_id)
        decide(organiser, application_id, "accept")
    with app.app_context():
        codes = [db.session.get(Application, a).entry_code for a in applications]
    assert codes == ["2.001", "2.002", "1.001"]


def test_the_round_lists_the_dossiers_waiting_for_screening_first(app, producer, organiser):
    """Issue 19: accepted dossiers came first and the ones waiting to be screened last."""
    round_id = open_round_via_ui(organiser)
    names = ("Miến dong", "Mật ong hoa keo", "Giỏ mây tre đan")
    applications = [ready_application(producer, round_id, name=name)[1] for name in names]
    for application_id in applications:
        submit(producer, application_id)
    decide(organiser, applications[0], "accept")
    decide(organiser, applications[1], "return", "Bổ sung ảnh nhãn sản phẩm.")
    listing = page(organiser, f"/organiser/rounds/{round_id}")
    positions = [listing.index(f">{name}<") for name in ("Giỏ mây tre đan", "Mật ong hoa keo", "Miến dong")]
    assert positions == sorted(positions)  # waiting, returned, accepted


# --- checklist ------------------------------------------------------------------------------


def test_checklist_lists_what_is_missing(app, producer, organiser):
    round_id = open_round_via_ui(organiser)
    product_id = create_product(producer)
    upload(producer, product_id, jpeg_bytes("teal"), "teal.jpg")
    application_id = apply(producer, product_id, round_id)
    text = page(producer, f"/producer/applications/{application_id}")
    assert "Cần ít nhất 3 ảnh màu sản phẩm" in text
    assert "Thiếu bản sao giấy chứng nhận đăng ký của cơ sở." in text
    assert "Bản thuyết minh sản phẩm còn thiếu" not in text


def test_checklist_is_empty_once_everything_is_uploaded(app, producer, organiser):
    round_id = open_round_via_ui(organiser)
    product_id, application_id = ready_application(producer, round_id)
    text = page(producer, f"/producer/applications/{application_id}")
    assert "Hồ sơ đã đủ." in text and "Cần ít nhất 3 ảnh" not in text
    assert "Hồ sơ sản phẩm đã đủ để nộp." in page(producer, f"/producer/products/{product_id}")


def test_submit_with_missing_items_names_them_and_stays_draft(app, producer, organiser):
    round_id = open_round_via_ui(organiser)
    product_id = create_product(producer, description="Ngắn quá.")
    upload(producer, product_id, jpeg_bytes("teal"), "teal.jpg")
    application_id = apply(producer, product_id, round_id)
    text = follow(submit(producer, application_id))
    assert "Cần ít nhất 3 ảnh màu sản phẩm chụp từ các góc khác nhau." in text
    assert "Thiếu bản sao giấy chứng nhận đăng ký của cơ sở." in text
    assert "Bản thuyết minh sản phẩm còn thiếu hoặc quá ngắn" in text
    assert "Đã nộp hồ sơ" not in text
    with app.app_context():
        application = db.session.get(Application, application_id)
        assert application.status == "draft" and application.submitted_at is None
    assert "Bản nháp" in text


# --- withdrawal -----------------------------------------------------------------------------


def test_withdrawn_application_shows_as_withdrawn(app, producer, organiser):
    round_id = open_round_via_ui(organiser)
    ready_application(producer, round_id, name="Miến dong")
    _, second = ready_application(producer, round_id, name="Mật ong bạc hà")
    submit(producer, second)
    response = producer.post(f"/producer/applications/{second}/withdraw",
                             data={"reason": "Chưa kịp in bao bì mới.", "csrf_token": token(producer)},
                             follow_redirects=True)
    text = follow(response)
    assert "Đã rút hồ sơ đăng ký." in text and "Đã rút" in text
    assert f"/producer/applications/{second}/withdraw" not in text  # nothing left to withdraw
    with app.app_context():
        application = db.session.get(Application, second)
        assert application.status == "withdrawn" and application.withdrawal_reason == "Chưa kịp in bao bì mới."
    assert "application.withdraw" in [action for action, *_ in audit_actions(app)]


def test_withdrawn_application_can_be_started_again(app, producer, organiser):
    round_id = open_round_via_ui(organiser)
    product_id, application_id = ready_application(producer, round_id)
    submit(producer, application_id)
    producer.post(f"/producer/applications/{application_id}/withdraw", data={"csrf_token": token(producer)})
    assert apply(producer, product_id, round_id) == application_id
    text = page(producer, f"/producer/applications/{application_id}")
    assert "Bản nháp" in text and "Ngày nộp" not in text
    assert "Đã nộp hồ sơ" in follow(submit(producer, application_id))
    with app.app_context():
        assert db.session.get(Application, application_id).status == "submitted"


def test_withdrawn_dossier_is_unlocked_for_editing(app, producer, organiser):
    round_id = open_round_via_ui(organiser)
    product_id, application_id = ready_application(producer, round_id)
    submit(producer, application_id)
    assert "đã bị khóa" in page(producer, f"/producer/products/{product_id}")
    producer.post(f"/producer/applications/{application_id}/withdraw", data={"csrf_token": token(producer)})
    assert "đã bị khóa" not in page(producer, f"/producer/products/{product_id}")
    with app.app_context():
        assert db.session.get(Product, product_id).files


# --- e-mail ---------------------------------------------------------------------------------


def test_returned_dossier_is_emailed_to_the_producer_account(app, producer, organiser, smtp_inbox):
    round_id = open_round_via_ui(organiser)
    _, application_id = ready_application(producer, round_id)
    submit(producer, application_id)
    decide(organiser, application_id, "return", RETURN_MESSAGE)
    assert len(smtp_inbox.envelopes) == 1
    envelope = smtp_inbox.envelopes[0]
    assert envelope.rcpt_tos == ["htx.nari@example.vn"]
    message = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
    assert RETURN_MESSAGE in message.get_content()
    assert "Miến dong Na Rì" in message.get_content()
    with app.app_context():
        note = db.session.scalar(select(Notification).where(Notification.application_id == application_id))
        assert note.emailed_at is not None


def test_without_smtp_the_inbox_is_the_only_copy(app, producer, organiser):
    round_id = open_round_via_ui(organiser)
    _, application_id = ready_application(producer, round_id)
    submit(producer, application_id)
    decide(organiser, application_id, "return", RETURN_MESSAGE)
    with app.app_context():
        note = db.session.scalar(select(Notification).where(Notification.application_id == application_id))
        assert note.emailed_at is None


def test_each_upload_label_names_its_own_file_input(app, producer):
    """The photo and document forms share the product page: one id each, so a label finds its input."""
    text = page(producer, f"/producer/products/{create_product(producer)}")
    for field_id in ("photo-file", "document-file"):
        assert len(re.findall(rf'id="{field_id}"', text)) == 1
        assert f'<label for="{field_id}">' in text
    assert 'id="file"' not in text


REFUSE_FILE_ROWS = {
    "sqlite": ["CREATE TRIGGER refuse_product_file BEFORE INSERT ON product_file "
               "BEGIN SELECT RAISE(ABORT, 'disk full'); END"],
    "postgresql": ["CREATE OR REPLACE FUNCTION refuse_product_file() RETURNS trigger LANGUAGE plpgsql AS "
                   "$$ BEGIN RAISE EXCEPTION 'disk full'; END $$",
                   "CREATE TRIGGER refuse_product_file BEFORE INSERT ON product_file "
                   "FOR EACH ROW EXECUTE FUNCTION refuse_product_file()"],
}


def test_an_upload_the_database_refuses_leaves_no_file_and_no_row(app, producer):
    """The file is written, then the database refuses its row (a real failure, from a trigger):
    the user gets the error page, and neither an orphan file nor a row is left behind."""
    from pathlib import Path

    from sqlalchemy import func, text

    from voting.models import ProductFile

    product_id = create_product(producer)
    upload_dir = Path(app.config["UPLOAD_DIR"])
    before = {p for p in upload_dir.rglob("*") if p.is_file()}
    with app.app_context():
        dialect = db.engine.dialect.name
        for statement in REFUSE_FILE_ROWS[dialect]:
            db.session.execute(text(statement))
        db.session.commit()
    try:
        app.config["PROPAGATE_EXCEPTIONS"], saved = False, app.config.get("PROPAGATE_EXCEPTIONS")
        response = upload(producer, product_id, jpeg_bytes("teal"), "teal.jpg")
    finally:
        app.config["PROPAGATE_EXCEPTIONS"] = saved
        with app.app_context():
            db.session.execute(text("DROP TRIGGER IF EXISTS refuse_product_file"
                                    + (" ON product_file" if dialect == "postgresql" else "")))
            if dialect == "postgresql":
                db.session.execute(text("DROP FUNCTION IF EXISTS refuse_product_file()"))
            db.session.commit()
    assert response.status_code == 500 and "Lỗi hệ thống" in response.get_data(as_text=True)
    assert {p for p in upload_dir.rglob("*") if p.is_file()} == before
    with app.app_context():
        assert db.session.scalar(select(func.count(ProductFile.id))) == 0
    assert "Đã tải lên" in follow(upload(producer, product_id, jpeg_bytes("teal"), "teal.jpg"))  # and it recovers


# --- a product accepted and certified in an earlier round (issue 16, item 14) --------------------


def test_a_returned_nomination_of_a_certified_product_is_amended_and_the_certificate_stays(
        app, client, provincial, regional_round):
    """Certified in the provincial round, nominated to the region's, returned there: the producer amends it."""
    from voting.models import Round
    from certificates.models import Certificate
    from voting.operations.applications import return_application
    from voting.operations.nominations import nominate

    target_id, regional_organiser = regional_round()
    source_id = provincial.application_ids[0]
    with app.app_context():
        source = db.session.get(Application, source_id)
        nomination, _ = nominate(db.session.get(User, provincial.organiser.id), source,
                                 db.session.get(Round, target_id), today_vn())
        db.session.flush()
        entry_id, product_id = nomination.target_application_id, source.product_id
        return_application(db.session.get(User, regional_organiser.id), db.session.get(Application, entry_id),
                           RETURN_MESSAGE)
        db.session.commit()
        certificate = db.session.scalar(select(Certificate).where(Certificate.application_id == source_id))
        before = (certificate.id, certificate.snapshot, certificate.digest, source.status, source.entry_code)
        old_name = db.session.get(Product, product_id).name

    assert login(client, provincial.owners[0].email).status_code == 302
    product_page = page(client, f"/producer/products/{product_id}")
    assert "đã bị khóa" not in product_page and 'name="description"' in product_page
    assert "Sửa hồ sơ sản phẩm" in page(client, f"/producer/applications/{entry_id}")
    form = {"name": "Miến dong Na Rì loại đặc biệt", "group_code": "2",
            "description": DESCRIPTION + " Bao bì mới theo góp ý của đợt khu vực.",
            "csrf_token": csrf_from(client.get(f"/producer/products/{product_id}"))}
    assert "Đã lưu sản phẩm." in follow(client.post(f"/producer/products/{product_id}", data=form,
                                                    follow_redirects=True))
    assert "Đã tải lên" in follow(upload(client, product_id, jpeg_bytes("maroon"), "bao-bi-moi.jpg"))
    assert "Đã nộp hồ sơ" in follow(submit(client, entry_id))
    # Resubmitted, the dossier is locked again while the region's organiser screens it.
    assert "đã bị khóa" in page(client, f"/producer/products/{product_id}")

    with app.app_context():
        product = db.session.get(Product, product_id)
        assert product.name == "Miến dong Na Rì loại đặc biệt" and "Bao bì mới" in product.description
        assert any(p.original_name == "bao-bi-moi.jpg" for p in product.photos)
        assert db.session.get(Application, entry_id).status == "resubmitted"
        source = db.session.get(Application, source_id)
        certificate = db.session.scalar(select(Certificate).where(Certificate.application_id == source_id))
        # The earlier round keeps what it certified: the certificate's frozen facts and the entry.
        assert (certificate.id, certificate.snapshot, certificate.digest, source.status, source.entry_code) == before
        assert old_name in certificate.snapshot and "loại đặc biệt" not in certificate.snapshot


def test_an_accepted_entry_locks_its_dossier_until_its_round_has_certified_it(app, make_user, signer):
    """Decided and published but not yet issued, the certificate would read the product: still locked."""
    from tests.support.certificates import certify, issue_certificates
    from voting.core.errors import DossierLocked
    from voting.operations.products import save_product

    hall = certify(app, make_user, entries=1, failing=1)

    def edit(index, name):
        owner = db.session.get(User, hall.owners[index].id)
        product = db.session.get(Application, hall.application_ids[index]).product
        save_product(owner, product.producer, product, {"name": name, "group_code": product.group_code,
                                                        "description": product.description}, [])

    with app.app_context():
        for index in (0, 1):  # the certified entry and the failed one
            with pytest.raises(DossierLocked) as locked:
                edit(index, "Tên mới")
            assert locked.value.code == "dossier_in_round"
        db.session.rollback()
    issue_certificates(app, hall)
    with app.app_context():
        for index in (0, 1):
            edit(index, f"Tên mới {index}")
        db.session.commit()
        assert db.session.get(Application, hall.application_ids[0]).product.name == "Tên mới 0"
