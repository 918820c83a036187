"""Issuing certificates and scanning them: numbers, QR codes read back from the PDF, statuses, bad input.

A certificate's PDF is rasterised and its QR decoded with a real decoder
(zxing-cpp); the decoded URL is requested from the app, as a phone would.
"""
import io
import threading
from urllib.parse import urlsplit

import pypdfium2
import pytest
from sqlalchemy import select

from certificates.operations.issuance import issue_for_entry, stored_pdf
from certificates.operations.lifecycle import revoke_certificate, suspend_certificate
from certificates.jobs import issue_round
from tests.support.certificates import certify, decode_qr, issue_certificates
from voting.core.clock import today_vn
from voting.core.errors import DomainError, InvalidTransition
from voting.extensions import db
from voting.models import Application, AuditEvent, DecisionEntry, Round, User, ValidityFrom
from certificates.models import Certificate
from voting.operations.rounds import PreconditionFailed


@pytest.fixture
def certified(app, make_user, signer, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "1000 per minute")
    return certify(app, make_user)


def _status(client, url):
    path = urlsplit(url).path
    page = client.get(path)
    assert page.status_code == 200
    api = client.get("/api/v1/verify/" + path.removeprefix("/v/"))
    return api.get_json()["status"], page.get_data(as_text=True)


