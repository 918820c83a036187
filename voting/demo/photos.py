"""Drawn product photos for the demo: 800×600 JPEGs, one product kind a style.

A gradient backdrop, the product drawn from simple shapes (a bag, a jar, a
bottle, a box, a vase, a basket, panels, a machine), its name and producer in
a caption band, and a label saying it is an illustration (ảnh minh họa).
The same arguments give the same bytes.
"""
import io
import math
from functools import lru_cache

from PIL import Image, ImageDraw

from voting.demo.drawing import composed, darker, fit, font, lighter, mix, rgb

PHOTO_SIZE = (800, 600)
ANGLES = ("Chính diện", "Góc nghiêng", "Cận cảnh bao bì")
ILLUSTRATION = "ẢNH MINH HỌA · DỮ LIỆU TRÌNH DIỄN"

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
    top, bottom, colour, accent = map(rgb, (top, bottom, colour, accent))
    width, height = PHOTO_SIZE
    img = Image.composite(Image.new("RGB", PHOTO_SIZE, bottom), Image.new("RGB", PHOTO_SIZE, top), _backdrop(angle))
    draw = ImageDraw.Draw(img, "RGBA")
    horizon = 380 if angle != 3 else 420
    draw.rectangle([0, horizon, width, height], fill=(*darker(bottom, 0.15), 110))

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
    title = composed(name)
    draw.text((28, height - 92), title, font=fit(draw, title, width - 56, 34, 18, bold=True), fill=(33, 33, 33))
    draw.text((28, height - 42), composed(producer_name), font=fit(draw, producer_name, width - 56, 20, 12),
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
    draw.polygon([*points, (x1, y0 + crimp * 1.6), (x0, y0 + crimp * 1.6)], fill=darker(colour, 0.2))
    wx0, wy0, wx1, wy1 = x0 + w * 0.15, y0 + h * 0.25, x1 - w * 0.15, y0 + h * 0.62
    draw.rounded_rectangle([wx0, wy0, wx1, wy1], radius=w * 0.1, fill=(246, 238, 220))
    strand = mix(colour, (255, 255, 255), 0.35)
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
                           fill=(*lighter(colour, 0.5), 170))
    _label(draw, [x0 + w * 0.08, y0 + h * 0.45, x1 - w * 0.08, y0 + h * 0.72], (250, 246, 232))
    draw.ellipse([cx - w * 0.1, y0 + h * 0.5, cx + w * 0.1, y0 + h * 0.5 + w * 0.2], outline=accent, width=3)


def _bottle(draw, cx, cy, w, h, colour, accent, angle):
    x0, y0, x1, y1 = cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2
    neck = w * 0.32
    draw.rectangle([cx - neck / 2, y0, cx + neck / 2, y0 + h * 0.07], fill=accent)
    draw.rectangle([cx - neck / 2, y0 + h * 0.07, cx + neck / 2, y0 + h * 0.3], fill=lighter(colour, 0.3))
    draw.polygon([(cx - neck / 2, y0 + h * 0.3), (cx + neck / 2, y0 + h * 0.3), (x1, y0 + h * 0.42),
                  (x0, y0 + h * 0.42)], fill=lighter(colour, 0.3))
    draw.rounded_rectangle([x0, y0 + h * 0.4, x1, y1], radius=w * 0.12, fill=lighter(colour, 0.3))
    draw.rounded_rectangle([x0 + 6, y0 + h * 0.5, x1 - 6, y1 - 6], radius=w * 0.1, fill=colour)
    _label(draw, [x0 + 8, y0 + h * 0.58, x1 - 8, y0 + h * 0.78], accent)
    draw.rectangle([x0 + w * 0.14, y0 + h * 0.44, x0 + w * 0.22, y1 - h * 0.06], fill=(255, 255, 255, 120))


def _box(draw, cx, cy, w, h, colour, accent, angle):
    depth = w * (0.28 if angle == 2 else 0.12)
    x0, y0, x1, y1 = cx - w / 2, cy - h / 2 + depth * 0.5, cx + w / 2 - depth, cy + h / 2
    draw.polygon([(x0, y0), (x0 + depth, y0 - depth * 0.5), (x1 + depth, y0 - depth * 0.5), (x1, y0)],
                 fill=lighter(colour, 0.25))
    draw.polygon([(x1, y0), (x1 + depth, y0 - depth * 0.5), (x1 + depth, y1 - depth * 0.5), (x1, y1)],
                 fill=darker(colour, 0.25))
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
    draw.ellipse([cx - w * 0.26, y0 - 8, cx + w * 0.26, y0 + 10], fill=darker(colour, 0.35))
    for t in (0.38, 0.46, 0.72):  # painted bands
        y = y0 + h * t
        half = w * _vase_profile(t)
        draw.line([(cx - half + 4, y), (cx + half - 4, y)], fill=accent, width=5)
    y = y0 + h * 0.58
    half = w * _vase_profile(0.58)
    for i in range(7):
        x = cx - half * 0.8 + i * half * 1.6 / 6
        draw.polygon([(x, y - 12), (x + 9, y), (x, y + 12), (x - 9, y)], fill=accent)
    draw.line([(cx - w * 0.3, y0 + h * 0.3), (cx - w * 0.34, y0 + h * 0.75)], fill=(*lighter(colour, 0.4), 140),
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
        draw.line([(x0 + w * t, y0), (x0 + inset + (w - 2 * inset) * t, y1)], fill=darker(colour, 0.15), width=3)
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
        draw.polygon(face, fill=lighter(colour, 0.1 * s))
        for i in range(1, 14):  # the corrugation ribs
            t = i / 14
            xa, xb = x0 + (x1 - x0) * t, x0 + skew + (x1 - x0) * t
            draw.line([(xa, top + sheet_h * 0.35), (xb, top)], fill=darker(colour, 0.25), width=4)
        draw.rectangle([x0, top + sheet_h * 0.35, x1, top + sheet_h * 0.62], fill=accent)  # insulating core
        draw.rectangle([x0, top + sheet_h * 0.62, x1, top + sheet_h * 0.74], fill=(205, 210, 214))  # foil
        draw.polygon([(x1, top + sheet_h * 0.35), (x1 + skew, top), (x1 + skew, top + sheet_h * 0.39),
                      (x1, top + sheet_h * 0.74)], fill=darker(colour, 0.35))


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
        draw.line([(x1 - w * 0.22, y), (x1 - w * 0.04, y)], fill=darker(accent, 0.3), width=3)
    draw.polygon([(x0, body_bottom - h * 0.2), (x0 - w * 0.14, body_bottom - h * 0.02),
                  (x0 - w * 0.08, body_bottom + 4), (x0, body_bottom - h * 0.08)], fill=darker(colour, 0.2))
    draw.rectangle([x0 + w * 0.08, body_top + h * 0.1, x0 + w * 0.42, body_top + h * 0.24], fill=(245, 245, 245))
    for wx in (x0 + w * 0.15, x1 - w * 0.35):
        r = h * 0.13
        draw.ellipse([wx - r, y1 - 2 * r, wx + r, y1], fill=(40, 40, 40))
        draw.ellipse([wx - r * 0.45, y1 - r * 1.45, wx + r * 0.45, y1 - r * 0.55], fill=(150, 150, 150))


_SHAPES = {"bag": _bag, "jar": _jar, "bottle": _bottle, "box": _box, "vase": _vase, "basket": _basket,
           "panel": _panel, "machine": _machine}
