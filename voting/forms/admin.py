"""Administrator forms: staff accounts, issuing authorities, region membership."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from sqlalchemy import select
from wtforms import BooleanField, SelectChoice, EmailField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp, ValidationError

from voting.extensions import db
from voting.forms.fields import normalise_phone, strip_nfc, vietnamese_phone
from voting.core.numbers import parse_id
from voting.models import Commune, IssuingAuthority, Province, Region, Role
from voting.models.authority import OFFICIAL_NUMBER_TEMPLATE
from voting.operations.accounts import email_taken, normalise_email
from voting.rules.certification import certification
from voting.core.text import collate, province_name_key

_REQUIRED = _l("Vui lòng điền mục này.")

ROLE_CHOICES = [
    SelectChoice(Role.ORGANISER.value, _l("Cán bộ tổ chức (Sở Công Thương, Cục, Bộ)")),
    SelectChoice(Role.JUROR.value, _l("Thành viên Ban Giám khảo")),
    SelectChoice(Role.ADMIN.value, _l("Quản trị viên")),
]
LEVEL_CHOICES = [
    SelectChoice("", _l("— Không áp dụng —")),
    SelectChoice("xa", _l("Cấp xã")),
    SelectChoice("tinh", _l("Cấp tỉnh")),
    SelectChoice("khu_vuc", _l("Cấp khu vực")),
    SelectChoice("quoc_gia", _l("Cấp quốc gia")),
]


class JurisdictionFields:
    """Mixin: level, region, province and commune, with a shape check in ``validate``."""

    jurisdiction_level = SelectField(_l("Cấp / địa bàn"), choices=LEVEL_CHOICES, default="")
    region = SelectField(_l("Khu vực"), choices=[], default="", validate_choice=False)
    province = SelectField(_l("Tỉnh, thành phố"), choices=[], default="", validate_choice=False)
    commune = StringField(_l("Mã xã, phường (5 chữ số)"), filters=[strip_nfc],
                          validators=[Optional(), Regexp(r"^\d{5}$", message=_l("Mã xã gồm 5 chữ số."))])

    def fill_jurisdiction_choices(self):
        regions = db.session.scalars(select(Region).order_by(Region.position)).all()
        provinces = collate(db.session.scalars(select(Province).order_by(Province.id)), key=lambda p: province_name_key(p.name))
        self.region.choices = [SelectChoice("", _l("— Tất cả khu vực —"))] + [SelectChoice(r.code, r.name) for r in regions]
        self.province.choices = [SelectChoice("", _l("— Chọn —"))] + [SelectChoice(p.code, p.name) for p in provinces]

    def jurisdiction_objects(self):
        """Return ``(level, region, province, commune)`` as chosen, validated by ``check_jurisdiction``."""
        level = self.jurisdiction_level.data or None
        region = db.session.scalar(select(Region).where(Region.code == self.region.data)) if self.region.data else None
        province = (db.session.scalar(select(Province).where(Province.code == self.province.data))
                    if self.province.data else None)
        commune = (db.session.scalar(select(Commune).where(Commune.code == self.commune.data))
                   if self.commune.data else None)
        return level, region, province, commune

    def check_jurisdiction(self, required):
        level, region, province, commune = self.jurisdiction_objects()
        ok = True
        if required and not level:
            self.jurisdiction_level.errors.append(_l("Cán bộ tổ chức cần có địa bàn phụ trách."))
            ok = False
        if self.region.data and region is None:
            self.region.errors.append(_l("Khu vực không tồn tại."))
            ok = False
        if self.province.data and province is None:
            self.province.errors.append(_l("Tỉnh, thành phố không tồn tại."))
            ok = False
        if level in ("tinh", "xa") and province is None:
            self.province.errors.append(_l("Hãy chọn tỉnh, thành phố."))
            ok = False
        if level == "xa":
            if commune is None:
                self.commune.errors.append(_l("Không tìm thấy xã, phường với mã này."))
                ok = False
            elif province is not None and commune.province_id != province.id:
                self.commune.errors.append(_l("Xã, phường này không thuộc tỉnh, thành phố đã chọn."))
                ok = False
        return ok


class StaffAccountForm(JurisdictionFields, FlaskForm):
    email = EmailField(_l("E-mail"), filters=[strip_nfc],
                       validators=[DataRequired(_REQUIRED), Length(max=254), Email(_l("Địa chỉ e-mail không hợp lệ."))])
    full_name = StringField(_l("Họ và tên"), filters=[strip_nfc], validators=[DataRequired(_REQUIRED), Length(max=200)])
    title = StringField(_l("Chức vụ, học hàm"), filters=[strip_nfc], validators=[Length(max=200)])
    phone = StringField(_l("Số điện thoại"), filters=[normalise_phone], validators=[Length(max=20), vietnamese_phone])
    role = SelectField(_l("Vai trò"), choices=ROLE_CHOICES, default=Role.ORGANISER.value)
    submit = SubmitField(_l("Lưu"))

    def __init__(self, *args, editing=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = editing
        self.fill_jurisdiction_choices()
        if editing is not None:
            self.email.render_kw = {"readonly": True}

    def validate_email(self, field):
        if self.editing is None and email_taken(field.data):
            raise ValidationError(_l("E-mail này đã có tài khoản."))
        if self.editing is not None and normalise_email(field.data) != self.editing.email:
            raise ValidationError(_l("Không đổi được e-mail của tài khoản đã có."))

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if self.role.data != Role.ORGANISER.value:
            return ok  # only organisers act within a jurisdiction; the fields are ignored
        return self.check_jurisdiction(required=True) and ok


class AuthorityForm(JurisdictionFields, FlaskForm):
    code = StringField(_l("Mã cơ quan (dùng trong số giấy chứng nhận)"), filters=[strip_nfc], validators=[
        DataRequired(_REQUIRED), Length(max=20),
        Regexp(r"^[A-Z0-9][A-Z0-9-]*$", message=_l("Chỉ dùng chữ in hoa không dấu, chữ số và dấu gạch ngang."))])
    name = StringField(_l("Tên cơ quan"), filters=[strip_nfc], validators=[DataRequired(_REQUIRED), Length(max=300)])
    parent_name = StringField(_l("Cơ quan chủ quản (nếu có)"), filters=[strip_nfc], validators=[Length(max=300)])
    place_name = StringField(_l("Địa danh ghi trên văn bản"), filters=[strip_nfc], validators=[Length(max=100)])
    number_template = StringField(_l("Mẫu số giấy chứng nhận"), filters=[strip_nfc],
                                  default=OFFICIAL_NUMBER_TEMPLATE,
                                  validators=[DataRequired(_REQUIRED), Length(max=100)])
    active = BooleanField(_l("Đang hoạt động"), default=True)
    submit = SubmitField(_l("Lưu"))

    def __init__(self, *args, editing=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = editing
        self.fill_jurisdiction_choices()

    def validate_code(self, field):
        clash = db.session.scalar(select(IssuingAuthority).where(IssuingAuthority.code == field.data))
        if clash is not None and clash is not self.editing:
            raise ValidationError(_l("Mã này đã được dùng cho cơ quan khác."))

    def validate_number_template(self, field):
        if certification().number_template_problem(field.data or ""):
            raise ValidationError(_l("Mẫu số chỉ dùng {code}, {year}, {level} và phải có {seq}, ví dụ "
                                     "{seq}/GCN-UBND."))

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        return self.check_jurisdiction(required=True) and ok


class ArtworkForm(FlaskForm):
    """The emblem or logo printed on the authority's certificates (we do not draw it ourselves)."""

    file = FileField(_l("Hình (PNG, JPEG hoặc WebP)"))
    remove = BooleanField(_l("Bỏ hình hiện có"))
    submit = SubmitField(_l("Lưu hình"))


class ReasonForm(FlaskForm):
    """A bare confirmation with an optional reason, for POST-only actions."""

    reason = TextAreaField(_l("Lý do"), filters=[strip_nfc], validators=[Length(max=1000)])
    submit = SubmitField(_l("Xác nhận"))


class AttachProducerForm(FlaskForm):
    """Attach a producer account to an existing producer, found by registration number or id."""

    producer = StringField(_l("Mã số đăng ký hoặc số hiệu (ID) của cơ sở"), filters=[strip_nfc],
                           validators=[DataRequired(_REQUIRED), Length(max=40)])
    submit = SubmitField(_l("Gắn tài khoản vào cơ sở"))

    def validate_producer(self, field):
        from voting.models import Producer

        value = "".join(field.data.split())
        producer = db.session.scalar(select(Producer).where(Producer.registration_number == value))
        producer_id = parse_id(value)
        if producer is None and producer_id is not None:
            producer = db.session.get(Producer, producer_id)
        if producer is None:
            raise ValidationError(_l("Không tìm thấy cơ sở với mã số hoặc số hiệu này."))
        self.producer_obj = producer
