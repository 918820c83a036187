"""The verification QR code, as an image for the PDFs.

Error correction M (15 % of the code words may be lost: a scuffed label, a fold in a
certificate), and the 4-module quiet zone the standard requires is part of the image,
painted white, so that whatever sits around it the code keeps its margin.

The code is embedded as a small black-and-white PNG of ``PIXELS_PER_MODULE`` pixels a module, and the
page scales it without smoothing (``image-rendering: pixelated``, written to the PDF as
``/Interpolate false``), so a printer draws every module as a sharp square. Four pixels, not one:
on a screen or a 150 dpi scan the image is shown smaller than that, and a viewer averaging four pixels
into three draws soft module edges, as it did for the vector QR, which a blurred photo still decodes;
at one pixel a module, nearest-pixel scaling to 2.8 pixels gives modules of 2 and 3 pixels and
3 of 24 blurred labels failed to decode (tests/certificates/test_certificate_pdf.py).

It used to be an SVG path: WeasyPrint parsed and painted its ~840 runs of dark modules on every page.
"""
import base64
import io
from functools import lru_cache

import qrcode
from markupsafe import Markup
from qrcode.image.pil import PilImage

__all__ = ["QUIET_ZONE", "qr_image", "qr_modules", "qr_png"]

QUIET_ZONE = 4  # modules on each side (ISO/IEC 18004)
PIXELS_PER_MODULE = 4


@lru_cache(maxsize=64)
def _code(url):
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=QUIET_ZONE,
                         box_size=PIXELS_PER_MODULE)
    code.add_data(url)
    code.make(fit=True)
    return code


def qr_modules(url):
    """Return the QR's side in modules for ``url``, without the quiet zone (57 for a 190-character URL)."""
    return _code(url).modules_count


@lru_cache(maxsize=64)
def qr_png(url):
    """Return ``url`` as a black-and-white PNG, ``PIXELS_PER_MODULE`` pixels a module, quiet zone included."""
    image = _code(url).make_image(image_factory=PilImage).get_image().convert("1")
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def qr_image(url, module_mm=None):
    """Return ``url`` as an inline ``<img class="qr">`` (quiet zone included), safe to print unescaped.

    :param module_mm: the printed size of one module; the image is then
        ``(modules + 8) * module_mm`` millimetres square. Without it, the caller's CSS
        gives it its size (``img.qr`` in static/css/certificate.css).
    """
    side = qr_modules(url) + 2 * QUIET_ZONE
    size = "" if module_mm is None else f' style="width: {side * module_mm:.3f}mm; height: {side * module_mm:.3f}mm"'
    source = base64.b64encode(qr_png(url)).decode("ascii")
    # Only base64 of our own PNG goes into the tag (the URL is not written anywhere), so nothing in it can be markup.
    return Markup(f'<img class="qr" src="data:image/png;base64,{source}" alt="QR" width="{side}" height="{side}"{size}>')
