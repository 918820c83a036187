"""The organiser's workspace (Sở Công Thương, the Cục, the Ministry): rounds and screening."""
from io import BytesIO

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import selectinload

from voting.core.access import organiser_required
from voting.core.clock import today_vn
from voting.extensions import db
from voting.forms.admin import ReasonForm
from voting.forms.organiser import RoundForm, ScreeningForm
from voting.models import (
    Application,
    ApplicationStatus,
    JurisdictionLevel,
    PENDING_STATUSES,
    Producer,
    Product,
    ProductFile,
    ProductGroup,
    Province,
    Round,
    RoundStatus,
    User,
)
from voting.core.numbers import query_page
from voting.operations.applications import (
    accept_application,
    count_by_status,
    reject_application,
    return_application,
)
from voting.operations.nominations import nomination_facts
from voting.core.mail import deliver_emails
from voting.operations.rounds import close_registration, create_round, open_registration, update_round
from voting.rules.commitments import commitment_codes, given_on_platform
from voting.rules.eligibility import rural_flags
from voting.rules.permissions import (
    authorities_managed_by,
    can_manage_round,
    provinces_in_jurisdiction,
    rounds_managed_by,
)
from voting.core.text import collate, fold, province_name_key
from voting.views.context import organiser_work
from voting.views.files import send_product_file, send_signed_form
from voting.views.transactions import committing

PAGE_SIZE = 50
DASHBOARD_PRODUCERS = 200
# A round's dossiers in the order they are worked through: those waiting for screening first, oldest first;
# then returned ones, then the accepted entries by code. The list, its previous/next links and the
# dossier a decision moves on to all follow it.
SCREENING_ORDER = (case((Application.status.in_(PENDING_STATUSES), 0),
                        (Application.status == ApplicationStatus.RETURNED, 1),
                        (Application.status == ApplicationStatus.ACCEPTED, 2), else_=3),
                   Application.entry_code, Application.submitted_at, Application.id)


@organiser_required
def dashboard():
    province_ids = provinces_in_jurisdiction(current_user)
    producer_filter = Producer.province_id.in_(province_ids)
    if current_user.jurisdiction_level == JurisdictionLevel.COMMUNE:
        producer_filter = Producer.commune_id == current_user.commune_id
    # The first 200 in Vietnamese alphabetical order: the names are ordered here, not by the database.
    names = db.session.execute(select(Producer.id, Producer.name).where(producer_filter).order_by(Producer.id)).all()
    shown = [row.id for row in collate(names, key=lambda row: row.name)[:DASHBOARD_PRODUCERS]]
    producers = collate(db.session.scalars(
        select(Producer).where(Producer.id.in_(shown)).order_by(Producer.id)
        .options(selectinload(Producer.products), selectinload(Producer.producer_type),
                 selectinload(Producer.province))
    ).all(), key=lambda producer: producer.name)
    counts = dict(db.session.execute(
        select(Product.group_code, func.count(Product.id)).join(Producer).where(producer_filter)
        .group_by(Product.group_code)
    ).all())
    groups = db.session.scalars(select(ProductGroup).order_by(ProductGroup.code)).all()
    product_counts = [(group, counts.get(group.code, 0)) for group in groups]
    provinces = collate(db.session.scalars(select(Province).where(Province.id.in_(province_ids))),
                        key=lambda province: province_name_key(province.name))
    return render_template("organiser/dashboard.html", producers=producers, provinces=provinces,
                           product_counts=product_counts, authorities=_my_authorities(),
                           rounds=_my_rounds(), work=organiser_work(), today=today_vn())


def _my_authorities():
    """Authorities of the organiser's own level within their jurisdiction, in alphabetical order."""
    return collate(db.session.scalars(authorities_managed_by(current_user)), key=_name)


def _name(item):
    return item.name


def _my_rounds():
    return db.session.scalars(rounds_managed_by(current_user)).all()


def managed_round(round_id):
    round_ = db.get_or_404(Round, round_id)
    if not can_manage_round(current_user, round_):
        abort(404)
    return round_


def managed_application(application_id):
    application = db.get_or_404(Application, application_id)
    if not can_manage_round(current_user, application.round) or application.status == ApplicationStatus.DRAFT:
        abort(404)  # drafts are the producer's own business until submitted
    return application


