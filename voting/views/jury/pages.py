"""The juror's workspace (Ban Giám khảo): assigned rounds, entries, score sheets, conflicts.

Organisers may sit on a round's jury too, so every page admits both roles and
then asks the round whether the signed-in user is one of its jurors. Blind
scoring: nothing here ever loads another juror's sheet.
"""

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from voting.core.access import roles_required
from voting.core.clock import today_vn
from voting.extensions import db
from voting.forms.jury import ConflictForm
from voting.core.formatting import format_points
from voting.forms.results import JustificationForm
from voting.models import (
    Application,
    ApplicationStatus,
    Juror,
    Producer,
    Product,
    ProductFile,
    Role,
    Round,
    RoundStatus,
    ScoreSheet,
    ScoringSheetTemplate,
    SheetStatus,
)
from voting.operations.deliberation import justify_sheet
from voting.rules.results import second_stage_ids
from voting.operations.council import CONFLICT_STATUSES, declare_conflict, eligible_by_entry, eligible_jurors, warn_if_short
from voting.core.mail import deliver_emails
from voting.operations.reference import OFFICIAL_SHEET_CODE
from voting.operations.scoring import SCORING_STAGE, progress
from voting.rules.permissions import can_judge_round
from voting.views.context import jury_work
from voting.views.domain_messages import flash_form_errors
from voting.views.files import send_product_file
from voting.views.transactions import committing

jury_member_required = roles_required(Role.JUROR, Role.ORGANISER)


# ---------- loading, with 404 for what the user may not see ----------

def my_round(round_id):
    """The round if the signed-in user sits on its jury; 404 otherwise (ids cannot be probed)."""
    round_ = db.get_or_404(Round, round_id)
    if not can_judge_round(current_user, round_):
        abort(404)
    return round_


def my_entry(round_id, application_id):
    round_ = my_round(round_id)
    application = db.get_or_404(Application, application_id)
    if application.round_id != round_.id or application.status != ApplicationStatus.ACCEPTED:
        abort(404)
    return round_, application


def my_entries(round_):
    """The accepted entries this juror may score (assigned, not in conflict), in entry-code order."""
    eligible = eligible_by_entry(round_)
    accepted = db.session.scalars(
        select(Application).where(Application.round_id == round_.id,
                                  Application.status == ApplicationStatus.ACCEPTED)
        .order_by(Application.entry_code)
        .options(selectinload(Application.product).selectinload(Product.group),
                 selectinload(Application.producer).selectinload(Producer.province))).all()
    advanced = second_stage_of(round_)
    if advanced is not None:  # only the entries that went on to the second stage
        accepted = [a for a in accepted if a.id in advanced]
    return [a for a in accepted if any(j.user_id == current_user.id for j in eligible.get(a.id, ()))]


def second_stage_of(round_):
    """In the second scoring stage, the ids of the entries that went on to it (else None).

    It takes a whole first-stage ranking, so a page works it out once, however many times it asks.
    """
    if round_.status != RoundStatus.SECOND_SCORING:
        return None
    known = g.setdefault("second_stage_ids", {})
    if round_.id not in known:
        known[round_.id] = second_stage_ids(round_)
    return known[round_.id]


def my_sheets(round_):
    """``{application_id: sheet}``: the signed-in juror's own sheets at the round's current stage."""
    stage = SCORING_STAGE.get(round_.status, 1)
    sheets = db.session.scalars(select(ScoreSheet).where(
        ScoreSheet.round_id == round_.id, ScoreSheet.juror_user_id == current_user.id,
        ScoreSheet.stage == stage).options(selectinload(ScoreSheet.scores))).all()
    return {s.application_id: s for s in sheets}


def submitted_count(entries, sheets):
    return sum(1 for a in entries if a.id in sheets and sheets[a.id].status == SheetStatus.SUBMITTED)


# ---------- dashboard and the juror's list of entries ----------

