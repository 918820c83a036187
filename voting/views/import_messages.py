"""Translated messages for the problems of a certificate import (codes from :mod:`voting.operations.imports`)."""
from flask_babel import lazy_gettext as _l

FILE_MESSAGES = {
    "too_large": _l("Tệp quá lớn: tối đa %(max_mb)d MB."),
    "empty": _l("Tệp rỗng."),
    "not_xlsx": _l("Tệp không phải là bảng tính Excel (.xlsx) đọc được, dù tên tệp là gì."),
    "zip_bomb": _l("Nội dung giải nén của tệp quá lớn so với kích thước tệp: tệp bị từ chối."),
    "too_many_rows": _l("Tệp có quá nhiều dòng: mỗi lần nhập tối đa %(max_rows)d giấy chứng nhận."),
    "missing_columns": _l("Tệp thiếu cột: %(columns)s. Hãy dùng đúng dòng tiêu đề của tệp mẫu."),
    "no_rows": _l("Tệp không có dòng dữ liệu nào dưới dòng tiêu đề."),
}
ROW_MESSAGES = {
    "required": _l("Chưa điền."),
    "too_long": _l("Dài quá %(max)d ký tự."),
    "level_unknown": _l("Cấp «%(value)s» không có trong danh mục (cấp huyện, cấp xã, cấp tỉnh, cấp khu vực, "
                        "cấp quốc gia)."),
    "group_unknown": _l("Nhóm sản phẩm «%(value)s» không có trong danh mục (ghi số nhóm, từ 1 đến 4)."),
    "year_malformed": _l("Năm «%(value)s» không phải là một năm."),
    "year_out_of_range": _l("Năm phải từ %(first)d đến %(last)d."),
    "date_malformed": _l("Ngày «%(value)s» không đúng dạng ngày/tháng/năm (ví dụ 20/11/2023)."),
    "date_future": _l("Ngày %(date)s chưa đến."),
    "valid_before_decision": _l("Ngày hết giá trị phải sau ngày quyết định."),
    "district_level_ended": _l("Cấp huyện chỉ còn đến hết ngày 30/6/2025."),
    "commune_level_not_yet": _l("Cấp xã chỉ có từ ngày 1/7/2025."),
    "province_unknown": _l("Không có tỉnh, thành phố «%(value)s», kể cả trước ngày 1/7/2025."),
    "duplicate_in_file": _l("Số %(number)s trùng với dòng %(first_row)d của tệp."),
    "duplicate_in_database": _l("Số %(number)s đã có trên nền tảng."),
}
SUGGESTION = _l("Có phải «%(suggestion)s»?")


def problem_message(problem):
    """The Vietnamese (or translated) text of one :class:`voting.operations.imports.Problem`."""
    table = ROW_MESSAGES if problem.row is not None else FILE_MESSAGES
    text = str(table.get(problem.code, FILE_MESSAGES["not_xlsx"])) % problem.params
    if problem.params.get("suggestion"):
        text = f"{text} {str(SUGGESTION) % {'suggestion': problem.params['suggestion']}}"
    return text
