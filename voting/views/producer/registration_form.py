"""The producer's registration form (phiếu đăng ký): the printable PDF (and a .docx to fill in by hand), and the
signed scan."""
from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from voting.core.access import producer_required
from voting.core.pdf import pdf_response
from voting.documents.council_docx import registration_form_docx
from voting.documents.registration_form import registration_form_pdf
from voting.forms.producer import SignedFormUploadForm
from voting.models import FileKind
from voting.operations.registration_forms import attach_signed_form
from voting.rules.commitments import given_on_platform
from voting.views.documents import docx_response
from voting.views.files import commit_upload, discard_stored, send_signed_form, store_upload, upload_endpoint
from voting.views.producer.pages import own_application


@producer_required
def registration_form(application_id):
    """The filled form to print and sign, once submitted with its commitments (404 before: nothing to sign)."""
    application = own_application(application_id)
    if not given_on_platform(application.commitments):
        abort(404)
    return pdf_response(registration_form_pdf(application), f"phieu-dang-ky-{application.id}.pdf")


@producer_required
def registration_form_word(application_id):
    """The same form as .docx, for a producer who prints it from its own word processor; same rule as the PDF."""
    application = own_application(application_id)
    if not given_on_platform(application.commitments):
        abort(404)
    return docx_response(registration_form_docx(application), f"phieu-dang-ky-{application.id}.docx")


@producer_required
@upload_endpoint(FileKind.DOCUMENT)
def signed_form_upload(application_id):
    """Receive the signed scan (PDF or image, checked by content); a new one replaces the old."""
    application = own_application(application_id)
    received = store_upload(SignedFormUploadForm(), FileKind.DOCUMENT)
    if received is not None:
        upload, checked, storage_name = received

        def record():
            # "" when no earlier scan was replaced: commit_upload's None means refused.
            return attach_signed_form(current_user, application, checked, storage_name, upload.filename or "") or ""

        replaced = commit_upload(storage_name, record)
        if replaced is not None:
            if replaced:  # the old scan goes once the new one is committed
                discard_stored(replaced)
            flash(_("Đã tải lên phiếu đăng ký đã ký."), "success")
    return redirect(url_for("producer.application", application_id=application.id, _anchor="registration-form"))


@producer_required
def signed_form(application_id):
    application = own_application(application_id)
    if application.signed_registration_form is None:
        abort(404)
    return send_signed_form(application.signed_registration_form)
