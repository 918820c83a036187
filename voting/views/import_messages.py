"""Translated messages for the problems of an import: past certificates (codes from
:mod:`certificates.operations.past_imports`) and paper nomination lists (:mod:`voting.operations.nomination_imports`,
which adds :data:`NOMINATION_MESSAGES` to the shared ones)."""
from flask_babel import lazy_gettext as _l

FILE_MESSAGES = {
    "too_large": _l("Tệp quá lớn: tối đa %(max_mb)d MB."),
    "empty": _l("Tệp rỗng."),
    "not_xlsx": _l("Tệp không phải bảng tính Excel (.xlsx) hợp lệ."),
    "zip_bomb": _l("Nội dung giải nén của tệp quá lớn so với kích thước tệp: tệp bị từ chối."),
    "too_many_rows": _l("Tệp có quá nhiều dòng: mỗi lần nhập tối đa %(max_rows)d giấy chứng nhận."),
    "missing_columns": _l("Tệp thiếu cột: %(columns)s. Hãy dùng đúng dòng tiêu đề của tệp mẫu."),
    "no_rows": _l("Tệp không có dòng dữ liệu nào dưới dòng tiêu đề."),
}
ROW_MESSAGES = {
    "required": _l("Chưa điền."),
    "too_long": _l("Dài quá %(max)d ký tự."),
    "level_unknown": _l("Cấp “%(value)s” không có trong danh mục (cấp huyện, cấp xã, cấp tỉnh, cấp khu vực, "
                        "cấp quốc gia)."),
    "group_unknown": _l("Nhóm sản phẩm “%(value)s” không có trong danh mục (ghi số nhóm, từ 1 đến 4)."),
    "year_malformed": _l("Năm “%(value)s” không phải là một năm."),
    "year_out_of_range": _l("Năm phải từ %(first)d đến %(last)d."),
    "date_malformed": _l("Ngày “%(value)s” không đúng dạng ngày/tháng/năm (ví dụ 20/11/2023)."),
    "date_future": _l("Ngày %(date)s chưa đến."),
    "valid_before_decision": _l("Ngày hết giá trị phải sau ngày quyết định."),
    "district_level_ended": _l("Cấp huyện chỉ còn đến hết ngày 30/6/2025."),
    "commune_level_not_yet": _l("Cấp xã chỉ có từ ngày 1/7/2025."),
    "province_unknown": _l("Không có tỉnh, thành phố “%(value)s”, kể cả trước ngày 1/7/2025."),
    "duplicate_in_file": _l("Số %(number)s trùng với dòng %(first_row)d của tệp."),
    "duplicate_in_database": _l("Số %(number)s đã có trên nền tảng."),
}
SUGGESTION = _l("Có phải “%(suggestion)s”?")
#: A paper nomination list's own problems (and its wording of the shared ones).
NOMINATION_MESSAGES = {
    # The list as a whole
    "too_many_rows": _l("Tệp có quá nhiều dòng: mỗi danh sách đề cử tối đa %(max_rows)d sản phẩm."),
    "not_nomination_round": _l("Chỉ đợt bình chọn cấp khu vực hoặc cấp quốc gia mới nhận đề cử từ các tỉnh."),
    "round_not_open": _l("Đợt bình chọn không trong thời gian nhận hồ sơ (từ %(opens)s đến %(closes)s, và "
                         "đợt phải đang mở đăng ký): không nhận đề cử."),
    "other_region": _l("%(province)s không thuộc %(region)s: đợt bình chọn này không nhận đề cử của tỉnh."),
    # One row
    "producer_type_unknown": _l("Loại hình “%(value)s” không có trong danh mục (doanh nghiệp nhỏ và vừa, "
                                "hợp tác xã, tổ hợp tác, hộ kinh doanh)."),
    "registration_malformed": _l("Mã số đăng ký “%(value)s” không đúng với loại hình cơ sở (doanh nghiệp và "
                                 "hợp tác xã: 10 chữ số)."),
    "certificate_on_platform": _l("Số %(number)s là giấy chứng nhận do nền tảng cấp: sản phẩm được đề cử từ "
                                  "đợt bình chọn trên nền tảng, không nhập từ danh sách đề cử bằng văn bản."),
    "certificate_other_entry": _l("Số %(number)s đã có trên nền tảng, cấp cho sản phẩm “%(product)s” của "
                                  "“%(producer)s”: không phải sản phẩm của dòng này."),
    "certificate_other_province": _l("Số %(number)s đã có trên nền tảng, là giấy chứng nhận của %(province)s."),
    "certificate_details_differ": _l("Số %(number)s đã có trên nền tảng nhưng khác ở cột: %(columns)s."),
    "producer_other_province": _l("Mã số đăng ký %(value)s là của “%(name)s” ở %(province)s, không phải tỉnh "
                                  "của danh sách."),
    "producer_ambiguous": _l("Tỉnh có %(count)d cơ sở cùng tên “%(name)s”: hãy ghi mã số đăng ký để biết "
                             "là cơ sở nào."),
    "product_ambiguous": _l("Cơ sở có %(count)d sản phẩm cùng tên “%(product)s” trên nền tảng."),
    "group_differs": _l("Sản phẩm “%(product)s” đã có trên nền tảng ở nhóm %(existing)s, dòng này ghi nhóm "
                        "%(value)s."),
    "duplicate_product_in_file": _l("Sản phẩm “%(product)s” của cơ sở này trùng với dòng %(first_row)d của tệp."),
    "withdrawn_elsewhere": _l("Sản phẩm “%(product)s” đã được đề cử vào đợt này theo giấy chứng nhận khác rồi "
                              "rút lại: không nhập lại được từ danh sách này."),
    "not_level_below": _l("Số %(number)s là giấy chứng nhận %(level)s; đợt này nhận giấy chứng nhận "
                          "%(expected)s."),
    "certificate_not_valid": _l("Giấy chứng nhận số %(number)s đang bị tạm đình chỉ hoặc đã bị thu hồi."),
    "validity_unknown": _l("Chưa điền ngày hết hiệu lực. Văn bản chưa quy định thời hạn của giấy chứng nhận "
                           "nên nền tảng không tự tính: hãy ghi ngày in trên giấy chứng nhận."),
    "certificate_expires": _l("Giấy chứng nhận hết hiệu lực ngày %(date)s, trước hạn cuối nhận hồ sơ "
                              "%(deadline)s: không còn giá trị để đề cử."),
    "already_nominated": _l("Giấy chứng nhận số %(number)s đã được đề cử vào đợt này."),
    "already_applied": _l("Sản phẩm “%(product)s” đã có hồ sơ trong đợt này."),
    "quota_reached": _l("Vượt số đề cử của mỗi tỉnh: đợt nhận tối đa %(quota)d sản phẩm của một tỉnh, "
                        "%(province)s đã có %(standing)d; dòng này là sản phẩm thứ %(position)d."),
}


def problem_message(problem, messages=None):
    """The Vietnamese (or translated) text of one :class:`voting.operations.imports.Problem`.

    :param messages: an import's own messages by code (:data:`NOMINATION_MESSAGES`), looked up first.
    """
    table = ROW_MESSAGES if problem.row is not None else FILE_MESSAGES
    message = (messages or {}).get(problem.code) or table.get(problem.code, FILE_MESSAGES["not_xlsx"])
    text = str(message) % problem.params
    if problem.params.get("suggestion"):
        text = f"{text} {str(SUGGESTION) % {'suggestion': problem.params['suggestion']}}"
    return text