def test_a_scanned_certificate_verifies_then_shows_revocation_and_forgery(app, client, certified):
    issued = issue_certificates(app, certified)
    # A new authority numbers in the official form, gap-free from 1 (unique per authority and year).
    assert [number for _, number in issued] == [f"{n}/GCN-UBND" for n in (1, 2, 3)]
    with app.app_context():
        certificate = db.session.get(Certificate, issued[0][0])
        urls = decode_qr(stored_pdf(certificate))
    assert len(urls) == 1 and urls[0].startswith("https://cnnt.example.vn/v/")
    status, page = _status(client, urls[0])
    assert status == "valid" and "Giấy chứng nhận hợp lệ" in page and issued[0][1] in page

    token = urlsplit(urls[0]).path.removeprefix("/v/")
    for position in (0, len(token) // 2, len(token) - 1):
        changed = token[:position] + ("A" if token[position] != "A" else "B") + token[position + 1:]
        assert _status(client, "/v/" + changed)[0] == "forged"

    with app.app_context():
        revoke_certificate(db.session.get(User, certified.organiser.id), db.session.get(Certificate, issued[0][0]),
                           "false_declaration", "Cơ sở kê khai không trung thực về nguyên liệu.")
        db.session.commit()
    status, page = _status(client, urls[0])
    assert status == "revoked" and "kê khai không trung thực" in page


def test_a_revoked_or_suspended_certificate_downloads_from_the_public_page_stamped(app, client, certified):
    """Issue 19: a revoked certificate's PDF downloaded from /v/<token> looked as valid as ever."""
    from pypdf import PdfReader

    from certificates.documents.preview import certificate_png
    from voting.core.storage import storage

    issued = issue_certificates(app, certified)
    with app.app_context():
        organiser = db.session.get(User, certified.organiser.id)
        revoked, suspended, valid = (db.session.get(Certificate, i) for i, _ in issued)
        revoke_certificate(organiser, revoked, "false_declaration", "Kê khai không trung thực.")
        suspend_certificate(organiser, suspended, "quality_violation", "Chờ kết quả kiểm nghiệm.")
        db.session.commit()
        tokens = {name: c.token for name, c in (("revoked", revoked), ("suspended", suspended), ("valid", valid))}
        originals = {name: stored_pdf(c) for name, c in (("revoked", revoked), ("suspended", suspended),
                                                          ("valid", valid))}
    served = {name: client.get(f"/v/{token}/certificate.pdf") for name, token in tokens.items()}
    assert all(r.status_code == 200 and r.mimetype == "application/pdf" for r in served.values())
    words = {name: " ".join(PdfReader(io.BytesIO(r.data)).pages[0].extract_text().split())
             for name, r in served.items()}
    assert "ĐÃ THU HỒI" in words["revoked"] and "TẠM ĐÌNH CHỈ" in words["suspended"]
    # With the pages' badge and the day its status was read (tests/certificates/test_status_marks.py: its colours).
    assert "Đã thu hồi" in words["revoked"] and "Tạm đình chỉ" in words["suspended"]
    assert f"Tình trạng ngày {today_vn():%d/%m/%Y}" in words["revoked"]
    assert served["valid"].data == originals["valid"]  # a standing certificate: the stored original itself
    assert "max-age=300" in served["revoked"].headers["Cache-Control"]
    # The page's picture of the certificate too: a screenshot of it must not pass for a valid certificate.
    pictures = {name: client.get(f"/v/{token}/certificate.png") for name, token in tokens.items()}
    assert all(p.status_code == 200 and p.mimetype == "image/png" for p in pictures.values())
    with app.app_context():  # each certificate's own picture as issued, from its stored PDF
        issued_pictures = {name: storage("certificates").read(certificate_png(db.session.scalar(
            select(Certificate).where(Certificate.token == token)))) for name, token in tokens.items()}
    assert pictures["valid"].data == issued_pictures["valid"]
    for name in ("revoked", "suspended"):  # the stamp, tinted red, across the page
        assert _reddened(pictures[name].data, issued_pictures[name]) > 500, name
    with app.app_context():  # the originals stay as issued, for the organiser
        for name in ("revoked", "suspended"):
            certificate = db.session.scalar(select(Certificate).where(Certificate.token == tokens[name]))
            assert stored_pdf(certificate) == originals[name]
            assert "THU HỒI" not in PdfReader(io.BytesIO(originals[name])).pages[0].extract_text()


def _reddened(png, beside):
    """How many pixels of ``png`` are redder than the same pixels of ``beside`` (the same size): a red stamp.
    Compared at a quarter of the size, which a stamp across the page survives."""
    from PIL import Image

    stamped, plain = (Image.open(io.BytesIO(data)).convert("RGB").reduce(4).tobytes() for data in (png, beside))
    stamped, plain = (zip(data[0::3], data[1::3], data[2::3], strict=True) for data in (stamped, plain))
    return sum(1 for (r, g, _), (r0, g0, _0) in zip(stamped, plain, strict=True) if (r - g) - (r0 - g0) > 15)


def test_a_label_sheet_scans_to_the_same_answer(app, client, certified):
    from certificates.operations.issuance import document_for
    from certificates.documents.label_sheets import label_sheet

    issued = issue_certificates(app, certified)
    with app.app_context():
        sheet = label_sheet(document_for(db.session.get(Certificate, issued[1][0])))
    urls = decode_qr(sheet)
    assert urls and len(set(urls)) == 1
    assert _status(client, urls[0])[0] == "valid"
    with app.app_context():
        suspend_certificate(db.session.get(User, certified.organiser.id), db.session.get(Certificate, issued[1][0]),
                            "quality_violation", "Mẫu kiểm tra không đạt chỉ tiêu vi sinh.")
        db.session.commit()
    assert _status(client, urls[0])[0] == "suspended"
    with app.app_context():
        revoke_certificate(db.session.get(User, certified.organiser.id), db.session.get(Certificate, issued[1][0]),
                           "quality_violation", "Kết quả kiểm nghiệm lại vẫn không đạt.")
        db.session.commit()
    assert _status(client, urls[0])[0] == "revoked"
    token = urlsplit(urls[0]).path.removeprefix("/v/")
    changed = token[:10] + ("x" if token[10] != "x" else "y") + token[11:]
    assert _status(client, "/v/" + changed)[0] == "forged"


def test_issuing_is_idempotent_and_stores_each_pdf_once(app, certified):
    first = issue_certificates(app, certified)
    second = issue_certificates(app, certified)
    assert first == second and len(first) == 3
    with app.app_context():
        for certificate in db.session.scalars(select(Certificate)):
            data = stored_pdf(certificate)
            assert len(pypdfium2.PdfDocument(data)) == 1
        assert len(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "certificate.issue")).all()) == 3


def test_nothing_is_issued_while_the_complaint_window_is_open(app, make_user, signer):
    hall = certify(app, make_user, entries=1, failing=0, close_window=False)
    with app.app_context():
        with pytest.raises(PreconditionFailed) as refused:
            issue_round(db.session.get(User, hall.organiser.id), db.session.get(Round, hall.round_id), today_vn())
        assert refused.value.problems[0][0] == "complaint_window_open"


def test_only_certified_entries_get_a_certificate_and_only_once(app, certified):
    with app.app_context():
        round_ = db.session.get(Round, certified.round_id)
        organiser = db.session.get(User, certified.organiser.id)
        failed = db.session.get(Application, certified.application_ids[3])
        with pytest.raises(DomainError, match="not_certified"):
            issue_for_entry(organiser, round_, failed, today_vn())
        db.session.rollback()
        round_ = db.session.get(Round, certified.round_id)
        passed = db.session.get(Application, certified.application_ids[0])
        issue_for_entry(db.session.get(User, certified.organiser.id), round_, passed, today_vn())
        db.session.commit()
        with pytest.raises(DomainError, match="already_issued"):
            issue_for_entry(db.session.get(User, certified.organiser.id), db.session.get(Round, certified.round_id),
                            db.session.get(Application, certified.application_ids[0]), today_vn())


