"""Files and analysis of a round's results: the minutes, the recognition decision and its list (PDF, and
.docx for an office to amend before signing), the score matrix and the results table (Excel), and the
organiser's charts. Same audience as the results page."""
from io import BytesIO

from flask import abort, render_template, send_file
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select

from voting.documents.charts import analysis_context
from voting.extensions import db
from voting.models import Decision
from voting.core.pdf import pdf_response
from voting.documents.decision import decision_pdf as render_decision
from voting.documents.report_docx import decision_docx as render_decision_docx
from voting.documents.report_docx import decision_list_docx as render_decision_list_docx
from voting.documents.report_docx import minutes_docx as render_minutes_docx
from voting.documents.reports import decision_list_pdf as render_decision_list
from voting.documents.minutes import minutes_pdf as render_minutes
from voting.rules.results import compute_results
from voting.documents.results_exports import results_xlsx, score_matrix_xlsx
from voting.views.documents import docx_response
from voting.views.results.pages import open_round, results_required

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _excel_labels():
    """Column headers and notes in the UI language; Vietnamese uses the module's official wording."""
    if str(get_locale()) == "vi":
        return None
    return {
        "stt": _("STT"), "entry_code": _("Mã số"), "product_name": _("Tên sản phẩm"),
        "matrix_title": _("BẢNG TỔNG HỢP ĐIỂM CHẤM CỦA BAN GIÁM KHẢO"), "results_title": _("BẢNG KẾT QUẢ BÌNH CHỌN"),
        "rank": _("Xếp hạng"), "stage": _("Vòng chấm"), "juror": _("Giám khảo"), "producer_name": _("Tên cơ sở"),
        "address": _("Địa chỉ"), "group_name": _("Nhóm sản phẩm"),
        "criterion": _("TC {code}\n(tối đa {max})"), "criterion_mean": _("Bình quân TC {code}\n(tối đa {max})"),
        "total": _("Tổng điểm"), "flag": _("Phiếu lệch"), "sheets": _("Số phiếu"), "final": _("Điểm bình quân"),
        "spread": _("Chênh lệch cao - thấp"), "result": _("Kết quả"), "passed": _("Đạt"), "failed": _("Không đạt"),
        "below_quorum": _("Chưa đủ phiếu"), "not_advanced": _("Không vào vòng hai"),
        "struck": _("Không đề nghị (lý do)"), "prize": _("Giải"), "notes": _("Ghi chú:"),
        "criterion_note": _("TC {code}: {name} (tối đa {max} điểm)."),
        "flag_note": _("Phiếu lệch: tổng điểm cách trung vị các phiếu của sản phẩm (cùng vòng chấm) hơn {factor} "
                       "lần độ lệch tuyệt đối trung vị và hơn {spread} điểm; chỉ xét sản phẩm có từ 3 phiếu."),
        "quorum_note": _("Sản phẩm chưa đủ {n} phiếu chấm không được xếp hạng."),
        "place_date": "{place}, {d:02d}/{m:02d}/{y}",
    }


def _decision(round_, decision_id, decided=False):
    decision = db.session.scalar(select(Decision).where(Decision.id == decision_id, Decision.round_id == round_.id))
    if decision is None or (decided and not decision.is_decided):
        abort(404)
    return decision


@results_required
def minutes_pdf(round_id, decision_id):
    round_ = open_round(round_id)
    decision = _decision(round_, decision_id)
    return pdf_response(render_minutes(decision), f"bien-ban-hop-hoi-dong-{round_.id}-{decision.sequence}.pdf")


@results_required
def decision_list_pdf(round_id, decision_id):
    round_ = open_round(round_id)
    decision = _decision(round_, decision_id, decided=True)
    return pdf_response(render_decision_list(decision), f"danh-sach-cong-nhan-{round_.id}-{decision.sequence}.pdf")


@results_required
def decision_pdf(round_id, decision_id):
    """The recognition decision with its list as the following pages."""
    round_ = open_round(round_id)
    decision = _decision(round_, decision_id, decided=True)
    return pdf_response(render_decision(decision), f"quyet-dinh-cong-nhan-{round_.id}-{decision.sequence}.pdf")


@results_required
def decision_docx(round_id, decision_id):
    round_ = open_round(round_id)
    decision = _decision(round_, decision_id, decided=True)
    return docx_response(render_decision_docx(decision), f"quyet-dinh-cong-nhan-{round_.id}-{decision.sequence}.docx")


@results_required
def decision_list_docx(round_id, decision_id):
    round_ = open_round(round_id)
    decision = _decision(round_, decision_id, decided=True)
    return docx_response(render_decision_list_docx(decision), f"danh-sach-cong-nhan-{round_.id}-{decision.sequence}.docx")


@results_required
def minutes_docx(round_id, decision_id):
    round_ = open_round(round_id)
    decision = _decision(round_, decision_id)
    return docx_response(render_minutes_docx(decision), f"bien-ban-hop-hoi-dong-{round_.id}-{decision.sequence}.docx")


@results_required
def score_matrix(round_id):
    round_ = open_round(round_id)
    return send_file(BytesIO(score_matrix_xlsx(round_, labels=_excel_labels())), as_attachment=True, mimetype=XLSX,
                     download_name=f"bang-diem-chi-tiet-{round_.id}.xlsx")


@results_required
def results_table(round_id):
    round_ = open_round(round_id)
    return send_file(BytesIO(results_xlsx(round_, labels=_excel_labels())), as_attachment=True, mimetype=XLSX,
                     download_name=f"bang-ket-qua-{round_.id}.xlsx")


@results_required
def analysis(round_id):
    round_ = open_round(round_id)
    results = compute_results(round_)
    return render_template("results/analysis.html", round=round_, results=results, **analysis_context(results))
