"""The recognition decision (Quyết định về việc công nhận sản phẩm CNNT tiêu biểu), as plain values and PDF.

The authority's decision on a round: its legal bases, Điều 1 recognising the products "(có danh sách
kèm theo)", Điều 2 the producers' rights and duties, Điều 3 who executes it, "Nơi nhận" and the signer
block (the :class:`~voting.models.Decision`'s signer columns). The list it refers to is the annex
(:func:`voting.documents.reports.decision_list_doc`); :func:`decision_pdf` prints the decision with
the annex as its following pages.

The wording is the office's own and differs between provinces. The legal bases are recorded with the
decision (``Decision.legal_bases``; the form offers :func:`usual_bases`, those of the round's level: a
province's UBND, the Cục for a regional round, the Bộ trưởng for the national one). The articles and the
distribution list follow the level; an office amends them in the .docx
(:mod:`voting.documents.report_docx`) before it signs. A legal document in Vietnamese: no gettext here.
"""
from dataclasses import dataclass

from sqlalchemy import distinct, func, select

from voting.core.pades.stamp import LAYOUT as STAMP_LAYOUT
from voting.core.pdf import render_document
from voting.documents.reports import (
    LIST_TEMPLATE, OfficialHeader, Signer, authority_lines, decision_list_doc, long_date, place_date, round_place,
)
from voting.extensions import db
from voting.models import Application, Decision, DecisionEntry
from voting.models.round import ValidityFrom
from voting.rules.signer import SignerBlock

__all__ = ["DecisionDoc", "amended_decision", "authority_bases", "decider", "decision_doc", "decision_document", "decision_pdf",
           "executors", "level_words", "recipients", "render_decision", "usual_bases"]

TEMPLATE = "pdf/decision.html"
LEVELS = {"xa": "cấp xã", "tinh": "cấp tỉnh", "khu_vuc": "cấp khu vực", "quoc_gia": "cấp quốc gia"}
PROVINCIAL = ("tinh", "xa")
LAW_LOCAL_GOVERNMENT = "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;"
DECREE_KHUYEN_CONG = ("Căn cứ Nghị định số 45/2012/NĐ-CP ngày 21 tháng 5 năm 2012 của Chính phủ về khuyến công, "
                      "được sửa đổi, bổ sung bởi Nghị định số 235/2025/NĐ-CP;")
CIRCULAR_SELECTION = ("Căn cứ Thông tư số 26/2014/TT-BCT ngày 28 tháng 8 năm 2014 của Bộ trưởng Bộ Công Thương quy "
                      "định về việc tổ chức bình chọn sản phẩm công nghiệp nông thôn tiêu biểu, được sửa đổi, bổ sung "
                      "bởi Thông tư số 14/2018/TT-BCT và Thông tư số 38/2025/TT-BCT;")
BLANK = "……"


@dataclass(frozen=True, kw_only=True)
class DecisionDoc:
    """Quyết định về việc công nhận sản phẩm CNNT tiêu biểu, as plain values."""

    header: OfficialHeader
    subject: str
    #: Who decides, in capitals under the title ("ỦY BAN NHÂN DÂN TỈNH THÁI NGUYÊN").
    decider: str
    bases: tuple = ()
    #: ``(number, text)``: "Điều 1." …
    articles: tuple = ()
    recipients: tuple = ()
    signer: Signer
    footer: str = ""
    title: str = "QUYẾT ĐỊNH"


def level_words(round_):
    """"cấp tỉnh", "cấp thành phố" (a centrally-run city), "cấp khu vực", "cấp quốc gia" of a round."""
    if round_.jurisdiction_level == "tinh" and round_.province is not None:
        return round_.province.level_words
    return LEVELS.get(round_.jurisdiction_level, "")


def authority_bases(round_):
    """The bases every decision of the round's authority cites before its own (the law or the act that sets up
    the authority, the decree on khuyến công, the circular on the selection), one a line."""
    authority = round_.authority.name if round_.authority else ""
    level = round_.jurisdiction_level
    if level == "quoc_gia":
        return (f"Căn cứ Nghị định số {BLANK}/NĐ-CP ngày {BLANK} của Chính phủ quy định chức năng, nhiệm vụ, "
                f"quyền hạn và cơ cấu tổ chức của {authority or 'Bộ Công Thương'};",
                DECREE_KHUYEN_CONG, CIRCULAR_SELECTION)
    if level == "khu_vuc":
        return (f"Căn cứ Quyết định số {BLANK}/QĐ-BCT ngày {BLANK} của Bộ trưởng Bộ Công Thương quy định chức "
                f"năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của {authority or BLANK};",
                DECREE_KHUYEN_CONG, CIRCULAR_SELECTION)
    return (LAW_LOCAL_GOVERNMENT, DECREE_KHUYEN_CONG, CIRCULAR_SELECTION)


