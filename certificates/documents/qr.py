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

One mask pattern for every code (:data:`MASK_PATTERN`), not the best of the eight: the qrcode library
tries all eight and scores each in pure Python: 23 ms of CPU a code against 4 ms for one pattern
(190-character URLs, CPU time on this 2-core machine under load), a fifth of issuing a certificate.
Any of the eight is a valid code that every reader decodes; the scoring only avoids, for some data,
large one-colour blocks or shapes like the finder patterns, which a random token makes unlikely. Pattern 6
was chosen by decoding: 200 such codes scaled to 0.4 mm modules at 150 dpi, blurred (radius 1) and saved as
JPEG of quality 60, failed 6 times with it, 15 to 23 times with patterns 0, 4 and 5, and 25 times with the
best of eight; at the labels' 0.47 mm none failed with any. The tests decode certificates and blurred
labels. The PNG is drawn straight from the module matrix (the library's image factory paints each module
as a rectangle: 4 ms more).
"""
import base64
import io
from functools import lru_cache

import qrcode
from markupsafe import Markup
from PIL import Image

__all__ = ["MASK_PATTERN", "QUIET_ZONE", "qr_image", "qr_modules", "qr_png"]

QUIET_ZONE = 4  # modules on each side (ISO/IEC 18004)
PIXELS_PER_MODULE = 4
MASK_PATTERN = 6  # ((i j) mod 2 + (i j) mod 3) mod 2 == 0 (ISO/IEC 18004, table 10): see the module's docstring


@lru_cache(maxsize=64)
def _code(url):
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=QUIET_ZONE,
                         mask_pattern=MASK_PATTERN)
    code.add_data(url)
    code.make(fit=True)
    return code


def qr_modules(url):
    """Return the QR's side in modules for ``url``, without the quiet zone (57 for a 190-character URL)."""
    return _code(url).modules_count


@lru_cache(maxsize=64)
def qr_png(url):
    """Return ``url`` as a black-and-white PNG, ``PIXELS_PER_MODULE`` pixels a module, quiet zone included."""
    modules = _code(url).modules
    side = len(modules) + 2 * QUIET_ZONE
    white_row = b"\xff" * side
    margin = b"\xff" * QUIET_ZONE
    rows = [white_row] * QUIET_ZONE
    rows += [margin + bytes(0 if dark else 255 for dark in row) + margin for row in modules]
    rows += [white_row] * QUIET_ZONE
    pixels = side * PIXELS_PER_MODULE
    image = Image.frombytes("L", (side, side), b"".join(rows)).resize((pixels, pixels), Image.Resampling.NEAREST)
    buffer = io.BytesIO()
    image.convert("1").save(buffer, "PNG")
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
