"""Producer-side forms: profile, product, file uploads, applications."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from sqlalchemy import select
from wtforms import (
    BooleanField,
    EmailField,
    FieldList,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp, ValidationError

from voting.extensions import db
from voting.forms.fields import IdSelectField, normalise_phone, strip_nfc, vietnamese_phone
from voting.models import Commune, Producer, ProducerType, ProductGroup, Province
from voting.rules.validation import gtin_is_valid, registration_number_problem
from voting.core.text import collate, province_name_key

_REQUIRED = _l("Vui lòng điền mục này.")

REGISTRATION_MESSAGES = {
    "required": _l("Loại hình này cần có mã số đăng ký (giấy chứng nhận đăng ký kinh doanh)."),
    "enterprise_format": _l("Mã số doanh nghiệp, hợp tác xã gồm 10 chữ số, có thể kèm mã chi nhánh 3 chữ số "
                            "(ví dụ 4600123456 hoặc 4600123456-001)."),
    "too_long": _l("Mã số đăng ký dài tối đa 40 ký tự."),
}


def _compact(value):
    """Field filter: NFC, trimmed, inner spaces removed (for codes people type with spaces)."""
    value = strip_nfc(value)
    return "".join(value.split()) if isinstance(value, str) else value


class ProducerProfileForm(FlaskForm):
    name = StringField(_l("Tên cơ sở (tên đầy đủ theo đăng ký)"), filters=[strip_nfc],
                       validators=[DataRequired(_REQUIRED), Length(max=300)])
    type_code = SelectField(_l("Loại hình"), choices=[])
    registration_number = StringField(_l("Mã số đăng ký"), filters=[_compact], validators=[Length(max=40)])
    province = SelectField(_l("Tỉnh, thành phố"), choices=[], validate_choice=False)
    commune = StringField(_l("Xã, phường (mã 5 chữ số)"), filters=[strip_nfc],
                          validators=[DataRequired(_REQUIRED),
                                      Regexp(r"^\d{5}$", message=_l("Mã xã, phường gồm 5 chữ số."))])
    address = StringField(_l("Địa chỉ (số nhà, thôn, xóm, đường)"), filters=[strip_nfc],
                          validators=[DataRequired(_REQUIRED), Length(max=300)])
    representative = StringField(_l("Người đại diện"), filters=[strip_nfc],
                                 validators=[DataRequired(_REQUIRED), Length(max=200)])
    phone = StringField(_l("Số điện thoại"), filters=[normalise_phone],
                        validators=[DataRequired(_REQUIRED), Length(max=20), vietnamese_phone])
    email = EmailField(_l("E-mail liên hệ"), filters=[strip_nfc],
                       validators=[Optional(), Length(max=254), Email(_l("Địa chỉ e-mail không hợp lệ."))])
    publish_address = BooleanField(_l("Cho phép công khai địa chỉ (số nhà, thôn, xã)"))
    publish_phone = BooleanField(_l("Cho phép công khai số điện thoại"))
    publish_email = BooleanField(_l("Cho phép công khai e-mail"))
    submit = SubmitField(_l("Lưu hồ sơ cơ sở"))

    def __init__(self, *args, editing=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = editing
        types = db.session.scalars(select(ProducerType).order_by(ProducerType.id)).all()
        self.type_code.choices = [SelectChoice(t.code, t.name) for t in types]
        provinces = collate(db.session.scalars(select(Province).order_by(Province.id)), key=lambda p: province_name_key(p.name))
        self.province.choices = [SelectChoice("", _l("— Chọn —"))] + [SelectChoice(p.code, p.name) for p in provinces]
        self.commune_obj = None

    def validate_registration_number(self, field):
        problem = registration_number_problem(self.type_code.data, field.data)
        if problem:
            raise ValidationError(REGISTRATION_MESSAGES[problem])
        if field.data:
            clash = db.session.scalar(select(Producer).where(Producer.registration_number == field.data))
            if clash is not None and clash is not self.editing:
                raise ValidationError(_l("Mã số đăng ký này đã thuộc về một cơ sở khác trên hệ thống. "
                                         "Nếu đó là cơ sở của bạn, hãy đề nghị quản trị viên gắn tài khoản."))

    def validate_commune(self, field):
        commune = db.session.scalar(select(Commune).where(Commune.code == field.data))
        if commune is None:
            raise ValidationError(_l("Không tìm thấy xã, phường với mã này."))
        if self.province.data and commune.province.code != self.province.data:
            raise ValidationError(_l("Xã, phường này không thuộc tỉnh, thành phố đã chọn."))
        self.commune_obj = commune


class ProductForm(FlaskForm):
    name = StringField(_l("Tên sản phẩm"), filters=[strip_nfc], validators=[DataRequired(_REQUIRED), Length(max=300)])
    group_code = SelectField(_l("Nhóm sản phẩm"), choices=[])
    description = TextAreaField(_l("Bản thuyết minh, mô tả giới thiệu sản phẩm"), filters=[strip_nfc],
                                validators=[Length(max=20000)])
    gtin = StringField(_l("Mã số mã vạch GTIN (nếu có)"), filters=[_compact], validators=[Optional(), Length(max=14)])
    is_set = BooleanField(_l("Đây là bộ sản phẩm (nhiều sản phẩm đăng ký chung)"))
    set_items = FieldList(StringField(_l("Sản phẩm trong bộ"), filters=[strip_nfc], validators=[Length(max=300)]),
                          min_entries=4, max_entries=30)
    submit = SubmitField(_l("Lưu sản phẩm"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        groups = db.session.scalars(select(ProductGroup).order_by(ProductGroup.code)).all()
        self.group_code.choices = [SelectChoice(g.code, g.name) for g in groups]

    def validate_gtin(self, field):
        if field.data and not gtin_is_valid(field.data):
            raise ValidationError(_l("Mã GTIN không hợp lệ: cần 8, 12, 13 hoặc 14 chữ số với số kiểm tra đúng."))

    def validate_set_items(self, field):
        names = [n for n in field.data if n]
        if self.is_set.data and len(names) < 2:
            raise ValidationError(_l("Bộ sản phẩm cần ít nhất 2 sản phẩm thành phần."))


DOCUMENT_TYPE_CHOICES = [
    SelectChoice("registration", _l("Bản sao giấy chứng nhận đăng ký (bắt buộc)")),
    SelectChoice("quality", _l("Giấy chứng nhận chất lượng")),
    SelectChoice("food_safety", _l("Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm")),
    SelectChoice("award", _l("Giải thưởng, bằng khen")),
    SelectChoice("other", _l("Tài liệu khác")),
]


class PhotoUploadForm(FlaskForm):
    # Both upload forms share one page: distinct ids, so each label names its own input.
    # accept: a phone offers its camera and gallery; the content is still checked on the server.
    file = FileField(_l("Ảnh sản phẩm (JPEG, PNG hoặc WebP)"), id="photo-file",
                     validators=[FileRequired(_l("Hãy chọn một tệp ảnh."))],
                     render_kw={"accept": "image/jpeg,image/png,image/webp"})
    submit = SubmitField(_l("Tải ảnh lên"))


class DocumentUploadForm(FlaskForm):
    document_type = SelectField(_l("Loại tài liệu"), choices=DOCUMENT_TYPE_CHOICES)
    file = FileField(_l("Tệp (PDF hoặc ảnh)"), id="document-file", validators=[FileRequired(_l("Hãy chọn một tệp."))])
    submit = SubmitField(_l("Tải tài liệu lên"))


class ApplyForm(FlaskForm):
    round_id = IdSelectField(_l("Đợt bình chọn"), choices=[], validate_choice=False,
                             validators=[DataRequired(_l("Hãy chọn một đợt bình chọn đang nhận hồ sơ."))])
    submit = SubmitField(_l("Tạo hồ sơ đăng ký"))


# The registration form's commitments (voting.rules.commitments, whose Vietnamese texts these labels are):
# field name = commitment code, each with its own message when left unticked.
COMMITMENT_FIELDS = {
    "own_production": (_l("Sản phẩm đăng ký tham gia bình chọn do cơ sở trực tiếp sản xuất."),
                       _l("Hãy xác nhận sản phẩm do cơ sở trực tiếp sản xuất.")),
    "no_ip_infringement": (_l("Sản phẩm không vi phạm quyền sở hữu trí tuệ của tổ chức, cá nhân khác."),
                           _l("Hãy xác nhận sản phẩm không vi phạm quyền sở hữu trí tuệ.")),
    "series_production": (_l("Sản phẩm được sản xuất hàng loạt, ổn định tại cơ sở."),
                          _l("Hãy xác nhận sản phẩm được sản xuất hàng loạt, ổn định.")),
    "sold_on_market": (_l("Sản phẩm đã được tiêu thụ trên thị trường."),
                       _l("Hãy xác nhận sản phẩm đã được tiêu thụ trên thị trường.")),
    "truthful_dossier": (_l("Thông tin trong hồ sơ đăng ký là đúng sự thật; cơ sở chịu trách nhiệm trước pháp luật "
                            "về nội dung đã kê khai."),
                         _l("Hãy cam kết thông tin trong hồ sơ là đúng sự thật và cơ sở chịu trách nhiệm trước "
                            "pháp luật.")),
}


class SubmitApplicationForm(FlaskForm):
    """Nộp hồ sơ: the five commitments of the registration form, each a required tick."""

    own_production = BooleanField(COMMITMENT_FIELDS["own_production"][0],
                                  validators=[DataRequired(COMMITMENT_FIELDS["own_production"][1])])
    no_ip_infringement = BooleanField(COMMITMENT_FIELDS["no_ip_infringement"][0],
                                      validators=[DataRequired(COMMITMENT_FIELDS["no_ip_infringement"][1])])
    series_production = BooleanField(COMMITMENT_FIELDS["series_production"][0],
                                     validators=[DataRequired(COMMITMENT_FIELDS["series_production"][1])])
    sold_on_market = BooleanField(COMMITMENT_FIELDS["sold_on_market"][0],
                                  validators=[DataRequired(COMMITMENT_FIELDS["sold_on_market"][1])])
    truthful_dossier = BooleanField(COMMITMENT_FIELDS["truthful_dossier"][0],
                                    validators=[DataRequired(COMMITMENT_FIELDS["truthful_dossier"][1])])

    @property
    def commitment_fields(self):
        return [self[code] for code in COMMITMENT_FIELDS]

    @property
    def ticked(self):
        """The codes of the commitments ticked."""
        return [code for code in COMMITMENT_FIELDS if self[code].data]


class SignedFormUploadForm(FlaskForm):
    file = FileField(_l("Phiếu đăng ký đã ký (PDF, JPEG hoặc PNG)"), id="signed-form-file",
                     validators=[FileRequired(_l("Hãy chọn tệp phiếu đăng ký đã ký."))])
    submit = SubmitField(_l("Tải phiếu đã ký lên"))
