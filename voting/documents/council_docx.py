"""The council's founding documents and the producer's registration form as editable .docx.

Laid out by :class:`~voting.documents.official_docx.OfficialDocx` from the very ``*Doc`` values the PDFs
print (:mod:`voting.documents.council_decisions`, :mod:`voting.documents.registration_form`), so the Word
file an office (or a producer) amends starts from the text of the PDF.
"""
from voting.documents.council_decisions import founding_decision_doc, jury_appointment_doc
from voting.documents.official_docx import LEFT, OfficialDocx
from voting.documents.registration_form import SUBTITLE, TITLE, registration_form_doc

__all__ = ["founding_decision_docx", "jury_appointment_docx", "registration_form_docx",
           "render_council_decision_docx", "render_registration_form_docx"]

TICKED, UNTICKED = "☒", "☐"


def render_council_decision_docx(doc):
    """A :class:`~voting.documents.council_decisions.CouncilDecisionDoc` as .docx bytes."""
    builder = OfficialDocx()
    builder.header(doc.header)
    builder.title(doc.title, doc.subject)
    builder.centred(doc.decider, bold=True, caps=True, after=6)
    for basis in doc.bases:
        builder.paragraph(basis, italic=True)
    builder.centred("QUYẾT ĐỊNH:", bold=True, after=6)
    for article in doc.articles:
        builder.article(article.number, article.text)
        for item in article.items:
            builder.paragraph(item, align=LEFT)
        if article.after:
            builder.paragraph(article.after)
    builder.closing(doc.signer, doc.recipients)
    return builder.to_bytes()


def render_registration_form_docx(doc):
    """A :class:`~voting.documents.registration_form.RegistrationFormDoc` as .docx bytes: the text of
    ``pdf/registration_form.html``, the ticked commitments with ☒."""
    builder = OfficialDocx()
    builder.header(doc.header)
    builder.title(TITLE, SUBTITLE)
    builder.centred(doc.round_title, after=6)
    builder.centred(f"Kính gửi: {doc.addressee}.", after=6)
    builder.paragraph("I. Thông tin về cơ sở", bold=True, indent=False)
    for label, value in (("1. Tên cơ sở", doc.producer_name), ("2. Loại hình", doc.producer_type),
                         ("3. Mã số đăng ký", doc.registration_number or "Không có"), ("4. Địa chỉ", doc.address),
                         ("5. Người đại diện", doc.representative), ("6. Điện thoại", doc.phone),
                         ("7. E-mail", doc.email or "Không có")):
        builder.paragraph(f"{label}: {value}", align=LEFT, indent=False)
    builder.paragraph("II. Sản phẩm đăng ký tham gia bình chọn", bold=True, indent=False)
    rows = []
    for index, product in enumerate(doc.products, start=1):
        name = product.name
        if product.set_items:
            name += f" (Bộ sản phẩm gồm: {'; '.join(product.set_items)})"
        rows.append([str(index), name, product.group])
    builder.table(["STT", "Tên sản phẩm", "Nhóm sản phẩm"], rows, (12, None, 60), centred={0})
    builder.paragraph("III. Cam kết của cơ sở", bold=True, indent=False)
    builder.paragraph("Cơ sở cam kết:", indent=False)
    for line in doc.commitments:
        builder.paragraph(f"{TICKED if line.ticked else UNTICKED} {line.text}", indent=False)
    builder.paragraph("Cơ sở đăng ký tham gia bình chọn và gửi kèm hồ sơ theo quy định.")
    builder.closing(doc.signer)
    return builder.to_bytes()


def founding_decision_docx(round_):
    """:raise ValueError: the founding is not recorded."""
    return render_council_decision_docx(founding_decision_doc(round_))


def jury_appointment_docx(round_):
    """:raise ValueError: the jury's appointment is not recorded."""
    return render_council_decision_docx(jury_appointment_doc(round_))


def registration_form_docx(application):
    return render_registration_form_docx(registration_form_doc(application))
