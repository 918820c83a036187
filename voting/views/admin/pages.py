"""Administration: accounts, issuing authorities, regions, the audit log (the import of past certificates is
:mod:`certificates.views.imports.pages`)."""
from types import SimpleNamespace

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import func, or_, select
from wtforms import SelectChoice, SelectField

from voting.core.access import admin_required
from voting.extensions import db
from voting.forms.admin import ArtworkForm, AttachProducerForm, AuthorityForm, ReasonForm, StaffAccountForm
from voting.models import AuditEvent, FileKind, IssuingAuthority, Producer, Product, Province, Region, Role, User
from voting.core.numbers import query_page
from voting.operations.accounts import (
    create_staff_account,
    issue_password_token,
    set_account_active,
    update_staff_account,
)
from voting.operations.authorities import (
    create_authority,
    set_authority_artwork,
    set_authority_seal,
    set_province_region,
    update_authority,
)
from voting.core.security import public_url
from voting.core.storage import storage
from voting.core.uploads import UploadRejected, check_photo, delete_stored, store
from voting.core.text import collate
from voting.views.domain_messages import upload_message
from voting.views.files import upload_endpoint, upload_limits
from voting.operations.producers import attach_account

PAGE_SIZE = 50


@admin_required
def index():
    counts = dict(db.session.execute(select(User.role, func.count(User.id)).group_by(User.role)).all())
    stats = {
        "producers": db.session.scalar(select(func.count(Producer.id))),
        "products": db.session.scalar(select(func.count(Product.id))),
        "authorities": db.session.scalar(select(func.count(IssuingAuthority.id))),
        "audit_events": db.session.scalar(select(func.count(AuditEvent.id))),
    }
    return render_template("admin/index.html", role_counts=counts, stats=stats)


@admin_required
def users():
    query = select(User).order_by(User.role, User.email)
    role = request.args.get("role", "")
    if role in {r.value for r in Role}:
        query = query.where(User.role == role)
    term = request.args.get("q", "").strip()[:100]
    if term:
        query = query.where(or_(User.email.contains(term.lower(), autoescape=True),
                                func.lower(User.full_name).contains(term.lower(), autoescape=True)))
    page = db.paginate(query, page=query_page(), per_page=PAGE_SIZE, error_out=False)
    return render_template("admin/users.html", page=page, role=role, q=term, roles=list(Role))


@admin_required
def user_new():
    form = StaffAccountForm()
    if form.validate_on_submit():
        level, region, province, commune = form.jurisdiction_objects()
        user, token = create_staff_account(
            current_user, email=form.email.data, full_name=form.full_name.data, role=Role(form.role.data),
            title=form.title.data, phone=form.phone.data or "",
            jurisdiction_level=level, region=region, province=province, commune=commune,
        )
        db.session.commit()
        link = public_url("auth.reset_password", token=token)
        return render_template("admin/link_issued.html", user=user, link=link, purpose="welcome")
    return render_template("admin/user_form.html", form=form, user=None)


@admin_required
def user_edit(user_id):
    user = db.get_or_404(User, user_id)
    if user.role == Role.PRODUCER:
        return render_template("admin/user_producer.html", user=user, action_form=ReasonForm(),
                               attach_form=AttachProducerForm(formdata=None))
    form = StaffAccountForm(obj=None if request.method == "POST" else _staff_form_data(user), editing=user)
    if form.validate_on_submit():
        if user.id == current_user.id and form.role.data != Role.ADMIN.value:
            flash(_("Bạn không thể tự bỏ quyền quản trị của chính mình."), "error")
        else:
            level, region, province, commune = form.jurisdiction_objects()
            update_staff_account(current_user, user, full_name=form.full_name.data, title=form.title.data,
                                 phone=form.phone.data or "", role=Role(form.role.data),
                                 jurisdiction_level=level, region=region, province=province, commune=commune)
            db.session.commit()
            flash(_("Đã lưu tài khoản."), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=user, action_form=ReasonForm())


def _jurisdiction_defaults(obj):
    """Form defaults for the jurisdiction fields, as codes rather than ids."""
    return {
        "jurisdiction_level": obj.jurisdiction_level or "",
        "region": obj.region.code if obj.region else "",
        "province": obj.province.code if obj.province else "",
        "commune": obj.commune.code if obj.commune else "",
    }


