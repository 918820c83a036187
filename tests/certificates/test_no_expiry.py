"""A round may issue its certificates without expiry (issue 18): stored, signed, printed, verified and listed so."""
import io
import re
from datetime import date
from urllib.parse import quote, urlsplit

from pypdf import PdfReader
from sqlalchemy import select

from certificates.models import Certificate
from certificates.operations.issuance import stored_pdf
from certificates.rules.signing import parse_token
from certificates.rules.verification import verify
from tests.conftest import csrf_token, login
from tests.factories import make_round
from tests.helpers import SCORING_SETTINGS_FORM as SETTINGS
from tests.helpers import text_of
from tests.support.certificates import certify, decode_qr, issue_certificates
from voting.documents.decision import decision_doc
from voting.extensions import db
from voting.models import Decision, Round, User


def words(text):
    return " ".join(text.split())


def test_a_round_without_expiry_issues_certificates_that_never_expire(app, client, make_user, signer, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "1000 per minute")
    hall = certify(app, make_user, entries=1, failing=0, round_settings={"certificate_validity_months": None})
    (certificate_id, number), = issue_certificates(app, hall)
    with app.app_context():
        certificate = db.session.get(Certificate, certificate_id)
        token, pdf = certificate.token, stored_pdf(certificate)
        assert certificate.expires_on is None and parse_token(token).expires_on is None
        assert verify(token, date(2170, 1, 1)).status == "valid"  # a century on, still valid until withdrawn
        decision = db.session.scalar(select(Decision).where(Decision.round_id == hall.round_id))
        articles = " ".join(text for _, text in decision_doc(decision).articles)
    assert "Giấy chứng nhận có giá trị không thời hạn." in articles and "tháng kể từ" not in articles

    printed = words(PdfReader(io.BytesIO(pdf)).pages[0].extract_text())
    assert "Có giá trị không thời hạn" in printed and "Có giá trị đến" not in printed
    url, = decode_qr(pdf)
    page = words(client.get(urlsplit(url).path).get_data(as_text=True))
    assert "Giấy chứng nhận hợp lệ" in page and "Có giá trị, không thời hạn" in page
    answer = client.get(f"/api/v1/verify/{token}").get_json()
    assert answer["status"] == "valid" and answer["certificate"]["expires_on"] is None

    # The registry lists it as valid, not as a paper certificate that states no expiry ("unstated").
    items = client.get("/api/v1/products", query_string={"q": number, "status": "valid"}).get_json()["items"]
    listed = [c for item in items for c in item["certificates"] if c["number"] == number]
    assert [(c["status"], c["expires_on"]) for c in listed] == [("valid", None)]
    record = words(re.sub(r"<[^>]+>", " ", client.get("/registry/certificates/" + quote(number, safe="/"))
                          .get_data(as_text=True)))
    assert "Có giá trị đến không thời hạn" in record and "Không ghi thời hạn" not in record


def test_the_organiser_chooses_no_expiry_in_the_round_settings(app, client, make_user):
    organiser = make_user("organiser", province_code="19")
    with app.app_context():
        round_id = make_round(db.session.get(User, organiser.id)).id
        db.session.commit()
    login(client, organiser.email)
    url = f"/organiser/rounds/{round_id}/scoring-settings"
    typed = {**SETTINGS, "certificate_validity_months": "", "no_expiry": "y"}
    assert client.post(url, data={**typed, "csrf_token": csrf_token(client, url)}).status_code == 302
    with app.app_context():
        assert db.session.get(Round, round_id).certificate_validity_months is None
    assert re.search(r'<input[^>]*checked[^>]*name="no_expiry"|<input[^>]*name="no_expiry"[^>]*checked',
                     client.get(url).get_data(as_text=True))
    # Unticked, the months are asked for again; what was typed elsewhere stays, nothing is saved.
    typed = {**SETTINGS, "certificate_validity_months": "", "complaint_window_days": "21"}
    refused = client.post(url, data={**typed, "csrf_token": csrf_token(client, url)})
    body = text_of(refused)
    assert "Thời hạn giấy chứng nhận (tháng)" in body and 'value="21"' in body and refused.status_code != 302
    with app.app_context():
        round_ = db.session.get(Round, round_id)
        assert round_.certificate_validity_months is None and round_.complaint_window_days != 21
    # Months typed and the box unticked: a term again.
    assert client.post(url, data={**SETTINGS, "csrf_token": csrf_token(client, url)}).status_code == 302
    with app.app_context():
        assert db.session.get(Round, round_id).certificate_validity_months == 36
