"""The people of a round's council, jury and tổ giúp việc, one at a time: corrected in place, removed, the
Trưởng ban appointed. Corrections are allowed until deliberation: the founding decision and the jury's
appointment print names, positions and agencies as recorded here, so a typo is fixed, not re-entered.
"""
from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from voting.core.access import organiser_required
from voting.extensions import db
from voting.forms.admin import ReasonForm
from voting.forms.council import CouncilMemberForm, JurorDetailsForm, SupportMemberForm
from voting.models import ProductGroup, Role, User
from voting.operations.accounts import normalise_email
from voting.operations.council import (
    Person,
    add_support_member,
    appoint_jury_head,
    assign_juror,
    remove_council_member,
    remove_juror,
    remove_support_member,
    seat_council_member,
)
from voting.views.organiser.rounds import managed_round
from voting.views.transactions import committing


def linked_account(form):
    """The staff account the form's e-mail names: None if left empty, False (with the error shown) if unknown."""
    if not form.email.data:
        return None
    user = db.session.scalar(select(User).where(User.email == normalise_email(form.email.data)))
    if user is None or user.role == Role.PRODUCER:
        form.email.errors.append(_("Không có tài khoản cán bộ hoặc giám khảo với e-mail này. Để trống nếu người "
                                   "này không làm việc trên hệ thống; quản trị viên tạo tài khoản khi cần."))
        return False
    return user


def person_of(form):
    return Person(form.full_name.data, form.position.data, form.agency.data)


def group_choices():
    groups = db.session.scalars(select(ProductGroup).order_by(ProductGroup.code)).all()
    return [(g.code, f"{g.code}. {g.name}") for g in groups]


def _one_of(rows, row_id):
    """The round's own row of that id, or 404 (another round's id under this round's URL included)."""
    found = next((row for row in rows if row.id == row_id), None)
    if found is None:
        abort(404)
    return found


def _back_to(round_, anchor):
    return redirect(url_for("organiser.round_council", round_id=round_.id) + f"#{anchor}")


def _page(template, round_, **values):
    return render_template(template, round=round_, **values), 400 if request.method == "POST" else 200


def _correct_person(round_, member, form_class, prefix, seat, template):
    """The edit page of a person named in a council document (a member, a tổ giúp việc member): their details
    and account as recorded, corrected by ``seat(person, user)``; what was typed stays on a refusal."""
    form = form_class(prefix=prefix, obj=None if request.method == "POST" else member,
                      email=member.user.email if member.user and request.method == "GET" else None)
    if form.validate_on_submit():
        user = linked_account(form)
        if user is not False:
            with committing(_("Đã lưu thông tin của %(name)s.", name=form.full_name.data)) as outcome:
                seat(form, person_of(form), user)
            if outcome.ok:
                return _back_to(round_, prefix)
    return _page(template, round_, member=member, form=form)


@organiser_required
def council_member_edit(round_id, member_id):
    """Correct a member's name, position, agency, seat or account (until deliberation): the founding decision
    prints them as recorded here."""
    round_ = managed_round(round_id)
    member = _one_of(round_.council_members, member_id)
    return _correct_person(round_, member, CouncilMemberForm, "member", lambda form, person, user: seat_council_member(
        current_user, round_, person, form.role.data, user=user, member=member), "organiser/council_member_form.html")


@organiser_required
def juror_edit(round_id, juror_id):
    """Correct a juror's position and agency (printed on the jury's appointment) or the groups they score."""
    round_ = managed_round(round_id)
    juror = _one_of(round_.jurors, juror_id)
    shown = {} if request.method == "POST" else {
        "position": juror.position, "agency": juror.agency,
        "groups": [] if juror.all_groups else [g.group_code for g in juror.groups]}
    form = JurorDetailsForm(prefix="juror", **shown)
    form.groups.choices = group_choices()
    if form.validate_on_submit():
        with committing(_("Đã lưu thông tin của %(name)s.", name=juror.user.display_name)) as outcome:
            assign_juror(current_user, round_, juror.user, form.groups.data or None,
                         position=form.position.data, agency=form.agency.data)
        if outcome.ok:
            return _back_to(round_, "juror")
    return _page("organiser/juror_form.html", round_, juror=juror, form=form)


@organiser_required
def support_member_edit(round_id, member_id):
    """Correct a tổ giúp việc member's name, position, agency, account, or whether they lead it."""
    round_ = managed_round(round_id)
    member = _one_of(round_.support_members, member_id)
    return _correct_person(round_, member, SupportMemberForm, "support", lambda form, person, user: add_support_member(
        current_user, round_, person, user=user, is_lead=form.is_lead.data, member=member),
        "organiser/support_member_form.html")


@organiser_required
def council_member_remove(round_id, member_id):
    round_ = managed_round(round_id)
    return _remove(round_, _one_of(round_.council_members, member_id), remove_council_member)


@organiser_required
def support_member_remove(round_id, member_id):
    round_ = managed_round(round_id)
    return _remove(round_, _one_of(round_.support_members, member_id), remove_support_member)


@organiser_required
def juror_remove(round_id, juror_id):
    round_ = managed_round(round_id)
    return _remove(round_, _one_of(round_.jurors, juror_id), remove_juror)


@organiser_required
def juror_make_head(round_id, juror_id):
    round_ = managed_round(round_id)
    juror = _one_of(round_.jurors, juror_id)
    if not ReasonForm().validate_on_submit():
        abort(400)
    with committing(_("%(name)s là Trưởng Ban Giám khảo.", name=juror.user.display_name)):
        appoint_jury_head(current_user, juror)
    return _back_to(round_, "juror")


def _remove(round_, target, operation):
    if not ReasonForm().validate_on_submit():
        abort(400)
    with committing(_("Đã gỡ khỏi danh sách.")):
        operation(current_user, target)
    return redirect(url_for("organiser.round_council", round_id=round_.id))
