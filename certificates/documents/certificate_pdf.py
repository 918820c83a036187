"""Giấy chứng nhận sản phẩm CNNT tiêu biểu, as a PDF anyone can verify by its QR code.

A certificate is a legal document in Vietnamese whatever the reader's UI language: nothing
here or in its template goes through gettext. Like the council's reports
(:mod:`voting.documents.reports`) it is drawn from plain values, a :class:`CertificateDoc`, never
from ORM objects, and needs an app context only.

Rendering one WeasyPrint document per certificate spends most of its time on fixed
work (subsetting the fonts, parsing the stylesheets), so issuance renders a batch as one
document with one page per certificate (:func:`render_certificates`) and cuts it into
one PDF per certificate (:func:`split_pages`). :func:`render_certificate` renders a
single certificate on its own: the reference the batch path must match.
"""
from dataclasses import dataclass
from datetime import date
from io import BytesIO


from certificates.documents.qr import qr_image
from voting.core.pades import stamp as pades_stamp
from certificates.documents.status_marks import STATUS_MARKS, status_icon
from voting.core.pdf import render_document
from voting.documents.reports import header_name, place_date
from voting.rules.signer import SignerBlock, signer_lines

__all__ = ["TEMPLATE", "CertificateDoc", "certificate_page", "render_certificate", "render_certificates",
           "split_pages"]

TEMPLATE = "certificates/pdf/certificate.html"
# Lengths (characters) beyond which the names are set smaller, in two steps ("compact", "dense"):
# a 100-character product name takes two lines at the full size, 120 characters of producer name or of
# address two lines each; the database allows 300 of each.
COMPACT = {"product": 100, "facts": 240}
DENSE = {"product": 180, "facts": 400}
# A word of more characters in a fact may be wider than the facts' column (about 175 mm; 30 capital W at
# 13 pt take 130 mm): the facts then break anywhere, at a cost (the .facts rules in static/css/certificate.css).
LONG_WORD = 30
# The artwork is an uploaded picture inlined by the caller; the URL fetcher refuses any other data: type too.
ARTWORK_PREFIXES = ("data:image/png", "data:image/jpeg", "data:image/gif", "data:image/webp", "data:image/svg+xml")


@dataclass(frozen=True, kw_only=True)
class CertificateDoc:
    """What one certificate prints (Giấy chứng nhận), as plain values.

    ``producer_address`` is already what the producer chose to publish (at least the
    province). The signer prints from ``signer`` (a :class:`~voting.rules.signer.SignerBlock`) when
    given; a certificate issued before the signer block has only ``signer_title``, its capacity lines
    as printed, one per line ("KT. CHỦ TỊCH\\nPHÓ CHỦ TỊCH"), and ``signer_name``.
    """

    authority_parent: str
    authority_name: str
    place: str
    number: str
    level_label: str
    year: int
    decision_number: str
    decision_date: date
    decision_authority: str
    product_name: str
    group_name: str
    producer_name: str
    producer_address: str
    province_name: str
    #: The date the document bears (place and date above the signature): its issue, or the correction.
    issued_on: date
    expires_on: date | None  # None: the certificate does not expire
    signer_title: str
    signer_name: str
    verify_url: str
    signer: SignerBlock | None = None
    artwork_data_uri: str | None = None
    status_watermark: str | None = None
    #: A public copy of a certificate that no longer stands: its status (a key of
    #: :data:`~certificates.documents.status_marks.STATUS_MARKS`) and the day it was so, stamped across the page
    #: and as the pages' badge.
    status: str | None = None
    status_on: date | None = None
    #: A paper certificate re-issued here: "Cấp lại từ Giấy chứng nhận (bản giấy) số … cấp ngày …".
    reissue_note: str | None = None
    #: A correction or re-issue: the number and date of the certificate it replaces.
    replaces_number: str | None = None
    replaces_date: date | None = None
    #: The issuing authority's code: whose key signs the PDF, where the authority signs on the server.
    authority_code: str | None = None
    #: The visible digital signature's fixed lines (:class:`~voting.core.pades.stamp.StampLines`), laid out in
    #: the signer block's room; None: a PDF that will not be signed on the server.
    digital_stamp: pades_stamp.StampLines | None = None
    #: The authority's seal image (data: URI), drawn with the digital signature's stamp when there is one.
    seal_data_uri: str | None = None

    def __post_init__(self):
        if self.artwork_data_uri and not self.artwork_data_uri.startswith(ARTWORK_PREFIXES):
            raise ValueError("artwork must be an inline data: image (PNG, JPEG, GIF, WebP or SVG)")


def dmy(day):
    """dd/mm/yyyy, as dates are written inside the text of official documents."""
    return day.strftime("%d/%m/%Y")


