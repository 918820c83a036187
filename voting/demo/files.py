"""Generated files for the demo dataset: product photos and dossier documents.

Everything is drawn with Pillow, so seeding needs neither network nor
WeasyPrint: photos are 800×600 JPEGs (a gradient backdrop, the product drawn
from simple shapes, its name in a font that covers Vietnamese); documents are
one-page A4 "scans" of the papers a dossier carries (registration copy,
food-safety certificate, test report, award), saved as PDF or JPEG. Every
file says on its face that it is an illustration (ảnh / tài liệu minh họa),
so that no one mistakes a demo document for a real one.

Output is deterministic: the same inputs give the same bytes (fixed PDF dates,
no randomness). Files are stored and recorded through the real upload path
(:mod:`voting.core.uploads` checks, storage, thumbnails, then
:func:`voting.operations.products.add_product_file`).
"""
import io
import math
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

from voting.operations.products import add_product_file
from voting.core.text import fold
from voting.core.storage import storage
from voting.core.uploads import check_document, check_photo, delete_stored, make_thumbnail, store

PHOTO_SIZE = (800, 600)
A4_PORTRAIT = (794, 1123)  # 96 dpi
A4_LANDSCAPE = (1123, 794)
_DPI = 96.0
_FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/local/share/fonts")
# A fixed date keeps PDF bytes (and so their sha256) the same from run to run.
_PDF_DATE = time.gmtime(1767225600)  # 2026-01-01 00:00 UTC

ANGLES = ("Chính diện", "Góc nghiêng", "Cận cảnh bao bì")
ILLUSTRATION = "ẢNH MINH HỌA · DỮ LIỆU TRÌNH DIỄN"
NOT_A_DOCUMENT = "TÀI LIỆU MINH HỌA – KHÔNG CÓ GIÁ TRỊ PHÁP LÝ"


# --- fonts and text -------------------------------------------------------------------------


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


def _nfc(text):
    return unicodedata.normalize("NFC", text)


def _wrap(draw, text, face, width):
    """Split ``text`` into lines no wider than ``width`` pixels."""
    lines, line = [], ""
    for word in _nfc(text).split():
        candidate = f"{line} {word}".strip()
        if line and draw.textlength(candidate, font=face) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    if line:
        lines.append(line)
    return lines


def _fit(draw, text, width, size, minimum, **style):
    """The largest font from ``size`` down to ``minimum`` that fits ``text`` on one line."""
    while size > minimum and draw.textlength(text, font=font(size, **style)) > width:
        size -= 2
    return font(size, **style)


def slug(text):
    return "-".join(fold(text).replace("/", " ").split()) or "tep"


# --- colours --------------------------------------------------------------------------------


def _rgb(value):
    value = value.lstrip("#")
    return tuple(int(value[i:i + 2], 16) for i in (0, 2, 4))


def _mix(a, b, t):
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def _darker(c, t=0.25):
    return _mix(c, (0, 0, 0), t)


def _lighter(c, t=0.35):
    return _mix(c, (255, 255, 255), t)


# --- product photos -------------------------------------------------------------------------

