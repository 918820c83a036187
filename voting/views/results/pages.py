"""Results and deliberation pages, shared by the round's organisers and its council.

The full ranking, the sheets and the jurors' names stay with these two; the
chair and the secretary act for the council (strikes, the vote, complaints,
justification requests); the organiser records the decision, sets prize
tiers and publishes. Scores stay blind until deliberation.
"""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from voting.core.access import roles_required
from voting.core.clock import today_vn
from voting.rules.entry_names import names_decided
from voting.extensions import db
from voting.forms.admin import ReasonForm
from voting.documents.decision import usual_bases
from voting.forms.results import AnswerForm, DecisionForm, PrizeTiersForm, ReasonRequiredForm, VoteForm
from voting.models import Application, Complaint, ComplaintStatus, Decision, Role, Round, RoundStatus, ScoreSheet, Strike
from voting.operations.complaints import answer_complaint, complaint_window
from voting.operations.signed_documents import official_copies, signs_here
from voting.operations.deliberation import (
    publish_results,
    record_decision,
    record_vote,
    request_justification,
    restore_entry,
    set_prize_tiers,
    strike_entry,
)
from voting.core.mail import deliver_emails
from voting.rules.step_order import decision_wait
from voting.rules.council import seated_in_order
from voting.rules.permissions import can_act_for_council, can_manage_round, can_view_results, council_role
from voting.rules.results import compute_results
from voting.views.domain_messages import flash_form_errors
from voting.views.transactions import committing

results_required = roles_required(Role.JUROR, Role.ORGANISER)
#: Phases in which scores are no longer blind.
OPEN_PHASES = (RoundStatus.DELIBERATION, RoundStatus.ANNOUNCED, RoundStatus.DECIDED, RoundStatus.CERTIFYING,
               RoundStatus.CLOSED)
#: The results page's explanation of why the recognition decision waits (:func:`decision_wait`).
DECISION_WAITS = {
    "decision_waits_window": _l("Kết quả đã công bố để nhận khiếu nại. Quyết định công nhận được ghi sau khi hết "
                                "thời hạn khiếu nại (hết ngày %(date)s) và mọi khiếu nại đã được trả lời."),
    "decision_waits_complaints": _l("Hết thời hạn khiếu nại; còn khiếu nại chưa được Hội đồng trả lời. Quyết định "
                                    "công nhận được ghi sau khi mọi khiếu nại đã được trả lời."),
}


def round_for(round_id, who="viewer"):
    """The round if the user may see (``viewer``), act for the council (``acting``) or manage it; else 404."""
    round_ = db.get_or_404(Round, round_id)
    allowed = {"viewer": can_view_results, "acting": can_act_for_council, "organiser": can_manage_round}[who]
    if not allowed(current_user, round_):
        abort(404)
    return round_


def open_round(round_id, who="viewer"):
    """:func:`round_for`, once scores are no longer blind (the results' files, the signed documents); 404 before."""
    round_ = round_for(round_id, who)
    if round_.status not in OPEN_PHASES:
        abort(404)
    return round_


def round_child(round_, model, row_id):
    """The ``model`` row ``row_id`` if it belongs to ``round_`` (an id of another round names nothing here); else 404."""
    return db.session.scalar(select(model).where(model.id == row_id, model.round_id == round_.id)) or abort(404)


def _back(round_):
    return redirect(url_for("results.view", round_id=round_.id))


def _commit_or_flash(operation, success):
    """Run ``operation``; commit and flash ``success``, or roll back and flash the refusal. Returns the result."""
    result = None
    with committing(success) as outcome:
        result = operation()
    if not outcome.ok:
        return None
    return result if result is not None else True


@results_required
def view(round_id):
    return _render(round_for(round_id))


def _render(round_, status=200, vote_form=None, decision_form=None):
    role = council_role(round_, current_user)
    context = {"round": round_, "role": role, "acting": can_act_for_council(current_user, round_),
               "manages": can_manage_round(current_user, round_), "action_form": ReasonForm(formdata=None)}
    if round_.status not in OPEN_PHASES:
        return render_template("results/round.html", blind=True, **context), status
    decisions = db.session.scalars(select(Decision).where(Decision.round_id == round_.id)
                                   .options(selectinload(Decision.entries)).order_by(Decision.sequence)).all()
    complaints = db.session.scalars(select(Complaint).where(Complaint.round_id == round_.id)
                                    .options(selectinload(Complaint.application), selectinload(Complaint.filed_by))
                                    .order_by(Complaint.filed_at)).all()
    pending = next((d for d in reversed(decisions) if d.carried and not d.is_decided), None)
    if pending is not None and pending.published_at and round_.status == RoundStatus.DELIBERATION:
        pending = None  # an announced list reopened by an upheld complaint: the council votes again
    # Entries on the list in force (or about to be) show the names it was voted with.
    carried = next((d for d in reversed(decisions) if d.carried), None)
    listed = {e.application_id: names_decided(e) for e in carried.entries} if carried is not None else {}
    published, closes_on = complaint_window(round_)
    decision_waits = _decision_waits(round_, pending, complaints, closes_on)
    decision_form = decision_form or DecisionForm(
        formdata=None, obj=round_, decision_on=today_vn(),
        legal_bases="\n".join(usual_bases(pending)) if pending is not None else "")
    return render_template(
        "results/round.html", blind=False, results=compute_results(round_), decisions=decisions,
        complaints=complaints, pending=pending, published=published, closes_on=closes_on, listed=listed,
        decision_waits=decision_waits, signed=official_copies(round_.id), signs_here=signs_here(round_),
        vote_form=vote_form or VoteForm(
            formdata=None, members=seated_in_order(round_.council_members),
            meeting_on=round_.deliberation_on or today_vn(), present_members=[m.id for m in round_.council_members],
            meeting_place=round_.authority.place_name if round_.authority else ""),
        decision_form=decision_form, answer_form=AnswerForm(formdata=None), today=today_vn(), **context), status


