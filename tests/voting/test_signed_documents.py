"""The recognition decision (with its annex), the minutes and the founding decision signed with the authority's
key (PAdES): by the organiser, from the pages, validated with pyHanko against the test CA's root; with a PKCS#12
file and with a SoftHSM2 token; a changed byte and a revoked certificate detected; the page unchanged outside the
stamp; refusals in words, nothing stored."""
import io
import shutil
import subprocess

import pytest
from PIL import Image, ImageChops
from pypdf import PdfReader
from sqlalchemy import func, select

from tests.conftest import csrf_from, login
from tests.support import pki
from tests.support.certificates import certify
from tests.support.services import not_run
from voting.core.pades.settings import read_settings
from voting.core.pades.signers import forget_opened
from voting.core.pades.validation import check_signatures
from voting.documents.decision import decision_pdf
from voting.extensions import db
from voting.models import Decision, Round, SignedDocument

DPI = 150


ca = pki.ca  # a test CA per module (the fixture in tests/support/pki.py)


@pytest.fixture
def decided(app, make_user, signer, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "1000 per minute")
    hall = certify(app, make_user, entries=2, failing=1)
    with app.app_context():
        decision = db.session.scalars(select(Decision).where(Decision.round_id == hall.round_id)
                                      .order_by(Decision.sequence.desc())).first()
        hall.decision_id, hall.code = decision.id, db.session.get(Round, hall.round_id).authority.code
    return hall


@pytest.fixture
def signs_with(app, ca, monkeypatch):
    def configure(code, identity="rsa", **kwargs):
        monkeypatch.setitem(app.extensions, "pades", read_settings(ca.signers_file({code: identity}, **kwargs)))
        return app.extensions["pades"]

    yield configure
    forget_opened()


def _sign(client, hall, kind):
    page = client.get(f"/rounds/{hall.round_id}/results")
    return client.post(f"/rounds/{hall.round_id}/results/decisions/{hall.decision_id}/sign/{kind}",
                       data={"csrf_token": csrf_from(page)}, follow_redirects=True)


def _signed_copy(client, hall, kind):
    response = client.get(f"/rounds/{hall.round_id}/results/decisions/{hall.decision_id}/signed/{kind}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    return response.data


def _stamp_page_and_region(pdf):
    """The page holding the signature's widget, and its rectangle in pixels at ``DPI``."""
    reader = PdfReader(io.BytesIO(pdf))
    for index, page in enumerate(reader.pages):
        for annotation in page.get("/Annots") or ():
            widget = annotation.get_object()
            if widget.get("/FT") == "/Sig" and widget.get("/Rect"):
                x1, y1, x2, y2 = (float(v) for v in widget["/Rect"])
                height, scale = float(page.mediabox.height), DPI / 72
                return index, (int(x1 * scale) - 2, int((height - y2) * scale) - 2,
                               int(x2 * scale) + 3, int((height - y1) * scale) + 3)
    raise AssertionError("no visible signature")


def _raster(pdf, page, folder):
    if shutil.which("pdftoppm") is None:
        not_run("PDF RASTER CHECK NOT RUN: pdftoppm not found - apt-get install poppler-utils")
    (folder / "doc.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", "-png", "-f", str(page + 1), "-l", str(page + 1),
                    "-singlefile", str(folder / "doc.pdf"), str(folder / "page")], check=True, capture_output=True)
    return Image.open(folder / "page.png").convert("L")