#: Product kind -> (shape, backdrop top, backdrop bottom, product colour, accent).
KIND_STYLES = {
    "mien_dong": ("bag", "#f6ecd9", "#c9a46a", "#8c5a2b", "#7a4a1f"),
    "mi_gao": ("bag", "#f8f3e6", "#d8c49b", "#b23a2a", "#efe3c4"),
    "bun_kho": ("bag", "#eef4f7", "#a9c1cf", "#2d6a8a", "#f4f1ea"),
    "pho_kho": ("bag", "#f5f1e8", "#c7b79a", "#c0612b", "#f6f0e0"),
    "nghe": ("jar", "#fff6da", "#e3b23c", "#f2a900", "#7a4b00"),
    "my_pham": ("jar", "#fbeef0", "#d9a3ad", "#f4c542", "#6b2d3a"),
    "mat_ong": ("jar", "#fff4d6", "#d99a28", "#d98e04", "#5b3a00"),
    "che": ("box", "#e6f1dc", "#7fa66a", "#2e6b3a", "#d8c27a"),
    "mac_ca": ("box", "#f2e8dc", "#a8825a", "#7a4b2a", "#e9d3a8"),
    "ca_cao": ("box", "#efe1d5", "#6f4630", "#4a2c1d", "#d9a86c"),
    "com_chay": ("box", "#fff1d8", "#e0a458", "#c0392b", "#f6d36b"),
    "ruou": ("bottle", "#efe7dc", "#8a6d53", "#e8dcc0", "#7b1e1e"),
    "may_tre": ("basket", "#eef3e6", "#9bb07a", "#c89b5a", "#8a6232"),
    "gom": ("vase", "#f5e9dd", "#b7835d", "#b5532f", "#f0d9b5"),
    "tam_lop": ("panel", "#e7eef3", "#8aa3b5", "#3d6e8f", "#f1e3a0"),
    "may_nn": ("machine", "#eaeff1", "#8c9ba5", "#d35400", "#4d5656"),
}
_DEFAULT_STYLE = ("box", "#eeeeee", "#9e9e9e", "#607d8b", "#ffffff")
#: Shape -> (width, height) of one item at angle 1.
_SHAPE_SIZES = {
    "bag": (230, 300), "jar": (200, 250), "bottle": (120, 330), "box": (250, 210),
    "vase": (200, 300), "basket": (290, 210), "panel": (440, 190), "machine": (330, 250),
}


@lru_cache(maxsize=128)  # the bytes depend on the arguments only: a second seed reuses them
def product_photo(name, kind, producer_name, angle, set_size=1):
    """Return the JPEG bytes of photo ``angle`` (1, 2 or 3) of a product."""
    shape, top, bottom, colour, accent = KIND_STYLES.get(kind, _DEFAULT_STYLE)
    top, bottom, colour, accent = map(_rgb, (top, bottom, colour, accent))
    width, height = PHOTO_SIZE
    img = Image.composite(Image.new("RGB", PHOTO_SIZE, bottom), Image.new("RGB", PHOTO_SIZE, top), _backdrop(angle))
    draw = ImageDraw.Draw(img, "RGBA")
    horizon = 380 if angle != 3 else 420
    draw.rectangle([0, horizon, width, height], fill=(*_darker(bottom, 0.15), 110))

    w, h = _SHAPE_SIZES[shape]
    scale = {1: 1.0, 2: 0.95, 3: 1.4}[angle]
    count = 1 if angle == 3 else max(1, min(set_size, 3))  # a close-up shows one item of a set
    if count > 1:
        scale *= 0.72
    w, h = w * scale, h * scale
    base = horizon + 40 if angle != 3 else horizon + 90
    centre_x = {1: 400, 2: 450, 3: 400}[angle]
    step = w * 1.05
    for i in range(count):
        cx = centre_x + (i - (count - 1) / 2) * step
        item = 1 - 0.12 * abs(i - (count - 1) / 2)  # the middle item of a set is the largest
        iw, ih = w * item, h * item
        draw.ellipse([cx - iw * 0.6, base - 18, cx + iw * 0.6, base + 18], fill=(0, 0, 0, 55))
        _SHAPES[shape](draw, cx, base - ih / 2, iw, ih, colour, accent, angle)

    # The caption band: product and producer, then the angle and the demo label.
    draw.rectangle([0, height - 104, width, height], fill=(255, 255, 255, 215))
    title = _nfc(name)
    draw.text((28, height - 92), title, font=_fit(draw, title, width - 56, 34, 18, bold=True), fill=(33, 33, 33))
    draw.text((28, height - 42), _nfc(producer_name), font=_fit(draw, producer_name, width - 56, 20, 12),
              fill=(90, 90, 90))
    chip = f"Ảnh {angle}/3 · {ANGLES[angle - 1]}"
    chip_font = font(18, bold=True)
    chip_w = draw.textlength(chip, font=chip_font)
    draw.rounded_rectangle([20, 18, 44 + chip_w, 54], radius=16, fill=(0, 0, 0, 140))
    draw.text((32, 25), chip, font=chip_font, fill=(255, 255, 255))
    label_font = font(13)
    label_w = draw.textlength(ILLUSTRATION, font=label_font)
    draw.text((width - 20 - label_w, 28), ILLUSTRATION, font=label_font, fill=(60, 60, 60, 190))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=85, optimize=False)
    return out.getvalue()


