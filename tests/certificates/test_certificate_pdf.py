"""Certificates and packaging labels as PDFs: the QR reads back as a phone would read it, text prints literally,
long names stay on one page, a batch splits into one PDF per certificate.

These render from plain values (:class:`CertificateDoc`) and need no database: ``app`` and the
database-cleaning fixture are replaced below by an app that is never connected.
"""
import base64
import io
from datetime import date

import pypdfium2
import pytest
import zxingcpp
from flask import current_app
from PIL import Image, ImageChops, ImageFilter
from pypdf import PdfReader

from certificates.documents.certificate_pdf import (
    TEMPLATE, certificate_page, render_certificate, render_certificates, split_pages,
)
from certificates.documents.label_sheets import A4_3X8, MIN_MODULE_MM, LabelLayout, label_sheet, module_mm
from certificates.documents.qr import PIXELS_PER_MODULE, qr_image, qr_modules, qr_png
from tests.support.certificate_docs import make_doc, verify_url
from tests.support import no_database

# Rendered from plain values: an app never connected, nothing to clean (tests/support/no_database.py).
app, no_cleaning, in_app_context = no_database.app, no_database.no_cleaning, no_database.in_app_context

MARKUP = """<script>alert("x")</script> & 'Cơ sở' "A\""""
LONG_PRODUCER = ("Hợp tác xã Nông nghiệp và Dịch vụ Tổng hợp Sản xuất Chế biến Miến dong Thủ công Truyền thống "
                 "Na Rì tỉnh Thái Nguyên 2025 số 1")
LONG_PRODUCT = "Miến dong Na Rì sợi nhỏ hút chân không www.miendongnarithainguyen-chinhhang.com.vn loại đặc biệt"
DPI = 150
MM = DPI / 25.4  # pixels per millimetre in the rasters


def raster(data, page=0, dpi=DPI):
    document = pypdfium2.PdfDocument(data)
    try:
        return document[page].render(scale=dpi / 72).to_pil().convert("L")
    finally:
        document.close()


def as_photographed(image):
    """The raster blurred (a phone slightly out of focus) and re-compressed as a JPEG of quality 60."""
    buffer = io.BytesIO()
    image.filter(ImageFilter.GaussianBlur(radius=1)).save(buffer, "JPEG", quality=60)
    return Image.open(io.BytesIO(buffer.getvalue()))


def read_qr(image):
    return zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)


def texts(image):
    return [code.text for code in read_qr(image)]


def page_text(data):
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages)


def squash(text):
    """Without white space: names wrap wherever the line ends."""
    return "".join(text.split())


def symbol_mm(code):
    """The decoded symbol's side in mm (without its quiet zone), from the corners zxing found."""
    position = code.position
    return (position.top_right.x - position.top_left.x) / MM


@pytest.fixture(scope="module")
def certificate(app):
    doc = make_doc()
    with app.app_context():
        return doc, render_certificate(doc)


@pytest.fixture(scope="module")
def labels(app):
    doc = make_doc(7, product_name=LONG_PRODUCT)
    with app.app_context():
        return doc, label_sheet(doc)


# The verification QR ----------------------------------------------------------------------------------------

def test_qr_image_is_a_small_png_sized_by_the_caller():
    url = verify_url("png")
    assert qr_modules(url) == 57  # version 10 at error correction M
    image = Image.open(io.BytesIO(qr_png(url)))
    pixel = PIXELS_PER_MODULE
    assert image.size == (65 * pixel, 65 * pixel) and image.mode == "1"  # 57 modules, a quiet zone of 4 each side
    # The quiet zone is white to its last pixel, and the finder pattern's corner dark from its first.
    assert image.getpixel((4 * pixel - 1, 4 * pixel - 1)) and not image.getpixel((4 * pixel, 4 * pixel))
    tag = str(qr_image(url))
    assert tag.startswith('<img class="qr" src="data:image/png;base64,') and "style=" not in tag
    assert 'style="width: 32.500mm; height: 32.500mm"' in str(qr_image(url, module_mm=0.5))


def _image_xobjects(resources):
    """Every image XObject under ``resources``, looking inside form XObjects too (WeasyPrint nests them)."""
    for xobject in (resources.get("/XObject") or {}).values():
        xobject = xobject.get_object()
        if xobject.get("/Subtype") == "/Image":
            yield xobject
        elif "/Resources" in xobject:
            yield from _image_xobjects(xobject["/Resources"].get_object())


