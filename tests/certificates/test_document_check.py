"""The public check of a dropped PDF: what the platform issued (as is, signed after, changed after) or not, and its
signatures; bad input answered in words; time-limited; rate-limited."""
import io

import pytest
from sqlalchemy import select

from certificates.models import Certificate
from certificates.operations.issuance import stored_pdf
from tests.conftest import csrf_from
from tests.support import pki
from tests.support.certificate_docs import make_doc
from tests.support.certificates import certify, issue_certificates
from voting.core.pades.settings import read_settings
from voting.core.pades.signers import forget_opened, signer_for
from voting.core.pades.signing import sign_pdf
from voting.extensions import db
from voting.models import Round

URL = "/verify/document"


ca = pki.ca  # a test CA per module (the fixture in tests/support/pki.py)


@pytest.fixture
def issued(app, make_user, signer, ca, monkeypatch):
    """Two certificates issued by an authority that signs here, and their stored PDFs."""
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "1000 per minute")
    hall = certify(app, make_user, entries=2, failing=0)
    with app.app_context():
        code = db.session.get(Round, hall.round_id).authority.code
    monkeypatch.setitem(app.extensions, "pades", read_settings(ca.signers_file({code: "rsa"})))
    issue_certificates(app, hall)
    with app.app_context():
        certificates = db.session.scalars(select(Certificate).where(Certificate.round_id == hall.round_id)
                                          .order_by(Certificate.sequence)).all()
        yield [(c.number, stored_pdf(c)) for c in certificates]
    forget_opened()


def check(client, data, name="giay-chung-nhan.pdf"):
    token = csrf_from(client.get(URL))
    return client.post(URL, data={"csrf_token": token, "document": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def test_a_certificate_as_issued_is_recognised_with_its_signature(client, issued, ca):
    number, pdf = issued[0]
    answer = check(client, pdf)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert "Tệp do nền tảng phát hành, không bị thay đổi." in page and f"Giấy chứng nhận số {number}" in page
    assert ca.identities["rsa"].common_name in page and "Hợp lệ: tệp không đổi từ khi ký" in page
    assert "Có chữ ký số hợp lệ của cơ quan cấp." in page


def test_a_certificate_signed_again_after_download_is_recognised(app, client, issued, ca):
    number, pdf = issued[1]
    with app.app_context():
        settings = app.extensions["pades"]
        opened = signer_for(read_settings(ca.signers_file({"X": "ecdsa"}, name="x.toml")).key_for("X"))
        countersigned = sign_pdf(pdf, opened, settings, field_name="VanPhong").data  # an office's second signature
    page = check(client, countersigned).get_data(as_text=True)
    assert "được ký số thêm sau đó; nội dung không thay đổi" in page and f"Giấy chứng nhận số {number}" in page
    assert page.count("Hợp lệ: tệp không đổi từ khi ký") == 2


def test_a_certificate_changed_after_issue_is_flagged(client, issued):
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    _, pdf = issued[0]
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    writer.add_stream_to_page(0, writer.add_object(generic.StreamObject(stream_data=b"0 0 m 800 500 l S")))
    out = io.BytesIO()
    writer.write(out)
    page = check(client, out.getvalue()).get_data(as_text=True)
    assert "đã bị sửa sau đó" in page and "Tệp có thay đổi khác sau chữ ký này." in page
    assert "Không có chữ ký số hợp lệ của cơ quan cấp trên tệp này." in page


def test_a_pdf_the_platform_did_not_issue_is_said_so(app, client):
    from certificates.documents.certificate_pdf import render_certificate

    with app.app_context():
        foreign = render_certificate(make_doc())
    page = check(client, foreign).get_data(as_text=True)
    assert "Nền tảng không phát hành tệp này, hoặc tệp đã bị sửa." in page and "Tệp không có chữ ký số." in page


@pytest.mark.parametrize(("data", "message", "status"), [
    (b"\x89PNG\r\n\x1a\n" + b"0" * 100, "Tệp này không phải PDF", 400),
    (b"%PDF-1.7\n garbage without any structure", "Không đọc được tệp PDF này", 400),
])
def test_bad_files_are_answered_in_words(client, data, message, status):
    answer = check(client, data)
    assert answer.status_code == status and message in answer.get_data(as_text=True)


def test_no_file_asks_for_one(client):
    token = csrf_from(client.get(URL))
    answer = client.post(URL, data={"csrf_token": token}, content_type="multipart/form-data")
    assert answer.status_code == 400 and "Hãy chọn một tệp PDF." in answer.get_data(as_text=True)


def test_an_oversized_file_is_refused_before_it_is_read(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_MAX_DOCUMENT_MB", 1)
    answer = check(client, b"%PDF-1.7\n" + b"0" * (3 * 1024 * 1024))
    assert answer.status_code == 413 and "vượt quá giới hạn" in answer.get_data(as_text=True)


def test_a_check_that_runs_over_its_time_is_stopped(app, client, issued, monkeypatch):
    monkeypatch.setitem(app.config, "DOCUMENT_CHECK_SECONDS", 0.001)
    answer = check(client, issued[0][1])
    assert answer.status_code == 422 and "mất quá nhiều thời gian" in answer.get_data(as_text=True)


def test_checks_are_rate_limited(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "DOCUMENT_CHECK_RATE_LIMIT", "2 per minute")
    statuses = [check(client, b"not a pdf").status_code for _ in range(3)]
    assert statuses[:2] == [400, 400] and statuses[2] == 429
