"""The council's pages: dismissing a false flag, reopening a sheet, typing in a paper sheet."""
import io

from sqlalchemy import select

from tests.conftest import csrf_from, login
from tests.factories import pdf_bytes
from tests.support.scoring_pages import council as council  # noqa: PLC0414 (a fixture)
from voting.extensions import db
from voting.models import Application, AuditEvent, Conflict, ScoreSheet, SheetStatus, User
from voting.operations.scoring import open_sheet, save_draft


def test_the_chair_dismisses_a_false_flag_with_a_reason(app, client, council):
    login(client, council["chair"].email)
    page = client.get(f"/council/rounds/{council['round_id']}")
    assert "Hệ thống phát hiện" in page.get_data(as_text=True)
    with app.app_context():
        flag = db.session.scalar(select(Conflict).where(Conflict.source == "same_contact"))
        flag_id = flag.id
    response = client.post(f"/council/conflicts/{flag_id}/dismiss",
                           data={"csrf_token": csrf_from(page), "reason": "Số máy bàn chung của xã"})
    assert response.status_code == 302
    with app.app_context():
        flag = db.session.get(Conflict, flag_id)
        assert not flag.active and flag.dismissed_reason == "Số máy bàn chung của xã"


def test_a_plain_member_cannot_act_for_the_council(app, client, council):
    login(client, council["jurors"][0].email)
    assert client.get(f"/council/rounds/{council['round_id']}").status_code == 404


def test_the_chair_reopens_a_sheet_and_points_stay_hidden(app, client, council):
    login(client, council["chair"].email)
    page = client.get(f"/council/rounds/{council['round_id']}")
    body = page.get_data(as_text=True)
    assert "Đã nộp" in body and "20.00" not in body and "Đạt yêu cầu" not in body
    missing_reason = client.post(f"/council/sheets/{council['sheet_id']}/reopen",
                                 data={"csrf_token": csrf_from(page), "reason": ""})
    assert missing_reason.status_code == 302
    with app.app_context():
        assert db.session.get(ScoreSheet, council["sheet_id"]).status == SheetStatus.SUBMITTED
    client.post(f"/council/sheets/{council['sheet_id']}/reopen",
                data={"csrf_token": csrf_from(page), "reason": "Cộng nhầm tiêu chí 1"})
    with app.app_context():
        assert db.session.get(ScoreSheet, council["sheet_id"]).status == SheetStatus.DRAFT
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "sheet.reopen")).reason \
            == "Cộng nhầm tiêu chí 1"


def test_the_secretary_enters_a_paper_sheet_with_its_scan(app, client, council):
    login(client, council["organiser"].email)
    url = f"/council/rounds/{council['round_id']}/paper"
    page = client.get(url)
    juror = council["jurors"][1]
    data = {"csrf_token": csrf_from(page), "application_id": str(council["entry_ids"][1]), "juror_id": str(juror.id),
            "comment": "Phiếu giấy ngày 20/11", **{f"points-{cid}": "8" for cid in council["criteria"]}}
    data[f"points-{council['criteria'][2]}"] = "12"  # above the maximum of 10
    bad = client.post(url, data=data)
    assert bad.status_code == 400
    assert "vượt quá mức tối đa" in bad.get_data(as_text=True)
    assert 'value="12"' in bad.get_data(as_text=True)
    data[f"points-{council['criteria'][2]}"] = "9.5"
    data["scan"] = (io.BytesIO(pdf_bytes()), "phieu.pdf")
    good = client.post(url, data=data, content_type="multipart/form-data")
    assert good.status_code == 302
    with app.app_context():
        sheet = db.session.scalar(select(ScoreSheet).where(ScoreSheet.juror_user_id == juror.id))
        assert sheet.status == SheetStatus.SUBMITTED
        assert sheet.entered_by_id == council["organiser"].id and sheet.scan_storage_name
    assert "nhập bởi" in client.get(f"/council/rounds/{council['round_id']}").get_data(as_text=True)


def test_only_the_secretary_enters_paper_sheets(client, council):
    login(client, council["chair"].email)
    assert client.get(f"/council/rounds/{council['round_id']}/paper").status_code == 404


def test_a_juror_prints_their_submitted_sheet(app, client, council):
    from io import BytesIO

    from pypdf import PdfReader

    login(client, council["jurors"][0].email)
    with app.app_context():
        sheet = db.session.get(ScoreSheet, council["sheet_id"])
        url = f"/jury/rounds/{council['round_id']}/entries/{sheet.application_id}/sheet.pdf"
    response = client.get(url)
    assert response.status_code == 200
    text = PdfReader(BytesIO(response.data)).pages[0].extract_text()
    assert "Đạt yêu cầu" in text and "20" in text
    other = app.test_client()
    login(other, council["jurors"][1].email)
    assert other.get(url).status_code == 404  # no sheet of theirs for that entry yet
    assert "BẢN NHÁP" not in text and "GIÁM KHẢO" in text and "(Ký, ghi rõ họ tên)" in text


def test_a_draft_sheet_prints_as_a_marked_draft_without_a_signature_block(app, client, council):
    """Issue 16, item 17: a draft fetched by URL is no form to sign."""
    from io import BytesIO

    from pypdf import PdfReader

    with app.app_context():
        juror = db.session.get(User, council["jurors"][1].id)
        entry = db.session.get(Application, council["entry_ids"][1])
        sheet = open_sheet(juror, entry, juror)
        save_draft(juror, sheet, {str(c): "7" for c in council["criteria"]}, comment="Đang cân nhắc")
        db.session.commit()
    login(client, council["jurors"][1].email)
    response = client.get(f"/jury/rounds/{council['round_id']}/entries/{council['entry_ids'][1]}/sheet.pdf")
    assert response.status_code == 200
    pages = [" ".join(p.extract_text().split()) for p in PdfReader(BytesIO(response.data)).pages]
    assert all("BẢN NHÁP — KHÔNG DÙNG ĐỂ KÝ" in text for text in pages)
    text = " ".join(pages)
    assert "Tổng cộng (tạm tính)" in text and "Đang cân nhắc" in text
    assert "BẢN NHÁP: phiếu chưa nộp" in text and "không dùng để ký" in text
    for final in ("GIÁM KHẢO", "(Ký, ghi rõ họ tên)", "ngày", "Tổng cộng 100"):
        assert final not in text, final


def test_a_paper_sheet_scan_over_16_mb_reaches_the_content_check_under_the_20_mb_document_limit(app, client, council):
    """The scan is a document: the app-wide 16 MB body limit must not answer a bare 413 first."""
    login(client, council["organiser"].email)
    url = f"/council/rounds/{council['round_id']}/paper"
    data = {"csrf_token": csrf_from(client.get(url)), "application_id": str(council["entry_ids"][1]),
            "juror_id": str(council["jurors"][1].id), "comment": "Phiếu giấy ngày 20/11",
            **{f"points-{cid}": "8" for cid in council["criteria"]},
            "scan": (io.BytesIO(b"MZ\x90\x00" + b"\x00" * (17 * 1024 * 1024)), "phieu-17mb.pdf")}
    response = client.post(url, data=data, content_type="multipart/form-data")
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and "phieu-17mb.pdf" in body and "Phiếu giấy ngày 20/11" in body
    with app.app_context():
        assert db.session.scalar(select(ScoreSheet).where(ScoreSheet.juror_user_id == council["jurors"][1].id)) is None