def usual_bases(decision):
    """The legal bases a decision of the round's level usually cites, one a line: what the decision form offers
    and what a decision recorded without its own prints."""
    round_ = decision.round
    level = round_.jurisdiction_level
    meeting = long_date(decision.meeting_on)
    amended = amended_decision(decision)
    if amended is not None:
        return (*authority_bases(round_), f"Căn cứ {_decision_words(amended)};",
                "Xét kết quả giải quyết khiếu nại của Hội đồng bình chọn sản phẩm công nghiệp nông thôn tiêu biểu "
                f"tại Biên bản họp {meeting}.")
    if level == "quoc_gia":
        return (*authority_bases(round_),
                "Căn cứ kết quả bình chọn của Hội đồng bình chọn sản phẩm công nghiệp nông thôn tiêu biểu cấp "
                f"quốc gia tại Biên bản họp {meeting};",
                "Theo đề nghị của Cục trưởng Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công.")
    if level == "khu_vuc":
        return (*authority_bases(round_),
                "Xét đề nghị của Hội đồng bình chọn sản phẩm công nghiệp nông thôn tiêu biểu cấp khu vực tại "
                f"Biên bản họp {meeting}.")
    proposer = "Giám đốc Sở Công Thương" if level == "tinh" else "Trưởng phòng Kinh tế"
    return (*authority_bases(round_),
            f"Xét đề nghị của {proposer} tại Tờ trình số {BLANK} ngày {BLANK} và kết quả bình chọn của Hội đồng "
            f"bình chọn sản phẩm công nghiệp nông thôn tiêu biểu tại Biên bản họp {meeting}.")


def decider(round_, authority):
    """Who decides, as printed in capitals under the title."""
    level = round_.jurisdiction_level
    if level == "quoc_gia":
        return f"BỘ TRƯỞNG {authority or 'Bộ Công Thương'}".upper()
    if level == "khu_vuc":
        return f"CỤC TRƯỞNG {authority}".upper() if authority else "CỤC TRƯỞNG"
    return authority.upper()


def _counts(decision):
    """(products, producers) the decision certifies: one query."""
    products, producers = db.session.execute(
        select(func.count(DecisionEntry.id), func.count(distinct(Application.producer_id)))
        .join(Application, Application.id == DecisionEntry.application_id)
        .where(DecisionEntry.decision_id == decision.id)).one()
    return products, producers


def amended_decision(decision):
    """The decision ``decision`` amends, or None: the round's latest one decided before it.

    A complaint upheld after the recognition decision leads to a new vote and an amending decision; a vote
    that did not carry, followed by one that did, leaves nothing to amend.
    """
    return db.session.scalar(select(Decision).where(
        Decision.round_id == decision.round_id, Decision.sequence < decision.sequence,
        Decision.decision_number.is_not(None)).order_by(Decision.sequence.desc()).limit(1))


def _number_and_date(decision):
    return f"Quyết định số {decision.decision_number} {long_date(decision.decision_on)}"


def _decision_words(decision):
    """"Quyết định số 125/QĐ-UBND ngày 02 tháng 3 năm 2026 của … về việc công nhận …", as a basis cites it."""
    round_ = decision.round
    authority = round_.authority.name if round_.authority else BLANK
    return (f"{_number_and_date(decision)} của {authority} về việc công nhận sản phẩm công nghiệp nông thôn "
            f"tiêu biểu {level_words(round_)} năm {round_.year}")


def _recognition(products, producers, level, year):
    return (f"Công nhận {products} sản phẩm của {producers} cơ sở công nghiệp nông thôn là sản phẩm công nghiệp "
            f"nông thôn tiêu biểu {level} năm {year} (có danh sách kèm theo).")


def _executes(round_, authority):
    return (f"Quyết định này có hiệu lực kể từ ngày ký. {executors(round_, authority)} và các cơ sở có tên tại Điều 1 "
            "chịu trách nhiệm thi hành Quyết định này./.")


def _amending_articles(round_, decision, amended, authority, level):
    """Điều 1 restates the recognition with the new list, which replaces the amended decision's; the rest stands."""
    products, producers = _counts(decision)
    cited = _number_and_date(amended)
    first = (f"Sửa đổi Điều 1 {cited} như sau: “{_recognition(products, producers, level, round_.year)}” "
             f"Danh sách kèm theo Quyết định này thay thế danh sách kèm theo {cited}.")
    second = f"Các nội dung khác của {cited} giữ nguyên hiệu lực."
    return ((1, first), (2, second), (3, _executes(round_, authority)))


