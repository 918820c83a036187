"""A certificate's status on paper as on the pages: the same colour, icon and word (issue 19).

The pages draw each status as a badge (``.status-cert-*`` in static/css/app.css: colour, background, border
and a glyph before the word); a PDF draws the same badge from :data:`STATUS_MARKS`, its icon an inline SVG
drawing of the page's glyph, since the bundled fonts have none of ✓ ✕ ↻ ⚠ (tests/certificates/
test_status_marks.py checks these values against the stylesheet and the words against the pages' labels).
Documents are in Vietnamese whatever the UI language, so the words here are not translated.
"""
from dataclasses import dataclass

from markupsafe import Markup, escape

__all__ = ["STAMPED", "STATUS_MARKS", "StatusMark", "status_icon"]


@dataclass(frozen=True, kw_only=True)
class StatusMark:
    """How one status looks: ``colour`` on ``background`` within a ``border_style`` border of ``border``,
    ``icon`` (SVG path data in a 16 × 16 box, stroked) before ``word``; ``tint`` is the light shade a
    stamp across a page is printed in, so that the text under it stays legible."""

    status: str
    word: str
    colour: str
    background: str
    border: str
    border_style: str
    tint: str
    icon: str


_CHECK = "M3 8.5 6.5 12 13 4"
_BANG = "M8 2.5V9.5M8 13v.2"
_PAUSE = "M5.5 3v10M10.5 3v10"
_CROSS = "M4 4l8 8M12 4l-8 8"
_CYCLE = "M12.6 9.2A4.8 4.8 0 1 1 11 4.6M11.6 1.6 11 4.6 8 4.2"
_QUESTION = "M5.6 5.8A2.5 2.5 0 1 1 8 8.4V10M8 13v.2"
_WARNING = "M8 2 14.5 13.5h-13zM8 6.5v3.2M8 11.8v.2"

STATUS_MARKS = {mark.status: mark for mark in (
    StatusMark(status="valid", word="Còn hiệu lực", colour="#1c5e36", background="#e7f2ea", border="#1c5e36",
               border_style="solid", tint="#cfe6d6", icon=_CHECK),
    StatusMark(status="expired", word="Hết hạn", colour="#6b4b00", background="#fff4d6", border="#6b4b00",
               border_style="dashed", tint="#efe0b4", icon=_BANG),
    StatusMark(status="suspended", word="Tạm đình chỉ", colour="#7a3d00", background="#fde9d3", border="#7a3d00",
               border_style="solid", tint="#f6d8bb", icon=_PAUSE),
    StatusMark(status="revoked", word="Đã thu hồi", colour="#ffffff", background="#8a1a20", border="#8a1a20",
               border_style="solid", tint="#f2d4d4", icon=_CROSS),
    StatusMark(status="superseded", word="Đã được thay thế", colour="#0d4a7a", background="#e6f0f8",
               border="#0d4a7a", border_style="solid", tint="#d3e3f1", icon=_CYCLE),
    StatusMark(status="unstated", word="Không ghi thời hạn", colour="#5c574f", background="#faf9f6",
               border="#5c574f", border_style="dotted", tint="#e4e1dc", icon=_QUESTION),
    StatusMark(status="forged", word="Không hợp lệ", colour="#ffffff", background="#1f1d1a", border="#1f1d1a",
               border_style="solid", tint="#dcdad6", icon=_WARNING),
)}

#: The statuses a public copy is stamped with: those of a certificate that no longer stands.
STAMPED = ("revoked", "suspended", "superseded", "expired")


def status_icon(mark, size, colour=None):
    """The status's icon as inline SVG, ``size`` (a CSS length) square, stroked in ``colour`` (its own by default).

    Only our own constants go into it, escaped all the same: it is safe to print unescaped.
    """
    stroke = escape(colour or mark.colour)
    return Markup(
        f'<svg class="status-icon" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16" '
        f'width="{escape(size)}" height="{escape(size)}" aria-hidden="true"><path d="{escape(mark.icon)}" '
        f'fill="none" stroke="{stroke}" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round"/></svg>')
