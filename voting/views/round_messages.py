"""Messages for a round transition whose preconditions fail."""
from flask import flash
from flask_babel import lazy_gettext as _l

PRECONDITION_MESSAGES = {
    "unscreened": _l("Còn %(count)s hồ sơ chưa được xét duyệt."),
    "no_entries": _l("Chưa có sản phẩm nào được chấp nhận vào vòng chấm."),
    "no_criteria": _l("Phiếu chấm của đợt chưa có tiêu chí nào."),
    "subcriteria_sum": _l("Tổng điểm các tiêu chí con của tiêu chí %(code)s không bằng điểm tối đa của tiêu chí đó."),
    "too_few_jurors": _l("Sản phẩm %(entry_code)s chỉ có %(eligible)s giám khảo được chấm, cần ít nhất %(needed)s."),
    "sheets_missing": _l("Sản phẩm %(entry_code)s mới có %(submitted)s phiếu chấm đã nộp, cần ít nhất %(needed)s."),
    "no_second_stage": _l("Đợt bình chọn này không có vòng chấm thứ hai."),
    "second_stage_pending": _l("Đợt bình chọn có vòng chấm thứ hai: hãy chuyển sang khảo sát thực tế trước."),
}


def flash_preconditions(failure):
    for code, params in failure.problems:
        message = PRECONDITION_MESSAGES.get(code)
        flash(message % params if message is not None and params else (message or code), "error")
