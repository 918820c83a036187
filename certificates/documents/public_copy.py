"""The copy of a certificate the public downloads from its verification page (PDF and picture).

While the certificate stands it is the stored original. Once it no longer stands (revoked, suspended,
superseded or expired) it is a copy stamped with its status across the page, so that a printout or a
screenshot of a withdrawn certificate cannot pass for a valid one; the stored original stays as issued
for the organiser.
"""
from dataclasses import replace

from certificates.documents.certificate_pdf import render_certificates
from certificates.operations.issuance import document_for, stored_pdf

#: Across the public copy, by the status the public sees.
PUBLIC_STAMPS = {"revoked": "ĐÃ THU HỒI", "suspended": "TẠM ĐÌNH CHỈ", "superseded": "ĐÃ ĐƯỢC THAY THẾ",
                 "expired": "HẾT HIỆU LỰC"}


def stamp_for(certificate, today):
    """The words stamped across the public copy on ``today``, or None while the certificate stands."""
    return PUBLIC_STAMPS.get(str(certificate.status_on(today)))


def public_pdf(certificate, today):
    """The PDF anyone may download on ``today``: the stored original, or the stamped copy."""
    original = stored_pdf(certificate)  # a changed file is refused here too
    stamp = stamp_for(certificate, today)
    if stamp is None:
        return original
    return render_certificates([replace(document_for(certificate), status_watermark=stamp)])
