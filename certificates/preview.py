"""The certificate as a picture: page 1 of its stored PDF rendered to PNG once, kept next to the PDF."""
import os
import tempfile
from pathlib import Path

import pypdfium2

from certificates.issuance import storage_dir, stored_pdf

#: Wide enough to compare with the paper copy on a phone, small enough for a slow connection.
WIDTH_PX = 1000


def certificate_png(certificate):
    """The path of the certificate's PNG, rendering it from the (checked) stored PDF the first time."""
    pdf_path = storage_dir() / certificate.pdf_storage_name
    png_path = pdf_path.with_suffix(".png")
    if png_path.is_file():
        return png_path
    document = pypdfium2.PdfDocument(stored_pdf(certificate))
    try:
        page = document[0]
        image = page.render(scale=WIDTH_PX / page.get_width()).to_pil().convert("RGB")
    finally:
        document.close()
    # A palette of 256 colours keeps text sharp and the file a fraction of the size.
    image = image.quantize(colors=256)
    handle, temporary = tempfile.mkstemp(dir=png_path.parent, suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            image.save(out, "PNG", optimize=True)
        os.replace(temporary, png_path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return png_path
