"""Error pages in the site's own look, in the user's language."""
from flask import flash, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError

from voting.extensions import db

MESSAGES = {
    400: (_l("Yêu cầu không hợp lệ"), _l("Máy chủ không hiểu yêu cầu này. Hãy quay lại trang trước và thử lại.")),
    403: (_l("Không có quyền truy cập"), _l("Tài khoản của bạn không có quyền xem trang này.")),
    404: (_l("Không tìm thấy trang"), _l("Trang bạn tìm không tồn tại hoặc đã được chuyển đi.")),
    405: (_l("Thao tác không được hỗ trợ"), _l("Trang này không nhận thao tác vừa gửi.")),
    413: (_l("Tệp hoặc dữ liệu quá lớn"), _l("Dữ liệu gửi lên vượt quá giới hạn cho phép. Hãy chọn tệp nhỏ hơn.")),
    429: (_l("Quá nhiều lần thử"), _l("Bạn đã thử quá nhiều lần trong thời gian ngắn. Vui lòng đợi một lát rồi thử lại.")),
    500: (_l("Lỗi hệ thống"), _l("Đã có lỗi xảy ra phía máy chủ. Chúng tôi đã ghi nhận; vui lòng thử lại sau.")),
    503: (_l("Hệ thống tạm thời gián đoạn"), _l("Cơ sở dữ liệu tạm thời không phản hồi. Vui lòng thử lại sau ít phút.")),
}


def render_error(code, detail=None):
    title, message = MESSAGES.get(code, MESSAGES[500])
    return render_template("errors/error.html", code=code, title=title, message=message, detail=detail), code


def register(app):
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(400, _l("Biểu mẫu đã hết hạn hoặc thiếu mã bảo mật (CSRF). "
                                    "Hãy quay lại, tải lại trang và gửi lại."))

    @app.errorhandler(HTTPException)
    def http_error(error):
        if error.code in (301, 302, 303, 307, 308) or error.code is None or error.code < 400:
            return error
        if error.code == 429:
            view = app.view_functions.get(request.endpoint)
            rerender = getattr(view, "rerender_when_limited", None)
            if rerender is not None and request.method == "POST":
                flash(MESSAGES[429][1], "error")
                return rerender(), 429
        return render_error(error.code if error.code in MESSAGES else 500)

    @app.errorhandler(OperationalError)
    def database_unavailable(error):
        app.logger.error("database error on %s: %s", request.path, error)
        db.session.rollback()
        return render_error(503)

    @app.errorhandler(InternalServerError)
    def internal_error(error):
        db.session.rollback()
        return render_error(500)
