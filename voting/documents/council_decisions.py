"""The council's founding documents, as plain values and PDF (issue 18).

- Quyết định thành lập Hội đồng bình chọn (:func:`founding_decision_doc`): the round's authority founds the
  council and names its members in their seats; signed as the :class:`~voting.models.Council` records.
- Quyết định thành lập Ban Giám khảo và Tổ giúp việc (:func:`jury_appointment_doc`): the council, under its
  authority, appoints the jury (Trưởng ban first) and the tổ giúp việc (Tổ trưởng first); its chair signs for it.

Both follow the recognition decision's layout (:mod:`voting.documents.decision`): legal bases, "QUYẾT ĐỊNH:",
numbered articles, "Nơi nhận" and the signer. An article may list people, one a line, under its text. The
wording is the office's own; it amends it in the .docx (:mod:`voting.documents.council_docx`). Legal documents
in Vietnamese whatever the UI language: no gettext here.
"""
from dataclasses import dataclass

from sqlalchemy import select

from voting.core.pades.stamp import LAYOUT as STAMP_LAYOUT
from voting.core.pdf import render_document
from voting.core.text import sort_key
from voting.documents.decision import (
    CIRCULAR_SELECTION, authority_bases, decider, executors, level_words, recipients,
)
from voting.documents.minutes import ROLE_TITLES
from voting.documents.reports import (
    BLANK, COUNCIL_NAME, OfficialHeader, Signer, authority_lines, long_date, place_date, round_place,
)
from voting.extensions import db
from voting.models import CouncilRole, ProductGroup
from voting.rules.council import seated_in_order
from voting.rules.signer import SignerBlock

__all__ = ["Article", "CouncilDecisionDoc", "council_decision_document", "founding_decision_doc", "founding_decision_pdf",
           "jury_appointment_doc", "jury_appointment_pdf", "render_council_decision"]

TEMPLATE = "pdf/council_decision.html"
SELECTION = "sản phẩm công nghiệp nông thôn tiêu biểu"


@dataclass(frozen=True, kw_only=True)
class Article:
    """"Điều <number>." and its text; ``items`` printed under it one a line, then ``after``."""

    number: int
    text: str
    items: tuple = ()
    after: str = ""


@dataclass(frozen=True, kw_only=True)
class CouncilDecisionDoc:
    """A decision founding the council or appointing its jury, as plain values."""

    header: OfficialHeader
    subject: str
    decider: str
    bases: tuple = ()
    articles: tuple = ()  # Article
    recipients: tuple = ()
    signer: Signer
    footer: str = ""
    title: str = "QUYẾT ĐỊNH"


def person_line(index, name, position, agency, seat, last):
    """"1. Nguyễn Văn A, Giám đốc, Sở Công Thương – Chủ tịch Hội đồng;" (a full stop after the last)."""
    named = ", ".join(part for part in (name, position, agency) if part)
    return f"{index}. {named} – {seat}{'.' if last else ';'}"


def _numbered(rows):
    """Lines for ``(name, position, agency, seat)`` rows, numbered from 1."""
    return tuple(person_line(index, *row, last=index == len(rows)) for index, row in enumerate(rows, start=1))


def _authority_name(round_):
    return round_.authority.name if round_.authority else ""


def _council_name(round_):
    """"Hội đồng bình chọn sản phẩm công nghiệp nông thôn tiêu biểu cấp tỉnh năm 2026"."""
    return f"Hội đồng bình chọn {SELECTION} {level_words(round_)} năm {round_.year}"


# The founding decision -------------------------------------------------------------------------------------