@lru_cache(maxsize=3)
def _backdrop(angle):
    """The gradient mask of a photo: top to bottom, side to side, or a spotlight for a close-up."""
    if angle == 3:
        mask = Image.radial_gradient("L")
    else:
        mask = Image.linear_gradient("L")
        if angle == 2:
            mask = mask.transpose(Image.Transpose.ROTATE_90)
    return mask.resize(PHOTO_SIZE, Image.Resampling.BILINEAR)


def _label(draw, box, colour, text=None, size=16):
    draw.rounded_rectangle(box, radius=8, fill=colour)
    if text:
        face = font(size, bold=True)
        x0, y0, x1, y1 = box
        tw = draw.textlength(text, font=face)
        draw.text(((x0 + x1 - tw) / 2, (y0 + y1) / 2 - size * 0.6), text, font=face, fill=(60, 40, 20))


def _bag(draw, cx, cy, w, h, colour, accent, angle):
    x0, y0, x1, y1 = cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2
    crimp = h * 0.08
    draw.rounded_rectangle([x0, y0 + crimp, x1, y1], radius=w * 0.07, fill=colour)
    teeth = 12
    points = [(x0 + w * i / teeth, y0 + (0 if i % 2 else crimp * 0.6)) for i in range(teeth + 1)]
    draw.polygon([*points, (x1, y0 + crimp * 1.6), (x0, y0 + crimp * 1.6)], fill=_darker(colour, 0.2))
    wx0, wy0, wx1, wy1 = x0 + w * 0.15, y0 + h * 0.25, x1 - w * 0.15, y0 + h * 0.62
    draw.rounded_rectangle([wx0, wy0, wx1, wy1], radius=w * 0.1, fill=(246, 238, 220))
    strand = _mix(colour, (255, 255, 255), 0.35)
    for i in range(9):  # the noodles behind the window
        y = wy0 + 10 + i * (wy1 - wy0 - 20) / 8
        points = [(wx0 + 8 + t * (wx1 - wx0 - 16) / 20, y + 4 * math.sin(t * 0.9 + i)) for t in range(21)]
        draw.line(points, fill=strand, width=3)
    _label(draw, [x0 + w * 0.12, y0 + h * 0.7, x1 - w * 0.12, y0 + h * 0.86], accent, "500 g", 15)


def _jar(draw, cx, cy, w, h, colour, accent, angle):
    x0, y0, x1, y1 = cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2
    draw.rounded_rectangle([x0 + w * 0.12, y0, x1 - w * 0.12, y0 + h * 0.16], radius=6, fill=accent)
    draw.rounded_rectangle([x0, y0 + h * 0.14, x1, y1], radius=w * 0.16, fill=colour)
    draw.rounded_rectangle([x0 + w * 0.1, y0 + h * 0.22, x0 + w * 0.2, y1 - h * 0.12], radius=6,
                           fill=(*_lighter(colour, 0.5), 170))
    _label(draw, [x0 + w * 0.08, y0 + h * 0.45, x1 - w * 0.08, y0 + h * 0.72], (250, 246, 232))
    draw.ellipse([cx - w * 0.1, y0 + h * 0.5, cx + w * 0.1, y0 + h * 0.5 + w * 0.2], outline=accent, width=3)


