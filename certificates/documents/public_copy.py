"""The copy of a certificate the public downloads from its verification page (PDF and picture).

While the certificate stands it is the stored original. Once it no longer stands (revoked, suspended,
superseded or expired) it is a copy stamped with its status across the page, and with the badge the pages show
for it (:mod:`certificates.documents.status_marks`: colour, icon, word, and the day it was so), so that a printout
or a screenshot of a withdrawn certificate cannot pass for a valid one; the stored original stays as issued for
the organiser.
"""
from dataclasses import replace

from certificates.documents.certificate_pdf import render_certificates
from certificates.documents.status_marks import STAMPED, STATUS_MARKS
from certificates.operations.issuance import document_for, stored_pdf


def stamp_for(certificate, today):
    """The status mark stamped on the public copy on ``today``, or None while the certificate stands."""
    status = str(certificate.status_on(today))
    return STATUS_MARKS[status] if status in STAMPED else None


def public_pdf(certificate, today, dated=True):
    """The PDF anyone may download on ``today``: the stored original, or the stamped copy.

    :param dated: the stamp says it gives the status of ``today``; the verification page's picture, kept once
        drawn and shown beside the status of the day, leaves the date out.
    """
    stamp = stamp_for(certificate, today)
    if stamp is None:
        from certificates.operations.signed_copies import official_pdf

        return official_pdf(certificate)  # a changed file is refused here too
    stored_pdf(certificate)  # the stamped copy is drawn again, but a changed file is still refused
    return render_certificates([replace(document_for(certificate), status=stamp.status,
                                        status_on=today if dated else None)])