def _articles(round_, decision, authority, level):
    amended = amended_decision(decision)
    if amended is not None:
        return _amending_articles(round_, decision, amended, authority, level)
    products, producers = _counts(decision)
    reports_to = "Sở Công Thương" if round_.jurisdiction_level == "tinh" else (authority or BLANK)
    validity = ""
    if round_.certificate_validity_months is None:
        validity = " Giấy chứng nhận có giá trị không thời hạn."
    elif round_.validity_from == ValidityFrom.DECISION:
        validity = (f" Giấy chứng nhận có giá trị {round_.certificate_validity_months} tháng kể từ ngày ký "
                    "Quyết định này.")
    first = _recognition(products, producers, level, round_.year)
    second = (f"Các cơ sở có sản phẩm được công nhận tại Điều 1 được cấp Giấy chứng nhận sản phẩm công nghiệp nông "
              f"thôn tiêu biểu {level}; được sử dụng danh hiệu và Giấy chứng nhận trong hoạt động quảng bá, giới "
              "thiệu và trên bao bì, nhãn của đúng sản phẩm được công nhận trong thời hạn hiệu lực của Giấy chứng "
              f"nhận.{validity} Các cơ sở có trách nhiệm duy trì và nâng cao chất lượng sản phẩm như khi được công "
              "nhận; chấp hành các quy định của pháp luật về sản xuất, kinh doanh, an toàn thực phẩm, bảo vệ môi "
              f"trường; báo cáo {reports_to} khi thay đổi tên, địa chỉ của cơ sở hoặc tên, chất lượng sản phẩm, "
              "hoặc khi ngừng sản xuất sản phẩm.")
    return ((1, first), (2, second), (3, _executes(round_, authority)))


def executors(round_, authority):
    """Who executes a decision of the round's authority, besides those it names."""
    if round_.jurisdiction_level in PROVINCIAL:
        return (f"Chánh Văn phòng {authority or 'Ủy ban nhân dân'}, Giám đốc Sở Công Thương, Thủ trưởng các "
                "cơ quan, đơn vị có liên quan")
    if round_.jurisdiction_level == "khu_vuc":
        return "Chánh Văn phòng Cục, Trưởng các phòng, đơn vị có liên quan thuộc Cục"
    return ("Chánh Văn phòng Bộ, Cục trưởng Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công, Thủ "
            "trưởng các đơn vị có liên quan")


def recipients(round_):
    """The distribution list of a decision of the round's authority ("Nơi nhận")."""
    level = round_.jurisdiction_level
    if level == "tinh":
        middle = ("- Bộ Công Thương (để b/c);", "- Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công;",
                  "- Chủ tịch, các Phó Chủ tịch UBND;", "- Các sở, ngành có liên quan;")
    elif level == "xa":
        middle = ("- UBND tỉnh (để b/c);", "- Sở Công Thương;", "- Chủ tịch, các Phó Chủ tịch UBND;")
    elif level == "khu_vuc":
        middle = ("- Bộ trưởng (để b/c);", "- Sở Công Thương các tỉnh, thành phố trong khu vực;")
    else:
        middle = ("- Các Thứ trưởng;", "- Sở Công Thương các tỉnh, thành phố;")
    return ("- Như Điều 3;", *middle, "- Lưu: VT.")


def _subject(decision, level):
    amended = amended_decision(decision)
    if amended is not None:
        return f"Về việc sửa đổi, bổ sung {_decision_words(amended)}"
    return f"Về việc công nhận sản phẩm công nghiệp nông thôn tiêu biểu {level} năm {decision.round.year}"


def decision_doc(decision):
    """Build the authority's decision recognising the products ``decision`` certifies.

    :raise ValueError: the decision has no number yet (the vote is not decided).
    """
    if not decision.is_decided:
        raise ValueError("the recognition decision needs a decided decision (decision number and date)")
    round_ = decision.round
    authority = round_.authority.name if round_.authority else ""
    lines = authority_lines(round_)
    level = level_words(round_)
    return DecisionDoc(
        header=OfficialHeader(parents=lines[:-1], issuer=lines[-1] if lines else BLANK, number=decision.decision_number,
                              place_date=place_date(round_place(round_), decision.decision_on)),
        subject=_subject(decision, level),
        decider=decider(round_, authority),
        bases=tuple(decision.legal_bases.splitlines()) if decision.legal_bases else usual_bases(decision),
        articles=_articles(round_, decision, authority, level),
        recipients=recipients(round_),
        signer=Signer.of(SignerBlock.of(decision)),
        footer=f"Quyết định số {decision.decision_number}",
    )


def decision_document(doc, annex=None, digital=None):
    """Lay out a :class:`DecisionDoc` (A4 portrait), ``annex`` (a :class:`~voting.documents.reports.DecisionListDoc`)
    appended as its following pages (A4 landscape); ``digital``: the digital signature's stamp lines
    (:class:`~voting.core.pades.stamp.StampLines`) in the signer block. The WeasyPrint document."""
    document = render_document(TEMPLATE, {"doc": doc, "digital": digital, "stamp": STAMP_LAYOUT})
    if annex is None:
        return document
    annexed = render_document(LIST_TEMPLATE, {"doc": annex})
    return document.copy([*document.pages, *annexed.pages])


def render_decision(doc, annex=None):
    """Render a :class:`DecisionDoc` to PDF bytes, with ``annex`` as its following pages (:func:`decision_document`)."""
    return decision_document(doc, annex).write_pdf()


def decision_pdf(decision, with_annex=True):
    """Return the recognition decision of ``decision``, with its annex by default, as PDF bytes.

    :raise ValueError: the decision is not decided yet (no number).
    """
    return render_decision(decision_doc(decision), decision_list_doc(decision) if with_annex else None)
