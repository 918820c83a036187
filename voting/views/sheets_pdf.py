"""Score sheets as PDF: blank ones for paper scoring, and a juror's own filled sheet."""
from voting.core.clock import VIETNAM
from voting.models import SheetStatus
from voting.documents.scoresheet_pdf import ScoreSheetDoc, SheetCriterion


def council_name(round_):
    # Normal case: the header's CSS sets it in capitals, the "Tên Hội đồng" field shows it as written.
    return f"Hội đồng bình chọn sản phẩm công nghiệp nông thôn tiêu biểu năm {round_.year}"


def _criteria(round_, sheet=None):
    scores = {s.criterion_id: s for s in sheet.scores} if sheet is not None else {}
    rows = []
    for criterion in round_.criteria:
        score = scores.get(criterion.id)
        rows.append(SheetCriterion(
            code=criterion.code, name=criterion.name, max_points=criterion.max_points,
            points=score.points if score else None, note=score.note if score else "",
            level=1 if criterion.parent_id else 0, guidance=criterion.guidance))
    return rows


def blank_doc(round_, application, juror=None):
    """A blank sheet for one entry (and optionally one juror), to print and fill by hand."""
    return ScoreSheetDoc(
        council_name=council_name(round_), round_title=round_.title,
        product_name=application.product.name, group_name=application.product.group.name,
        entry_code=application.entry_code or "", juror_name=juror.full_name if juror else "",
        juror_title=juror.title if juror else "", criteria=_criteria(round_),
        place=round_.authority.place_name if round_.authority else "")


def filled_doc(sheet):
    """A submitted (or draft) sheet as it stands, with who entered it if it came on paper.

    A draft is marked as one: it prints "BẢN NHÁP" and no signature block.
    """
    application = sheet.application
    round_ = application.round
    scored_at = sheet.submitted_at or sheet.updated_at
    return ScoreSheetDoc(
        council_name=council_name(round_), round_title=round_.title,
        product_name=application.product.name, group_name=application.product.group.name,
        entry_code=application.entry_code or "", juror_name=sheet.juror_user.full_name,
        juror_title=sheet.juror_user.title, criteria=_criteria(round_, sheet), total=sheet.total,
        comment=sheet.comment, scored_on=scored_at.astimezone(VIETNAM).date() if scored_at else None,
        place=round_.authority.place_name if round_.authority else "",
        entered_by=(f"Nhập hộ từ phiếu giấy bởi {sheet.entered_by.full_name}" if sheet.entered_by else None),
        sheet_id=f"PCD-{sheet.id}", draft=sheet.status != SheetStatus.SUBMITTED)
