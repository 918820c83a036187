"""Certificates as plain values (:class:`CertificateDoc`) for the PDF tests, with realistic verification URLs."""
import base64
import hashlib
from datetime import date

from certificates.documents.certificate_pdf import CertificateDoc

BASE_URL = "https://sanphamcnnt.thainguyen.gov.vn"


def verify_url(seed):
    """A realistic verification URL of exactly 190 characters: base URL, "/v/", a base64url token."""
    token = base64.urlsafe_b64encode(hashlib.shake_256(seed.encode()).digest(150)).decode().rstrip("=")
    url = f"{BASE_URL}/v/{token}"[:190]
    assert len(url) == 190
    return url


def make_doc(sequence=1, **changes):
    values = dict(
        authority_parent="", authority_name="Ủy ban nhân dân tỉnh Thái Nguyên", place="Thái Nguyên",
        number=f"TNG-2026-{sequence:04d}", level_label="cấp tỉnh", year=2026, decision_number="123/QĐ-UBND",
        decision_date=date(2026, 3, 2), decision_authority="Ủy ban nhân dân tỉnh Thái Nguyên",
        product_name="Chè búp Tân Cương đặc biệt", group_name="Chế biến nông, lâm, thủy sản",
        producer_name="Hợp tác xã chè Tân Cương", producer_address="Xã Tân Cương, tỉnh Thái Nguyên",
        province_name="Thái Nguyên", issued_on=date(2026, 3, 5), expires_on=date(2029, 3, 5),
        signer_title="KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH", signer_name="Nguyễn Văn Sơn",
        verify_url=verify_url(f"certificate {sequence}"))
    values.update(changes)
    return CertificateDoc(**values)
