"""The round's documents as editable .docx: the recognition decision, its annex and the council's minutes.

Each is laid out by :class:`~voting.documents.official_docx.OfficialDocx` from the very ``*Doc`` values
its PDF prints (:mod:`voting.documents.decision`, :mod:`voting.documents.reports`), so the Word file an
office amends starts from the text of the PDF.
"""
from functools import partial

from voting.documents.decision import decision_doc
from voting.documents.official_docx import OfficialDocx
from voting.documents.minutes import minutes_doc
from voting.documents.reports import BLANK, decision_list_doc

__all__ = ["decision_docx", "decision_list_docx", "minutes_docx", "render_decision_docx",
           "render_decision_list_docx", "render_minutes_docx"]

LIST_TITLE = "DANH SÁCH SẢN PHẨM CÔNG NGHIỆP NÔNG THÔN TIÊU BIỂU"
# Millimetres; None shares the rest of the width (the names).
LIST_WIDTHS = (12, 18, None, None, 45, 16, 16)
MINUTES_WIDTHS = (12, 18, None, None, 16, 20)


def _group_legend(builder, groups):
    if groups:
        legend = "; ".join(f"{code} – {name}" for code, name in groups)
        builder.paragraph(f"Nhóm: {legend}.", italic=True, indent=False, size=11)


def _annex(builder, annex):
    """The annex's pages: its title, the line naming the decision, the table and the groups' legend."""
    builder.centred(LIST_TITLE, bold=True, size=14)
    builder.centred(annex.round_title)
    builder.centred(annex.attached_to, italic=True, after=6)
    headings = ["STT", "Mã số", "Tên sản phẩm", "Tên cơ sở", "Địa chỉ", "Nhóm", "Điểm"]
    widths = list(LIST_WIDTHS)
    if annex.has_prizes:
        headings.append("Giải")
        widths.append(22)
    rows = [[str(index), row.code, row.product, row.producer, row.province, row.group, row.score]
            + ([row.prize] if annex.has_prizes else []) for index, row in enumerate(annex.rows, start=1)]
    builder.table(headings, rows, widths, centred={0, 1, 5, 6, 7})
    _group_legend(builder, annex.groups)


def render_decision_docx(doc, annex=None):
    """A :class:`~voting.documents.decision.DecisionDoc` as .docx bytes, ``annex`` on the following pages."""
    builder = OfficialDocx()
    builder.header(doc.header)
    builder.title(doc.title, doc.subject)
    builder.centred(doc.decider, bold=True, caps=True, after=6)
    for basis in doc.bases:
        builder.paragraph(basis, italic=True)
    builder.centred("QUYẾT ĐỊNH:", bold=True, after=6)
    for number, text in doc.articles:
        builder.article(number, text)
    builder.closing(doc.signer, doc.recipients)
    if annex is not None:
        builder.new_page(landscape=True)
        _annex(builder, annex)
    return builder.to_bytes()


def render_decision_list_docx(annex):
    """A :class:`~voting.documents.reports.DecisionListDoc` (the annex alone) as .docx bytes, A4 landscape."""
    builder = OfficialDocx(landscape=True)
    _annex(builder, annex)
    return builder.to_bytes()


