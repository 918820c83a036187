"""Organiser pages for a round's scoring: settings, conflicts, transitions, progress (the council itself:
:mod:`voting.views.organiser.council_members`)."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from voting.core.access import organiser_required
from voting.extensions import db
from voting.models.council import GUIDANCE_MAX
from voting.forms.admin import ReasonForm
from voting.core.formatting import format_points
from voting.forms.organiser import ScoringSettingsForm, SubcriteriaForm, guidance_form
from voting.operations.council import detect_conflicts, entries_short_of_jurors, remind_late_jurors
from voting.core.mail import deliver_emails
from voting.operations.rounds import (
    SETTING_FIELDS,
    PreconditionFailed,
    open_scoring,
    open_second_scoring,
    set_criterion_guidance,
    set_subcriteria,
    start_deliberation,
    start_field_visits,
    update_scoring_settings,
)
from voting.operations.scoring import progress
from voting.views.domain_messages import flash_domain_error
from voting.views.round_messages import flash_preconditions, precondition_message
from voting.views.organiser.rounds import managed_round
from voting.views.transactions import committing

TRANSITIONS = {
    "open_scoring": open_scoring,
    "start_field_visits": start_field_visits,
    "open_second_scoring": open_second_scoring,
    "start_deliberation": start_deliberation,
}


@organiser_required
def round_settings(round_id):
    round_ = managed_round(round_id)
    form = ScoringSettingsForm(obj=round_ if request.method == "GET" else None)
    if form.validate_on_submit():
        with committing(_("Đã lưu thiết lập của đợt bình chọn.")) as outcome:
            settings = {name: getattr(form, name).data for name in SETTING_FIELDS}
            if form.no_expiry.data:
                settings["certificate_validity_months"] = None
            update_scoring_settings(current_user, round_, settings)
        if outcome.ok:
            return redirect(url_for("organiser.round_council", round_id=round_.id))
    return _settings_page(round_, form=form)


def _settings_page(round_, form=None, sub_form=None, guide_form=None):
    """The settings page with its three forms, the one that failed showing what was typed."""
    return render_template(
        "organiser/round_settings.html", round=round_,
        form=form or ScoringSettingsForm(obj=round_, formdata=None),
        sub_form=sub_form or _subcriteria_form(round_, formdata=None),
        guide_form=guide_form or guidance_form(round_.criteria, formdata=None), guidance_max=GUIDANCE_MAX)


def _subcriteria_form(round_, formdata=True):
    form = SubcriteriaForm(prefix="sub") if formdata else SubcriteriaForm(prefix="sub", formdata=None)
    form.criterion.choices = [(c.code, f"{c.code}. {c.name} ({format_points(c.max_points)})")
                              for c in round_.criteria if c.parent_id is None]
    return form


@organiser_required
def round_subcriteria(round_id):
    """Split a criterion into sub-criteria with their own maxima (before scoring opens)."""
    round_ = managed_round(round_id)
    form = _subcriteria_form(round_)
    if form.validate_on_submit():
        with committing(_("Đã lưu tiêu chí con.")) as outcome:
            set_subcriteria(current_user, round_, form.criterion.data, form.items)
        if outcome.ok:
            return redirect(url_for("organiser.round_settings", round_id=round_.id))
    return _settings_page(round_, sub_form=form), 400


@organiser_required
def round_guidance(round_id):
    """Set the guidance jurors read under each criterion (before scoring opens, like the criteria)."""
    round_ = managed_round(round_id)
    form = guidance_form(round_.criteria)
    if form.validate_on_submit():
        with committing(_("Đã lưu hướng dẫn chấm điểm.")) as outcome:
            set_criterion_guidance(current_user, round_, {c.id: f.data for c, f in form.criterion_fields()})
        if outcome.ok:
            return redirect(url_for("organiser.round_settings", round_id=round_.id) + "#guidance")
    return _settings_page(round_, guide_form=form), 400


@organiser_required
def detect_round_conflicts(round_id):
    round_ = managed_round(round_id)
    if not ReasonForm().validate_on_submit():
        abort(400)
    flags = detect_conflicts(current_user, round_)
    db.session.commit()
    flash(_("Phát hiện %(n)d khả năng xung đột lợi ích mới.", n=len(flags)), "info")
    for application, count in entries_short_of_jurors(round_):
        flash(_("Sản phẩm %(code)s mới có %(n)d giám khảo chấm (cần %(needed)d).",
                code=application.entry_code, n=count, needed=round_.min_sheets_per_entry), "error")
    return redirect(url_for("organiser.round_council", round_id=round_.id))


@organiser_required
def round_phase(round_id):
    """Move the round to its next phase; each step checks its own preconditions."""
    round_ = managed_round(round_id)
    operation = TRANSITIONS.get(request.form.get("transition", ""))
    if not ReasonForm().validate_on_submit() or operation is None:
        abort(400)
    warnings = []
    with committing(_("Đợt bình chọn đã chuyển sang giai đoạn mới."), refused=_flash_refusal) as outcome:
        if operation is start_deliberation:
            warnings = operation(current_user, round_,
                                 accept_below_quorum=request.form.get("accept_below_quorum") == "1")
        else:
            operation(current_user, round_)
    if outcome.ok:
        for code, params in warnings:
            flash(precondition_message(f"{code}_moved", params), "error")
    return redirect(url_for("organiser.round_council", round_id=round_.id))


def _flash_refusal(error):
    """A transition's unmet preconditions each get their message; any other refusal its own."""
    if isinstance(error, PreconditionFailed):
        flash_preconditions(error)
    else:
        flash_domain_error(error)


@organiser_required
def round_progress(round_id):
    """Sheets submitted and missing per juror; remind those behind."""
    round_ = managed_round(round_id)
    counts = progress(round_)
    if request.method == "POST":
        if not ReasonForm().validate_on_submit():
            abort(400)
        notes = remind_late_jurors(current_user, round_)
        db.session.commit()
        deliver_emails(notes)
        flash(_("Đã gửi nhắc nhở tới %(n)d giám khảo.", n=len(notes)), "success")
        return redirect(url_for("organiser.round_progress", round_id=round_.id))
    return render_template("organiser/round_progress.html", round=round_, counts=counts,
                           action_form=ReasonForm(formdata=None))


@organiser_required
def blank_score_sheets(round_id):
    """Blank score sheets, one per accepted entry, for juries that score on paper."""
    from voting.models import Application, ApplicationStatus
    from voting.core.pdf import pdf_response
    from voting.documents.scoresheet_pdf import render_score_sheets
    from voting.views.sheets_pdf import blank_doc

    round_ = managed_round(round_id)
    entries = db.session.scalars(select(Application).where(
        Application.round_id == round_.id, Application.status == ApplicationStatus.ACCEPTED)
        .order_by(Application.entry_code)).all()
    if not entries:
        flash(_("Chưa có sản phẩm nào được chấp nhận để in phiếu chấm."), "info")
        return redirect(url_for("organiser.round_council", round_id=round_.id))
    # Paper forms are official documents: always in Vietnamese, whatever the UI language.
    data = render_score_sheets([blank_doc(round_, a) for a in entries], locale="vi")
    return pdf_response(data, f"phieu-cham-trang-{round_.id}.pdf")
