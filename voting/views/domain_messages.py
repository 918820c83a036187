"""Translated messages for domain errors, eligibility problems and rejected uploads."""
from flask import flash
from flask_babel import lazy_gettext as _l

PROBLEM_MESSAGES = {
    "not_own_product": _l("Sản phẩm này không thuộc cơ sở của bạn."),
    "nomination_only": _l("Đợt bình chọn cấp khu vực và cấp quốc gia chỉ nhận hồ sơ do cấp dưới đề cử."),
    "outside_jurisdiction": _l("Địa chỉ cơ sở của bạn không thuộc địa bàn của đợt bình chọn này."),
    "round_not_open": _l("Đợt bình chọn này hiện không nhận hồ sơ."),
    "already_applied": _l("Sản phẩm này đã có hồ sơ đăng ký trong đợt bình chọn này."),
    "profile": _l("Hồ sơ cơ sở chưa đầy đủ (tên, mã số đăng ký, địa chỉ, người đại diện, điện thoại)."),
    "description": _l("Bản thuyết minh sản phẩm còn thiếu hoặc quá ngắn (ít nhất 50 ký tự)."),
    "photos": _l("Cần ít nhất 3 ảnh màu sản phẩm chụp từ các góc khác nhau."),
    "registration_document": _l("Thiếu bản sao giấy chứng nhận đăng ký của cơ sở."),
    "set_items": _l("Bộ sản phẩm cần liệt kê ít nhất 2 sản phẩm thành phần."),
}

ERROR_MESSAGES = {
    "dossier_locked": _l("Hồ sơ đã nộp nên đang bị khóa; không sửa được cho tới khi cơ quan tổ chức trả lại."),
    "invalid_transition": _l("Thao tác này không áp dụng được ở trạng thái hiện tại của hồ sơ."),
    "too_many_files": _l("Đã đạt số tệp tối đa (%(limit)s) cho mục này."),
    "duplicate_file": _l("Tệp này đã được tải lên cho sản phẩm."),
}

UPLOAD_MESSAGES = {
    "not_an_image": _l("Tệp %(name)s không phải là ảnh JPEG, PNG hoặc WebP."),
    "unsupported_type": _l("Tệp %(name)s không phải là PDF hoặc ảnh JPEG, PNG, WebP."),
    "not_a_pdf": _l("Tệp %(name)s không phải là tệp PDF hợp lệ."),
    "encrypted_pdf": _l("Tệp PDF %(name)s được đặt mật khẩu; hãy tải lên bản không mật khẩu."),
    "too_many_pages": _l("Tệp PDF %(name)s có quá nhiều trang (tối đa %(max_pages)s)."),
    "too_large": _l("Tệp %(name)s quá lớn (tối đa %(max_mb)s MB)."),
    "too_many_pixels": _l("Ảnh %(name)s quá lớn: %(width)s × %(height)s điểm ảnh. Hãy thu nhỏ ảnh rồi tải lại."),
    "too_small": _l("Ảnh %(name)s quá nhỏ để in rõ nét."),
    "empty": _l("Tệp %(name)s rỗng."),
    "corrupt": _l("Tệp %(name)s bị hỏng hoặc không đọc được."),
}


def problem_message(code):
    return PROBLEM_MESSAGES.get(code, code)


def flash_domain_error(error):
    problems = getattr(error, "problems", None)
    if problems:
        for code in problems:
            flash(problem_message(code), "error")
        return
    message = ERROR_MESSAGES.get(error.code, ERROR_MESSAGES["invalid_transition"])
    flash(message % error.params if error.params else message, "error")


def upload_message(rejection, filename):
    template = UPLOAD_MESSAGES.get(rejection.code, UPLOAD_MESSAGES["corrupt"])
    params = {"name": f"«{filename}»" if filename else "", **rejection.params}
    return " ".join((template % params).split())  # no double space when there is no name


def flash_form_errors(form):
    for errors in form.errors.values():
        for message in errors:
            flash(message, "error")