@jury_member_required
def dashboard():
    sheet = db.session.scalar(select(ScoringSheetTemplate).where(ScoringSheetTemplate.code == OFFICIAL_SHEET_CODE))
    rounds = db.session.scalars(select(Round).join(Juror, Juror.round_id == Round.id)
                                .where(Juror.user_id == current_user.id)
                                .order_by(Round.year.desc(), Round.id.desc())).all()
    done = {r.id: progress(r).get(current_user.id, (0, 0)) for r in rounds}
    return render_template("jury/dashboard.html", sheet=sheet, rounds=rounds, progress_by_round=done,
                           work=jury_work(), today=today_vn())


@jury_member_required
def round_view(round_id):
    round_ = my_round(round_id)
    entries = my_entries(round_)
    sheets = my_sheets(round_)
    requests = db.session.scalars(select(ScoreSheet).where(
        ScoreSheet.round_id == round_.id, ScoreSheet.juror_user_id == current_user.id,
        ScoreSheet.justification_requested_at.is_not(None)).order_by(ScoreSheet.justification_requested_at)).all()
    return render_template("jury/round.html", round=round_, entries=entries, sheets=sheets,
                           submitted=submitted_count(entries, sheets), scoring=round_.status in SCORING_STAGE,
                           conflicts_open=round_.status in CONFLICT_STATUSES,
                           conflict_form=ConflictForm(formdata=None), points=format_points,
                           justification_requests=requests, justification_form=JustificationForm(formdata=None))


@jury_member_required
def justify(round_id, sheet_id):
    """The juror answers the chair's request to justify a sheet far from the others."""
    round_ = my_round(round_id)
    sheet = db.session.scalar(select(ScoreSheet).where(ScoreSheet.id == sheet_id, ScoreSheet.round_id == round_.id,
                                                       ScoreSheet.juror_user_id == current_user.id))
    if sheet is None:
        abort(404)
    form = JustificationForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
    else:
        with committing(_("Đã gửi giải trình cho Hội đồng.")):
            justify_sheet(current_user, sheet, form.justification.data)
    return redirect(url_for("jury.round_view", round_id=round_.id) + "#justifications")


@jury_member_required
def conflict_declare(round_id):
    """Khai báo xung đột lợi ích with the producer of one of the round's entries."""
    round_ = my_round(round_id)
    form = ConflictForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(url_for("jury.round_view", round_id=round_.id))
    application = db.session.scalar(select(Application).where(
        Application.round_id == round_.id, Application.producer_id == form.producer_id.data,
        Application.status == ApplicationStatus.ACCEPTED).limit(1))
    if application is None:
        abort(404)
    with committing() as outcome:
        declare_conflict(current_user, round_, application.producer, form.reason.data)
        notes = warn_if_short(round_)  # the minimum sheets per entry is re-checked after a recusal
    if outcome.ok:
        deliver_emails(notes)
        flash(_("Đã ghi nhận xung đột lợi ích với %(producer)s. Bạn sẽ không chấm sản phẩm của cơ sở này.",
                producer=application.producer.name), "success")
    return redirect(url_for("jury.round_view", round_id=round_.id))


# ---------- the score sheet ----------


@jury_member_required
def entry_file(round_id, application_id, file_id):
    """A photo or document of an entry the signed-in juror may score."""
    round_, application = my_entry(round_id, application_id)
    if not any(j.user_id == current_user.id for j in eligible_jurors(round_, application)):
        abort(404)
    record = db.session.get(ProductFile, file_id)
    if record is None or record.product_id != application.product_id:
        abort(404)
    return send_product_file(record, thumbnail=request.args.get("thumb") == "1")


@jury_member_required
def sheet_pdf(round_id, application_id):
    """The juror's own sheet for this entry as the official printed form (to sign and file)."""
    from voting.core.pdf import pdf_response
    from voting.documents.scoresheet_pdf import render_score_sheets
    from voting.views.sheets_pdf import filled_doc

    round_, application = my_entry(round_id, application_id)
    sheet = db.session.scalar(select(ScoreSheet).where(
        ScoreSheet.application_id == application.id, ScoreSheet.juror_user_id == current_user.id)
        .order_by(ScoreSheet.stage.desc()).limit(1))
    if sheet is None:
        abort(404)
    data = render_score_sheets([filled_doc(sheet)], locale="vi")  # the official form, to sign
    return pdf_response(data, f"phieu-cham-{application.entry_code}.pdf")
