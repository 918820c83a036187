"""Error answers: pages in the site's own look, in the user's language; JSON under ``/api/``.

Everything under ``/api/`` answers errors in one JSON shape, whatever raised them (a view, the
rate limiter, Werkzeug's routing before any view runs, a database outage)::

    {"error": "<code>", "message": "<text in the user's language>", "errors": {"<parameter>": "<text>"}}

``errors`` only when named parameters are at fault. A 405 carries ``Allow``; a 429 ``Retry-After``.
"""
from flask import flash, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError, MethodNotAllowed, RequestURITooLarge

from voting.extensions import db

MESSAGES = {
    400: (_l("Yêu cầu không hợp lệ"), _l("Máy chủ không hiểu yêu cầu này. Hãy quay lại trang trước và thử lại.")),
    403: (_l("Không có quyền truy cập"), _l("Tài khoản của bạn không có quyền xem trang này.")),
    404: (_l("Không tìm thấy trang"), _l("Trang bạn tìm không tồn tại hoặc đã được chuyển đi.")),
    405: (_l("Thao tác không được hỗ trợ"), _l("Trang này không nhận thao tác vừa gửi.")),
    413: (_l("Tệp hoặc dữ liệu quá lớn"), _l("Dữ liệu gửi lên vượt quá giới hạn cho phép. Hãy chọn tệp nhỏ hơn.")),
    414: (_l("Địa chỉ quá dài"), _l("Địa chỉ (URL) của yêu cầu dài quá giới hạn cho phép. Hãy rút ngắn nội dung tìm kiếm.")),
    429: (_l("Quá nhiều lần thử"), _l("Bạn đã thử quá nhiều lần trong thời gian ngắn. Vui lòng đợi một lát rồi thử lại.")),
    500: (_l("Lỗi hệ thống"), _l("Đã có lỗi xảy ra phía máy chủ. Chúng tôi đã ghi nhận; vui lòng thử lại sau.")),
    503: (_l("Hệ thống tạm thời gián đoạn"), _l("Cơ sở dữ liệu tạm thời không phản hồi. Vui lòng thử lại sau ít phút.")),
}
#: The ``error`` member of a JSON answer, per status.
API_ERRORS = {400: "bad_request", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
              413: "payload_too_large", 414: "uri_too_long", 429: "too_many_requests", 500: "internal_error",
              503: "unavailable"}
API_PREFIX = "/api/"
#: The longest request target (path and query, as sent) the app answers; longer is a 414. Above the
#: longest URL the OpenAPI document allows, below gunicorn's ``limit_request_line`` (gunicorn.conf.py),
#: so that the app, not the server, answers it (in JSON under /api/).
MAX_URL_BYTES = 8000


def is_api_request():
    return request.path.startswith(API_PREFIX)


def api_error(code, message=None, errors=None, error=None, **extra):
    """The JSON error answer; ``extra`` members follow the standard ones (e.g. ``status`` for verifiers)."""
    body = {"error": error or API_ERRORS.get(code, "error"),
            "message": str(message if message is not None else MESSAGES.get(code, MESSAGES[500])[1])}
    if errors:
        body["errors"] = {name: str(text) for name, text in errors.items()}
    body.update(extra)
    response = jsonify(body)
    response.status_code = code
    response.headers["Access-Control-Allow-Origin"] = "*"  # an error must be readable where the answer is
    response.headers["Cache-Control"] = "no-store"
    return response


def render_error(code, detail=None):
    title, message = MESSAGES.get(code, MESSAGES[500])
    return render_template("errors/error.html", code=code, title=title, message=message, detail=detail), code


def error_answer(code, detail=None):
    """JSON under /api/, the site's page elsewhere."""
    if is_api_request():
        return api_error(code, message=detail)
    return render_error(code, detail)


def refuse_long_url():
    """Before anything else runs: a request target longer than :data:`MAX_URL_BYTES` is a 414."""
    environ = request.environ
    target = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    length = len(target) if target else len(environ.get("PATH_INFO", "")) + len(environ.get("QUERY_STRING", ""))
    if length > MAX_URL_BYTES:
        raise RequestURITooLarge()


def register(app):
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_long_url)

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return error_answer(400, _l("Biểu mẫu đã hết hạn hoặc thiếu mã bảo mật (CSRF). "
                                    "Hãy quay lại, tải lại trang và gửi lại."))

    @app.errorhandler(HTTPException)
    def http_error(error):
        if error.code in (301, 302, 303, 307, 308) or error.code is None or error.code < 400:
            return error
        if error.code == 429 and not is_api_request():
            view = app.view_functions.get(request.endpoint)
            rerender = getattr(view, "rerender_when_limited", None)
            if rerender is not None and request.method == "POST":
                flash(MESSAGES[429][1], "error")
                return rerender(), 429
        answer = error_answer(error.code if error.code in MESSAGES else 500)
        if isinstance(error, MethodNotAllowed) and error.valid_methods:
            answer = app.make_response(answer)
            answer.headers["Allow"] = ", ".join(sorted(error.valid_methods))
        return answer

    @app.errorhandler(OperationalError)
    def database_unavailable(error):
        app.logger.error("database error on %s: %s", request.path, error)
        db.session.rollback()
        return error_answer(503)

    @app.errorhandler(InternalServerError)
    def internal_error(error):
        db.session.rollback()
        return error_answer(500)