@organiser_required
def rounds():
    items = _my_rounds()
    return render_template("organiser/rounds.html", rounds=items,
                           counts={r.id: count_by_status(r.id) for r in items})


@organiser_required
def round_new():
    form = RoundForm(authorities=_my_authorities())
    if request.method == "GET":
        form.year.data = today_vn().year
    if form.validate_on_submit():
        round_ = create_round(current_user, _round_fields(form), form.authorities[form.authority_id.data])
        db.session.commit()
        flash(_("Đã tạo đợt bình chọn (bản nháp). Mở nhận hồ sơ khi sẵn sàng."), "success")
        return redirect(url_for("organiser.round_view", round_id=round_.id))
    return render_template("organiser/round_form.html", form=form, round=None)


def _round_fields(form):
    return {name: getattr(form, name).data for name in
            ("title", "year", "registration_opens_on", "registration_closes_on", "require_signed_registration_form")}


@organiser_required
def round_edit(round_id):
    round_ = managed_round(round_id)
    form = RoundForm(obj=round_ if request.method == "GET" else None, authorities=_my_authorities())
    if request.method == "GET" and round_.authority_id:
        form.authority_id.data = str(round_.authority_id)
    if form.validate_on_submit():
        with committing(_("Đã lưu đợt bình chọn.")) as outcome:
            update_round(current_user, round_, _round_fields(form), form.authorities[form.authority_id.data])
        if outcome.ok:
            return redirect(url_for("organiser.round_view", round_id=round_.id))
    return render_template("organiser/round_form.html", form=form, round=round_)


@organiser_required
def round_registration(round_id):
    """Open registration for a draft round, or close it (moving to screening)."""
    round_ = managed_round(round_id)
    if not ReasonForm().validate_on_submit():
        abort(400)
    opening = round_.status == RoundStatus.DRAFT
    with committing(_("Đã mở nhận hồ sơ.") if opening else
                    _("Đã kết thúc nhận hồ sơ; chuyển sang xét duyệt hồ sơ.")):
        if opening:
            open_registration(current_user, round_)
        else:
            close_registration(current_user, round_)
    return redirect(url_for("organiser.round_view", round_id=round_.id))


@organiser_required
def round_view(round_id):
    round_ = managed_round(round_id)
    filters = {key: request.args.get(key, "").strip()[:100] for key in ("status", "group", "province", "q")}
    query = (select(Application).join(Product, Application.product_id == Product.id)
             .join(Producer, Application.producer_id == Producer.id)
             .where(Application.round_id == round_.id, Application.status != ApplicationStatus.DRAFT)
             .options(selectinload(Application.product).selectinload(Product.group),
                      selectinload(Application.producer).selectinload(Producer.province),
                      selectinload(Application.producer).selectinload(Producer.commune),
                      selectinload(Application.signed_registration_form)))
    if filters["status"] in {s.value for s in ApplicationStatus}:
        query = query.where(Application.status == filters["status"])
    if filters["group"]:
        query = query.where(Product.group_code == filters["group"])
    if filters["province"]:
        query = query.join(Province, Producer.province_id == Province.id).where(Province.code == filters["province"])
    if filters["q"]:
        term = fold(filters["q"])
        query = query.where(or_(Product.name_folded.contains(term, autoescape=True),
                                Producer.name_folded.contains(term, autoescape=True),
                                Application.entry_code.contains(filters["q"], autoescape=True)))
    query = query.order_by(*SCREENING_ORDER)
    page = db.paginate(query, page=query_page(), per_page=PAGE_SIZE, error_out=False)
    # Dossiers awaiting screening whose producer the rural check flags (a ward, an industrial zone).
    flagged = {a.id for a in page.items if a.status in PENDING_STATUSES and rural_flags(a.producer)}
    # Dossiers awaiting screening that the round accepts only with the signed registration form, still without it.
    awaiting_scan = {a.id for a in page.items if a.status in PENDING_STATUSES and round_.require_signed_registration_form
                     and given_on_platform(a.commitments) and a.signed_registration_form is None}
    return render_template(
        "organiser/round.html", round=round_, page=page, filters=filters, counts=count_by_status(round_.id),
        flagged=flagged, awaiting_scan=awaiting_scan,
        statuses=[s for s in ApplicationStatus if s != ApplicationStatus.DRAFT],
        groups=db.session.scalars(select(ProductGroup).order_by(ProductGroup.code)).all(),
        provinces=collate(db.session.scalars(select(Province).where(
            Province.id.in_(provinces_in_jurisdiction(current_user)))),
            key=lambda province: province_name_key(province.name)),
        action_form=ReasonForm(formdata=None))


