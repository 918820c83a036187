"""Offices that sign with their own tools upload the signed PDF: a certificate must be the platform's bytes with
only a signature appended, a decision must carry the facts the platform records (shown side by side when it does
not); every upload's last signature must hold. Refusals are in words and store nothing."""
import io

import pytest
from sqlalchemy import func, select

from certificates.models import Certificate
from certificates.operations.issuance import stored_pdf
from tests.conftest import csrf_from, login
from tests.support import pki
from tests.support.certificates import certify, issue_certificates
from voting.core.pades.settings import read_settings
from voting.core.pades.signers import forget_opened, signer_for
from voting.core.pades.signing import sign_pdf
from voting.documents.decision import decision_pdf
from voting.extensions import db
from voting.models import AuditEvent, Decision, SignedDocument


ca = pki.ca  # a test CA per module (the fixture in tests/support/pki.py)


@pytest.fixture(scope="module")
def untrusted(tmp_path_factory):
    return pki.build_ca(tmp_path_factory.mktemp("other-ca"))


@pytest.fixture
def hall(app, make_user, signer, ca, monkeypatch):
    """A round whose authority does not sign on the server, with the test CA's root trusted (certificates issued)."""
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "1000 per minute")
    monkeypatch.setitem(app.extensions, "pades", read_settings(ca.signers_file({"OTHER": "rsa"})))
    hall = certify(app, make_user, entries=2, failing=0)
    issue_certificates(app, hall)
    with app.app_context():
        hall.certificate_ids = list(db.session.scalars(select(Certificate.id).where(
            Certificate.round_id == hall.round_id).order_by(Certificate.sequence)))
        hall.decision_id = db.session.scalar(select(Decision.id).where(Decision.round_id == hall.round_id))
    yield hall
    forget_opened()


def office_signs(app, ca, data, identity="ecdsa", crl=False):
    """What the office's own tool does: append its signature to ``data``."""
    with app.app_context():
        settings = read_settings(ca.signers_file({"OFFICE": identity}, crl=crl, name=f"office-{identity}.toml"))
        return sign_pdf(data, signer_for(settings.key_for("OFFICE")), settings, field_name="VanPhong").data


def upload(client, url, data):
    token = csrf_from(client.get(url))
    return client.post(url, data={"csrf_token": token, "document": (io.BytesIO(data), "ban-ky-so.pdf")},
                       content_type="multipart/form-data", follow_redirects=True)


def _platform_pdf(app, certificate_id):
    with app.app_context():
        return stored_pdf(db.session.get(Certificate, certificate_id))


def test_a_certificate_signed_by_the_office_is_kept_and_handed_out(app, client, hall, ca):
    certificate_id = hall.certificate_ids[0]
    signed = office_signs(app, ca, _platform_pdf(app, certificate_id))
    login(client, hall.organiser.email)
    answer = upload(client, f"/certificates/{certificate_id}/signed-copy", signed)
    assert answer.status_code == 200 and "Đã nhận bản ký số của giấy chứng nhận" in answer.get_data(as_text=True)
    with app.app_context():
        certificate = db.session.get(Certificate, certificate_id)
        assert certificate.pdf_signed_by == ca.identities["ecdsa"].common_name
        assert stored_pdf(certificate) != signed  # the platform's file stays as it was
        token = certificate.token
        assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "certificate.upload_signed")) == 1
    client.get("/logout")
    assert client.get(f"/v/{token}/certificate.pdf").data == signed  # handed out in its place
    api = client.get(f"/api/v1/verify/{token}").get_json()["certificate"]["pdf_signature"]
    assert api["signed_by"] == ca.identities["ecdsa"].common_name


@pytest.mark.parametrize("case", ["unsigned", "untrusted", "other_certificate", "changed", "revoked", "not_pdf"])
def test_a_certificate_upload_that_does_not_hold_is_refused_in_words(app, client, hall, ca, untrusted, case):
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    certificate_id = hall.certificate_ids[0]
    platform = _platform_pdf(app, certificate_id)
    if case == "unsigned":
        data, message = platform, "Tệp chưa có chữ ký số"
    elif case == "untrusted":
        data, message = office_signs(app, untrusted, platform), "không thuộc tổ chức chứng thực mà nền tảng tin cậy"
    elif case == "other_certificate":
        data = office_signs(app, ca, _platform_pdf(app, hall.certificate_ids[1]))
        message = "Tệp không phải bản PDF giấy chứng nhận"
    elif case == "changed":
        writer = IncrementalPdfFileWriter(io.BytesIO(platform))
        writer.add_stream_to_page(0, writer.add_object(generic.StreamObject(stream_data=b"0 0 m 800 500 l S")))
        out = io.BytesIO()
        writer.write(out)
        data, message = office_signs(app, ca, out.getvalue()), "đã bị sửa nội dung trước khi ký"
    elif case == "revoked":
        data, message = office_signs(app, ca, platform, "revoked"), "đã bị thu hồi"
    else:
        data, message = b"\x89PNG\r\n\x1a\n" + b"0" * 64, "Tệp này không phải PDF."
    login(client, hall.organiser.email)
    answer = upload(client, f"/certificates/{certificate_id}/signed-copy", data)
    assert answer.status_code == 400 and message in answer.get_data(as_text=True), case
    with app.app_context():
        assert db.session.get(Certificate, certificate_id).signed_pdf_storage_name is None


def test_a_decision_signed_by_the_office_is_kept_as_the_official_copy(app, client, hall, ca):
    with app.app_context():
        signed = office_signs(app, ca, decision_pdf(db.session.get(Decision, hall.decision_id)))
    login(client, hall.organiser.email)
    url = f"/rounds/{hall.round_id}/results/decisions/{hall.decision_id}/upload/decision"
    page = client.get(url).get_data(as_text=True)
    assert "Bản ký số phải ghi đúng các thông tin sau" in page and "Số quyết định" in page
    answer = upload(client, url, signed)
    assert "Đã nhận bản ký số của Quyết định công nhận" in answer.get_data(as_text=True)
    with app.app_context():
        row = db.session.scalar(select(SignedDocument))
        assert row.origin == "upload" and row.signed_by == ca.identities["ecdsa"].common_name
    download = client.get(f"/rounds/{hall.round_id}/results/decisions/{hall.decision_id}/signed/decision.pdf")
    assert download.data == signed


def test_a_decision_whose_facts_differ_is_shown_side_by_side_and_refused(app, client, hall, ca):
    with app.app_context():  # the office amended the number in the .docx before signing
        decision = db.session.get(Decision, hall.decision_id)
        number, decision.decision_number = decision.decision_number, "999/QĐ-KHAC"
        amended = decision_pdf(decision)
        db.session.rollback()
    signed = office_signs(app, ca, amended)
    login(client, hall.organiser.email)
    answer = upload(client, f"/rounds/{hall.round_id}/results/decisions/{hall.decision_id}/upload/decision", signed)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400 and "không khớp với thông tin nền tảng ghi nhận" in page
    assert "Đối chiếu với thông tin nền tảng ghi nhận" in page and number in page and "Không thấy" in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SignedDocument)) == 0