def test_the_qr_is_drawn_sharp(certificate):
    """The PDF scales the QR's image without smoothing: its modules print as squares."""
    doc, data = certificate
    side = (qr_modules(doc.verify_url) + 8) * PIXELS_PER_MODULE
    page = PdfReader(io.BytesIO(data)).pages[0]
    (qr,) = [image for image in _image_xobjects(page["/Resources"].get_object())
             if (image["/Width"], image["/Height"]) == (side, side)]
    assert "/Interpolate" in qr and qr["/Interpolate"].value is False


def test_certificate_qr_decodes_to_the_url(certificate):
    doc, data = certificate
    image = raster(data)
    assert texts(image) == [doc.verify_url]
    assert texts(as_photographed(image)) == [doc.verify_url]


def test_certificate_qr_is_at_least_30_mm_with_its_quiet_zone(certificate):
    doc, data = certificate
    (code,) = read_qr(raster(data))
    modules = qr_modules(doc.verify_url)
    assert symbol_mm(code) * (modules + 8) / modules >= 30


# Labels -----------------------------------------------------------------------------------------------------

def label_boxes(layout=A4_3X8):
    for row in range(layout.rows):
        for col in range(layout.columns):
            left, top = layout.left + col * layout.width, layout.top + row * layout.height
            yield tuple(round(v * MM) for v in (left, top, left + layout.width, top + layout.height))


def test_every_label_qr_decodes_when_photographed(labels):
    doc, data = labels
    image = raster(data)
    photographed = as_photographed(image)
    for box in label_boxes():
        assert texts(photographed.crop(box)) == [doc.verify_url], box
    assert texts(image.crop(next(label_boxes()))) == [doc.verify_url]


def test_label_modules_are_at_least_04_mm(labels):
    doc, data = labels
    computed = module_mm(doc.verify_url)
    assert computed >= MIN_MODULE_MM
    assert computed == 0.47  # 31 mm square / 65 modules, rounded down
    codes = read_qr(raster(data))
    assert len(codes) == A4_3X8.count
    for code in codes:
        measured = symbol_mm(code) / qr_modules(doc.verify_url)
        assert measured == pytest.approx(computed, rel=0.05)


def test_label_stock_too_small_for_04_mm_is_refused():
    small = LabelLayout(name="4 × 10, 48.5 × 25.4 mm", columns=4, rows=10, width=48.5, height=25.4, top=21.5)
    assert module_mm(verify_url("small"), small) < MIN_MODULE_MM
    with pytest.raises(ValueError, match="below 0.4 mm"):
        label_sheet(make_doc(), small)


def test_label_says_what_and_shortens_the_name(labels):
    doc, data = labels
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    text = page_text(data)
    assert text.count("Sản phẩm CNNT tiêu biểu cấp tỉnh năm 2026") == A4_3X8.count
    assert text.count(doc.number) == A4_3X8.count
    assert "Miến dong Na Rì sợi nhỏ" in text and "loại đặc biệt" not in text
    assert text.count("…") == A4_3X8.count


# Text, layout ------------------------------------------------------------------------------------------------

def test_markup_in_names_prints_literally():
    doc = make_doc(product_name=MARKUP, producer_name=MARKUP)
    html = current_app.jinja_env.get_template(TEMPLATE).render(certificates=[certificate_page(doc)])
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert squash(page_text(render_certificate(doc))).count(squash(MARKUP)) == 2
    assert squash(MARKUP) in squash(page_text(label_sheet(doc)))


def test_batch_splits_into_one_pdf_per_certificate():
    docs = [make_doc(n) for n in range(1, 5)]
    parts = split_pages(render_certificates(docs))
    assert len(parts) == len(docs)
    for doc, part in zip(docs, parts, strict=True):
        reader = PdfReader(io.BytesIO(part))
        assert len(reader.pages) == 1
        fonts = reader.pages[0]["/Resources"]["/Font"]
        assert fonts and all("/FontFile2" in font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
                             for font in fonts.values())
        text = page_text(part)
        assert [other.number for other in docs if other.number in text] == [doc.number]
        assert texts(raster(part)) == [doc.verify_url]


def test_batch_page_matches_the_certificate_rendered_alone(certificate):
    doc, alone = certificate
    (part,) = split_pages(render_certificates([doc]))
    assert page_text(part) == page_text(alone)


