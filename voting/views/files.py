"""Receiving uploads into a dossier and sending stored files back, for any blueprint."""
from flask import abort, current_app, flash, get_flashed_messages, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from voting.core.errors import DomainError
from voting.extensions import db
from voting.models import FileKind
from voting.operations.products import add_product_file, ensure_unlocked
from voting.core.uploads import (
    UploadRejected,
    check_document,
    check_photo,
    delete_stored,
    make_thumbnail,
    send_stored,
    store,
)
from voting.core.storage import storage
from voting.views.domain_messages import flash_domain_error, flash_form_errors, upload_message

MB = 1024 * 1024


def upload_limits():
    config = current_app.config
    return {
        FileKind.PHOTO: config.get("UPLOAD_MAX_PHOTO_MB", 10) * MB,
        FileKind.DOCUMENT: config.get("UPLOAD_MAX_DOCUMENT_MB", 20) * MB,
        "pixels": config.get("UPLOAD_MAX_PIXELS", 40_000_000),
    }


def upload_endpoint(kind):
    """Mark a view as receiving one upload of ``kind``; see :func:`apply_upload_limit`."""

    def mark(view):
        view.upload_kind = kind
        return view

    return mark


def apply_upload_limit():
    """Before anything reads the body (CSRF included), set this route's size limit.

    Werkzeug then answers 413 from the Content-Length header alone, before a
    200 MB body is read; other routes keep the global MAX_CONTENT_LENGTH.
    """
    view = current_app.view_functions.get(request.endpoint)
    kind = getattr(view, "upload_kind", None)
    if kind is not None:
        request.max_content_length = upload_limits()[kind] + MB  # + room for the form fields


def receive_upload(product, kind, form_class):
    """Check, store and record one uploaded file; flash the outcome. Returns the record or None.

    Nothing is half-written: a file that fails any later step is deleted
    again, and the row is only committed once the file is stored.
    """
    form = form_class()
    received = store_upload(form, kind, precheck=lambda: ensure_unlocked(product))
    if received is None:
        return None
    upload, checked, storage_name = received

    def record():
        files = storage("uploads")
        thumbnail = make_thumbnail(files, storage_name) if checked.kind == "image" else None
        document_type = form.document_type.data if kind == FileKind.DOCUMENT else None
        return add_product_file(current_user, product, checked, storage_name, thumbnail,
                                upload.filename or "", kind, document_type)

    outcome = commit_upload(storage_name, record)
    if outcome is not None:
        flash(_("Đã tải lên %(name)s.", name=upload.filename or _("tệp")), "success")
    return outcome


def sent_by_script():
    """True for an upload sent by the page's script, one file at a time (static/js/uploads.js)."""
    return request.headers.get("X-Requested-With") == "fetch"


def upload_answer(record):
    """The script's answer for one file: JSON with what the page would have flashed (taken, not shown twice)."""
    messages = [message for _category, message in get_flashed_messages(with_categories=True)]
    return jsonify(ok=record is not None, messages=messages), 200 if record is not None else 400


def store_upload(form, kind, precheck=None):
    """Validate the upload ``form``, check its file by content (``kind``: photo or document) and store it.

    ``precheck`` runs before anything is written to disk; its :class:`DomainError` refuses the upload.
    Returns ``(upload, checked, storage_name)``, or None after flashing why the file was refused.
    """
    limits = upload_limits()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return None
    upload = form.file.data
    try:
        if precheck is not None:
            precheck()
    except DomainError as error:
        flash_domain_error(error)
        return None
    try:
        if kind == FileKind.PHOTO:
            checked = check_photo(upload.stream, max_bytes=limits[FileKind.PHOTO], max_pixels=limits["pixels"])
        else:
            checked = check_document(upload.stream, max_bytes=limits[FileKind.DOCUMENT], max_pixels=limits["pixels"])
    except UploadRejected as rejection:
        flash(upload_message(rejection, upload.filename), "error")
        return None
    return upload, checked, store(upload.stream, checked, storage("uploads"))


def commit_upload(storage_name, record):
    """Record a stored file with ``record()`` (operations) and commit; returns what ``record`` returned.

    A refusal (:class:`DomainError`, flashed) or a failure rolls back and deletes the stored file again.
    """
    try:
        result = record()
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        delete_stored(storage("uploads"), storage_name)
        flash_domain_error(error)
        return None
    except BaseException:
        db.session.rollback()
        delete_stored(storage("uploads"), storage_name)
        raise
    return result


def discard_stored(storage_name):
    """Delete a stored file (and its thumbnail) after its row is gone."""
    delete_stored(storage("uploads"), storage_name)


def send_product_file(record, thumbnail=False):
    """Send a stored file privately: never cached by shared caches, never sniffed, never inline as a PDF.

    ``thumbnail`` asks for the photo's thumbnail; a file without one (a PDF) is sent as itself. A
    PDF always goes as an attachment, thumbnail or not: a PDF can carry JavaScript, which a viewer
    opened inline in the site's origin might run. Images are sandboxed by their own policy (kept
    by :mod:`voting.core.security` over the site's).
    """
    if thumbnail and record.thumbnail_name:
        name, mime_type = record.thumbnail_name, "image/webp"
    else:
        name, mime_type = record.storage_name, record.mime_type
    return _send_private(name, mime_type, _download_name(record))


def send_signed_form(record):
    """Send an application's signed registration form, privately as :func:`send_product_file` does."""
    return _send_private(record.storage_name, record.mime_type,
                         f"phieu-dang-ky-{record.application_id}{EXTENSIONS[record.mime_type]}")


def _send_private(name, mime_type, download_name):
    try:
        response = send_stored(storage("uploads"), name, mimetype=mime_type,
                               as_attachment=mime_type == "application/pdf", download_name=download_name)
    except FileNotFoundError:
        abort(404)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


EXTENSIONS = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp"}


def _download_name(record):
    return f"ho-so-{record.product_id}-{record.id}{EXTENSIONS[record.mime_type]}"