def render_minutes_docx(doc):
    """A :class:`~voting.documents.minutes.MinutesDoc` as .docx bytes: the text of ``pdf/minutes.html``."""
    builder = OfficialDocx()
    builder.header(doc.header)
    builder.title("BIÊN BẢN HỌP HỘI ĐỒNG BÌNH CHỌN", subtitle=doc.round_title)
    heading = partial(builder.paragraph, bold=True, indent=False)
    heading("I. THỜI GIAN, ĐỊA ĐIỂM")
    builder.paragraph(f"- Thời gian: {f'vào hồi {doc.hours}, ' if doc.hours else ''}{doc.meeting_date}.")
    builder.paragraph(f"- Địa điểm: {doc.place}.")
    if doc.founding:
        builder.paragraph(f"- Căn cứ {doc.founding} về việc thành lập Hội đồng bình chọn.")
    heading("II. THÀNH PHẦN THAM DỰ")
    builder.paragraph(f"- Hội đồng có {len(doc.members)} thành viên; có mặt {doc.members_present} thành viên "
                      f"(số thành viên có mặt tối thiểu để biểu quyết hợp lệ: {doc.quorum}).")
    builder.paragraph(f"- Chủ trì: {doc.chair or BLANK}, {doc.chair_title}. Thư ký: {doc.secretary or BLANK}.")
    builder.paragraph("- Thành viên Hội đồng:")
    attendance = (["Tham dự"], (22,)) if doc.attendance_taken else ([], ())
    builder.table(["STT", "Họ và tên, chức vụ, cơ quan", "Chức danh trong Hội đồng", *attendance[0]],
                  [[str(i), ", ".join(filter(None, (m.name, m.position))), m.seat,
                    *([("Có mặt" if m.present else "Vắng mặt")] if doc.attendance_taken else [])]
                   for i, m in enumerate(doc.members, start=1)],
                  (12, None, 45, *attendance[1]), centred={0, 3})
    heading("III. NỘI DUNG VÀ KẾT QUẢ")
    heading("1. Kết quả chấm điểm")
    builder.paragraph(f"Số sản phẩm đưa ra chấm điểm: {doc.entries_scored}, trong đó:")
    builder.paragraph(f"- đủ số phiếu chấm tối thiểu ({doc.min_sheets} phiếu) để xếp hạng: {doc.entries_ranked};")
    builder.paragraph(f"- không đủ số phiếu chấm tối thiểu: {doc.entries_below_quorum};")
    builder.paragraph(f"- đạt điểm bình quân từ {doc.pass_mark} điểm trở lên: {doc.entries_passed}.")
    heading("2. Sản phẩm đạt điểm nhưng không đưa vào danh sách đề nghị")
    if doc.struck:
        builder.table(["STT", "Mã số", "Tên sản phẩm", "Cơ sở", "Điểm bình quân", "Lý do"],
                      [[str(i), r.code, r.product, r.producer, r.score, r.reason]
                       for i, r in enumerate(doc.struck, start=1)], (12, 18, None, None, 20, 45), centred={0, 1, 4})
    else:
        builder.paragraph("Không có.")
    heading("3. Biểu quyết")
    builder.paragraph(f"Hội đồng biểu quyết danh sách đề nghị công nhận gồm {len(doc.proposed)} sản phẩm: có mặt "
                      f"{doc.members_present} thành viên; tán thành {doc.votes_for}; không tán thành "
                      f"{doc.votes_against}; không biểu quyết {doc.votes_abstain}.")
    builder.paragraph(f"Danh sách được thông qua khi có {doc.majority_rule}.")
    builder.paragraph(f"Kết quả: danh sách {'được thông qua' if doc.carried else 'không được thông qua'}.", bold=True)
    heading("4. Danh sách sản phẩm đề nghị công nhận")
    prizes = doc.has_prizes
    builder.table(["STT", "Mã số", "Tên sản phẩm", "Cơ sở", "Nhóm", "Điểm bình quân"] + (["Giải"] if prizes else []),
                  [[str(i), r.code, r.product, r.producer, r.group, r.score] + ([r.prize] if prizes else [])
                   for i, r in enumerate(doc.proposed, start=1)],
                  list(MINUTES_WIDTHS) + ([22] if prizes else []), centred={0, 1, 4, 5, 6})
    _group_legend(builder, doc.groups)
    if doc.note:
        heading("5. Ý kiến khác")
        builder.paragraph(doc.note)
    builder.paragraph(f"Cuộc họp kết thúc lúc {doc.ended or '…… giờ …… phút'} cùng ngày; biên bản đã được thông qua "
                      "trước các thành viên Hội đồng dự họp.")
    builder.signatures(doc.signers)
    return builder.to_bytes()


def decision_docx(decision, with_annex=True):
    """The recognition decision of ``decision`` as .docx bytes, with its annex by default.

    :raise ValueError: the decision is not decided yet (no number).
    """
    return render_decision_docx(decision_doc(decision), decision_list_doc(decision) if with_annex else None)


def decision_list_docx(decision):
    """The annex alone as .docx bytes. :raise ValueError: the decision is not decided yet."""
    return render_decision_list_docx(decision_list_doc(decision))


def minutes_docx(decision):
    """The minutes of the council's vote recorded as ``decision`` as .docx bytes."""
    return render_minutes_docx(minutes_doc(decision))
