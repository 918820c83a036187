"""Nominations in the organiser's workspace: put certified entries up a level, and see what came in.

The source round's organiser chooses entries and the round above
(``round_nominate``) and may withdraw a nomination before it is screened; the
higher round's organiser reads the danh sách trích ngang
(``round_nominations``), on screen or as a print-ready spreadsheet, and
screens the entries like any dossier.
"""
from io import BytesIO

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from voting.core.access import organiser_required
from voting.core.clock import today_vn
from voting.rules.eligibility import CERTIFIED_ROUND_STATUSES, NOMINATED_FROM, nominations_from_province
from voting.extensions import db
from voting.forms.nominations import NominateForm, WithdrawNominationForm
from voting.models import Nomination
from voting.documents.nomination_exports import nomination_workbook
from voting.core.numbers import query_id, query_int
from voting.operations.nominations import (
    NominationsRefused,
    nominate_entries,
    nomination_candidates,
    nomination_list,
    nomination_targets,
    nominations_made,
    withdraw_nomination,
)
from voting.core.mail import deliver_emails
from voting.rules.permissions import can_manage_round
from voting.views.domain_messages import PROBLEM_MESSAGES, flash_domain_error
from voting.views.organiser.rounds import managed_round
from voting.views.transactions import committing

#: How many of the best-ranked entries "choose the top N" ticks by default, and at most (a quota's maximum).
DEFAULT_TOP, MAX_TOP = 10, 1000


def is_nominating_round(round_):
    """Rounds whose certified entries may go up a level (provincial and regional)."""
    return round_.jurisdiction_level in NOMINATED_FROM.values()


def takes_nominations(round_):
    return round_.jurisdiction_level in NOMINATED_FROM


@organiser_required
def round_nominate(round_id):
    round_ = managed_round(round_id)
    if not is_nominating_round(round_):
        abort(404)
    today = today_vn()
    targets = nomination_targets(round_, today) if round_.status in CERTIFIED_ROUND_STATUSES else []
    form = NominateForm()
    form.target_id.choices = [(t.id, t.title) for t in targets]
    if request.method == "GET":
        chosen = query_id("target")
        form.target_id.data = chosen if chosen in {t.id for t in targets} else (targets[0].id if targets else None)
    target = next((t for t in targets if t.id == form.target_id.data), None)
    candidates = nomination_candidates(round_, target)
    form.entries.choices = [(c.application.id, c.listed_as.product_name) for c in candidates]
    refused = {}
    if request.method == "GET":
        top = query_int("top", 1, MAX_TOP)
        if top:
            form.entries.data = [c.application.id for c in candidates[:top] if c.nomination is None]
    elif form.validate_on_submit():
        chosen = [c.application for c in candidates if c.application.id in set(form.entries.data)]
        with committing(refused=None) as outcome:
            nominations, notes = nominate_entries(current_user, chosen, target, today)
        if isinstance(outcome.error, NominationsRefused):
            refused = outcome.error.problems
            flash(_("Chưa đề cử sản phẩm nào: %(n)d sản phẩm không đủ điều kiện (xem lý do trong bảng). "
                    "Bỏ chọn các sản phẩm đó rồi đề cử lại.", n=len(refused)), "error")
        elif outcome.error is not None:
            flash_domain_error(outcome.error)
        else:
            deliver_emails(notes)
            flash(_("Đã đề cử %(n)d sản phẩm vào đợt “%(round)s”.", n=len(nominations), round=target.title),
                  "success")
            return redirect(url_for("organiser.round_nominate", round_id=round_.id, target=target.id))
    quota_used = None
    if target is not None and target.nomination_quota is not None:
        quota_used = nominations_from_province(target, round_.province_id) if round_.province_id else None
    return render_template(
        "organiser/round_nominate.html", round=round_, form=form, targets=targets, target=target,
        candidates=candidates, refused=refused, problem_messages=PROBLEM_MESSAGES, quota_used=quota_used,
        made=nominations_made(round_), default_top=DEFAULT_TOP, today=today,
        withdraw_form=WithdrawNominationForm(formdata=None))


@organiser_required
def nomination_withdraw(nomination_id):
    nomination = db.get_or_404(Nomination, nomination_id)
    source = nomination.source_application
    if source is not None:  # withdrawn by the lower round's organiser, from the page they nominated on
        if not can_manage_round(current_user, source.round):
            abort(404)
        back = redirect(url_for("organiser.round_nominate", round_id=source.round_id,
                                target=nomination.target_round_id))
    else:  # from a paper list: by the higher round's organiser, who imported it
        if not can_manage_round(current_user, nomination.target_round):
            abort(404)
        back = redirect(url_for("organiser.round_nominations", round_id=nomination.target_round_id))
    form = WithdrawNominationForm()
    if not form.validate_on_submit():
        for message in form.reason.errors:
            flash(message, "error")
        return back
    with committing(_("Đã rút đề cử sản phẩm “%(product)s”.",
                      product=nomination.target_application.product.name)) as outcome:
        notes = withdraw_nomination(current_user, nomination, form.reason.data)
    if outcome.ok:
        deliver_emails(notes)
    return back


@organiser_required
def round_nominations(round_id):
    round_ = managed_round(round_id)
    if not takes_nominations(round_):
        abort(404)
    rows = nomination_list(round_)
    by_province = {}
    for row in rows:
        by_province.setdefault(row.province_name, []).append(row)
    return render_template("organiser/round_nominations.html", round=round_, rows=rows, by_province=by_province,
                           quota=round_.nomination_quota, today=today_vn(),
                           endpoints=current_app.view_functions,
                           withdraw_form=WithdrawNominationForm(formdata=None))


@organiser_required
def round_nominations_xlsx(round_id):
    round_ = managed_round(round_id)
    if not takes_nominations(round_):
        abort(404)
    data = nomination_workbook(round_, nomination_list(round_), today_vn())
    return send_file(BytesIO(data), mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     as_attachment=True, download_name=f"danh-sach-de-cu-{round_.id}.xlsx")

