"""The verification QR code, as inline SVG for the PDFs.

Error correction M (15 % of the code words may be lost: a scuffed label, a fold in a
certificate), and the 4-module quiet zone the standard requires is part of the image,
painted white, so that whatever sits around it the code keeps its margin. The SVG
has a ``viewBox`` in modules and no size of its own: the caller's CSS gives it one
(or ``module_mm`` does).
"""
import re
from functools import lru_cache

import qrcode
from markupsafe import Markup
from qrcode.image.svg import SvgPathFillImage

__all__ = ["QUIET_ZONE", "RunPathImage", "qr_modules", "qr_svg"]

QUIET_ZONE = 4  # modules on each side (ISO/IEC 18004)
_SIZE_ATTRIBUTES = re.compile(r'\s(?:width|height)="[^"]*"')
# Every path is called "qr-path" by the library; a page of labels holds many QR codes.
_PATH_ID = re.compile(r'\sid="qr-path"')


class RunPathImage(SvgPathFillImage):
    """One ``<path>`` on a white square, drawing each horizontal run of dark modules as one rectangle.

    The library draws every module as its own square; WeasyPrint parses and paints each
    point, and a 190-character URL has ~1,700 dark modules in ~840 runs. Runs halve the path
    and the time spent drawing it, with exactly the same squares filled.
    """

    needs_drawrect = False

    def process(self):
        for row, modules in enumerate(self.modules):
            y = row + self.border
            col = 0
            while col < len(modules):
                if not modules[col]:
                    col += 1
                    continue
                start = col
                while col < len(modules) and modules[col]:
                    col += 1
                self._subpaths.append(f"M{start + self.border},{y}h{col - start}v1h-{col - start}z")
        super().process()


@lru_cache(maxsize=64)
def _code(url):
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=QUIET_ZONE,
                         image_factory=RunPathImage)
    code.add_data(url)
    code.make(fit=True)
    return code


@lru_cache(maxsize=64)
def _svg_text(url):
    return _code(url).make_image().to_string(encoding="unicode")


def qr_modules(url):
    """Return the QR's side in modules for ``url``, without the quiet zone (57 for a 190-character URL)."""
    return _code(url).modules_count


def qr_svg(url, module_mm=None):
    """Return ``url`` as an inline SVG QR code (quiet zone included), safe to print unescaped.

    :param module_mm: the printed size of one module; the SVG is then
        ``(modules + 8) * module_mm`` millimetres square. Without it, the SVG has
        no size and fills the box the caller's CSS gives it.
    """
    opening, rest = _svg_text(url).split(">", 1)
    opening = _SIZE_ATTRIBUTES.sub("", opening)  # the library's size: 1 mm per module
    if module_mm is not None:
        side = (qr_modules(url) + 2 * QUIET_ZONE) * module_mm
        opening += f' width="{side:.3f}mm" height="{side:.3f}mm"'
    # The URL never appears in the SVG (only squares drawn from it), so nothing in it can be markup.
    return Markup(opening.replace("<svg", '<svg class="qr"', 1) + ">" + _PATH_ID.sub("", rest, count=1))
