"""What the public's scans and reports tell the issuing organiser.

A certificate's scans over the last 30 days, with spikes marked against its own
history; the reports of suspected fakes for the authorities an organiser
answers for (an administrator sees all, including codes that name no
certificate), each marked handled once dealt with.
"""
from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from certificates.operations.fake_reports import mark_report_handled
from certificates.views.manage.pages import managed_certificate
from certificates.scans import scan_history
from voting.core.access import organiser_required, roles_required
from voting.core.clock import today_vn
from voting.extensions import db
from voting.forms.admin import ReasonForm
from voting.models import Role
from certificates.models import SuspectedFakeReport
from certificates.rules.permissions import can_handle_report, reports_visible_to

report_handlers_required = roles_required(Role.ORGANISER, Role.ADMIN)


@organiser_required
def scans(certificate_id):
    certificate, round_ = managed_certificate(certificate_id)
    factor = current_app.config.get("SCAN_SPIKE_FACTOR", 5)
    days = scan_history(certificate.id, today_vn(), factor)
    return render_template("certificates/scans.html", certificate=certificate, round=round_, days=days,
                           factor=factor, total=sum(day["scans"] for day in days),
                           peak=max((day["scans"] for day in days), default=0))


@report_handlers_required
def fake_reports():
    return render_template("certificates/fake_reports.html", reports=db.session.scalars(reports_visible_to(current_user)).all(),
                           action_form=ReasonForm(formdata=None))


@report_handlers_required
def fake_report_handled(report_id):
    report = db.get_or_404(SuspectedFakeReport, report_id)
    if not can_handle_report(current_user, report):
        abort(404)
    if not ReasonForm().validate_on_submit():
        abort(400)
    mark_report_handled(current_user, report)
    db.session.commit()
    flash(_("Đã đánh dấu báo cáo là đã xử lý."), "success")
    return redirect(url_for("oversight.fake_reports"))
