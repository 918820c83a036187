"""The producer's workspace (cơ sở CNNT): profile, products, files, applications."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from voting.core.access import producer_required
from voting.core.clock import today_vn
from voting.views.context import producer_work
from voting.rules.eligibility import dossier_holder, dossier_missing, round_covers_producer, round_is_open
from voting.extensions import db
from voting.forms.admin import ReasonForm
from voting.forms.producer import (
    ApplyForm,
    DocumentUploadForm,
    PhotoUploadForm,
    ProducerProfileForm,
    ProductForm,
    SignedFormUploadForm,
    SubmitApplicationForm,
)
from voting.forms.results import ComplaintForm
from voting.models import Application, ApplicationStatus, Complaint, FileKind, Product, ProductFile, Round, RoundStatus
from voting.operations.complaints import file_complaint
from voting.operations.nominations import nomination_facts
from voting.core.mail import deliver_emails
from voting.rules.results import published_outcome
from voting.operations.applications import start_application, submit_application, withdraw_application
from voting.operations.producers import save_producer_profile
from voting.operations.products import remove_product_file, save_product, set_product_published
from voting.core.text import collate
from voting.rules.commitments import given_on_platform
from voting.views.files import (
    discard_stored,
    receive_upload,
    send_product_file,
    sent_by_script,
    upload_answer,
    upload_endpoint,
)
from voting.views.transactions import committing



def _name(item):
    return item.name


def _producer_or_none():
    return current_user.producer


def _own_product(product_id):
    """The product if it belongs to the signed-in producer; 404 otherwise (never 403: no probing)."""
    product = db.session.get(Product, product_id)
    if product is None or product.producer_id != current_user.producer_id:
        abort(404)
    return product


def own_application(application_id):
    application = db.session.get(Application, application_id)
    if application is None or application.producer_id != current_user.producer_id:
        abort(404)
    return application


@producer_required
def dashboard():
    producer = _producer_or_none()
    applications = []
    if producer is not None:
        applications = db.session.scalars(select(Application).where(Application.producer_id == producer.id)
                                          .order_by(Application.created_at.desc())).all()
    return render_template("producer/dashboard.html", producer=producer,
                           products=collate(producer.products, key=_name) if producer else [], applications=applications,
                           open_rounds=_open_rounds_for(producer), work=producer_work(), today=today_vn())


def _open_rounds_for(producer):
    if producer is None:
        return []
    today = today_vn()
    rounds = db.session.scalars(select(Round).where(Round.status == RoundStatus.REGISTRATION_OPEN)
                                .order_by(Round.registration_closes_on)).all()
    return [r for r in rounds if round_is_open(r, today) and round_covers_producer(r, producer)]


@producer_required
def profile():
    producer = _producer_or_none()
    form = ProducerProfileForm(obj=_profile_defaults(producer) if request.method == "GET" else None,
                               editing=producer)
    if form.validate_on_submit():
        fields = {name: getattr(form, name).data for name in (
            "name", "type_code", "registration_number", "address", "representative", "phone", "email",
            "publish_address", "publish_phone", "publish_email")}
        save_producer_profile(current_user, producer, fields, form.commune_obj)
        db.session.commit()
        flash(_("Đã lưu hồ sơ cơ sở."), "success")
        return redirect(url_for("producer.dashboard"))
    return render_template("producer/profile.html", form=form, producer=producer)


def _profile_defaults(producer):
    if producer is None:
        return None
    from types import SimpleNamespace

    return SimpleNamespace(
        name=producer.name, type_code=producer.type_code, registration_number=producer.registration_number,
        province=producer.province.code, commune=producer.commune.code if producer.commune else "",
        address=producer.address, representative=producer.representative, phone=producer.phone,
        email=producer.email, publish_address=producer.publish_address, publish_phone=producer.publish_phone,
        publish_email=producer.publish_email)


@producer_required
def product_new():
    producer = _producer_or_none()
    if producer is None:
        flash(_("Hãy điền hồ sơ cơ sở trước khi thêm sản phẩm."), "info")
        return redirect(url_for("producer.profile"))
    form = ProductForm()
    if form.validate_on_submit():
        product = save_product(current_user, producer, None, _product_fields(form), form.set_items.data)
        db.session.commit()
        flash(_("Đã tạo sản phẩm. Bây giờ hãy tải ảnh và tài liệu lên."), "success")
        return redirect(url_for("producer.product", product_id=product.id))
    return render_template("producer/product_form.html", form=form, product=None)


def _product_fields(form):
    return {name: getattr(form, name).data for name in ("name", "group_code", "description", "gtin", "is_set")}


@producer_required
def product(product_id):
    product = _own_product(product_id)
    form = ProductForm(obj=product if request.method == "GET" else None)
    if request.method == "GET":
        names = [item.name for item in product.set_items]
        for entry, name in zip(form.set_items.entries, names + [""] * len(form.set_items.entries), strict=False):
            entry.data = name
    if form.validate_on_submit():
        with committing(_("Đã lưu sản phẩm.")) as outcome:
            save_product(current_user, product.producer, product, _product_fields(form), form.set_items.data)
        if outcome.ok:
            return redirect(url_for("producer.product", product_id=product.id))
    return render_template("producer/product.html", form=form, product=product,
                           photo_form=PhotoUploadForm(formdata=None), document_form=DocumentUploadForm(formdata=None),
                           apply_form=_apply_form(product), action_form=ReasonForm(formdata=None),
                           missing=dossier_missing(product.producer, product), holder=dossier_holder(product),
                           applications=_applications_of(product))


def _applications_of(product):
    return db.session.scalars(select(Application).where(Application.product_id == product.id)
                              .order_by(Application.created_at.desc())).all()


def _apply_form(product):
    """Offer the open rounds this product is not already entered in."""
    entered = {a.round_id for a in _applications_of(product) if a.status != ApplicationStatus.WITHDRAWN}
    form = ApplyForm(formdata=None)
    form.round_id.choices = [(r.id, f"{r.title} ({r.year})") for r in _open_rounds_for(product.producer)
                             if r.id not in entered]
    return form


@producer_required
@upload_endpoint(FileKind.PHOTO)
def upload_photo(product_id):
    product = _own_product(product_id)
    record = receive_upload(product, kind=FileKind.PHOTO, form_class=PhotoUploadForm)
    if sent_by_script():  # several photos at once, each its own request (static/js/uploads.js)
        return upload_answer(record)
    return redirect(url_for("producer.product", product_id=product.id, _anchor="photos"))


@producer_required
@upload_endpoint(FileKind.DOCUMENT)
def upload_document(product_id):
    product = _own_product(product_id)
    receive_upload(product, kind=FileKind.DOCUMENT, form_class=DocumentUploadForm)
    return redirect(url_for("producer.product", product_id=product.id, _anchor="documents"))


@producer_required
def delete_file(file_id):
    record = db.session.get(ProductFile, file_id)
    if record is None or record.product.producer_id != current_user.producer_id:
        abort(404)
    if not ReasonForm().validate_on_submit():
        abort(400)
    product_id, storage_name = record.product_id, record.storage_name
    with committing(_("Đã xóa tệp.")) as outcome:
        remove_product_file(current_user, record)
    if outcome.ok:  # the file goes once its row is gone for good
        discard_stored(storage_name)
    return redirect(url_for("producer.product", product_id=product_id, _anchor="photos"))


@producer_required
def file(file_id):
    record = db.session.get(ProductFile, file_id)
    if record is None or record.product.producer_id != current_user.producer_id:
        abort(404)
    return send_product_file(record, thumbnail=request.args.get("thumb") == "1")


@producer_required
def publish(product_id):
    product = _own_product(product_id)
    if not ReasonForm().validate_on_submit():
        abort(400)
    set_product_published(current_user, product, product.published_at is None)
    db.session.commit()
    flash(_("Trang sản phẩm đã được công khai.") if product.published_at else _("Đã thôi công khai trang sản phẩm."),
          "success")
    return redirect(url_for("producer.product", product_id=product.id))


@producer_required
def apply(product_id):
    product = _own_product(product_id)
    form = ApplyForm()
    round_ = db.session.get(Round, form.round_id.data) if form.validate_on_submit() and form.round_id.data else None
    if round_ is None:
        flash(_("Hãy chọn một đợt bình chọn đang nhận hồ sơ."), "error")
        return redirect(url_for("producer.product", product_id=product.id))
    with committing() as outcome:
        application = start_application(current_user, product.producer, product, round_, today_vn())
    if not outcome.ok:
        return redirect(url_for("producer.product", product_id=product.id))
    return redirect(url_for("producer.application", application_id=application.id))


@producer_required
def application(application_id):
    return _render_application(own_application(application_id))


def _render_application(application, complaint_form=None, submit_form=None):
    """The application's page; with a refused form (its errors and what was ticked or typed), answered 400."""
    complaints = db.session.scalars(select(Complaint).where(Complaint.application_id == application.id)
                                    .order_by(Complaint.filed_at)).all()
    return render_template("producer/application.html", application=application, action_form=ReasonForm(formdata=None),
                           submit_form=submit_form or SubmitApplicationForm(formdata=None),
                           signed_form_form=SignedFormUploadForm(formdata=None),
                           commitments_given=given_on_platform(application.commitments),
                           missing=dossier_missing(application.producer, application.product),
                           round_open=round_is_open(application.round, today_vn()),
                           outcome=published_outcome(application), complaints=complaints, today=today_vn(),
                           complaint_form=complaint_form or ComplaintForm(formdata=None),
                           nominated=nomination_facts(application)), \
        400 if complaint_form is not None or submit_form is not None else 200