def assert_inside_the_frame(data, dpi=100):
    """No ink in the outer 8 mm, nor between the frame's inner rule (14.7 mm in) and the text (19.7 mm in)."""
    image = raster(data, dpi=dpi)
    width, height = image.size
    px = dpi / 25.4
    outer, inner_from, inner_to = round(8 * px), round(15.5 * px), round(19 * px)
    strips = [(0, 0, width, outer), (0, height - outer, width, height), (0, 0, outer, height),
              (width - outer, 0, width, height),
              (inner_from, inner_from, width - inner_from, inner_to),
              (inner_from, height - inner_to, width - inner_from, height - inner_from),
              (inner_from, inner_from, inner_to, height - inner_from),
              (width - inner_to, inner_from, width - inner_from, height - inner_from)]
    for box in strips:
        assert image.crop(box).getextrema()[0] > 240, f"ink at {box} (px at {dpi} dpi)"


@pytest.mark.parametrize("changes", [
    {"producer_name": LONG_PRODUCER[:120], "product_name": LONG_PRODUCT[:100]},
    {"producer_name": (LONG_PRODUCER + " ") * 3, "product_name": (LONG_PRODUCT + " ") * 3,
     "producer_address": "Thôn Nà Cà, đường Hùng Vương số 123, tổ 4, xã Nà Rì, tỉnh Thái Nguyên " * 3,
     "authority_parent": "Ủy ban nhân dân tỉnh Thái Nguyên", "authority_name": "Sở Công Thương tỉnh Thái Nguyên",
     "signer_title": "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH", "status_watermark": "ĐÃ THU HỒI – HẾT HIỆU LỰC"},
    {"producer_name": (LONG_PRODUCER + " ") * 3, "product_name": (LONG_PRODUCT + " ") * 3,
     "producer_address": "Thôn Nà Cà, đường Hùng Vương số 123, tổ 4, xã Nà Rì, tỉnh Thái Nguyên " * 3,
     "signer_title": "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
     "replaces_number": "UBND-TNG-CN-2026-0001", "replaces_date": date(2026, 3, 5)},
], ids=["120-character producer", "300-character names", "300-character names, a correction"])
def test_long_names_fit_on_one_page(changes):
    doc = make_doc(**{key: value[:300] if isinstance(value, str) else value for key, value in changes.items()})
    data = render_certificate(doc)
    assert len(PdfReader(io.BytesIO(data)).pages) == 1
    text = squash(page_text(data))
    assert squash(doc.producer_name) in text and squash(doc.product_name) in text
    if doc.replaces_number:
        assert squash("thay thế Giấy chứng nhận số UBND-TNG-CN-2026-0001 ngày 05/03/2026") in text
    assert_inside_the_frame(data)


def test_uploaded_artwork_has_its_place_left_empty_without_one(certificate):
    picture = Image.new("RGB", (60, 60), (200, 0, 0))
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    artwork = "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
    box = tuple(round(v * MM) for v in (30, 70, 50, 90))  # inside the artwork's place, left of the text
    assert raster(render_certificate(make_doc(artwork_data_uri=artwork))).crop(box).getextrema()[0] < 100
    assert raster(certificate[1]).crop(box).getextrema()[0] > 240
    with pytest.raises(ValueError):
        make_doc(artwork_data_uri="file:///etc/passwd")


def test_the_linked_stylesheets_are_parsed_once_and_draw_as_weasyprint_reads_them():
    """render_pdf passes the stylesheets a template links parsed from a per-thread cache
    (voting.core.pdf_engine.linked_stylesheets): the page is drawn as when WeasyPrint reads the links itself."""
    from certificates.documents.status_marks import status_icon
    from voting.core.pdf import static_root
    from voting.core.pdf_engine import HTML, StaticOnlyURLFetcher, font_configuration, linked_stylesheets

    doc = make_doc(7, status="revoked", status_on=date(2026, 4, 1))
    html = current_app.jinja_env.get_template(TEMPLATE).render(certificates=[certificate_page(doc)],
                                                               status_icon=status_icon)
    root = static_root()
    stripped, sheets = linked_stylesheets(html, root)
    assert len(sheets) == 2 and 'rel="stylesheet"' not in stripped and 'rel="stylesheet"' in html
    assert all(again is sheet for again, sheet in zip(linked_stylesheets(html, root)[1], sheets, strict=True))
    read_by_weasyprint = HTML(string=html, base_url=root.as_uri() + "/", url_fetcher=StaticOnlyURLFetcher(root))
    own = read_by_weasyprint.render(font_config=font_configuration()).write_pdf()
    assert ImageChops.difference(raster(render_certificate(doc)), raster(own)).getbbox() is None
