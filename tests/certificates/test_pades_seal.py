"""The authority's seal image (uploaded by the administrator: a PNG with a transparent background, never drawn by
the platform) over the left third of the digital signature's stamp, as Nghị định 30/2020 places it."""
import io
import shutil
import subprocess

from PIL import Image, ImageDraw
from sqlalchemy import select

from certificates.models import Certificate
from certificates.operations.issuance import stored_pdf
from tests.conftest import csrf_from, login
from tests.factories import jpeg_bytes
from tests.support import pki
from tests.support.certificates import certify, issue_certificates
from tests.support.services import not_run
from voting.core.pades.settings import read_settings
from voting.core.pades.signers import forget_opened
from voting.core.pades.validation import check_signatures
from voting.extensions import db
from voting.models import AuditEvent, IssuingAuthority, Round

DPI = 100


def seal_png(opaque=False):
    """A red ring on a transparent background (or on white, ``opaque``), 400 px."""
    image = Image.new("RGBA", (400, 400), (255, 255, 255, 255 if opaque else 0))
    ImageDraw.Draw(image).ellipse((10, 10, 390, 390), outline=(220, 20, 20, 255), width=28)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


ca = pki.ca  # a test CA per module (the fixture in tests/support/pki.py)


def _upload(client, url, page_url, data, name):
    answer = client.post(url, data={"seal-csrf_token": csrf_from(client.get(page_url)),
                                    "seal-file": (io.BytesIO(data), name)}, content_type="multipart/form-data")
    return client.get(answer.headers["Location"]).get_data(as_text=True)


def test_the_seal_is_uploaded_as_a_transparent_png_and_drawn_over_the_stamp(app, client, make_user, signer, ca,
                                                                             monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "1000 per minute")
    hall = certify(app, make_user, entries=1, failing=0)
    with app.app_context():
        authority = db.session.get(Round, hall.round_id).authority
        authority_id, code = authority.id, authority.code
    login(client, make_user("admin").email)
    page_url = f"/admin/authorities/{authority_id}"
    url = f"{page_url}/seal"
    assert "phải là tệp PNG nền trong suốt" in _upload(client, url, page_url, jpeg_bytes(), "dau.jpg")
    assert "phải là tệp PNG nền trong suốt" in _upload(client, url, page_url, seal_png(opaque=True), "dau.png")
    assert "Đã lưu hình con dấu." in _upload(client, url, page_url, seal_png(), "dau.png")
    with app.app_context():
        assert db.session.get(IssuingAuthority, authority_id).seal_storage_name
        assert "authority.set_seal" in db.session.scalars(select(AuditEvent.action)).all()
    monkeypatch.setitem(app.extensions, "pades", read_settings(ca.signers_file({code: "rsa"})))
    try:
        issue_certificates(app, hall)
    finally:
        forget_opened()
    with app.app_context():
        signed = stored_pdf(db.session.scalar(select(Certificate).where(Certificate.round_id == hall.round_id)))
        [finding] = check_signatures(signed, app.extensions["pades"])
    assert finding.holds, finding.problem
    if shutil.which("pdftoppm") is None:
        not_run("PDF RASTER CHECK NOT RUN: pdftoppm not found - apt-get install poppler-utils")
    (tmp_path / "signed.pdf").write_bytes(signed)
    subprocess.run(["pdftoppm", "-r", str(DPI), "-png", "-singlefile", str(tmp_path / "signed.pdf"),
                    str(tmp_path / "page")], check=True, capture_output=True)
    page = Image.open(tmp_path / "page.png").convert("RGB")
    from pypdf import PdfReader

    widget = next(a.get_object() for a in PdfReader(io.BytesIO(signed)).pages[0]["/Annots"]
                  if a.get_object().get("/FT") == "/Sig")
    x1, y1, x2, y2 = (float(v) * DPI / 72 for v in widget["/Rect"])
    height = page.size[1]
    third = x1 + (x2 - x1) / 3
    # Red ink around the stamp's left third (the ring), none around its right end.
    left = page.crop((int(x1 - 60), int(height - y2 - 40), int(third), int(height - y1 + 40)))
    right = page.crop((int(x2 - (x2 - x1) / 4), int(height - y2), int(x2), int(height - y1)))
    reds = lambda image: sum(1 for r, g, b in image.get_flattened_data() if r > 180 and g < 90 and b < 90)  # noqa: E731
    assert reds(left) > 200 and reds(right) == 0