@producer_required
def complaint_file(application_id):
    """Khiếu nại about the entry's result, while the window is open; what was typed is kept on refusal."""
    application = own_application(application_id)
    form = ComplaintForm()
    if not form.validate_on_submit():
        return _render_application(application, complaint_form=form)
    with committing(_("Đã gửi khiếu nại. Hội đồng bình chọn sẽ xem xét và trả lời trong hộp thư của bạn.")) \
            as outcome:
        notes = file_complaint(current_user, application, form.text.data, today_vn())
    if not outcome.ok:
        return _render_application(application, complaint_form=form)
    deliver_emails(notes)
    return redirect(url_for("producer.application", application_id=application_id))


@producer_required
def application_submit(application_id):
    """Nộp hồ sơ with the registration form's commitments: each unticked one is named, the ticks kept."""
    application = own_application(application_id)
    form = SubmitApplicationForm()
    if not form.validate_on_submit():
        return _render_application(application, submit_form=form)
    with committing(_("Đã nộp hồ sơ. Hồ sơ được khóa cho tới khi cơ quan tổ chức xem xét. Hãy in phiếu đăng "
                      "ký, ký tên và tải bản đã ký lên.")) as outcome:
        submit_application(current_user, application, today_vn(), form.ticked)
    if not outcome.ok:
        return _render_application(application, submit_form=form)
    return redirect(url_for("producer.application", application_id=application_id))


@producer_required
def application_withdraw(application_id):
    application = own_application(application_id)
    form = ReasonForm()
    if not form.validate_on_submit():
        abort(400)
    with committing(_("Đã rút hồ sơ đăng ký.")):
        withdraw_application(current_user, application, form.reason.data)
    return redirect(url_for("producer.application", application_id=application_id))
