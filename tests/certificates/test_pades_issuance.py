"""Issuance signs each certificate with its authority's key when the authority signs on the server
(``DOCUMENT_SIGNERS_FILE``), and leaves it unsigned otherwise; a key that cannot be used stops the issuance
before anything unsigned is stored."""
import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from certificates.jobs import issue_round
from certificates.models import Certificate
from certificates.operations.issuance import stored_pdf
from tests.support import pki
from tests.support.certificates import certify, decode_qr, issue_certificates
from voting.core.clock import today_vn
from voting.core.pades.settings import read_settings
from voting.core.pades.signers import forget_opened
from voting.core.pades.validation import check_signatures
from voting.extensions import db
from voting.models import Round, User


ca = pki.ca  # a test CA per module (the fixture in tests/support/pki.py)


@pytest.fixture
def certified(app, make_user, signer, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "1000 per minute")
    return certify(app, make_user, entries=2, failing=0)


@pytest.fixture
def signs_here(app, ca, monkeypatch):
    """Make the round's authority sign on the server with ``identity``'s PKCS#12 key."""

    def configure(hall, identity="rsa"):
        with app.app_context():
            code = db.session.get(Round, hall.round_id).authority.code
        monkeypatch.setitem(app.extensions, "pades", read_settings(ca.signers_file({code: identity})))

    yield configure
    forget_opened()


def _stored(app, hall):
    with app.app_context():
        return [stored_pdf(c) for c in db.session.scalars(
            select(Certificate).where(Certificate.round_id == hall.round_id).order_by(Certificate.sequence))]


def test_issuance_signs_each_certificate_with_its_authoritys_key(app, client, certified, signs_here, ca):
    signs_here(certified)
    issued = issue_certificates(app, certified)
    pdfs = _stored(app, certified)
    assert len(pdfs) == len(issued) == 2
    name = ca.identities["rsa"].common_name
    with app.app_context():
        settings = app.extensions["pades"]
        certificates = db.session.scalars(select(Certificate).where(Certificate.round_id == certified.round_id)
                                          .order_by(Certificate.sequence)).all()
        for certificate, pdf in zip(certificates, pdfs, strict=True):
            [finding] = check_signatures(pdf, settings)
            assert finding.holds, finding.problem
            assert finding.signer_name == name == certificate.pdf_signed_by
            assert finding.signing_time == certificate.pdf_signed_at  # the time recorded is the signature's own
            assert len(decode_qr(pdf)) == 1
        token, signed_at = certificates[0].token, certificates[0].pdf_signed_at
    # The scanned QR says the PDF is digitally signed, and by whom: the page and the API.
    answer = client.get(f"/api/v1/verify/{token}").get_json()
    assert answer["status"] == "valid"
    assert answer["certificate"]["pdf_signature"] == {"signed_by": name,
                                                      "signed_at": signed_at.isoformat(timespec="seconds")}
    page = client.get(f"/v/{token}").get_data(as_text=True)
    assert "Chữ ký số trên bản PDF" in page and f"Bản PDF được ký số bởi {name} lúc " in page


def test_an_authority_that_does_not_sign_here_gets_unsigned_certificates(app, client, certified, ca, monkeypatch):
    monkeypatch.setitem(app.extensions, "pades", read_settings(ca.signers_file({"NOT-THIS-ONE": "rsa"})))
    issued = issue_certificates(app, certified)
    with app.app_context():
        for pdf in _stored(app, certified):
            assert check_signatures(pdf, app.extensions["pades"]) == []
            assert "Thời gian ký" not in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()  # no stamp either
        token = db.session.get(Certificate, issued[0][0]).token
    assert client.get(f"/api/v1/verify/{token}").get_json()["certificate"]["pdf_signature"] is None
    assert "Chữ ký số trên bản PDF" not in client.get(f"/v/{token}").get_data(as_text=True)


def test_a_key_that_cannot_be_used_stops_issuance_and_stores_nothing_unsigned(app, certified, signs_here, ca,
                                                                              tmp_path, monkeypatch):
    signs_here(certified)
    settings = app.extensions["pades"]
    [code] = settings.authorities
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("sai\n")
    monkeypatch.setitem(app.extensions, "pades", read_settings(ca.signers_file(
        {code: {"pkcs12": str(ca.pkcs12_file("rsa")), "passphrase_file": str(wrong)}}, name="wrong.toml")))
    from voting.core.pades.signers import KeyUnavailable

    with app.app_context(), pytest.raises(KeyUnavailable, match="passphrase is wrong"):
        issue_round(db.session.get(User, certified.organiser.id), db.session.get(Round, certified.round_id),
                    today_vn())
    with app.app_context():
        certificates = db.session.scalars(select(Certificate).where(Certificate.round_id == certified.round_id)).all()
        assert certificates and all(c.pdf_storage_name is None for c in certificates)  # numbered, not stored
    # With the passphrase put right, the next run renders, signs and stores them.
    monkeypatch.setitem(app.extensions, "pades", settings)
    forget_opened()
    issue_certificates(app, certified)
    with app.app_context():
        assert all(check_signatures(pdf, settings)[0].holds for pdf in _stored(app, certified))


def test_check_signers_opens_each_key_and_says_what_will_not_sign(app, runner, ca, tmp_path, monkeypatch):
    with app.app_context():
        from voting.models import IssuingAuthority

        code = db.session.scalars(select(IssuingAuthority.code).order_by(IssuingAuthority.code)).first()
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("sai\n")
    monkeypatch.setitem(app.extensions, "pades", read_settings(ca.signers_file({
        code: "rsa", "ECDSA-X": "ecdsa", "REVOKED-X": "revoked",
        "WRONG-X": {"pkcs12": str(ca.pkcs12_file("rsa")), "passphrase_file": str(wrong)}}, name="check.toml")))
    try:
        result = runner.invoke(args=["documents", "check-signers"])
    finally:
        forget_opened()
    lines = result.output.splitlines()
    assert result.exit_code == 1, result.output
    assert any(line.startswith(f"OK   {code} [pkcs12]: {ca.identities['rsa'].common_name}") for line in lines)
    assert any(line.startswith("OK   ECDSA-X [pkcs12] (no issuing authority has this code)") for line in lines)
    assert any(line.startswith("FAIL REVOKED-X") and "revoked" in line for line in lines)
    assert any(line.startswith("FAIL WRONG-X") and "passphrase is wrong" in line for line in lines)
    assert "revocation lists: 1" in result.output


def test_a_certificate_no_longer_in_force_says_its_stamped_copy_carries_no_signature(app, client, certified,
                                                                                     signs_here):
    from certificates.operations.lifecycle import revoke_certificate

    signs_here(certified)
    issued = issue_certificates(app, certified)
    with app.app_context():
        certificate = db.session.get(Certificate, issued[0][0])
        revoke_certificate(db.session.get(User, certified.organiser.id), certificate, "producer_request",
                           "Cơ sở đề nghị thu hồi.")
        db.session.commit()
        token = certificate.token
    page = client.get(f"/v/{token}").get_data(as_text=True)
    assert "Bản gốc được ký số bởi" in page and "nên không mang chữ ký số" in page
    with app.app_context():
        assert check_signatures(client.get(f"/v/{token}/certificate.pdf").data, app.extensions["pades"]) == []
