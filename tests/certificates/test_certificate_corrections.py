"""Correcting a certificate (đính chính) and re-issuing one after a key compromise (cấp lại).

A correction changes at least one printed fact of a certificate in force; the new certificate gets a
new number, keeps the old one's validity dates, and prints which certificate it replaces. The
organiser's form is posted as a browser would, the PDF is read back as text, and the new QR's token is
verified by the app.
"""
from datetime import date, timedelta
from urllib.parse import urlsplit

import pypdfium2
import pytest
from sqlalchemy import select

from certificates.operations.issuance import stored_pdf
from certificates.operations.lifecycle import correct_certificate, revoke_certificate, suspend_certificate
from certificates.jobs import issue_round
from tests.conftest import csrf_from, login
from tests.support.certificates import certify, decode_qr
from voting.core.clock import today_vn
from voting.core.errors import DomainError
from voting.extensions import db
from voting.models import AuditEvent, Decision, Round, User
from certificates.models import Certificate

ISSUED_ON = today_vn() - timedelta(days=40)
REASON = "Cơ sở đề nghị sửa lỗi chính tả trong tên sản phẩm."


@pytest.fixture
def certified(app, make_user, signer, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "1000 per minute")
    return certify(app, make_user)


def issue_on(app, hall, day):
    """Issue the round's certificates on ``day`` (its complaint window closed the day before)."""
    with app.app_context():
        for decision in db.session.scalars(select(Decision).where(Decision.round_id == hall.round_id)):
            decision.complaints_close_on = day - timedelta(days=1)
        db.session.commit()
        issue_round(db.session.get(User, hall.organiser.id), db.session.get(Round, hall.round_id), day)
        return db.session.scalars(select(Certificate.id).where(Certificate.round_id == hall.round_id)
                                  .order_by(Certificate.sequence)).all()


def pdf_text(data):
    document = pypdfium2.PdfDocument(data)
    try:
        return " ".join(" ".join(page.get_textpage().get_text_range().split()) for page in document)
    finally:
        document.close()


def _correct(client, certificate_id, **fields):
    page = client.get(f"/certificates/{certificate_id}")
    return client.post(f"/certificates/{certificate_id}/correct", data={"csrf_token": csrf_from(page), **fields})


def _certificates(app):
    with app.app_context():
        rows = db.session.scalars(select(Certificate).order_by(Certificate.id)).all()
        db.session.expunge_all()
        return rows


def test_a_correction_that_changes_nothing_is_refused_and_keeps_what_was_typed(app, client, certified):
    [first, *_rest] = issue_on(app, certified, ISSUED_ON)
    login(client, certified.organiser.email)
    with app.app_context():
        printed = db.session.get(Certificate, first).application.product.name
    before = _certificates(app)

    only_reason = _correct(client, first, reason=REASON)
    body = only_reason.get_data(as_text=True)
    assert only_reason.status_code == 400
    assert "Chưa có mục nào được sửa" in body
    assert f'value="{REASON}"' in body  # the reason typed is still there
    same_name = _correct(client, first, product_name=f"  {printed} ", reason=REASON)
    assert same_name.status_code == 400 and "Chưa có mục nào được sửa" in same_name.get_data(as_text=True)

    assert [(c.id, c.status) for c in _certificates(app)] == [(c.id, c.status) for c in before]
    with app.app_context():
        assert not db.session.scalars(select(AuditEvent).where(AuditEvent.action == "certificate.correct")).all()


def test_an_expired_certificate_is_not_revived_by_a_correction(app, client, certified):
    long_ago = today_vn().replace(year=today_vn().year - 4)
    [first, *_rest] = issue_on(app, certified, long_ago)
    login(client, certified.organiser.email)
    response = _correct(client, first, product_name="Miến dong Na Rì (gói 500 g)",
                        reason=REASON)
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and "đã hết hiệu lực" in body
    assert f'action="/certificates/{first}/correct"' not in body  # nor is it offered any more
    certificates = _certificates(app)
    assert len(certificates) == 3 and {c.status for c in certificates} == {"valid"}
    assert all(c.expires_on < today_vn() for c in certificates)


@pytest.mark.parametrize("state", ["revoked", "suspended", "superseded"])
def test_only_a_certificate_in_force_can_be_corrected(app, certified, state):
    [first, *_rest] = issue_on(app, certified, ISSUED_ON)
    with app.app_context():
        organiser, certificate = db.session.get(User, certified.organiser.id), db.session.get(Certificate, first)
        if state == "revoked":
            revoke_certificate(organiser, certificate, "other", "Cơ sở ngừng sản xuất.")
        elif state == "suspended":
            suspend_certificate(organiser, certificate, "quality_violation", "Mẫu kiểm tra không đạt.")
        else:
            correct_certificate(organiser, certificate, {"product_name": "Tên đã sửa"}, today_vn(), REASON)
        db.session.commit()
        with pytest.raises(DomainError) as refused:
            correct_certificate(organiser, db.session.get(Certificate, first), {"product_name": "Tên khác"},
                                today_vn(), REASON)
        assert refused.value.code == f"certificate_{state}"
        db.session.rollback()
        assert len(db.session.scalars(select(Certificate)).all()) == (4 if state == "superseded" else 3)