def test_revoking_twice_is_refused(app, certified):
    issued = issue_certificates(app, certified)
    with app.app_context():
        organiser = db.session.get(User, certified.organiser.id)
        certificate = db.session.get(Certificate, issued[0][0])
        revoke_certificate(organiser, certificate, "other", "Sản phẩm ngừng sản xuất.")
        db.session.commit()
        with pytest.raises(InvalidTransition):
            revoke_certificate(organiser, certificate, "other", "Lần nữa.")
        with pytest.raises(DomainError, match="reason_required"):
            suspend_certificate(organiser, db.session.get(Certificate, issued[1][0]), "other", "   ")


def test_numbers_stay_unique_and_gap_free_when_two_issuances_run_at_once(app, make_user, signer):
    """Two rounds of the same authority and year issue at the same moment: 1..2n, no duplicate, no gap."""
    halls = [certify(app, make_user, entries=4, failing=0) for _ in range(2)]
    barrier, errors = threading.Barrier(2), []

    def run(hall):
        try:
            with app.app_context():
                barrier.wait()
                issue_round(db.session.get(User, hall.organiser.id), db.session.get(Round, hall.round_id),
                            today_vn(), batch_size=1)
        except Exception as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(hall,)) for hall in halls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    with app.app_context():
        sequences = sorted(db.session.scalars(select(Certificate.sequence)))
        numbers = db.session.scalars(select(Certificate.number)).all()
    assert sequences == list(range(1, 9)) and len(set(numbers)) == 8


def test_html_in_a_product_name_stays_text(app, client, certified):
    with app.app_context():
        application = db.session.get(Application, certified.application_ids[0])
        hostile = '<script>alert("x")</script> & \'Miến\' "dong"'
        # As if decided under that name: a certificate names what its decision lists.
        application.product.name = hostile
        listed = db.session.scalar(select(DecisionEntry).where(DecisionEntry.application_id == application.id))
        listed.product_name = hostile
        db.session.commit()
    issued = issue_certificates(app, certified)
    with app.app_context():
        certificate = db.session.get(Certificate, issued[0][0])
        text = " ".join(page.get_textpage().get_text_range() for page in pypdfium2.PdfDocument(stored_pdf(certificate)))
        url = decode_qr(stored_pdf(certificate))[0]
    assert '<script>alert("x")</script>' in text
    page = client.get(urlsplit(url).path).get_data(as_text=True)
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page


def test_a_compromised_key_suspends_its_certificates_until_reissued(app, client, certified, tmp_path,
                                                                     monkeypatch):
    """The procedure of the README: new key, mark the old one compromised, re-issue in one command."""
    from certificates.operations.keys import mark_compromised, register_key
    from certificates.rules.signing import generate_private_key, public_key_b64, write_private_key
    from certificates.models import SigningKey

    issued = issue_certificates(app, certified)
    with app.app_context():
        old_urls = [decode_qr(stored_pdf(db.session.get(Certificate, cid)), blur=False)[0] for cid, _ in issued]
        old_key = db.session.scalar(select(SigningKey).where(SigningKey.status == "active"))
        old_kid = old_key.kid
        new_file = tmp_path / "new-key.pem"
        new_key = generate_private_key()
        write_private_key(new_key, new_file)
        register_key(None, public_key_b64(new_key))           # the old key is retired, the new one active
        suspended = mark_compromised(None, db.session.get(SigningKey, old_key.id), today_vn())
        db.session.commit()
        assert len(suspended) == 3
        assert {c.reason for c in suspended} == {"khóa ký bị lộ — cần cấp lại"}
    assert {_status(client, url)[0] for url in old_urls} == {"suspended"}

    monkeypatch.setitem(app.config, "SIGNING_KEY_FILE", str(new_file))
    result = app.test_cli_runner().invoke(args=["certificates", "reissue-compromised"])
    assert result.exit_code == 0 and "3 certificates re-issued" in result.output
    assert {_status(client, url)[0] for url in old_urls} == {"superseded"}
    with app.app_context():
        current = db.session.scalars(select(Certificate).where(Certificate.status == "valid")).all()
        assert len(current) == 3 and all(c.signing_key.kid != old_kid for c in current)
        new_url = decode_qr(stored_pdf(current[0]), blur=False)[0]
    assert _status(client, new_url)[0] == "valid"
    keys = client.get("/.well-known/cnnt-keys.json").get_json()["keys"]
    assert {k["kid"]: k["status"] for k in keys}[old_kid] == "compromised"