@organiser_required
def application(application_id):
    application = managed_application(application_id)
    flags = rural_flags(application.producer)
    form = ScreeningForm(rural_flags=flags)
    if form.validate_on_submit():
        operation = {"accept": accept_application, "return": return_application,
                     "reject": reject_application}[form.decision.data]
        args = (current_user, application, form.rural_reason.data) if form.decision.data == "accept" else \
            (current_user, application, form.message.data)
        with committing() as outcome:
            notes = operation(*args)
        if outcome.ok:
            flash(_decided_message(form.decision.data, application), "success")
            deliver_emails(notes)
            # Screening is a flow: on to the next dossier still waiting, or back to the list when none is.
            following = _next_waiting(application.round_id)
            if following:
                return redirect(url_for("organiser.application", application_id=following))
            return redirect(url_for("organiser.round_view", round_id=application.round_id))
    previous, following = _neighbours(application)
    return render_template("organiser/application.html", application=application, form=form,
                           product=application.product, producer=application.producer, rural_flags=flags,
                           previous=previous, following=following,
                           decided_by=db.session.get(User, application.decided_by_id) if application.decided_by_id
                           else None, nominated=nomination_facts(application),
                           commitments=_commitments_status(application),
                           commitment_count=len(commitment_codes(application.commitments))
                           if given_on_platform(application.commitments) else 0), 400 if form.errors else 200


def _screening_ids(round_id):
    return (select(Application.id).where(Application.round_id == round_id,
                                         Application.status != ApplicationStatus.DRAFT).order_by(*SCREENING_ORDER))


def _neighbours(application):
    """The dossiers before and after ``application`` in the round's list (ids, or None at either end)."""
    ids = db.session.scalars(_screening_ids(application.round_id)).all()
    at = ids.index(application.id)
    return (ids[at - 1] if at > 0 else None), (ids[at + 1] if at + 1 < len(ids) else None)


def _next_waiting(round_id):
    """The first dossier of the round still waiting for screening, in the list's order; None when none is."""
    return db.session.scalar(_screening_ids(round_id).where(Application.status.in_(PENDING_STATUSES)).limit(1))


def _decided_message(decision, application):
    """What was decided, in words: the flash used to say only "Đã ghi nhận quyết định"."""
    names = {"product": application.product.name, "producer": application.producer.name}
    if decision == "accept":
        return _("Đã chấp nhận hồ sơ %(product)s của %(producer)s, mã số bình chọn %(code)s. Cơ sở đã được "
                 "thông báo.", code=application.entry_code, **names)
    if decision == "return":
        return _("Đã trả lại hồ sơ %(product)s của %(producer)s để bổ sung. Cơ sở đã nhận lời nhắn.", **names)
    return _("Đã từ chối hồ sơ %(product)s của %(producer)s. Cơ sở đã nhận lý do.", **names)


def _commitments_status(application):
    """What the screening page says of the registration form's commitments: "given", "before_form",
    "nominated" (from the marker), or "missing" (cannot be once submitted: the schema forbids it)."""
    if given_on_platform(application.commitments):
        return "given"
    return application.commitments or "missing"


@organiser_required
def application_file(application_id, file_id):
    application = managed_application(application_id)
    record = db.session.get(ProductFile, file_id)
    if record is None or record.product_id != application.product_id:
        abort(404)
    return send_product_file(record, thumbnail=request.args.get("thumb") == "1")


@organiser_required
def application_signed_form(application_id):
    """The producer's signed registration form: a dossier document, for the round's organiser only."""
    application = managed_application(application_id)
    if application.signed_registration_form is None:
        abort(404)
    return send_signed_form(application.signed_registration_form)


@organiser_required
def round_summary(round_id):
    """Danh sách trích ngang of the accepted entries, print-ready."""
    from voting.views.summary import build_round_summary

    round_ = managed_round(round_id)
    data = build_round_summary(round_)
    return send_file(BytesIO(data), as_attachment=True, download_name=f"danh-sach-trich-ngang-{round_.id}.xlsx",
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