def _founding_articles(round_, authority):
    members = seated_in_order(round_.council_members)
    first = Article(number=1, text=f"Thành lập {_council_name(round_)} (sau đây gọi là Hội đồng), gồm các thành "
                                   "viên sau:",
                    items=_numbered([(m.full_name, m.position, m.agency, ROLE_TITLES.get(m.role, m.role))
                                     for m in members]) or (BLANK,))
    second = Article(number=2, text="Hội đồng có nhiệm vụ:", items=(
        "a) Thành lập Ban Giám khảo và Tổ giúp việc của Hội đồng;",
        f"b) Tổ chức chấm điểm, bình chọn {SELECTION} {level_words(round_)} năm {round_.year} theo quy định "
        "tại Thông tư số 26/2014/TT-BCT và các văn bản sửa đổi, bổ sung;",
        f"c) Đề xuất {authority or 'cơ quan có thẩm quyền'} công nhận các sản phẩm đạt tiêu chuẩn {SELECTION};",
        "d) Xem xét, giải quyết các khiếu nại, kiến nghị về kết quả bình chọn."),
        after="Hội đồng làm việc theo nguyên tắc tập thể, quyết định theo đa số và tự giải thể sau khi hoàn "
              "thành nhiệm vụ.")
    third = Article(number=3, text=f"Quyết định này có hiệu lực kể từ ngày ký. {executors(round_, authority)} "
                                   "và các thành viên có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này./.")
    return (first, second, third)


def _founding_bases(round_):
    proposer = {"tinh": "Giám đốc Sở Công Thương", "xa": "Trưởng phòng Kinh tế"}.get(round_.jurisdiction_level)
    if proposer is None:  # the Cục, the Ministry: the department in charge of khuyến công proposes
        return (*authority_bases(round_), f"Theo đề nghị của {BLANK}.")
    return (*authority_bases(round_), f"Xét đề nghị của {proposer} tại Tờ trình số {BLANK} ngày {BLANK}.")


def founding_decision_doc(round_):
    """Build the authority's decision founding ``round_``'s council, its members in their seats.

    :raise ValueError: the founding is not recorded (no number and date).
    """
    council = round_.council
    if council is None or not council.is_founded:
        raise ValueError("the founding decision needs its number and date recorded")
    authority = _authority_name(round_)
    lines = authority_lines(round_)
    return CouncilDecisionDoc(
        header=OfficialHeader(parents=lines[:-1], issuer=lines[-1] if lines else BLANK,
                              number=council.founding_number,
                              place_date=place_date(round_place(round_), council.founded_on)),
        subject=f"Về việc thành lập {_council_name(round_)}",
        decider=decider(round_, authority),
        bases=_founding_bases(round_),
        articles=_founding_articles(round_, authority),
        recipients=recipients(round_),
        signer=Signer.of(SignerBlock.of(council)),
        footer=f"Quyết định số {council.founding_number}",
    )


# The jury's appointment -----------------------------------------------------------------------------------

def _group_names(jurors):
    codes = {g.group_code for juror in jurors for g in juror.groups}
    if not codes:
        return {}
    return dict(db.session.execute(select(ProductGroup.code, ProductGroup.name)
                                   .where(ProductGroup.code.in_(codes))).all())


def _juror_seat(juror, names):
    seat = "Trưởng Ban Giám khảo" if juror.is_head else "Thành viên"
    if juror.all_groups or not juror.groups:
        return seat
    codes = sorted((g.group_code for g in juror.groups), key=lambda code: (len(code), code))
    groups = "; ".join(f"{code}. {names[code]}" if names.get(code) else code for code in codes)
    return f"{seat} (chấm: {groups})"