def test_certificate_files_reach_their_producer_and_organiser_only(app, client, certified, make_user):
    from tests.conftest import login

    issued = issue_certificates(app, certified)
    pdf, labels = f"/certificates/{issued[0][0]}.pdf", f"/certificates/{issued[0][0]}/labels.pdf"
    elsewhere = make_user("organiser", province_code="56")
    expected = [(certified.owners[0], 200), (certified.owners[1], 404), (certified.organiser, 200),
                (elsewhere, 404), (certified.jurors[0], 404)]
    for user, status in expected:
        with client.session_transaction() as session:
            session.clear()
        login(client, user.email)
        assert client.get(pdf).status_code == status, user.email
        assert client.get(labels).status_code == status, user.email
    with client.session_transaction() as session:
        session.clear()
    assert client.get(pdf).status_code == 302  # anonymous: sign in first
    login(client, certified.owners[0].email)
    mine = client.get("/certificates/mine").get_data(as_text=True)
    assert issued[0][1] in mine and issued[1][1] not in mine


def test_uploaded_artwork_is_printed_and_a_fake_image_refused(app, client, certified, make_user):
    from tests.conftest import csrf_from, login
    from tests.factories import jpeg_bytes

    admin = make_user("admin")
    login(client, admin.email)
    with app.app_context():
        authority_id = db.session.get(Round, certified.round_id).authority_id
    page_url = f"/admin/authorities/{authority_id}"
    fake = client.post(f"{page_url}/artwork", data={"csrf_token": csrf_from(client.get(page_url)),
                                                    "file": (io.BytesIO(b"<svg onload=alert(1)>"), "emblem.png")},
                       content_type="multipart/form-data")
    assert "không phải là ảnh" in client.get(fake.headers["Location"]).get_data(as_text=True)
    ok = client.post(f"{page_url}/artwork", data={"csrf_token": csrf_from(client.get(page_url)),
                                                  "file": (io.BytesIO(jpeg_bytes(size=(400, 400))), "quoc-huy.jpg")},
                     content_type="multipart/form-data")
    assert ok.status_code == 302
    issued = issue_certificates(app, certified)
    with app.app_context():
        data = stored_pdf(db.session.get(Certificate, issued[0][0]))
        events = db.session.scalars(select(AuditEvent.action)).all()
    assert b"/Subtype /Image" in data or b"/Subtype/Image" in data
    assert "authority.set_artwork" in events


@pytest.mark.parametrize("validity_from", [ValidityFrom.DECISION, ValidityFrom.ISSUE])
def test_a_certificate_is_dated_and_runs_from_the_day_its_round_says(app, make_user, signer, validity_from):
    """By the rules a certificate bears the recognition decision's date and its validity counts from it;
    a round may instead date it on the day of issue (as rounds before the choice did)."""
    from datetime import timedelta

    from pypdf import PdfReader

    from certificates.operations.issuance import add_months
    from voting.documents.reports import long_date
    from tests.factories import make_deliberating_round
    from tests.support.certificates import PASSING
    from voting.operations.deliberation import publish_results, record_decision, record_vote
    from voting.rules.signer import SignerBlock

    hall = make_deliberating_round(app, make_user, [PASSING], round_settings={"validity_from": validity_from})
    today = today_vn()
    with app.app_context():
        round_ = db.session.get(Round, hall.round_id)
        chair, organiser = db.session.get(User, hall.chair.id), db.session.get(User, hall.organiser.id)
        decision = record_vote(chair, round_, today - timedelta(days=30), 4, 4, 0, 0, "", today)
        publish_results(organiser, round_, today - timedelta(days=30))  # announced; the window ran out 15 days ago
        record_decision(organiser, decision, f"{round_.id}/QĐ-UBND", today - timedelta(days=10),
                        SignerBlock(title="Phó Chủ tịch", name="Nguyễn Văn Bình"), today)
        db.session.commit()
        issue_round(organiser, round_, today)
        db.session.commit()
        certificate = db.session.scalar(select(Certificate).where(Certificate.round_id == hall.round_id))
        start = today - timedelta(days=10) if validity_from == ValidityFrom.DECISION else today
        assert (certificate.issued_on, certificate.expires_on) == (start, add_months(start, 36))
        printed = " ".join(PdfReader(io.BytesIO(stored_pdf(certificate))).pages[0].extract_text().split())
        assert long_date(start) in printed