def test_a_correction_keeps_the_validity_and_prints_what_it_replaces(app, client, certified):
    [first, *_rest] = issue_on(app, certified, ISSUED_ON)
    login(client, certified.organiser.email)
    with app.app_context():
        old = db.session.get(Certificate, first)
        old_number, old_dates, old_name = old.number, (old.issued_on, old.expires_on), old.application.product.name
        old_url = decode_qr(stored_pdf(old), blur=False)[0]
    page = client.get(f"/certificates/{first}").get_data(as_text=True)
    assert f'value="{old_name}"' in page  # the form starts from what is printed

    response = _correct(client, first, product_name=f"{old_name} (hũ 500 g)", reason=REASON)
    assert response.status_code == 302
    with app.app_context():
        new = db.session.scalar(select(Certificate).where(Certificate.supersedes_id == first))
        assert new.number != old_number and new.status == "valid"
        assert (new.issued_on, new.expires_on) == old_dates
        text = pdf_text(stored_pdf(new))
        new_url = decode_qr(stored_pdf(new), blur=False)[0]
        [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "certificate.correct")).all()
    assert response.headers["Location"] == f"/certificates/{new.id}"  # the replacement's page
    assert f"thay thế Giấy chứng nhận số {old_number} ngày {ISSUED_ON:%d/%m/%Y}" in text
    assert f"Có giá trị đến ngày {old_dates[1]:%d/%m/%Y}" in text
    assert f"ngày {today_vn().day:02d} tháng {today_vn().month:02d} năm {today_vn().year}" in text  # dated today
    assert event.data_dict["changed"] == {"product_name": [old_name, f"{old_name} (hũ 500 g)"]}
    assert client.get("/api/v1/verify/" + urlsplit(new_url).path.removeprefix("/v/")).get_json()["status"] == "valid"
    old_answer = client.get("/api/v1/verify/" + urlsplit(old_url).path.removeprefix("/v/")).get_json()
    assert (old_answer["status"], old_answer["certificate"]["superseded_by"]) == ("superseded", new.number)


def test_a_reissue_after_a_key_compromise_keeps_the_validity_dates(app, client, certified, tmp_path, monkeypatch):
    from certificates.operations.keys import mark_compromised, register_key
    from certificates.rules.signing import generate_private_key, public_key_b64, write_private_key
    from certificates.models import SigningKey

    issued = issue_on(app, certified, ISSUED_ON)
    with app.app_context():
        before = {c.id: (c.number, c.issued_on, c.expires_on) for c in db.session.scalars(select(Certificate))}
        old_key = db.session.scalar(select(SigningKey).where(SigningKey.status == "active"))
        new_file = tmp_path / "new-key.pem"
        new_key = generate_private_key()
        write_private_key(new_key, new_file)
        register_key(None, public_key_b64(new_key))
        mark_compromised(None, db.session.get(SigningKey, old_key.id), today_vn())
        db.session.commit()
    monkeypatch.setitem(app.config, "SIGNING_KEY_FILE", str(new_file))
    result = app.test_cli_runner().invoke(args=["certificates", "reissue-compromised"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        for old_id in issued:
            new = db.session.scalar(select(Certificate).where(Certificate.supersedes_id == old_id))
            number, issued_on, expires_on = before[old_id]
            assert (new.issued_on, new.expires_on) == (issued_on, expires_on) == (ISSUED_ON, expires_on)
            assert new.number != number
            assert f"thay thế Giấy chứng nhận số {number} ngày {ISSUED_ON:%d/%m/%Y}" in pdf_text(stored_pdf(new))
            url = decode_qr(stored_pdf(new), blur=False)[0]
            answer = client.get("/api/v1/verify/" + urlsplit(url).path.removeprefix("/v/")).get_json()
            assert answer["status"] == "valid" and answer["certificate"]["issued_on"] == ISSUED_ON.isoformat()


def test_a_correction_of_a_correction_names_the_certificate_it_replaces(app, certified):
    [first, *_rest] = issue_on(app, certified, ISSUED_ON)
    later = ISSUED_ON + timedelta(days=10)
    with app.app_context():
        organiser = db.session.get(User, certified.organiser.id)
        second = correct_certificate(organiser, db.session.get(Certificate, first), {"producer_name": "HTX A"},
                                     later, REASON)
        third = correct_certificate(organiser, second, {"producer_name": "HTX B"}, today_vn(), REASON)
        db.session.commit()
        assert (third.issued_on, third.expires_on) == (ISSUED_ON, db.session.get(Certificate, first).expires_on)
        # The second certificate bears the date of the first correction: that is the date it is cited by.
        assert f"thay thế Giấy chứng nhận số {second.number} ngày {later:%d/%m/%Y}" in pdf_text(stored_pdf(third))
        assert isinstance(third.issued_on, date)