def _jury_articles(round_, council_name):
    jurors = sorted(round_.jurors, key=lambda j: (not j.is_head, sort_key(j.user.display_name)))
    names = _group_names(jurors)
    support = sorted(round_.support_members, key=lambda m: (not m.is_lead, sort_key(m.full_name)))
    first = Article(number=1, text=f"Thành lập Ban Giám khảo bình chọn {SELECTION} {level_words(round_)} năm "
                                   f"{round_.year}, gồm các thành viên sau:",
                    items=_numbered([(j.user.display_name, j.position, j.agency, _juror_seat(j, names))
                                     for j in jurors]) or (BLANK,))
    second = Article(number=2, text=f"Thành lập Tổ giúp việc {council_name}, gồm các thành viên sau:",
                     items=_numbered([(m.full_name, m.position, m.agency, "Tổ trưởng" if m.is_lead else "Thành viên")
                                      for m in support]) or (BLANK,))
    third = Article(number=3, text=(
        "Ban Giám khảo chấm điểm các sản phẩm tham gia bình chọn theo tiêu chí và thang điểm quy định, độc lập "
        "và khách quan; Tổ giúp việc giúp Hội đồng tiếp nhận, kiểm tra hồ sơ, tổng hợp kết quả chấm điểm và chuẩn "
        "bị tài liệu các cuộc họp của Hội đồng. Ban Giám khảo và Tổ giúp việc tự giải thể khi Hội đồng hoàn thành "
        "nhiệm vụ. Quyết định này có hiệu lực kể từ ngày ký. Các thành viên Hội đồng và các thành viên có tên tại "
        "Điều 1, Điều 2 chịu trách nhiệm thi hành Quyết định này./."))
    return (first, second, third)


def _founding_basis(round_, council_name):
    council = round_.council
    authority = _authority_name(round_) or "cơ quan có thẩm quyền"
    if council.is_founded:
        founding = f"Quyết định số {council.founding_number} {long_date(council.founded_on)}"
    else:
        founding = f"Quyết định số {BLANK} ngày {BLANK}"
    return f"Căn cứ {founding} của {authority} về việc thành lập {council_name};"


def jury_appointment_doc(round_):
    """Build the council's decision appointing the Ban Giám khảo and the tổ giúp việc of ``round_``.

    :raise ValueError: the appointment is not recorded (no number and date).
    """
    council = round_.council
    if council is None or not council.jury_document_number:
        raise ValueError("the jury's appointment needs its number and date recorded")
    council_name = _council_name(round_)
    chair = next((m for m in round_.council_members if m.role == CouncilRole.CHAIR), None)
    authority = _authority_name(round_)
    parent = f"- {authority} (để b/c);" if authority else "- Cơ quan có thẩm quyền (để b/c);"
    return CouncilDecisionDoc(
        # The council issues it, under its authority (the minutes' header).
        header=OfficialHeader(parents=authority_lines(round_)[-1:], issuer=COUNCIL_NAME,
                              number=council.jury_document_number,
                              place_date=place_date(round_place(round_), council.jury_appointed_on)),
        subject=f"Về việc thành lập Ban Giám khảo và Tổ giúp việc {council_name}",
        decider=council_name.upper(),
        bases=(CIRCULAR_SELECTION, _founding_basis(round_, council_name),
               "Xét đề nghị của Ủy viên kiêm Thư ký Hội đồng."),
        articles=_jury_articles(round_, council_name),
        recipients=("- Như Điều 3;", parent, "- Các thành viên Hội đồng;", "- Lưu: VT, Hội đồng."),
        signer=Signer.of(SignerBlock(capacity="tm", body="Hội đồng", title="Chủ tịch",
                                     name=chair.full_name if chair else "")),
        footer=f"Quyết định số {council.jury_document_number}",
    )


def council_decision_document(doc, digital=None):
    """Lay out a :class:`CouncilDecisionDoc` (A4 portrait), with the digital signature's stamp lines in the signer
    block when ``digital`` is given; the WeasyPrint document."""
    return render_document(TEMPLATE, {"doc": doc, "digital": digital, "stamp": STAMP_LAYOUT})


def render_council_decision(doc):
    """Render a :class:`CouncilDecisionDoc` to PDF bytes (A4 portrait)."""
    return council_decision_document(doc).write_pdf()


def founding_decision_pdf(round_):
    """:raise ValueError: the founding is not recorded."""
    return render_council_decision(founding_decision_doc(round_))


def jury_appointment_pdf(round_):
    """:raise ValueError: the jury's appointment is not recorded."""
    return render_council_decision(jury_appointment_doc(round_))
