"""Receiving uploads into a dossier and sending stored files back, for any blueprint."""
from flask import abort, current_app, flash, request
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
    limits = upload_limits()
    form = form_class()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return None
    upload = form.file.data
    try:
        ensure_unlocked(product)  # before anything is written to disk
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
    files = storage("uploads")
    storage_name = store(upload.stream, checked, files)
    try:
        thumbnail = make_thumbnail(files, storage_name) if checked.kind == "image" else None
        document_type = form.document_type.data if kind == FileKind.DOCUMENT else None
        record = add_product_file(current_user, product, checked, storage_name, thumbnail,
                                  upload.filename or "", kind, document_type)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        delete_stored(files, storage_name)
        flash_domain_error(error)
        return None
    except BaseException:
        db.session.rollback()
        delete_stored(files, storage_name)
        raise
    flash(_("Đã tải lên %(name)s.", name=upload.filename or _("tệp")), "success")
    return record


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
    try:
        response = send_stored(storage("uploads"), name, mimetype=mime_type,
                               as_attachment=mime_type == "application/pdf",
                               download_name=_download_name(record))
    except FileNotFoundError:
        abort(404)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _download_name(record):
    extension = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png",
                 "image/webp": ".webp"}[record.mime_type]
    return f"ho-so-{record.product_id}-{record.id}{extension}"
