"""Packaging labels (nhãn dán bao bì): an A4 sheet of stickers carrying the verification QR.

Each label shows "Sản phẩm CNNT tiêu biểu <level> năm <year>", the product's name (shortened
with an ellipsis when too long), the certificate's status as the pages show it (colour, icon and word:
:mod:`certificates.documents.status_marks`), its number and the QR code of the verification URL. Labels are
printed for a valid certificate only (the view refuses the others), and the line under the status sends the
reader to the QR for the status of the day.

The sheet is a common die-cut stock: **A4, 3 × 8 = 24 labels of 70 × 37 mm** with no gaps, the
columns filling the width (3 × 70 = 210 mm) and 0.5 mm above and below (8 × 37 = 296 mm): Avery
Zweckform 3474, Herma 4453 and the unbranded "A4 24-up 70×37" decal sheets sold in Vietnam.
It is the smallest common stock whose labels hold a QR of a whole verification URL with modules of
at least 0.4 mm (what an ordinary phone camera reads reliably from a hand-held package) *and* room
for the product's name beside it. Print at 100 % ("Actual size", never "Fit to page"): positions
are absolute millimetres from the sheet's edge (``@page`` A4, margin 0).

Module size. The verification URL is ``PUBLIC_BASE_URL + "/v/" + token``, the token 150-170
characters of base64url; a realistic 190-character URL needs QR version 10 at error correction M
(181-213 bytes): 57 modules, 65 with the 4-module quiet zone on each side. At 0.4 mm that is
65 × 0.4 = **26.0 mm square**. A label gives the QR a square of its height or half its width,
whichever is smaller, less 2 mm from the cut on each side (die-cut tolerance; the quiet zone is
inside the square), and the other half to the text; so the smallest label meeting 0.4 mm is
**60 × 30 mm** (26 + 2 × 2 = 30 mm high). On 70 × 37 mm the QR gets min(37, 35) − 4 = 31 mm:
31 / 65 = **0.47 mm** modules, and 0.4 mm holds for URLs up to 331 characters (version 13). The
popular 4 × 10 sheet of 48.5 × 25.4 mm would give (24.25 − 4) / 65 = 0.31 mm and is refused, and
so are 38.1 × 21.2 mm labels. A URL of up to 180 characters (version 9, 61 modules) needs a
24.4 mm square, so labels of 57 × 28.4 mm.

The sheet has no margin, and most printers leave 3-5 mm unprinted at the paper's edge: the text
keeps 4 mm from the label's left cut and 3 mm from the top and bottom, and the QR's dark modules
are 2 mm + the quiet zone (1.9 mm) from the right cut.

:func:`module_mm` computes the module size for a layout and a URL; :func:`label_sheet` refuses a
layout below :data:`MIN_MODULE_MM` rather than print codes phones cannot read.
"""
import math
from dataclasses import dataclass

from certificates.documents.qr import QUIET_ZONE, qr_image, qr_modules
from certificates.documents.status_marks import STATUS_MARKS, status_icon
from voting.core.pdf import render_pdf

__all__ = ["A4_3X8", "MIN_MODULE_MM", "LabelLayout", "label_sheet", "label_sheet_context", "module_mm",
           "shorten"]

TEMPLATE = "certificates/pdf/labels.html"
MIN_MODULE_MM = 0.4
#: Longer product names are cut at a word with "…" (the CSS also stops the name at four lines).
PRODUCT_CHARS = 70


@dataclass(frozen=True, kw_only=True)
class LabelLayout:
    """A sheet of die-cut labels: ``columns`` × ``rows`` labels of ``width`` × ``height`` mm.

    ``left``/``top`` place the first label from the sheet's top-left corner; ``gap_x``/``gap_y``
    separate labels; ``padding`` keeps the QR square (quiet zone included) from the cut line, and
    ``text_left``/``text_top`` keep the text from the left and from the top and bottom cuts.
    """

    name: str
    columns: int
    rows: int
    width: float
    height: float
    left: float = 0.0
    top: float = 0.0
    gap_x: float = 0.0
    gap_y: float = 0.0
    padding: float = 2.0
    text_left: float = 4.0
    text_top: float = 3.0

    @property
    def count(self):
        return self.columns * self.rows

    @property
    def qr_box(self):
        """The side (mm) of the square the QR, quiet zone included, may fill: the label's height."""
        return min(self.height, self.width / 2) - 2 * self.padding


A4_3X8 = LabelLayout(name="A4 3 × 8, 70 × 37 mm (Avery Zweckform 3474, Herma 4453)",
                     columns=3, rows=8, width=70, height=37, top=0.5)


def module_mm(url, layout=A4_3X8):
    """The printed size of one QR module (mm) for ``url`` on ``layout``, rounded down to 0.01 mm."""
    return math.floor(layout.qr_box / (qr_modules(url) + 2 * QUIET_ZONE) * 100) / 100


def shorten(text, limit=PRODUCT_CHARS):
    """``text`` cut to at most ``limit`` characters at a word boundary, ending with "…" when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    if " " in cut and not text[limit - 1].isspace():
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:-–") + "…"


def _mm(value):
    return f"{value:.2f}mm"


def label_sheet_context(doc, layout=A4_3X8):
    """The template's values: where each label goes (mm), what it says, and the QR at its printed size.

    :raise ValueError: the layout's labels are too small for this URL's QR at 0.4 mm modules.
    """
    module = module_mm(doc.verify_url, layout)
    if module < MIN_MODULE_MM:
        raise ValueError(f"{layout.name}: QR modules of {module:.2f} mm, below {MIN_MODULE_MM} mm")
    side = (qr_modules(doc.verify_url) + 2 * QUIET_ZONE) * module
    positions = [(_mm(layout.left + col * (layout.width + layout.gap_x)),
                  _mm(layout.top + row * (layout.height + layout.gap_y)))
                 for row in range(layout.rows) for col in range(layout.columns)]
    return {
        "positions": positions,
        "width": _mm(layout.width), "height": _mm(layout.height), "padding": _mm(layout.padding),
        "text_left": _mm(layout.text_left), "text_top": _mm(layout.text_top),
        "text_width": _mm(layout.width - layout.text_left - side - 2 * layout.padding),
        "qr_top": _mm((layout.height - side) / 2),
        "kind": f"Sản phẩm CNNT tiêu biểu {doc.level_label} năm {doc.year}",
        "product": shorten(doc.product_name),
        "number": doc.number,
        "qr": qr_image(doc.verify_url, module),
        "status": STATUS_MARKS["valid"],
        "status_icon": status_icon(STATUS_MARKS["valid"], "2.3mm"),
    }


def label_sheet(doc, layout=A4_3X8):
    """Render one A4 sheet of ``layout`` labels for the certificate ``doc`` (a :class:`CertificateDoc`)."""
    return render_pdf(TEMPLATE, label_sheet_context(doc, layout))