def _staff_form_data(user):
    return SimpleNamespace(email=user.email, full_name=user.full_name, title=user.title, phone=user.phone,
                           role=user.role, **_jurisdiction_defaults(user))


@admin_required
def user_reset_link(user_id):
    """Issue a one-time password link, for when no e-mail server is configured."""
    user = db.get_or_404(User, user_id)
    form = ReasonForm()
    if not form.validate_on_submit():
        abort(400)
    token = issue_password_token(current_user, user, purpose="reset")
    db.session.commit()
    link = public_url("auth.reset_password", token=token)
    return render_template("admin/link_issued.html", user=user, link=link, purpose="reset")


@admin_required
def user_set_active(user_id):
    user = db.get_or_404(User, user_id)
    form = ReasonForm()
    if not form.validate_on_submit():
        abort(400)
    if user.id == current_user.id:
        flash(_("Bạn không thể tự khóa tài khoản của chính mình."), "error")
        return redirect(url_for("admin.user_edit", user_id=user.id))
    set_account_active(current_user, user, not user.active, reason=form.reason.data)
    db.session.commit()
    flash(_("Đã mở khóa tài khoản.") if user.active else _("Đã khóa tài khoản."), "success")
    return redirect(url_for("admin.user_edit", user_id=user.id))


@admin_required
def authorities():
    items = db.session.scalars(select(IssuingAuthority).order_by(IssuingAuthority.jurisdiction_level.desc(),
                                                               IssuingAuthority.id)).all()
    # By level, then in Vietnamese alphabetical order (the sort is stable).
    items = collate(items, key=lambda authority: authority.name)
    items.sort(key=lambda authority: authority.jurisdiction_level, reverse=True)
    return render_template("admin/authorities.html", authorities=items)


@admin_required
def authority_new():
    form = AuthorityForm()
    if form.validate_on_submit():
        create_authority(current_user, _authority_fields(form), form.jurisdiction_objects())
        db.session.commit()
        flash(_("Đã thêm cơ quan."), "success")
        return redirect(url_for("admin.authorities"))
    return render_template("admin/authority_form.html", form=form, authority=None)


@admin_required
def authority_edit(authority_id):
    authority = db.get_or_404(IssuingAuthority, authority_id)
    form = AuthorityForm(obj=None if request.method == "POST" else _authority_form_data(authority), editing=authority)
    if form.validate_on_submit():
        update_authority(current_user, authority, _authority_fields(form), form.jurisdiction_objects())
        db.session.commit()
        flash(_("Đã lưu cơ quan."), "success")
        return redirect(url_for("admin.authorities"))
    return render_template("admin/authority_form.html", form=form, authority=authority,
                           artwork_form=ArtworkForm(formdata=None), seal_form=ArtworkForm(formdata=None, prefix="seal"))


@admin_required
@upload_endpoint(FileKind.PHOTO)
def authority_artwork(authority_id):
    """Upload (checked by content) or remove the artwork printed on this authority's certificates."""
    authority = db.get_or_404(IssuingAuthority, authority_id)
    form = ArtworkForm()
    back = redirect(url_for("admin.authority_edit", authority_id=authority.id))
    if not form.validate_on_submit():
        abort(400)
    files, upload = storage("uploads"), form.file.data
    if form.remove.data:
        stored, mime_type = None, None
    elif upload and upload.filename:
        checked, refusal = _checked_picture(upload)
        if refusal:
            flash(refusal, "error")
            return back
        stored, mime_type = store(upload.stream, checked, files), checked.mime_type
    else:
        flash(_("Hãy chọn một tệp hình, hoặc đánh dấu “Bỏ hình hiện có”."), "error")
        return back
    _keep_picture(files, stored, lambda: set_authority_artwork(current_user, authority, stored, mime_type))
    flash(_("Đã lưu hình in trên giấy chứng nhận.") if stored else _("Đã bỏ hình in trên giấy chứng nhận."),
          "success")
    return back