def _decision_waits(round_, pending, complaints, closes_on):
    """Why the announced list cannot be decided yet (the rules' order), or None when it can."""
    if pending is None or round_.status != RoundStatus.ANNOUNCED:
        return None
    unanswered = sum(c.status == ComplaintStatus.OPEN for c in complaints)
    wait = decision_wait(closes_on, unanswered, today_vn())
    return DECISION_WAITS[wait] % {"date": closes_on.strftime("%d/%m/%Y")} if wait else None


@results_required
def strike(round_id, application_id):
    round_ = round_for(round_id, "acting")
    application = round_child(round_, Application, application_id)
    form = ReasonRequiredForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return _back(round_)
    _commit_or_flash(lambda: strike_entry(current_user, round_, application, form.reason.data),
                     _("Đã đưa sản phẩm %(code)s ra khỏi danh sách đề nghị.", code=application.entry_code))
    return _back(round_)


@results_required
def restore(round_id, strike_id):
    round_ = round_for(round_id, "acting")
    struck = round_child(round_, Strike, strike_id)
    if not ReasonForm().validate_on_submit():
        abort(400)
    code = struck.application.entry_code
    _commit_or_flash(lambda: restore_entry(current_user, struck),
                     _("Đã đưa sản phẩm %(code)s trở lại danh sách đề nghị.", code=code))
    return _back(round_)


@results_required
def vote(round_id):
    round_ = round_for(round_id, "acting")
    form = VoteForm(members=seated_in_order(round_.council_members))
    if not form.validate_on_submit():
        return _render(round_, 400, vote_form=form)
    with committing() as outcome:
        decision = record_vote(current_user, round_, form.meeting_on.data, None,
                               form.votes_for.data, form.votes_against.data, form.votes_abstain.data,
                               form.minutes_note.data, today_vn(), meeting_place=form.meeting_place.data,
                               attendance=form.present_members.data, minutes_number=form.minutes_number.data,
                               starts_at=form.starts_at.data, ends_at=form.ends_at.data)
    if not outcome.ok:
        return _render(round_, 400, vote_form=form)
    if decision.carried:
        flash(_("Hội đồng đã thông qua danh sách đề nghị (%(n)d sản phẩm).", n=len(decision.entries)), "success")
    else:
        flash(_("Biểu quyết không được thông qua; Hội đồng có thể xem xét lại danh sách và biểu quyết lại."),
              "error")
    return _back(round_)


@results_required
def decide(round_id, decision_id):
    round_ = round_for(round_id, "organiser")
    decision = round_child(round_, Decision, decision_id)
    form = DecisionForm()
    if not form.validate_on_submit():
        return _render(round_, 400, decision_form=form)
    with committing() as outcome:
        record_decision(current_user, decision, form.decision_number.data, form.decision_on.data,
                        form.signer_block, today_vn(), legal_bases=form.legal_bases.data)
    if not outcome.ok:
        return _render(round_, 400, decision_form=form)
    flash(_("Đã ghi Quyết định số %(number)s.", number=decision.decision_number), "success")
    return _back(round_)


@results_required
def publish(round_id):
    round_ = round_for(round_id, "organiser")
    if not ReasonForm().validate_on_submit():
        abort(400)
    notes = _commit_or_flash(lambda: publish_results(current_user, round_, today_vn()),
                             _("Đã công bố kết quả; các cơ sở đã được thông báo."))
    if isinstance(notes, list):
        deliver_emails(notes)
    return _back(round_)


@results_required
def prizes(round_id):
    round_ = round_for(round_id, "organiser")
    if request.method == "GET":
        rows = [{"name": t.name, "places": t.places, "min_score": t.min_score} for t in round_.prize_tiers]
        form = PrizeTiersForm(formdata=None, mode=round_.prize_mode, tiers=rows + [{}] * (6 - len(rows)))
        return render_template("results/prizes.html", round=round_, form=form)
    form = PrizeTiersForm()
    if form.validate_on_submit():
        tiers = [(e.form.name.data, e.form.places.data, e.form.min_score.data) for e in form.tiers.entries]
        if _commit_or_flash(lambda: set_prize_tiers(current_user, round_, form.mode.data, tiers),
                            _("Đã lưu cơ cấu giải của đợt bình chọn.")):
            return _back(round_)
    return render_template("results/prizes.html", round=round_, form=form), 400


@results_required
def ask_justification(round_id, sheet_id):
    round_ = round_for(round_id, "acting")
    sheet = round_child(round_, ScoreSheet, sheet_id)
    form = ReasonRequiredForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return _back(round_)
    note = _commit_or_flash(lambda: request_justification(current_user, sheet, form.reason.data),
                            _("Đã đề nghị giám khảo giải trình phiếu chấm."))
    if note and note is not True:
        deliver_emails([note])
    return _back(round_)


@results_required
def answer(round_id, complaint_id):
    round_ = round_for(round_id, "acting")
    complaint = round_child(round_, Complaint, complaint_id)
    form = AnswerForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return _back(round_)
    outcome = form.outcome.data
    notes = _commit_or_flash(
        lambda: answer_complaint(current_user, complaint, outcome != "dismissed", form.answer.data,
                                 outcome == "upheld_change"),
        _("Đã ghi trả lời khiếu nại; cơ sở đã được thông báo."))
    if isinstance(notes, list):
        deliver_emails(notes)
    return _back(round_)
