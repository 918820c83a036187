"""The administrator's import of certificates issued on paper before the platform (all rows, or none).

Its pages keep their addresses under /admin/imports/certificates; the report's messages are the
selection's (:mod:`voting.views.import_messages`), shared with the paper nomination lists.
"""
from io import BytesIO

from flask import render_template, send_file
from flask_login import current_user
from sqlalchemy import func, select

from certificates.forms import ImportCertificatesForm
from certificates.models import ImportedCertificate
from certificates.operations.past_imports import import_certificates as import_certificate_rows
from voting.core.access import admin_required
from voting.core.clock import today_vn
from voting.documents.import_workbook import MAX_FILE_BYTES, MAX_ROWS, build_template
from voting.extensions import db
from voting.models import Level
from voting.views.files import upload_endpoint
from voting.views.import_messages import problem_message

#: Problems listed on the page; the rest are counted.
REPORT_SHOWN = 500


@admin_required
@upload_endpoint("photo")  # the same 10 MB as a photo; the import checks its own limit again
def import_certificates():
    """Import certificates issued on paper before the platform: all rows, or none."""
    form = ImportCertificatesForm()
    imported_total = db.session.scalar(select(func.count(ImportedCertificate.id)))
    context = {"form": form, "imported_total": imported_total, "max_rows": MAX_ROWS,
               "max_mb": MAX_FILE_BYTES // (1024 * 1024)}
    if not form.validate_on_submit():
        return render_template("admin/import_certificates.html", **context), 400 if form.errors else 200
    upload = form.file.data
    data = upload.stream.read(MAX_FILE_BYTES + 1)
    report = import_certificate_rows(current_user, data, upload.filename or "", today_vn())
    if not report.ok:
        db.session.rollback()
        problems = [(p, problem_message(p)) for p in report.problems[:REPORT_SHOWN]]
        return render_template("admin/import_certificates.html", report=report, problems=problems,
                               hidden=len(report.problems) - len(problems), **context), 400
    db.session.commit()
    level_names = {level.code: level.name.split(" (")[0] for level in db.session.scalars(select(Level))}
    return render_template("admin/import_done.html", report=report, level_names=level_names,
                           imported_total=imported_total + report.imported)


@admin_required
def import_template():
    """The empty import template: the header row and one example row."""
    return send_file(BytesIO(build_template()), as_attachment=True, download_name="mau-nhap-chung-nhan.xlsx",
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", max_age=0)
