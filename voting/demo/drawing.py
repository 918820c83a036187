"""Drawing helpers shared by the demo's photos and papers: fonts, text wrapping, colours.

Pillow only; fonts are DejaVu (it covers Vietnamese) when the system has it.
"""
import unicodedata
from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

_FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/local/share/fonts")


@lru_cache(maxsize=None)
def font(size, bold=False, serif=False, italic=False):
    """DejaVu at ``size`` px (it covers Vietnamese); Pillow's own font if DejaVu is missing."""
    family = "DejaVuSerif" if serif else "DejaVuSans"
    style = ("-Bold" if bold else "") + (("Italic" if serif else "Oblique") if italic else "")
    name = f"{family}{'-' + style.lstrip('-') if style else ''}.ttf"
    for folder in _FONT_DIRS:
        path = Path(folder) / name
        if path.is_file():
            return ImageFont.truetype(str(path), size)
    try:
        return ImageFont.truetype(name, size)  # Pillow searches the system's font folders
    except OSError:
        return ImageFont.load_default(size)


def composed(text):
    """Return ``text`` in NFC, each Vietnamese letter one code point, as the fonts draw it best."""
    return unicodedata.normalize("NFC", text)


def wrap(draw, text, face, width):
    """Split ``text`` into lines no wider than ``width`` pixels."""
    lines, line = [], ""
    for word in composed(text).split():
        candidate = f"{line} {word}".strip()
        if line and draw.textlength(candidate, font=face) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    if line:
        lines.append(line)
    return lines


def fit(draw, text, width, size, minimum, **style):
    """The largest font from ``size`` down to ``minimum`` that fits ``text`` on one line."""
    while size > minimum and draw.textlength(text, font=font(size, **style)) > width:
        size -= 2
    return font(size, **style)


def rgb(value):
    """Return the ``(r, g, b)`` of a ``"#rrggbb"`` colour."""
    value = value.lstrip("#")
    return tuple(int(value[i:i + 2], 16) for i in (0, 2, 4))


def mix(a, b, t):
    """Return the colour a share ``t`` of the way from ``a`` to ``b``."""
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def darker(c, t=0.25):
    return mix(c, (0, 0, 0), t)


def lighter(c, t=0.35):
    return mix(c, (255, 255, 255), t)

