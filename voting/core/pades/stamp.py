"""The visible signature where Nghị định 30/2020 puts it: in the signer block's room, over the signature's place.

The stamp is two parts. Its fixed lines (who signs, for which authority, "Thời gian ký:") are laid out by
WeasyPrint with the document, in the document's own fonts, in a box of fixed size whose place the layout
reports (an anchor); the signature's widget covers that box and its appearance prints only the signing
time, in digits, in a standard PDF font. An appearance drawing Vietnamese text itself would embed a font
subset in every signature: measured here, 110 ms more per certificate, as much as the signature.
The appearance itself is :class:`voting.core.pades.signing.SigningTimeStyle`; this module has no pyHanko in
it, so that a web worker laying out a page does not import it.
"""
from dataclasses import dataclass
from zoneinfo import ZoneInfo

#: The stamp's box on the page, millimetres: room for three lines of 7.5 pt text and the time under them.
WIDTH_MM, HEIGHT_MM = 64, 17
#: The anchor (element id) that marks the box's top-left corner on page ``n`` (1-based) of a document.
ANCHOR = "chu-ky-so-{n}"
#: Padding inside the box, millimetres, where the fixed lines and the time start.
PADDING_MM = 1.5
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
PT_PER_MM = 72 / 25.4
#: What a template needs to draw the stamp's box where :func:`stamp_box` looks for it (templates/pdf/_official.html).
LAYOUT = {"anchor": ANCHOR, "width_mm": WIDTH_MM, "height_mm": HEIGHT_MM, "padding_mm": PADDING_MM}
PT_PER_CSS_PX = 0.75


@dataclass(frozen=True)
class StampLines:
    """The fixed lines of the stamp (plain values a template prints)."""

    signed_by: str  # the signing certificate's name
    authority: str  # the issuing authority's name
    #: The authority's seal image as a data: URI (a PNG the administrator uploaded), drawn over the stamp's left
    #: third as Nghị định 30/2020 places an organisation's signature; None: no seal image.
    seal: str | None = None

    @property
    def lines(self):
        return (f"Ký bởi: {self.signed_by}", f"Cơ quan: {self.authority}", "Thời gian ký:")


def shown_time(moment):
    """The signing time as the stamp prints it: Vietnam's time, day first, with its UTC offset (ISO 8601)."""
    local = moment.astimezone(VIETNAM)
    return local.strftime("%d/%m/%Y %H:%M:%S ") + local.strftime("%z")[:3] + ":" + local.strftime("%z")[3:]


def stamp_box(page, n):
    """The stamp's box on a laid-out WeasyPrint page, in PDF points ``(x1, y1, x2, y2)``; None when absent."""
    anchor = page.anchors.get(ANCHOR.format(n=n))
    if anchor is None:
        return None
    x, y = anchor[0] * PT_PER_CSS_PX, (page.height - anchor[1]) * PT_PER_CSS_PX
    return (round(x, 2), round(y - HEIGHT_MM * PT_PER_MM, 2), round(x + WIDTH_MM * PT_PER_MM, 2), round(y, 2))


def find_stamp(document):
    """``(page index, box)`` of a laid-out document's one stamp (anchor ``n=1``), or None."""
    for index, page in enumerate(document.pages):
        box = stamp_box(page, 1)
        if box is not None:
            return index, box
    return None
