"""The certificate as a picture: page 1 of its stored PDF rendered to PNG once, kept beside the PDF.

A certificate that no longer stands is pictured from its stamped public copy
(:func:`certificates.documents.public_copy.public_pdf`), one picture per status, so that a screenshot of the
verification page cannot pass a revoked certificate for a valid one.
"""
import io

import pypdfium2

from certificates.documents.public_copy import public_pdf, stamp_for
from certificates.operations.issuance import stored_pdf
from voting.core.storage import storage

#: Wide enough to compare with the paper copy on a phone, small enough for a slow connection.
WIDTH_PX = 1000


def png_key(certificate, stamp_status=None):
    # "-badge": pictures stamped before the stamp carried the pages' badge are drawn again.
    suffix = f"-{stamp_status}-badge" if stamp_status else ""
    return certificate.pdf_storage_name.rsplit(".", 1)[0] + suffix + ".png"


def certificate_png(certificate, today=None):
    """The storage key (in "certificates") of the certificate's PNG, rendering it the first time from the
    (checked) stored PDF, or on ``today`` from the stamped copy when the certificate no longer stands."""
    stamped = str(certificate.status_on(today)) if today is not None and stamp_for(certificate, today) else None
    files, key = storage("certificates"), png_key(certificate, stamped)
    if files.exists(key):
        return key
    document = pypdfium2.PdfDocument(public_pdf(certificate, today, dated=False) if stamped
                                     else stored_pdf(certificate))
    try:
        page = document[0]
        image = page.render(scale=WIDTH_PX / page.get_width()).to_pil().convert("RGB")
    finally:
        document.close()
    # A palette of 256 colours keeps text sharp and the file a fraction of the size.
    image = image.quantize(colors=256)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    files.save(key, out.getvalue())  # two requests at once both render; either copy is the same picture
    return key