@admin_required
@upload_endpoint(FileKind.PHOTO)
def authority_seal(authority_id):
    """Upload (a PNG with a transparent background, checked by content) or remove the seal's image drawn with the
    authority's digital signatures."""
    authority = db.get_or_404(IssuingAuthority, authority_id)
    form = ArtworkForm(prefix="seal")
    back = redirect(url_for("admin.authority_edit", authority_id=authority.id) + "#seal-heading")
    if not form.validate_on_submit():
        abort(400)
    files, upload = storage("uploads"), form.file.data
    if form.remove.data:
        stored = None
    elif upload and upload.filename:
        checked, refusal = _checked_picture(upload)
        if refusal:
            flash(refusal, "error")
            return back
        if checked.mime_type != "image/png" or not transparent(upload.stream):
            flash(_("Hình con dấu phải là tệp PNG nền trong suốt (như Nghị định 30/2020 quy định)."), "error")
            return back
        stored = store(upload.stream, checked, files)
    else:
        flash(_("Hãy chọn một tệp hình, hoặc đánh dấu “Bỏ hình hiện có”."), "error")
        return back
    _keep_picture(files, stored, lambda: set_authority_seal(current_user, authority, stored))
    flash(_("Đã lưu hình con dấu.") if stored else _("Đã bỏ hình con dấu."), "success")
    return back


def _checked_picture(upload):
    """``(checked file, None)`` for a picture checked by content, or ``(None, the refusal in words)``."""
    limits = upload_limits()
    try:
        return check_photo(upload.stream, max_bytes=limits[FileKind.PHOTO], max_pixels=limits["pixels"]), None
    except UploadRejected as rejection:
        return None, upload_message(rejection, upload.filename)


def _keep_picture(files, stored, record):
    """Commit ``record()`` (which sets the authority's picture to ``stored`` and returns the previous one's name);
    if that fails the new file is deleted, once it succeeds the previous one: no file is left without its row."""
    try:
        previous = record()
        db.session.commit()
    except BaseException:
        db.session.rollback()
        if stored:
            delete_stored(files, stored)
        raise
    if previous:
        delete_stored(files, previous)


def transparent(stream):
    """Whether the PNG in ``stream`` has transparent pixels (an alpha channel or a transparent colour in use)."""
    from PIL import Image

    stream.seek(0)
    with Image.open(stream) as image:
        image = image.convert("RGBA") if "transparency" in image.info or image.mode in ("RGBA", "LA", "PA") else None
        low = image.getextrema()[3][0] if image is not None else 255
    stream.seek(0)
    return low < 255


def _authority_form_data(authority):
    return SimpleNamespace(**_authority_values(authority), **_jurisdiction_defaults(authority))


_AUTHORITY_FIELDS = ("code", "name", "parent_name", "place_name", "number_template", "active")


def _authority_values(source):
    return {name: getattr(source, name) for name in _AUTHORITY_FIELDS}


def _authority_fields(form):
    return {name: getattr(form, name).data for name in _AUTHORITY_FIELDS}


@admin_required
def regions():
    """Which region each province belongs to, editable in one form."""
    regions = db.session.scalars(select(Region).order_by(Region.position)).all()
    provinces = db.session.scalars(select(Province).order_by(Province.code)).all()
    form = _region_form(regions, provinces)
    if form.validate_on_submit():
        by_code = {r.code: r for r in regions}
        changed = sum(
            set_province_region(current_user, province, by_code[form[f"p{province.code}"].data])
            for province in provinces
        )
        db.session.commit()
        flash(ngettext("Đã lưu %(num)d thay đổi.", "Đã lưu %(num)d thay đổi.", changed), "success")
        return redirect(url_for("admin.regions"))
    return render_template("admin/regions.html", form=form, provinces=provinces, regions=regions)


def _region_form(regions, provinces):
    from flask_wtf import FlaskForm

    choices = [SelectChoice(r.code, r.name) for r in regions]
    fields = {
        f"p{p.code}": SelectField(p.name, choices=choices, default=p.region.code if p.region else None)
        for p in provinces
    }
    return type("RegionMembershipForm", (FlaskForm,), fields)()


@admin_required
def user_attach_producer(user_id):
    """Attach a producer account to a producer: one producer may have several accounts."""
    user = db.get_or_404(User, user_id)
    if user.role != Role.PRODUCER:
        abort(404)
    form = AttachProducerForm()
    if form.validate_on_submit():
        attach_account(current_user, user, form.producer_obj)
        db.session.commit()
        flash(_("Đã gắn tài khoản vào cơ sở %(name)s.", name=form.producer_obj.name), "success")
        return redirect(url_for("admin.user_edit", user_id=user.id))
    return render_template("admin/user_producer.html", user=user, action_form=ReasonForm(formdata=None),
                           attach_form=form), 400
