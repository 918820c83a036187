"""Messages for a round transition whose preconditions fail."""
from flask import flash
from flask_babel import lazy_gettext as _l

PRECONDITION_MESSAGES = {
    "unscreened": _l("Còn %(count)s hồ sơ chưa được xét duyệt."),
    "no_entries": _l("Chưa có sản phẩm nào được chấp nhận vào vòng chấm."),
    "no_criteria": _l("Phiếu chấm của đợt chưa có tiêu chí nào."),
    "subcriteria_sum": _l("Tổng điểm các tiêu chí con của tiêu chí %(code)s không bằng điểm tối đa của tiêu chí đó."),
    "too_few_jurors": _l("Sản phẩm %(entry_code)s mới có %(eligible)s giám khảo chấm, cần ít nhất %(needed)s."),
    "sheets_missing": _l("Sản phẩm %(entry_code)s mới có %(submitted)s phiếu chấm đã nộp, cần ít nhất %(needed)s."),
    "no_second_stage": _l("Đợt bình chọn này không có vòng chấm thứ hai."),
    "second_stage_pending": _l("Đợt bình chọn có vòng chấm thứ hai: hãy chuyển sang khảo sát thực tế trước."),
    # Warnings: the move goes ahead.
    "council_below_quorum": _l("Hội đồng bình chọn mới có %(members)s thành viên, ít hơn túc số %(quorum)s cần để "
                               "biểu quyết. Hãy bổ sung thành viên Hội đồng (hoặc sửa túc số trong Thiết lập) trước "
                               "khi chuyển Hội đồng họp: từ khi Hội đồng họp, cả Hội đồng lẫn túc số đều không sửa "
                               "được nữa và kết quả sẽ không thể được biểu quyết thông qua."),
    "council_below_quorum_moved": _l("Lưu ý: Hội đồng bình chọn chỉ có %(members)s thành viên, ít hơn túc số "
                                     "%(quorum)s cần để biểu quyết, nên kết quả không thể được biểu quyết thông qua."),
    "council_not_founded": _l("Chưa ghi quyết định thành lập Hội đồng: Hội đồng chỉ biểu quyết được khi đã có "
                              "quyết định thành lập. Hãy ghi số, ngày và người ký của quyết định trên trang này."),
    "council_not_founded_moved": _l("Lưu ý: chưa ghi quyết định thành lập Hội đồng; hãy ghi trước khi Hội đồng "
                                    "biểu quyết."),
    # Certificates
    "results_not_published": _l("Kết quả của đợt bình chọn chưa được công bố."),
    "not_decided_yet": _l("Kết quả đã công bố để nhận khiếu nại (tới hết ngày %(closes_on)s); giấy chứng nhận được "
                          "cấp sau khi có quyết định công nhận."),
    "complaint_window_open": _l("Thời hạn khiếu nại còn tới hết ngày %(closes_on)s; giấy chứng nhận được cấp sau "
                                "thời hạn này."),
    "complaints_open": _l("Còn khiếu nại chưa được Hội đồng trả lời."),
    "no_authority": _l("Đợt bình chọn chưa có cơ quan cấp giấy chứng nhận."),
}


def precondition_message(code, params=None):
    message = PRECONDITION_MESSAGES.get(code)
    return message % params if message is not None and params else (message or code)


def flash_preconditions(failure):
    for code, params in failure.problems:
        flash(precondition_message(code, params), "error")
