"""Certificates signed as Vietnamese e-government signs (PAdES), checked with pyHanko's validator against the test
CA's root: integrity, chain, signing time, revocation; and still a certificate: qpdf's check, the QR read back at
150 dpi, the page unchanged outside the stamp. Rendered from plain values, without a database (like
test_certificate_pdf.py).
"""
import io
import re
import shutil
import subprocess
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest
from PIL import Image, ImageChops

from certificates.documents.certificate_pdf import render_certificates_for_signing, split_pages
from tests.support.certificate_docs import make_doc
from tests.support import pki
from tests.support.certificates import decode_qr
from tests.support.services import not_run
from tests.support import no_database
from voting import create_app
from voting.core.pades.settings import SignersFileError, read_settings
from voting.core.pades.signers import KeyUnavailable, forget_opened, signer_for
from voting.core.pades.signing import SigningRefused, sign_pdf
from voting.core.pades.stamp import StampLines, shown_time
from voting.core.pades.validation import check_signatures

# Rendered from plain values: an app never connected, nothing to clean (tests/support/no_database.py).
app, no_cleaning, in_app_context = no_database.app, no_database.no_cleaning, no_database.in_app_context

DPI = 150


ca = pki.ca  # a test CA per module (the fixture in tests/support/pki.py)


def settings_for(ca, identity="rsa", **kwargs):
    return read_settings(ca.signers_file({"TNG": identity}, **kwargs))


def signed_certificate(ca, settings, doc=None):
    """A certificate rendered with its stamp and signed by the TNG key of ``settings``; with the unsigned bytes."""
    opened = signer_for(settings.key_for("TNG"))
    doc = replace(doc or make_doc(), digital_stamp=StampLines(opened.subject_name, "Ủy ban nhân dân tỉnh Thái Nguyên"))
    pdf, boxes = render_certificates_for_signing([doc])
    [unsigned] = split_pages(pdf)
    signed = sign_pdf(unsigned, opened, settings, box=boxes[0], reason="Cấp Giấy chứng nhận")
    return unsigned, signed.data, boxes[0]


def raster(data, folder, dpi=DPI):
    """The page as poppler's pdftoppm draws it (greyscale)."""
    if shutil.which("pdftoppm") is None:
        not_run("PDF RASTER CHECK NOT RUN: pdftoppm not found - apt-get install poppler-utils")
    (folder / "page.pdf").write_bytes(data)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", "-singlefile", str(folder / "page.pdf"),
                    str(folder / "page")], capture_output=True, check=True)
    return Image.open(folder / "page.png").convert("L")


def test_a_certificate_signed_with_a_pkcs12_key_validates_against_the_root(ca):
    settings = settings_for(ca)
    before = datetime.now(timezone.utc) - timedelta(seconds=2)
    unsigned, signed, _ = signed_certificate(ca, settings)
    assert signed.startswith(unsigned)  # an incremental update: the platform's bytes, then the signature
    [finding] = check_signatures(signed, settings)
    assert finding.intact and finding.valid and finding.trusted and not finding.revoked, finding.problem
    assert finding.unchanged_since and finding.holds
    assert finding.signer_name == ca.identities["rsa"].common_name
    assert before <= finding.signing_time <= datetime.now(timezone.utc)
    assert check_signatures(unsigned, settings) == []


def test_with_revocation_lists_the_signature_carries_its_validation_data_b_lt(ca):
    from pypdf import PdfReader

    _, signed, _ = signed_certificate(ca, settings_for(ca))
    dss = PdfReader(io.BytesIO(signed)).trailer["/Root"]["/DSS"]
    assert dss["/CRLs"] and dss["/Certs"]  # the CA's list and the chain, for a reader offline years later


def test_with_a_timestamp_authority_the_signature_is_timestamped_b_t(ca):
    with pki.LocalTimestampAuthority(ca) as tsa:
        settings = settings_for(ca, timestamp_url=tsa.url, name="tsa.toml")
        before = datetime.now(timezone.utc) - timedelta(seconds=2)
        _, signed, _ = signed_certificate(ca, settings)
        assert tsa.requests >= 1
    [finding] = check_signatures(signed, settings)
    assert finding.holds, finding.problem
    assert finding.timestamp_time is not None and before <= finding.timestamp_time <= datetime.now(timezone.utc)


