"""A certificate's status on PDFs and labels as on the pages (issue 19): the same colour, icon and word.

The stamped public copy and the label sheet are rendered from plain values, read back with ``pdftotext`` and
``pdffonts`` (the word is there, every font is one we ship, so no glyph fell back to a box), and rasterised to
check that the badge is printed in the status's own colours. No database: as in test_certificate_pdf.py.
"""
import re
import shutil
import subprocess
import tempfile
from datetime import date
from pathlib import Path

import pypdfium2
import pytest

from certificates.code_labels import CERTIFICATE_STATUS_LABELS
from certificates.documents.certificate_pdf import CertificateDoc, render_certificate
from certificates.documents.label_sheets import label_sheet
from certificates.documents.status_marks import STAMPED, STATUS_MARKS
from certificates.views.registry.pages import PAPER_STATUS_LABELS
from tests.support import no_database

# Rendered from plain values: an app never connected, nothing to clean (tests/support/no_database.py).
app, no_cleaning, in_app_context = no_database.app, no_database.no_cleaning, no_database.in_app_context

CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "app.css"
ON = date(2026, 12, 6)
DPI = 100
#: Where the badge sits on a certificate (fractions of the page): in the foot, between the QR and the signature,
#: clear of the frame's dark red border.
FOOT = (0.2, 0.75, 0.6, 0.92)


def make_doc(**changes):
    values = dict(
        authority_parent="", authority_name="Ủy ban nhân dân tỉnh Thái Nguyên", place="Thái Nguyên",
        number="TNG-2026-0007", level_label="cấp tỉnh", year=2026, decision_number="123/QĐ-UBND",
        decision_date=date(2026, 3, 2), decision_authority="Ủy ban nhân dân tỉnh Thái Nguyên",
        product_name="Chè búp Tân Cương đặc biệt", group_name="Chế biến nông, lâm, thủy sản",
        producer_name="Hợp tác xã chè Tân Cương", producer_address="Xã Tân Cương", province_name="Thái Nguyên",
        issued_on=date(2026, 3, 5), expires_on=date(2029, 3, 5), signer_title="KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
        signer_name="Nguyễn Văn Sơn", verify_url="https://sanphamcnnt.thainguyen.gov.vn/v/" + "A" * 160)
    values.update(changes)
    return CertificateDoc(**values)


def poppler(tool, data, *options):
    """What ``pdftotext`` or ``pdffonts`` says of the PDF ``data``."""
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} not found (Debian: poppler-utils)")
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:  # pdffonts reads a file, not a pipe
        file.write(data)
        file.flush()
        arguments = [*options, file.name, "-"] if tool == "pdftotext" else [*options, file.name]
        return subprocess.run([tool, *arguments], capture_output=True, check=True, timeout=60).stdout.decode()


def rgb(hex_colour):
    return tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))


def pixels_near(data, colour, box=None, tolerance=18, dpi=DPI):
    """How many pixels of page 1 (at DPI) lie within ``tolerance`` of ``colour``, in ``box`` (fractions of the page:
    left, top, right, bottom) when given."""
    document = pypdfium2.PdfDocument(data)
    try:
        image = document[0].render(scale=dpi / 72).to_pil().convert("RGB")
    finally:
        document.close()
    if box:
        width, height = image.size
        image = image.crop((int(box[0] * width), int(box[1] * height), int(box[2] * width), int(box[3] * height)))
    target, raw = rgb(colour), image.tobytes()
    pixels = zip(raw[0::3], raw[1::3], raw[2::3], strict=True)
    return sum(1 for pixel in pixels if sum(abs(a - b) for a, b in zip(pixel, target, strict=True)) <= tolerance)


def page_rules():
    """``{status: {"color": ..., "background": ..., "icon": ...}}`` of the pages' ``.status-cert-*`` badges, with
    the stylesheet's custom properties resolved."""
    css = re.sub(r"/\*.*?\*/", "", CSS.read_text(encoding="utf-8"), flags=re.S)
    variables = dict(re.findall(r"(--[\w-]+):\s*(#[0-9a-fA-F]{6})", css))
    rules = {}
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        for selector in (s.strip() for s in selectors.split(",")):
            match = re.fullmatch(r"\.status-cert-(\w+)(::before)?", selector)
            if not match:
                continue
            rule = rules.setdefault(match.group(1), {})
            if match.group(2):
                rule["icon"] = re.search(r'content:\s*"(.) "', body).group(1)
                continue
            for name, value in re.findall(r"(color|background|border-color|border-style):\s*([^;]+);", body):
                rule[name] = variables.get(value.strip()[4:-1], value.strip()) if value.startswith("var(") else value
    return rules


def test_the_marks_are_the_pages_colours_and_words():
    rules = page_rules()
    words = {**CERTIFICATE_STATUS_LABELS, **PAPER_STATUS_LABELS}
    expand = {"#fff": "#ffffff"}
    for status, mark in STATUS_MARKS.items():
        rule = rules[status]
        assert (expand.get(rule["color"], rule["color"]), rule["background"]) == (mark.colour, mark.background), status
        assert rule.get("border-style", "solid") == mark.border_style, status
        if status in words:
            assert str(words[status]) == mark.word, status  # the pages' word, in Vietnamese
    assert len({(m.colour, m.background, m.border_style, m.icon) for m in STATUS_MARKS.values()}) == len(STATUS_MARKS)


@pytest.mark.parametrize("status", STAMPED)
def test_a_stamped_copy_carries_the_pages_badge(status):
    mark = STATUS_MARKS[status]
    data = render_certificate(make_doc(status=status, status_on=ON))
    text = " ".join(poppler("pdftotext", data).split())
    assert mark.word in text  # the badge
    assert mark.word.upper() in poppler("pdftotext", data, "-raw")  # the stamp across the page, turned
    assert "Tình trạng ngày 06/12/2026" in text
    fonts = poppler("pdffonts", data).splitlines()[2:]
    assert fonts and all("Liberation" in line and " yes yes yes " in line for line in fonts), fonts
    foot = FOOT
    assert pixels_near(data, mark.background, foot) > 800, "the badge's background"
    assert pixels_near(data, mark.border, foot, tolerance=60) > 150, "its border, icon and word"
    assert pixels_near(data, mark.tint, tolerance=6) > 1500, "the stamp across the page"
    assert pixels_near(render_certificate(make_doc()), mark.background, foot) < 20  # the original has none


def test_stamps_differ_from_status_to_status():
    seen = {status: pixels_near(render_certificate(make_doc(status=status, status_on=ON)),
                                STATUS_MARKS["revoked"].background, FOOT) for status in STAMPED}
    assert seen["revoked"] > 800 and all(seen[s] < 20 for s in STAMPED if s != "revoked"), seen


def test_labels_carry_the_valid_badge():
    mark = STATUS_MARKS["valid"]
    data = label_sheet(make_doc())
    text = poppler("pdftotext", data)
    assert text.count(mark.word) == 24  # one per label
    fonts = poppler("pdffonts", data).splitlines()[2:]
    assert fonts and all("Liberation" in line for line in fonts), fonts
    first_label = (0, 0, 70 / 210, 37 / 297)
    assert pixels_near(data, mark.background, first_label, tolerance=10, dpi=300) > 400
    assert pixels_near(data, mark.colour, first_label, tolerance=40, dpi=300) > 150
