"""Organiser forms: rounds and screening decisions."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectChoice, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, ValidationError

from voting.forms.fields import strip_nfc

_REQUIRED = _l("Vui lòng điền mục này.")
_DATE = _l("Ngày không hợp lệ; hãy chọn ngày theo dạng ngày/tháng/năm.")


class RoundForm(FlaskForm):
    title = StringField(_l("Tên đợt bình chọn"), filters=[strip_nfc], validators=[DataRequired(_REQUIRED), Length(max=300)])
    year = IntegerField(_l("Năm"), validators=[DataRequired(_REQUIRED), NumberRange(2000, 2100, _l("Năm không hợp lệ."))])
    registration_opens_on = DateField(_l("Ngày bắt đầu nhận hồ sơ"), validators=[DataRequired(_DATE)])
    registration_closes_on = DateField(_l("Ngày kết thúc nhận hồ sơ"), validators=[DataRequired(_DATE)])
    authority_id = SelectField(_l("Cơ quan cấp giấy chứng nhận"), choices=[], validate_choice=False)
    submit = SubmitField(_l("Lưu đợt bình chọn"))

    def __init__(self, *args, authorities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.authorities = {str(a.id): a for a in authorities}
        self.authority_id.choices = [SelectChoice(str(a.id), a.name) for a in authorities]

    def validate_registration_closes_on(self, field):
        opens = self.registration_opens_on.data
        if opens and field.data and field.data < opens:
            raise ValidationError(_l("Ngày kết thúc không được trước ngày bắt đầu."))

    def validate_authority_id(self, field):
        if field.data not in self.authorities:
            raise ValidationError(_l("Hãy chọn một cơ quan thuộc địa bàn của bạn."))


DECISION_CHOICES = [
    SelectChoice("accept", _l("Chấp nhận hồ sơ và cấp mã số bình chọn")),
    SelectChoice("return", _l("Trả lại để cơ sở bổ sung, sửa đổi")),
    SelectChoice("reject", _l("Từ chối hồ sơ")),
]


class ScreeningForm(FlaskForm):
    decision = SelectField(_l("Quyết định"), choices=DECISION_CHOICES)
    message = TextAreaField(_l("Lời nhắn cho cơ sở / lý do"), filters=[strip_nfc], validators=[Length(max=4000)])
    submit = SubmitField(_l("Ghi nhận"))

    def validate_message(self, field):
        if self.decision.data in ("return", "reject") and not field.data:
            raise ValidationError(_l("Khi trả lại hoặc từ chối, hãy ghi rõ lý do để cơ sở biết cần làm gì."))