def _address(doc):
    """The published address, ending with the province even if the caller left it out."""
    address = (doc.producer_address or "").strip()
    if doc.province_name and doc.province_name.casefold() not in address.casefold():
        address = ", ".join(part for part in (address, doc.province_name) if part)
    return address


def density(doc):
    """"", "compact" or "dense": how small the names must be set to stay on one page."""
    product, facts = len(doc.product_name), len(doc.producer_name) + len(_address(doc))
    for name, limits in (("dense", DENSE), ("compact", COMPACT)):
        if product > limits["product"] or facts > limits["facts"]:
            return name
    return ""


def watermark_size(text):
    """The watermark's font size: 80 pt, smaller for a longer text so that it stays inside the frame."""
    return f"{min(80, 760 // max(len(text), 1))}pt"


def certificate_page(doc):
    """The template's values for one certificate: strings and the QR as inline SVG."""
    mark = STATUS_MARKS[doc.status] if doc.status else None
    watermark = mark.word.upper() if mark else doc.status_watermark
    return {
        "parents": tuple(header_name(name) for name in (doc.authority_parent,) if name),
        "issuer": header_name(doc.authority_name),
        "number": doc.number,
        "kind": f"Sản phẩm công nghiệp nông thôn tiêu biểu {doc.level_label} năm {doc.year}",
        "decision_number": doc.decision_number,
        "decision_date": dmy(doc.decision_date),
        "decision_authority": doc.decision_authority,
        "product_name": doc.product_name,
        "group_name": doc.group_name,
        "producer_name": doc.producer_name,
        "address": _address(doc),
        "validity": (f"Có giá trị đến ngày {dmy(doc.expires_on)}" if doc.expires_on is not None
                     else "Có giá trị không thời hạn"),
        "place_date": place_date(doc.place, doc.issued_on),
        "capacity": _signer_lines(doc),
        "signer_name": doc.signer.name if doc.signer else doc.signer_name,
        "qr": qr_image(doc.verify_url),
        "artwork": doc.artwork_data_uri or None,
        "watermark": watermark or None,
        # The stamp's icon takes about two characters' room.
        "watermark_size": watermark_size((watermark or "") + ("  " if mark else "")),
        "stamp": mark,
        "stamp_date": dmy(doc.status_on) if mark and doc.status_on else None,
        "density": density(doc),
        "long_words": any(len(word) >= LONG_WORD for fact in (doc.group_name, doc.producer_name, _address(doc))
                          for word in fact.split()),
        "reissue_note": doc.reissue_note or None,
        "replaces_note": replaces_note(doc),
        "digital_stamp": doc.digital_stamp,
    }


def _signer_lines(doc):
    """The capacity lines: from the signer block, or as an older certificate's snapshot holds them."""
    if doc.signer is not None:
        return signer_lines(doc.signer)
    return tuple(line.strip() for line in doc.signer_title.splitlines() if line.strip())


def replaces_note(doc):
    """"Giấy chứng nhận này thay thế Giấy chứng nhận số … ngày …", or None for a first issue."""
    if not doc.replaces_number:
        return None
    dated = f" ngày {dmy(doc.replaces_date)}" if doc.replaces_date else ""
    return f"Giấy chứng nhận này thay thế Giấy chứng nhận số {doc.replaces_number}{dated}."


def _laid_out(docs):
    return render_document(TEMPLATE, {"certificates": [certificate_page(doc) for doc in docs],
                                      "status_icon": status_icon, "stamp": pades_stamp.LAYOUT})




def render_certificates(docs):
    """Render ``docs`` as one PDF with one A4 landscape page per certificate, in order."""
    return _laid_out(docs).write_pdf()


def render_certificates_for_signing(docs):
    """:func:`render_certificates`, and for each page the box of its digital signature (None: no stamp)."""
    document = _laid_out(docs)
    return document.write_pdf(), [pades_stamp.stamp_box(page, n) for n, page in enumerate(document.pages, 1)]


def render_certificate(doc):
    """Render one certificate as its own document (slower per page than a batch)."""
    return render_certificates([doc])


def split_pages(pdf_bytes):
    """Cut a PDF into one complete single-page PDF per page, each with the fonts and metadata it needs.

    qpdf (through pikepdf) copies each page with the objects it refers to (fonts, images) and nothing else:
    1.3 ms a certificate, where pypdf took 6.5 ms, about a tenth of issuing one.
    """
    import pikepdf  # with the PDF engine, where PDFs are made: 80 ms a web worker that makes none would pay

    parts = []
    with pikepdf.open(BytesIO(pdf_bytes)) as source:
        for page in source.pages:
            single = pikepdf.new()
            single.pages.append(page)
            single.docinfo = single.copy_foreign(source.docinfo)
            out = BytesIO()
            single.save(out, min_version=source.pdf_version)
            parts.append(out.getvalue())
    return parts
