"""Drawn papers for the demo's dossiers: one-page A4 "scans" saved as PDF or JPEG.

A :class:`DocumentSpec` says what an official paper reads (registration copy,
food-safety certificate, test report, award); :func:`document_image` lays it
out after Nghị định 30/2020/NĐ-CP, with a watermark saying it has no legal
value (tài liệu minh họa). PDFs carry fixed dates, so the same spec gives the
same bytes.
"""
import io
import math
import time
from dataclasses import dataclass
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFilter

from voting.demo.drawing import composed, font, wrap

A4_PORTRAIT = (794, 1123)  # 96 dpi
A4_LANDSCAPE = (1123, 794)
_DPI = 96.0
# A fixed date keeps PDF bytes (and so their sha256) the same from run to run.
_PDF_DATE = time.gmtime(1767225600)  # 2026-01-01 00:00 UTC

NOT_A_DOCUMENT = "TÀI LIỆU MINH HỌA – KHÔNG CÓ GIÁ TRỊ PHÁP LÝ"


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
        for part in composed(text).upper().split("\n"):
            for line in wrap(draw, part, face, 320):
                draw.text((left_x, ly), line, font=face, fill=ink, anchor="ma")
                ly += 20
    if spec.issuer:
        draw.line([(left_x - 40, ly + 4), (left_x + 40, ly + 4)], fill=ink, width=1)
    if spec.number:
        draw.text((left_x, ly + 14), composed(spec.number), font=font(14, serif=True), fill=ink, anchor="ma")
    # Top right: the national motto, a rule, place and date in italics.
    ry = y
    draw.text((right_x, ry), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", font=font(14, bold=True, serif=True),
              fill=ink, anchor="ma")
    draw.text((right_x, ry + 21), "Độc lập - Tự do - Hạnh phúc", font=font(15, bold=True, serif=True),
              fill=ink, anchor="ma")
    draw.line([(right_x - 105, ry + 44), (right_x + 105, ry + 44)], fill=ink, width=1)
    if spec.place_date:
        draw.text((right_x, ry + 56), composed(spec.place_date), font=font(14, serif=True, italic=True),
                  fill=ink, anchor="ma")
    if spec.copy_stamp:
        draw.rectangle([width - margin - 78, 14, width - margin + 20, 44], outline=(200, 30, 30), width=3)
        draw.text((width - margin - 29, 18), "BẢN SAO", font=font(16, bold=True), fill=(200, 30, 30), anchor="ma")

    # The title, centred.
    y = max(ly, ry + 56) + 70
    title_font = font(40 if spec.landscape else 22, bold=True, serif=True)
    title_ink = (170, 25, 25) if spec.landscape else ink
    for line in wrap(draw, composed(spec.title).upper(), title_font, width - 2 * margin):
        draw.text((width / 2, y), line, font=title_font, fill=title_ink, anchor="ma")
        y += title_font.size + 10
    if spec.subtitle:
        for line in wrap(draw, spec.subtitle, font(16, serif=True, italic=True), width - 2 * margin):
            draw.text((width / 2, y + 4), line, font=font(16, serif=True, italic=True), fill=ink, anchor="ma")
            y += 24
    y += 34

    # The body: labelled lines, wrapped.
    body, bold = font(16, serif=True), font(16, bold=True, serif=True)
    text_width = width - 2 * margin - 20
    for label, value in spec.lines:
        if label:
            prefix = f"{composed(label)}: "
            draw.text((margin + 10, y), prefix, font=bold, fill=ink)
            indent = draw.textlength(prefix, font=bold)
            first, *rest = wrap(draw, value, body, text_width - indent) or [""]
            draw.text((margin + 10 + indent, y), first, font=body, fill=ink)
            y += 27
            for line in wrap(draw, " ".join(rest), body, text_width):
                draw.text((margin + 10, y), line, font=body, fill=ink)
                y += 27
        else:
            for line in wrap(draw, value, body, text_width):
                draw.text((margin + 10, y), line, font=body, fill=ink)
                y += 27
        y += 4

    # Bottom right: the signer, a seal drawn as an illustration, the name.
    sy = max(y + 40, height - (300 if not spec.landscape else 250))
    if spec.signer_capacity:
        for line in composed(spec.signer_capacity).split("\n"):
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
        draw.text((right_x, sy + 110), composed(spec.signer_name), font=font(16, bold=True, serif=True), fill=ink,
                  anchor="ma")

    # The watermark that makes the paper harmless.
    mark = Image.new("L", (width + 200, 60), 0)
    ImageDraw.Draw(mark).text(((width + 200) / 2, 8), NOT_A_DOCUMENT, font=font(30, bold=True), fill=70,
                              anchor="ma")
    mark = mark.rotate(32 if not spec.landscape else 18, expand=True)
    position = ((width - mark.width) // 2, (height - mark.height) // 2)
    img.paste(Image.new("RGB", mark.size, (200, 60, 60)), position, mark)
    draw.text((width / 2, height - (56 if spec.landscape else 40)), "Tài liệu do hệ thống tạo ra để trình diễn CNNT tiêu biểu.",
              font=font(11, italic=True), fill=(120, 120, 120), anchor="ma")
    if spec.blurred:
        img = img.filter(ImageFilter.BoxBlur(2))
    return img


@lru_cache(maxsize=64)
def document_pdf(spec):
    """Return a one-page PDF of ``spec``: a scan-like image page, with fixed dates."""
    out = io.BytesIO()
    document_image(spec).save(out, "PDF", resolution=_DPI, quality=70, title=composed(spec.title),
                              author="CNNT tiêu biểu (dữ liệu minh họa)", creationDate=_PDF_DATE,
                              modDate=_PDF_DATE)
    return out.getvalue()


@lru_cache(maxsize=16)
def document_jpeg(spec):
    """Return ``spec``'s page as JPEG bytes."""
    out = io.BytesIO()
    document_image(spec).save(out, "JPEG", quality=78)
    return out.getvalue()
