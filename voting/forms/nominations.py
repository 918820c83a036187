"""Forms of nominations (đề cử): choosing certified entries and the round they go up to."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from voting.forms.fields import IdSelectField, IdSelectMultipleField, strip_nfc


class NominateForm(FlaskForm):
    """The target round and the entries ticked in the table of certified entries.

    Both choice lists are set by the view from what the organiser may choose, so a
    tampered id fails validation with a message instead of reaching the operation.
    """

    target_id = IdSelectField(_l("Đề cử vào đợt"), choices=[], validate_choice=False,
                              validators=[DataRequired(_l("Hãy chọn đợt bình chọn cấp trên."))])
    entries = IdSelectMultipleField(_l("Sản phẩm đề cử"), choices=[], validate_choice=False,
                                    validators=[DataRequired(_l("Hãy chọn ít nhất một sản phẩm để đề cử."))])
    submit = SubmitField(_l("Đề cử các sản phẩm đã chọn"))

    def validate_target_id(self, field):
        if field.data not in {value for value, _label in self.target_id.choices}:
            raise ValidationError(_l("Đợt bình chọn đã chọn không nhận đề cử từ đợt này."))

    def validate_entries(self, field):
        if not set(field.data or ()) <= {value for value, _label in self.entries.choices}:
            raise ValidationError(_l("Có sản phẩm đã chọn không thuộc danh sách sản phẩm được cấp giấy chứng nhận "
                                     "của đợt."))


class WithdrawNominationForm(FlaskForm):
    reason = TextAreaField(_l("Lý do rút đề cử"), filters=[strip_nfc],
                           validators=[DataRequired(_l("Hãy ghi lý do.")), Length(max=2000)])
