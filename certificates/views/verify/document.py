"""The public check of a PDF: anyone drops a file that claims to come from the platform and learns whether the
platform issued it, whether it is unchanged, and who signed it (:mod:`certificates.rules.document_check`).

At most ``UPLOAD_MAX_DOCUMENT_MB`` (20 MB), rate-limited per address (``DOCUMENT_CHECK_RATE_LIMIT``), checked by
its content (a PDF begins with ``%PDF-``), read in a child process stopped after ``DOCUMENT_CHECK_SECONDS``.
Nothing is stored.
"""
from flask import current_app, render_template
from flask_babel import gettext as _

from certificates.forms import DocumentCheckForm
from voting.core.access import public
from voting.extensions import limiter
from voting.models import FileKind
from voting.views.files import upload_endpoint, upload_limits

PDF_MAGIC = b"%PDF-"


def _check_limit():
    return current_app.config.get("DOCUMENT_CHECK_RATE_LIMIT", "10 per minute;60 per hour")


@public
@upload_endpoint(FileKind.DOCUMENT)
@limiter.limit(_check_limit, methods=["POST"])
def check_document_page():
    form, result, status = DocumentCheckForm(), None, 200
    if form.is_submitted():
        result, status = _checked(form)
    return render_template("certificates/document_check.html", form=form, result=result,
                           max_mb=upload_limits()[FileKind.DOCUMENT] // (1024 * 1024)), status


def _checked(form):
    """``(result, status)`` for a submitted form; an error goes on the file field, in words."""
    from certificates.rules.document_check import check_document
    from voting.core.pades.time_limit import TooSlow
    from voting.core.pades.validation import NotAPdf

    if not form.validate():
        return None, 400
    data = form.document.data.read(upload_limits()[FileKind.DOCUMENT] + 1)
    if len(data) > upload_limits()[FileKind.DOCUMENT]:
        form.document.errors.append(_("Tệp lớn hơn %(mb)d MB.", mb=upload_limits()[FileKind.DOCUMENT] // (1024 * 1024)))
        return None, 413
    if not data.startswith(PDF_MAGIC):
        form.document.errors.append(_("Tệp này không phải PDF (nội dung không bắt đầu bằng %(magic)s).",
                                      magic=PDF_MAGIC.decode()))
        return None, 400
    try:
        return check_document(data), 200
    except TooSlow:
        form.document.errors.append(_("Kiểm tra tệp này mất quá nhiều thời gian và đã dừng. Tệp có thể bị hỏng "
                                      "hoặc quá phức tạp."))
        return None, 422
    except NotAPdf:
        form.document.errors.append(_("Không đọc được tệp PDF này (tệp hỏng hoặc không đúng định dạng)."))
        return None, 400
