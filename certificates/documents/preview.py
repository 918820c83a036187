"""The certificate as a picture: page 1 of its stored PDF rendered to PNG once, kept beside the PDF."""
import io

import pypdfium2

from certificates.operations.issuance import stored_pdf
from voting.core.storage import storage

#: Wide enough to compare with the paper copy on a phone, small enough for a slow connection.
WIDTH_PX = 1000


def png_key(certificate):
    return certificate.pdf_storage_name.rsplit(".", 1)[0] + ".png"


def certificate_png(certificate):
    """The storage key (in "certificates") of the certificate's PNG, rendering it from the (checked)
    stored PDF the first time."""
    files, key = storage("certificates"), png_key(certificate)
    if files.exists(key):
        return key
    document = pypdfium2.PdfDocument(stored_pdf(certificate))
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
