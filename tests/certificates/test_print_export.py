"""The round's "one PDF to print": certificates in force only, and the page says what was left out and why.

The file is prepared by the real background runner, downloaded as the organiser would, and read back
page by page (pypdfium2 for the text of each page).
"""
import re

import pypdfium2
import pytest
from sqlalchemy import select

from certificates.operations.lifecycle import correct_certificate, revoke_certificate, suspend_certificate
from certificates.jobs import issue_round
from tests.conftest import csrf_from, login
from tests.support.jobs import job_rows, wait_for_job
from tests.support.certificates import certify
from voting.core.clock import today_vn
from voting.extensions import db
from voting.models import Round, User
from certificates.models import Certificate


@pytest.fixture
def certified(app, make_user, signer, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "1000 per minute")
    return certify(app, make_user, entries=5, failing=0)


def _press(client, round_id, action):
    page = client.get(f"/certificates/rounds/{round_id}")
    return client.post(f"/certificates/rounds/{round_id}/{action}", data={"csrf_token": csrf_from(page)})


def _page_numbers(data, numbers):
    """Which of ``numbers`` each page of the PDF is (a correction also names the one it replaces: not counted)."""
    document = pypdfium2.PdfDocument(data)
    try:
        texts = [" ".join(page.get_textpage().get_text_range().split()) for page in document]
    finally:
        document.close()
    texts = [re.sub(r"thay thế Giấy chứng nhận số \S+", "", text) for text in texts]
    return [[number for number in numbers if number in text] for text in texts]


def test_the_print_file_holds_the_certificates_in_force_only(app, client, certified):
    with app.app_context():
        organiser, round_ = db.session.get(User, certified.organiser.id), db.session.get(Round, certified.round_id)
        issue_round(organiser, round_, today_vn())
        first, second, third, *_rest = db.session.scalars(select(Certificate).order_by(Certificate.sequence)).all()
        revoke_certificate(organiser, first, "false_declaration", "Kê khai không trung thực.")
        suspend_certificate(organiser, second, "quality_violation", "Mẫu kiểm tra không đạt.")
        correct_certificate(organiser, third, {"product_name": "Tên đã sửa"}, today_vn(), "Sửa lỗi chính tả.")
        db.session.commit()
        everything = {c.number: str(c.status) for c in db.session.scalars(select(Certificate))}
    in_force = sorted(number for number, status in everything.items() if status == "valid")
    assert len(everything) == 6 and len(in_force) == 3

    login(client, certified.organiser.email)
    page = client.get(f"/certificates/rounds/{certified.round_id}").get_data(as_text=True)
    assert "chỉ gồm giấy chứng nhận còn hiệu lực (3 giấy)" in page
    assert "Không in 3 giấy:" in page and "1 đang bị tạm đình chỉ" in page and "1 đã bị thu hồi" in page
    assert "1 đã được thay bằng bản đính chính hoặc cấp lại" in page

    assert _press(client, certified.round_id, "exports/pdf").status_code == 302
    [job] = job_rows(app, "certificates_pdf")
    assert wait_for_job(client, job.id)["status"] == "done"
    download = client.get(f"/certificates/jobs/{job.id}/download")
    assert download.status_code == 200
    pages = _page_numbers(download.data, sorted(everything))
    assert sorted(number for numbers in pages for number in numbers) == in_force
    assert all(len(numbers) == 1 for numbers in pages)  # one certificate a page, none left unnamed
    assert "hãy chuẩn bị lại" not in client.get(f"/certificates/rounds/{certified.round_id}").get_data(as_text=True)

    with app.app_context():  # a certificate withdrawn after the file was made: the page says to prepare it again
        organiser = db.session.get(User, certified.organiser.id)
        current = db.session.scalar(select(Certificate).where(Certificate.number == in_force[0]))
        suspend_certificate(organiser, current, "other", "Chờ xác minh.")
        db.session.commit()
    assert "hãy chuẩn bị lại" in client.get(f"/certificates/rounds/{certified.round_id}").get_data(as_text=True)


def test_a_round_with_nothing_in_force_prints_nothing_and_says_why(app, client, make_user, signer, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "1000 per minute")
    hall = certify(app, make_user, entries=1, failing=0)
    with app.app_context():
        organiser = db.session.get(User, hall.organiser.id)
        issue_round(organiser, db.session.get(Round, hall.round_id), today_vn())
        revoke_certificate(organiser, db.session.scalar(select(Certificate)), "other", "Ngừng sản xuất.")
        db.session.commit()
    login(client, hall.organiser.email)
    assert _press(client, hall.round_id, "exports/pdf").status_code == 302
    assert not job_rows(app, "certificates_pdf")
    page = client.get(f"/certificates/rounds/{hall.round_id}").get_data(as_text=True)
    assert "không có giấy chứng nhận nào còn hiệu lực để in" in page