def test_a_timestamp_authority_that_does_not_answer_refuses_the_signature_in_words(ca):
    settings = settings_for(ca, timestamp_url="http://127.0.0.1:9/tsr", name="tsa-down.toml")  # nothing listens
    with pytest.raises(SigningRefused):
        signed_certificate(ca, settings)


def test_a_byte_changed_after_signing_is_detected(ca):
    settings = settings_for(ca)
    unsigned, signed, _ = signed_certificate(ca, settings)
    # A letter of the product's name in the page's content would do; any byte the signature covers must.
    for position in (len(unsigned) // 2, 200):
        changed = bytearray(signed)
        changed[position] ^= 0x01
        findings = check_signatures(bytes(changed), settings)
        assert findings and not findings[0].holds
        assert not (findings[0].intact and findings[0].valid)


def test_a_page_changed_in_a_later_revision_is_detected(ca):
    """An editor may keep the signed bytes and add a revision drawing over the page: the signature still checks,
    and the finding says the document changed since."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    settings = settings_for(ca)
    _, signed, _ = signed_certificate(ca, settings)
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    writer.add_stream_to_page(0, writer.add_object(generic.StreamObject(stream_data=b"0 0 m 800 500 l S")))
    out = io.BytesIO()
    writer.write(out)
    findings = check_signatures(out.getvalue(), settings)
    assert findings and findings[0].intact and not findings[0].unchanged_since and not findings[0].holds


def test_an_ecdsa_p256_key_signs_too(ca):
    settings = settings_for(ca, "ecdsa")
    _, signed, _ = signed_certificate(ca, settings)
    [finding] = check_signatures(signed, settings)
    assert finding.holds, finding.problem


def test_a_document_signed_with_a_revoked_certificate_is_reported_revoked(ca):
    # Signed where the revocation was not known yet (no revocation list at hand) ...
    unaware = settings_for(ca, "revoked", crl=False, name="no-crl.toml")
    _, signed, _ = signed_certificate(ca, unaware)
    [unknown] = check_signatures(signed, unaware)
    assert not unknown.revoked  # ... the signature cannot be known revoked there, and is not said to be;
    settings = settings_for(ca, "revoked")
    [finding] = check_signatures(signed, settings)
    assert finding.intact and finding.valid  # with the list, the bytes are as signed ...
    assert finding.revoked and not finding.trusted and not finding.holds  # ... by a certificate no longer good
    assert "REVOKED" in finding.problem
    # And where the list is at hand, the platform refuses to sign with that key at all.
    with pytest.raises(SigningRefused, match="revoked"):
        signed_certificate(ca, settings)


def test_a_signature_by_a_ca_not_trusted_does_not_hold(ca, tmp_path):
    other = pki.build_ca(tmp_path / "other")
    _, signed, _ = signed_certificate(other, settings_for(other))
    [finding] = check_signatures(signed, settings_for(ca))
    assert finding.intact and finding.valid and not finding.trusted and not finding.holds


def test_the_signed_certificate_passes_qpdf_reads_its_qr_and_looks_the_same_outside_the_stamp(ca, tmp_path):
    settings = settings_for(ca)
    doc = make_doc()
    plain_pdf, _ = render_certificates_for_signing([doc])  # as issued by an authority that does not sign here
    _, signed, box = signed_certificate(ca, settings, doc)
    if shutil.which("qpdf") is None:
        not_run("QPDF CHECK NOT RUN: qpdf not found - apt-get install qpdf")
    path = tmp_path / "signed.pdf"
    path.write_bytes(signed)
    check = subprocess.run(["qpdf", "--check", str(path)], capture_output=True)
    assert check.returncode == 0, check.stdout.decode() + check.stderr.decode()
    assert decode_qr(signed, dpi=DPI) == decode_qr(plain_pdf, dpi=DPI) and len(decode_qr(signed, dpi=DPI)) == 1
    plain, stamped_page = raster(split_pages(plain_pdf)[0], tmp_path), raster(signed, tmp_path)
    assert plain.size == stamped_page.size
    scale, height = DPI / 72, plain.size[1]
    region = (int(box[0] * scale) - 2, int(height - box[3] * scale) - 2,
              int(box[2] * scale) + 3, int(height - box[1] * scale) + 3)
    difference = ImageChops.difference(plain, stamped_page)
    assert difference.crop(region).getbbox() is not None  # the stamp is drawn ...
    blank = Image.new("L", (region[2] - region[0], region[3] - region[1]))
    difference.paste(blank, region[:2])
    assert difference.getbbox() is None  # ... and nothing else moved


def test_the_stamp_shows_the_signer_the_authority_and_the_time_in_vietnam(ca):
    from pypdf import PdfReader

    settings = settings_for(ca)
    _, signed, _ = signed_certificate(ca, settings)
    [finding] = check_signatures(signed, settings)
    page = PdfReader(io.BytesIO(signed)).pages[0]
    text = page.extract_text()
    assert f"Ký bởi: {ca.identities['rsa'].common_name}" in text
    assert "Cơ quan: Ủy ban nhân dân tỉnh Thái Nguyên" in text and "Thời gian ký:" in text
    widget = next(a.get_object() for a in page["/Annots"] if a.get_object().get("/FT") == "/Sig"
                  or a.get_object().get("/Parent", {}).get("/FT") == "/Sig")
    escaped = widget["/AP"]["/N"].get_object().get_data().decode("latin-1")
    appearance = re.sub(r"\\([0-7]{3})", lambda match: chr(int(match.group(1), 8)), escaped)
    assert f"({shown_time(finding.signing_time)})" in appearance
    assert shown_time(datetime(2026, 12, 6, 20, 5, 9, tzinfo=timezone.utc)) == "07/12/2026 03:05:09 +07:00"


def test_a_token_signs_through_pkcs11(tmp_path):
    if not pki.softhsm_available():
        not_run("PKCS#11 CHECK NOT RUN: SoftHSM2 not found - apt-get install softhsm2")
    token_ca, token = pki.token_world()
    settings = read_settings(token_ca.signers_file({"TNG": token.entry}, name="token.toml"))
    try:
        _, signed, _ = signed_certificate(token_ca, settings)
        [finding] = check_signatures(signed, settings)
        assert finding.holds, finding.problem
        assert finding.signer_name == token_ca.identities["rsa"].common_name and finding.signing_time is not None
        wrong_pin = tmp_path / "pin.txt"
        wrong_pin.write_text("000000\n")
        bad = read_settings(token_ca.signers_file({"TNG": {**token.entry, "pin_file": str(wrong_pin)}},
                                                  name="bad.toml"))
        with pytest.raises(KeyUnavailable, match="cannot open a session"):
            signer_for(bad.key_for("TNG"))
    finally:
        forget_opened()


def test_a_wrong_passphrase_is_a_clear_error(ca, tmp_path):
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("sai\n")
    settings = read_settings(ca.signers_file(
        {"TNG": {"pkcs12": str(ca.pkcs12_file("rsa")), "passphrase_file": str(wrong)}}, name="wrong.toml"))
    with pytest.raises(KeyUnavailable, match="passphrase is wrong"):
        signer_for(settings.key_for("TNG"))


@pytest.mark.parametrize(("text", "message"), [
    ('trust_roots = ["{root}"]\n[authorities.TNG]\npkcs12 = "{p12}"\npkcs11_module = "{p12}"', "exactly one"),
    ('trust_roots = ["{root}"]\n[authorities.TNG]\npkcs12 = "/nowhere.p12"', "/nowhere.p12 is not a file"),
    ('[authorities.TNG]\npkcs12 = "{p12}"', "trust_roots is empty"),
    ('trust_roots = ["{root}"]\nkeys = 1', "unknown entry keys"),
    ('trust_roots = ["{root}"]\n[authorities.TNG]\npkcs11_module = "{p12}"', "needs token_label"),
    ('trust_roots = ["{root}"]\ntimestamp_url = "ftp://x"', "timestamp_url"),
    ("trust_roots = [", "not valid TOML"),
])
def test_a_signers_file_that_cannot_be_used_says_why(ca, tmp_path, text, message):
    path = tmp_path / "signers.toml"
    path.write_text(text.format(root=ca.root_file, p12=ca.pkcs12_file("rsa")))
    with pytest.raises(SignersFileError, match=message):
        read_settings(path)


def test_the_app_refuses_to_start_with_a_signers_file_it_cannot_use(tmp_path):
    from config import ConfigError

    path = tmp_path / "signers.toml"
    path.write_text("[authorities.TNG]\n")
    with pytest.raises(ConfigError, match="trust_roots is empty"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "DOCUMENT_SIGNERS_FILE": str(path)})