def _bottle(draw, cx, cy, w, h, colour, accent, angle):
    x0, y0, x1, y1 = cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2
    neck = w * 0.32
    draw.rectangle([cx - neck / 2, y0, cx + neck / 2, y0 + h * 0.07], fill=accent)
    draw.rectangle([cx - neck / 2, y0 + h * 0.07, cx + neck / 2, y0 + h * 0.3], fill=_lighter(colour, 0.3))
    draw.polygon([(cx - neck / 2, y0 + h * 0.3), (cx + neck / 2, y0 + h * 0.3), (x1, y0 + h * 0.42),
                  (x0, y0 + h * 0.42)], fill=_lighter(colour, 0.3))
    draw.rounded_rectangle([x0, y0 + h * 0.4, x1, y1], radius=w * 0.12, fill=_lighter(colour, 0.3))
    draw.rounded_rectangle([x0 + 6, y0 + h * 0.5, x1 - 6, y1 - 6], radius=w * 0.1, fill=colour)
    _label(draw, [x0 + 8, y0 + h * 0.58, x1 - 8, y0 + h * 0.78], accent)
    draw.rectangle([x0 + w * 0.14, y0 + h * 0.44, x0 + w * 0.22, y1 - h * 0.06], fill=(255, 255, 255, 120))


def _box(draw, cx, cy, w, h, colour, accent, angle):
    depth = w * (0.28 if angle == 2 else 0.12)
    x0, y0, x1, y1 = cx - w / 2, cy - h / 2 + depth * 0.5, cx + w / 2 - depth, cy + h / 2
    draw.polygon([(x0, y0), (x0 + depth, y0 - depth * 0.5), (x1 + depth, y0 - depth * 0.5), (x1, y0)],
                 fill=_lighter(colour, 0.25))
    draw.polygon([(x1, y0), (x1 + depth, y0 - depth * 0.5), (x1 + depth, y1 - depth * 0.5), (x1, y1)],
                 fill=_darker(colour, 0.25))
    draw.rectangle([x0, y0, x1, y1], fill=colour)
    r = min(x1 - x0, y1 - y0) * 0.28
    mx, my = (x0 + x1) / 2, (y0 + y1) / 2
    draw.ellipse([mx - r, my - r, mx + r, my + r], fill=accent)
    draw.ellipse([mx - r * 0.7, my - r * 0.7, mx + r * 0.7, my + r * 0.7], outline=colour, width=3)
    draw.rectangle([x0, y1 - (y1 - y0) * 0.16, x1, y1 - (y1 - y0) * 0.08], fill=accent)


def _vase_profile(t):
    """Half-width of a vase at height ``t`` (0 top .. 1 bottom), as a share of its width."""
    return 0.22 + 0.28 * math.sin(math.pi * min(1, t * 1.15)) ** 1.4 if t > 0.12 else 0.26 - t * 0.5


def _vase(draw, cx, cy, w, h, colour, accent, angle):
    y0 = cy - h / 2
    steps = 24
    left = [(cx - w * _vase_profile(i / steps), y0 + h * i / steps) for i in range(steps + 1)]
    right = [(2 * cx - x, y) for x, y in reversed(left)]
    draw.polygon(left + right, fill=colour)
    draw.ellipse([cx - w * 0.26, y0 - 8, cx + w * 0.26, y0 + 10], fill=_darker(colour, 0.35))
    for t in (0.38, 0.46, 0.72):  # painted bands
        y = y0 + h * t
        half = w * _vase_profile(t)
        draw.line([(cx - half + 4, y), (cx + half - 4, y)], fill=accent, width=5)
    y = y0 + h * 0.58
    half = w * _vase_profile(0.58)
    for i in range(7):
        x = cx - half * 0.8 + i * half * 1.6 / 6
        draw.polygon([(x, y - 12), (x + 9, y), (x, y + 12), (x - 9, y)], fill=accent)
    draw.line([(cx - w * 0.3, y0 + h * 0.3), (cx - w * 0.34, y0 + h * 0.75)], fill=(*_lighter(colour, 0.4), 140),
              width=6)


