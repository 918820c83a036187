"""Phiếu đăng ký tham gia bình chọn sản phẩm công nghiệp nông thôn tiêu biểu, as a PDF.

The producer fills it on the platform (its profile, the product, the commitments it ticked when
submitting), prints it, signs it (and seals it, if it has a seal) and uploads the scan. Like the
council's reports (:mod:`voting.documents.reports`) it is a document in Vietnamese whatever the
reader's language, in the layout of Nghị định 30/2020/NĐ-CP, rendered from plain values: the
:class:`RegistrationFormDoc` built by :func:`registration_form_doc` is what a .docx builder reuses.

The form goes to the organiser, not to the public: it prints the producer's full address.
"""
from dataclasses import dataclass, field

from voting.core.clock import VIETNAM
from voting.core.pdf import render_pdf
from voting.core.text import fold
from voting.documents.reports import BLANK, OfficialHeader, Signer, place_date
from voting.models import JurisdictionLevel
from voting.rules.commitments import VERSIONS, given_on_platform

__all__ = ["CommitmentLine", "ProductLine", "RegistrationFormDoc", "registration_form_doc",
           "registration_form_pdf", "render_registration_form"]

TEMPLATE = "pdf/registration_form.html"
TITLE = "PHIẾU ĐĂNG KÝ"
SUBTITLE = "Tham gia bình chọn sản phẩm công nghiệp nông thôn tiêu biểu"
SIGN_HINT = "(Ký, ghi rõ họ tên, đóng dấu nếu có)"


@dataclass(frozen=True, kw_only=True)
class ProductLine:
    """A product entered: its name (a set's items follow it) and its group as "code. name"."""

    name: str
    group: str
    set_items: tuple = ()


@dataclass(frozen=True, kw_only=True)
class CommitmentLine:
    text: str
    ticked: bool


@dataclass(frozen=True, kw_only=True)
class RegistrationFormDoc:
    """The registration form as plain values: what the PDF (and a later .docx) print."""

    header: OfficialHeader
    addressee: str
    round_title: str
    producer_name: str
    producer_type: str
    registration_number: str
    address: str
    representative: str
    phone: str
    email: str
    products: list = field(default_factory=list)
    commitments: list = field(default_factory=list)
    signer: Signer
    footer: str = ""


def addressee(round_):
    """Whom the form is addressed to: the Sở Công Thương for a provincial round (its standing body), the
    organising authority otherwise (the commune's People's Committee, the Cục, the Ministry)."""
    if round_.jurisdiction_level == JurisdictionLevel.PROVINCE and round_.province is not None:
        return f"Sở Công Thương {round_.province.full_name}"
    return round_.authority.name if round_.authority is not None else BLANK


def full_address(producer):
    """Street, commune and province, a part the street already names left out (the organiser's copy)."""
    street = (producer.address or "").strip()
    parts = [street] if street else []
    for unit in (producer.commune, producer.province):
        name = unit.name.strip() if unit is not None else ""
        if name and fold(name) not in fold(street):
            parts.append(name)
    return ", ".join(parts)


def _product_line(product):
    group = f"{product.group.code}. {product.group.name}" if product.group is not None else product.group_code
    return ProductLine(name=product.name, group=group,
                       set_items=tuple(item.name for item in product.set_items) if product.is_set else ())


def _commitments(application):
    """The commitments of the wording the producer ticked; a form not yet submitted prints them unticked."""
    version = application.commitments if given_on_platform(application.commitments) else None
    wording = VERSIONS[version] if version else next(iter(VERSIONS.values()))
    return [CommitmentLine(text=text, ticked=version is not None) for _, text in wording]


def registration_form_doc(application):
    """Build the registration form of ``application`` from its producer, product and commitments."""
    producer, round_ = application.producer, application.round
    given = application.commitments_given_at
    day = given.astimezone(VIETNAM).date() if given is not None else None  # dated the day it was submitted
    place = producer.province.name if producer.province is not None else ""
    return RegistrationFormDoc(
        header=OfficialHeader(issuer=producer.name,
                              place_date=place_date(place, day) if day else f"{place or BLANK}, ngày … tháng … năm …"),
        addressee=addressee(round_), round_title=round_.title,
        producer_name=producer.name, producer_type=producer.producer_type.name if producer.producer_type else "",
        registration_number=producer.registration_number or "", address=full_address(producer),
        representative=producer.representative, phone=producer.phone, email=producer.email,
        products=[_product_line(application.product)], commitments=_commitments(application),
        signer=Signer(capacity=("Đại diện cơ sở",), name=producer.representative, hint=SIGN_HINT),
        footer=f"Phiếu đăng ký tham gia bình chọn · Hồ sơ số {application.id}",
    )


def render_registration_form(doc):
    """Render a :class:`RegistrationFormDoc` to PDF bytes (A4 portrait)."""
    return render_pdf(TEMPLATE, {"doc": doc, "title": TITLE, "subtitle": SUBTITLE})


def registration_form_pdf(application):
    """Return ``application``'s registration form as PDF bytes."""
    return render_registration_form(registration_form_doc(application))