def test_the_organiser_signs_the_decision_and_it_validates_and_prints_as_before(app, client, decided, signs_with,
                                                                                ca, tmp_path):
    settings = signs_with(decided.code)
    login(client, decided.organiser.email)
    page = _sign(client, decided, "decision").get_data(as_text=True)
    assert "Đã ký số Quyết định công nhận" in page and "Tải về bản ký số (PDF)" in page
    signed = _signed_copy(client, decided, "decision")
    [finding] = check_signatures(signed, settings)
    assert finding.holds, finding.problem
    assert finding.signer_name == ca.identities["rsa"].common_name and finding.signing_time is not None
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(signed)).pages)
    assert "Ký bởi: " + ca.identities["rsa"].common_name in text and "Thời gian ký:" in text
    assert "DANH SÁCH" in text  # the annex travels with it
    # qpdf's own check, and the page of the stamp as the unsigned decision prints, outside the stamp.
    if shutil.which("qpdf") is None:
        not_run("QPDF CHECK NOT RUN: qpdf not found - apt-get install qpdf")
    (tmp_path / "signed.pdf").write_bytes(signed)
    check = subprocess.run(["qpdf", "--check", str(tmp_path / "signed.pdf")], capture_output=True)
    assert check.returncode == 0, check.stdout.decode() + check.stderr.decode()
    with app.app_context():
        plain = decision_pdf(db.session.get(Decision, decided.decision_id))
    index, region = _stamp_page_and_region(signed)
    assert len(PdfReader(io.BytesIO(plain)).pages) == len(PdfReader(io.BytesIO(signed)).pages)
    before, after = _raster(plain, index, tmp_path), _raster(signed, index, tmp_path)
    difference = ImageChops.difference(before, after)
    assert difference.crop(region).getbbox() is not None
    difference.paste(Image.new("L", (region[2] - region[0], region[3] - region[1])), region[:2])
    assert difference.getbbox() is None
    # A byte changed afterwards is detected.
    changed = bytearray(signed)
    changed[len(signed) // 3] ^= 0x01
    findings = check_signatures(bytes(changed), settings)
    assert not findings or not findings[0].holds


def test_minutes_and_the_founding_decision_are_signed_too(app, client, decided, signs_with):
    settings = signs_with(decided.code)
    login(client, decided.organiser.email)
    assert "Đã ký số Biên bản họp Hội đồng" in _sign(client, decided, "minutes").get_data(as_text=True)
    [finding] = check_signatures(_signed_copy(client, decided, "minutes"), settings)
    assert finding.holds, finding.problem
    council = client.get(f"/organiser/rounds/{decided.round_id}/council")
    answer = client.post(f"/organiser/rounds/{decided.round_id}/council/founding-decision/sign",
                         data={"csrf_token": csrf_from(council)}, follow_redirects=True)
    assert "Đã ký số Quyết định thành lập Hội đồng" in answer.get_data(as_text=True)
    founding = client.get(f"/organiser/rounds/{decided.round_id}/council/founding-decision-signed.pdf")
    assert founding.status_code == 200
    [finding] = check_signatures(founding.data, settings)
    assert finding.holds, finding.problem


def test_a_decision_signed_on_a_token_validates(app, client, decided, monkeypatch):
    if not pki.softhsm_available():
        not_run("PKCS#11 CHECK NOT RUN: SoftHSM2 not found - apt-get install softhsm2")
    token_ca, token = pki.token_world()
    settings = read_settings(token_ca.signers_file({decided.code: token.entry}, name="token.toml"))
    monkeypatch.setitem(app.extensions, "pades", settings)
    try:
        login(client, decided.organiser.email)
        _sign(client, decided, "decision")
        [finding] = check_signatures(_signed_copy(client, decided, "decision"), settings)
    finally:
        forget_opened()
    assert finding.holds, finding.problem
    assert finding.signer_name == token_ca.identities["rsa"].common_name and finding.signing_time is not None


def test_a_decision_signed_with_a_revoked_certificate_is_reported_revoked(app, client, decided, signs_with):
    signs_with(decided.code, "revoked", crl=False, name="unaware.toml")  # the revocation not known at signing
    login(client, decided.organiser.email)
    _sign(client, decided, "decision")
    signed = _signed_copy(client, decided, "decision")
    with_list = signs_with(decided.code, "revoked", name="aware.toml")
    [finding] = check_signatures(signed, with_list)
    assert finding.intact and finding.revoked and not finding.holds
    # Once the revocation is known, the platform refuses to sign with that key, in words, and stores nothing.
    forget_opened()
    page = _sign(client, decided, "decision").get_data(as_text=True)
    assert "Không ký số được" in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SignedDocument)) == 1


def test_an_authority_not_signing_here_is_told_how_to_sign(app, client, decided, signs_with):
    signs_with("NOT-THIS-ONE")
    login(client, decided.organiser.email)
    page = client.get(f"/rounds/{decided.round_id}/results").get_data(as_text=True)
    assert "Ký số Quyết định công nhận" not in page  # no button where nothing can sign
    answer = _sign(client, decided, "decision").get_data(as_text=True)
    assert "chưa cài chứng thư số trên hệ thống" in answer
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SignedDocument)) == 0
    assert client.get(f"/rounds/{decided.round_id}/results/decisions/{decided.decision_id}/signed/decision.pdf"
                      ).status_code == 404


def test_a_signed_decision_dropped_on_the_check_page_is_recognised(app, client, decided, signs_with, ca):
    signs_with(decided.code)
    login(client, decided.organiser.email)
    _sign(client, decided, "decision")
    signed = _signed_copy(client, decided, "decision")
    form = client.get("/verify/document")
    page = client.post("/verify/document", data={"csrf_token": csrf_from(form),
                                                 "document": (io.BytesIO(signed), "quyet-dinh.pdf")},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "Tệp do nền tảng phát hành, không bị thay đổi." in page
    assert "Quyết định công nhận (kèm danh sách)" in page and ca.identities["rsa"].common_name in page