def _basket(draw, cx, cy, w, h, colour, accent, angle):
    x0, y0, x1, y1 = cx - w / 2, cy - h / 2 + h * 0.25, cx + w / 2, cy + h / 2
    draw.arc([cx - w * 0.35, cy - h / 2 - h * 0.1, cx + w * 0.35, y0 + h * 0.3], 180, 360, fill=accent, width=9)
    inset = w * 0.12
    draw.polygon([(x0, y0), (x1, y0), (x1 - inset, y1), (x0 + inset, y1)], fill=colour)
    rows = 7
    for i in range(1, rows):
        y = y0 + (y1 - y0) * i / rows
        shrink = inset * i / rows
        draw.line([(x0 + shrink, y), (x1 - shrink, y)], fill=accent, width=3)
    for i in range(1, 12):
        t = i / 12
        draw.line([(x0 + w * t, y0), (x0 + inset + (w - 2 * inset) * t, y1)], fill=_darker(colour, 0.15), width=3)
    draw.ellipse([x0 - 4, y0 - h * 0.07, x1 + 4, y0 + h * 0.07], outline=accent, width=8)


def _panel(draw, cx, cy, w, h, colour, accent, angle):
    sheets = 3
    sheet_h = h / sheets
    skew = w * (0.18 if angle == 2 else 0.1)
    for s in range(sheets):
        top = cy + h / 2 - (s + 1) * sheet_h
        x0, x1 = cx - w / 2 + s * 6, cx + w / 2 - skew + s * 6
        face = [(x0, top + sheet_h * 0.35), (x1, top + sheet_h * 0.35), (x1 + skew, top),
                (x0 + skew, top)]
        draw.polygon(face, fill=_lighter(colour, 0.1 * s))
        for i in range(1, 14):  # the corrugation ribs
            t = i / 14
            xa, xb = x0 + (x1 - x0) * t, x0 + skew + (x1 - x0) * t
            draw.line([(xa, top + sheet_h * 0.35), (xb, top)], fill=_darker(colour, 0.25), width=4)
        draw.rectangle([x0, top + sheet_h * 0.35, x1, top + sheet_h * 0.62], fill=accent)  # insulating core
        draw.rectangle([x0, top + sheet_h * 0.62, x1, top + sheet_h * 0.74], fill=(205, 210, 214))  # foil
        draw.polygon([(x1, top + sheet_h * 0.35), (x1 + skew, top), (x1 + skew, top + sheet_h * 0.39),
                      (x1, top + sheet_h * 0.74)], fill=_darker(colour, 0.35))


def _machine(draw, cx, cy, w, h, colour, accent, angle):
    x0, y0, x1, y1 = cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2
    body_top, body_bottom = y0 + h * 0.3, y1 - h * 0.16
    draw.polygon([(x0 + w * 0.18, y0), (x0 + w * 0.62, y0), (x0 + w * 0.52, body_top),
                  (x0 + w * 0.28, body_top)], fill=(170, 178, 184))  # hopper
    draw.rounded_rectangle([x0, body_top, x1 - w * 0.2, body_bottom], radius=10, fill=colour)
    draw.rounded_rectangle([x1 - w * 0.26, body_top + h * 0.12, x1, body_bottom - h * 0.08], radius=14,
                           fill=accent)  # motor
    for i in range(4):
        y = body_top + h * 0.16 + i * 9
        draw.line([(x1 - w * 0.22, y), (x1 - w * 0.04, y)], fill=_darker(accent, 0.3), width=3)
    draw.polygon([(x0, body_bottom - h * 0.2), (x0 - w * 0.14, body_bottom - h * 0.02),
                  (x0 - w * 0.08, body_bottom + 4), (x0, body_bottom - h * 0.08)], fill=_darker(colour, 0.2))
    draw.rectangle([x0 + w * 0.08, body_top + h * 0.1, x0 + w * 0.42, body_top + h * 0.24], fill=(245, 245, 245))
    for wx in (x0 + w * 0.15, x1 - w * 0.35):
        r = h * 0.13
        draw.ellipse([wx - r, y1 - 2 * r, wx + r, y1], fill=(40, 40, 40))
        draw.ellipse([wx - r * 0.45, y1 - r * 1.45, wx + r * 0.45, y1 - r * 0.55], fill=(150, 150, 150))


