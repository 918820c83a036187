"""The higher round's organiser imports a paper province's nomination list (danh sách trích ngang).

Routes on the ``organiser`` blueprint; this module is imported for its side effects in
:func:`voting.register_blueprints`. The import itself is all or nothing
(:func:`voting.operations.nomination_imports.import_nomination_list`).
"""
from io import BytesIO

from flask import current_app, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from voting.core.access import organiser_required
from voting.core.clock import today_vn
from voting.rules.eligibility import NOMINATION_LEVELS, NOMINATED_FROM
from voting.extensions import db
from voting.forms.imports import ImportNominationsForm
from voting.documents.import_workbook import MAX_FILE_BYTES, build_template
from voting.models import FileKind, JurisdictionLevel, Nomination, Province
from voting.operations.nomination_imports import (
    MAX_ROWS,
    SHEET_TITLE,
    example_row,
    import_nomination_list,
    nomination_columns,
)
from voting.core.text import collate, province_name_key
from voting.views.files import upload_endpoint
from voting.views.import_messages import NOMINATION_MESSAGES, problem_message
from voting.views.organiser.rounds import managed_round

#: Problems listed on the page; the rest are counted.
REPORT_SHOWN = 500
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _nomination_round(round_id):
    """The round, if the user manages it (else 404) and it takes nominations (else None, with a message)."""
    round_ = managed_round(round_id)
    if round_.jurisdiction_level not in NOMINATION_LEVELS:
        flash(_("Chỉ đợt bình chọn cấp khu vực hoặc cấp quốc gia mới nhận danh sách đề cử của các tỉnh; "
                "đợt này là đợt %(level)s.", level=_level_label(round_.jurisdiction_level)), "error")
        return round_, False
    return round_, True


def _level_label(level):
    return {JurisdictionLevel.COMMUNE: _("cấp xã"), JurisdictionLevel.PROVINCE: _("cấp tỉnh"),
            JurisdictionLevel.REGION: _("cấp khu vực"), JurisdictionLevel.NATIONAL: _("cấp quốc gia")}.get(level, level)


def _provinces(round_):
    """The provinces the round takes nominations from: its region's (a regional round without one: all)."""
    query = select(Province)
    if round_.jurisdiction_level == JurisdictionLevel.REGION and round_.region_id is not None:
        query = query.where(Province.region_id == round_.region_id)
    return collate(db.session.scalars(query.order_by(Province.id)), key=lambda province: province_name_key(province.name))


def _after_import(round_):
    """The round's nominations page once the lead's tab exists; this page until then."""
    if "organiser.round_nominations" in current_app.view_functions:
        return url_for("organiser.round_nominations", round_id=round_.id)
    return url_for("organiser.import_nominations", round_id=round_.id)


@organiser_required
@upload_endpoint(FileKind.PHOTO)  # the same 10 MB as a photo; the import checks its own limit again
def import_nominations(round_id):
    """Import one province's paper nomination list: every row nominated, or none."""
    round_, takes_nominations = _nomination_round(round_id)
    if not takes_nominations:
        return redirect(url_for("organiser.round_view", round_id=round_.id))
    provinces = {str(p.id): p for p in _provinces(round_)}
    form = ImportNominationsForm()
    form.province.choices = [("", _("— Chọn tỉnh, thành phố —"))] + [(key, p.name) for key, p in provinces.items()]
    certificate_level = NOMINATED_FROM[round_.jurisdiction_level]
    standing = dict(collate(db.session.execute(
        select(Province.name, func.count(Nomination.id)).join(Province, Province.id == Nomination.province_id)
        .where(Nomination.target_round_id == round_.id, Nomination.withdrawn_at.is_(None))
        .group_by(Province.name)).all(), key=lambda row: row[0]))
    context = {"round": round_, "form": form, "max_rows": MAX_ROWS, "max_mb": MAX_FILE_BYTES // (1024 * 1024),
               "columns": nomination_columns(certificate_level), "standing": standing,
               "certificate_level": _level_label(certificate_level)}
    if not form.validate_on_submit():
        return render_template("organiser/import_nominations.html", **context), 400 if form.errors else 200
    province = provinces[form.province.data]
    upload = form.file.data
    data = upload.stream.read(MAX_FILE_BYTES + 1)
    report = import_nomination_list(current_user, round_, province, data, upload.filename or "", today_vn())
    if not report.ok:
        db.session.rollback()
        problems = [(p, problem_message(p, NOMINATION_MESSAGES)) for p in report.problems[:REPORT_SHOWN]]
        return render_template("organiser/import_nominations.html", report=report, problems=problems,
                               hidden=len(report.problems) - len(problems), province=province, **context), 400
    db.session.commit()
    flash(_("Đã nhập danh sách đề cử của %(province)s từ tệp “%(name)s”: %(num)d sản phẩm được đề cử "
            "(cơ sở: %(producers_new)d mới, %(producers_old)d đã có trên nền tảng; sản phẩm: %(products_new)d "
            "mới, %(products_old)d đã có).", province=province.name, name=report.file_name, num=report.nominated,
            producers_new=report.producers_created, producers_old=report.producers_matched,
            products_new=report.products_created, products_old=report.products_matched), "success")
    return redirect(_after_import(round_))


@organiser_required
def import_nominations_template(round_id):
    """The empty list to fill in: the header row and one example row."""
    round_, takes_nominations = _nomination_round(round_id)
    if not takes_nominations:
        return redirect(url_for("organiser.round_view", round_id=round_.id))
    level = NOMINATED_FROM[round_.jurisdiction_level]
    data = build_template(columns=nomination_columns(level), example_rows=(example_row(level),), title=SHEET_TITLE)
    return send_file(BytesIO(data), as_attachment=True, download_name="mau-danh-sach-de-cu.xlsx", mimetype=XLSX,
                     max_age=0)