_SHAPES = {"bag": _bag, "jar": _jar, "bottle": _bottle, "box": _box, "vase": _vase, "basket": _basket,
           "panel": _panel, "machine": _machine}


# --- documents ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentSpec:
    """What an official-looking paper says; laid out after Nghị định 30/2020/NĐ-CP."""

    issuer: str
    title: str
    number: str = ""
    parent: str = ""
    place_date: str = ""
    subtitle: str = ""
    lines: tuple = ()  # (label, value) pairs; label "" for a plain paragraph
    signer_capacity: str = ""
    signer_name: str = ""
    copy_stamp: bool = True  # "BẢN SAO": a certified copy, as the dossier asks
    landscape: bool = False
    blurred: bool = False  # a poor scan, for a dossier sent back


def document_image(spec):
    """Draw the page of ``spec`` and return it as an RGB image."""
    size = A4_LANDSCAPE if spec.landscape else A4_PORTRAIT
    width, height = size
    img = Image.new("RGB", size, (252, 251, 246))
    draw = ImageDraw.Draw(img, "RGBA")
    ink = (25, 25, 30)
    margin = 80 if spec.landscape else 70
    if spec.landscape:  # a ceremonial paper: a double decorative border
        draw.rectangle([24, 24, width - 24, height - 24], outline=(150, 30, 30), width=6)
        draw.rectangle([38, 38, width - 38, height - 38], outline=(190, 150, 60), width=2)
    left_x, right_x = margin + 150, width - margin - 172
    y = 60 if spec.landscape else 50

    # Top left: parent authority, issuer (bold), a short rule, the number.
    ly = y
    for text, face in ((spec.parent, font(13, serif=True)), (spec.issuer, font(14, bold=True, serif=True))):
        for part in _nfc(text).upper().split("\n"):
            for line in _wrap(draw, part, face, 320):
                draw.text((left_x, ly), line, font=face, fill=ink, anchor="ma")
                ly += 20
    if spec.issuer:
        draw.line([(left_x - 40, ly + 4), (left_x + 40, ly + 4)], fill=ink, width=1)
    if spec.number:
        draw.text((left_x, ly + 14), _nfc(spec.number), font=font(14, serif=True), fill=ink, anchor="ma")
    # Top right: the national motto, a rule, place and date in italics.
    ry = y
    draw.text((right_x, ry), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", font=font(14, bold=True, serif=True),
              fill=ink, anchor="ma")
    draw.text((right_x, ry + 21), "Độc lập - Tự do - Hạnh phúc", font=font(15, bold=True, serif=True),
              fill=ink, anchor="ma")
    draw.line([(right_x - 105, ry + 44), (right_x + 105, ry + 44)], fill=ink, width=1)
    if spec.place_date:
        draw.text((right_x, ry + 56), _nfc(spec.place_date), font=font(14, serif=True, italic=True),
                  fill=ink, anchor="ma")
    if spec.copy_stamp:
        draw.rectangle([width - margin - 78, 14, width - margin + 20, 44], outline=(200, 30, 30), width=3)
        draw.text((width - margin - 29, 18), "BẢN SAO", font=font(16, bold=True), fill=(200, 30, 30), anchor="ma")

    # The title, centred.
    y = max(ly, ry + 56) + 70
    title_font = font(40 if spec.landscape else 22, bold=True, serif=True)
    title_ink = (170, 25, 25) if spec.landscape else ink
    for line in _wrap(draw, _nfc(spec.title).upper(), title_font, width - 2 * margin):
        draw.text((width / 2, y), line, font=title_font, fill=title_ink, anchor="ma")
        y += title_font.size + 10
    if spec.subtitle:
        for line in _wrap(draw, spec.subtitle, font(16, serif=True, italic=True), width - 2 * margin):
            draw.text((width / 2, y + 4), line, font=font(16, serif=True, italic=True), fill=ink, anchor="ma")
            y += 24
    y += 34

    # The body: labelled lines, wrapped.
    body, bold = font(16, serif=True), font(16, bold=True, serif=True)
    text_width = width - 2 * margin - 20
    for label, value in spec.lines:
        if label:
            prefix = f"{_nfc(label)}: "
            draw.text((margin + 10, y), prefix, font=bold, fill=ink)
            indent = draw.textlength(prefix, font=bold)
            first, *rest = _wrap(draw, value, body, text_width - indent) or [""]
            draw.text((margin + 10 + indent, y), first, font=body, fill=ink)
            y += 27
            for line in _wrap(draw, " ".join(rest), body, text_width):
                draw.text((margin + 10, y), line, font=body, fill=ink)
                y += 27
        else:
            for line in _wrap(draw, value, body, text_width):
                draw.text((margin + 10, y), line, font=body, fill=ink)
                y += 27
        y += 4

    # Bottom right: the signer, a seal drawn as an illustration, the name.
    sy = max(y + 40, height - (300 if not spec.landscape else 250))
    if spec.signer_capacity:
        for line in _nfc(spec.signer_capacity).split("\n"):
            draw.text((right_x, sy), line.upper(), font=font(15, bold=True, serif=True), fill=ink, anchor="ma")
            sy += 22
    seal_y = sy + 55
    draw.ellipse([right_x - 70, seal_y - 55, right_x + 10, seal_y + 25], outline=(210, 40, 40, 200), width=4)
    draw.ellipse([right_x - 60, seal_y - 45, right_x, seal_y + 15], outline=(210, 40, 40, 160), width=2)
    draw.text((right_x - 30, seal_y - 22), "MINH\nHỌA", font=font(12, bold=True), fill=(210, 40, 40, 200),
              anchor="ma", align="center")
    signature = [(right_x - 5 + i * 6, seal_y - 12 + 10 * math.sin(i * 0.9) - i) for i in range(14)]
    draw.line(signature, fill=(20, 40, 140), width=2)
    if spec.signer_name:
        draw.text((right_x, sy + 110), _nfc(spec.signer_name), font=font(16, bold=True, serif=True), fill=ink,
                  anchor="ma")

    # The watermark that makes the paper harmless.
    mark = Image.new("L", (width + 200, 60), 0)
    ImageDraw.Draw(mark).text(((width + 200) / 2, 8), NOT_A_DOCUMENT, font=font(30, bold=True), fill=70,
                              anchor="ma")
    mark = mark.rotate(32 if not spec.landscape else 18, expand=True)
    position = ((width - mark.width) // 2, (height - mark.height) // 2)
    img.paste(Image.new("RGB", mark.size, (200, 60, 60)), position, mark)
    draw.text((width / 2, height - (56 if spec.landscape else 40)), "Tài liệu do hệ thống tạo ra để trình diễn CNNT Tiêu biểu.",
              font=font(11, italic=True), fill=(120, 120, 120), anchor="ma")
    if spec.blurred:
        img = img.filter(ImageFilter.BoxBlur(2))
    return img


@lru_cache(maxsize=64)
def document_pdf(spec):
    """Return a one-page PDF of ``spec``: a scan-like image page, with fixed dates."""
    out = io.BytesIO()
    document_image(spec).save(out, "PDF", resolution=_DPI, quality=70, title=_nfc(spec.title),
                              author="CNNT Tiêu biểu (dữ liệu minh họa)", creationDate=_PDF_DATE,
                              modDate=_PDF_DATE)
    return out.getvalue()


@lru_cache(maxsize=16)
def document_jpeg(spec):
    out = io.BytesIO()
    document_image(spec).save(out, "JPEG", quality=78)
    return out.getvalue()


# --- storing through the real upload path --------------------------------------------------


@dataclass
class PendingFile:
    """A file being drawn, checked and stored in the background, to be recorded later."""

    future: Future
    original_name: str
    kind: str
    document_type: str | None


class FileStore:
    """Check, store and record demo files as an upload would.

    Drawing, checking, storing and thumbnailing touch neither the database nor
    the request context, so worker threads do them while the seed goes on
    (password hashing, Pillow's codecs and ``fsync`` release the GIL): one
    thread draws and checks (FreeType faces are not shared between threads),
    two store and make thumbnails. The rows are recorded in the calling thread,
    in order, through ``add_product_file``. Used as a context manager: on
    failure, or for a file never recorded, the stored bytes are deleted again.
    """

    def __init__(self):
        from voting.views.files import upload_limits

        self.files = storage("uploads")  # thread-safe, unlike current_app in the workers
        self.limits = upload_limits()
        self.stored = set()
        self.recorded = set()
        self.photos = 0
        self.documents = 0
        self._lock = threading.Lock()
        self._draw = ThreadPoolExecutor(max_workers=1, thread_name_prefix="demo-draw")
        self._store = ThreadPoolExecutor(max_workers=2, thread_name_prefix="demo-store")

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, traceback):
        self._draw.shutdown(wait=True, cancel_futures=True)
        self._store.shutdown(wait=True)
        with self._lock:
            unwanted = self.stored if exc_type else self.stored - self.recorded
            for storage_name in unwanted:
                delete_stored(self.files, storage_name)
            self.stored -= unwanted
        return False

    def prepare(self, render, original_name, kind="photo", document_type=None):
        """Start drawing (``render()`` returns the bytes), checking and storing a file."""
        return PendingFile(self._draw.submit(self._check, render, kind), original_name, kind, document_type)

    # Worker threads from here: no application context, no database session.

    def _check(self, render, kind):
        data = render()
        stream = io.BytesIO(data)
        if kind == "photo":
            checked = check_photo(stream, max_bytes=self.limits["photo"], max_pixels=self.limits["pixels"])
        else:
            checked = check_document(stream, max_bytes=self.limits["document"], max_pixels=self.limits["pixels"])
        return self._store.submit(self._keep, data, checked)

    def _keep(self, data, checked):
        storage_name = store(io.BytesIO(data), checked, self.files)
        with self._lock:
            self.stored.add(storage_name)
        thumbnail = make_thumbnail(self.files, storage_name) if checked.kind == "image" else None
        return checked, storage_name, thumbnail

    def record(self, actor, product, pending):
        """Record a prepared file on the product's dossier, as an upload would."""
        checked, storage_name, thumbnail = pending.future.result().result()
        record = add_product_file(actor, product, checked, storage_name, thumbnail, pending.original_name,
                                  pending.kind, pending.document_type)
        self.recorded.add(storage_name)
        if pending.kind == "photo":
            self.photos += 1
        else:
            self.documents += 1
        return record

    def forget(self, record):
        """Delete the stored bytes of a file whose row was just removed."""
        delete_stored(self.files, record.storage_name)
        with self._lock:
            self.stored.discard(record.storage_name)
        self.recorded.discard(record.storage_name)
        if record.kind == "photo":
            self.photos -= 1
        else:
            self.documents -= 1
