"""The certificates' forms: the public "Báo cáo nghi ngờ hàng giả", and the upload of past certificates."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from certificates.operations.fake_reports import MAX_CONTACT, MAX_DESCRIPTION, MAX_WHERE
from voting.forms.fields import strip_nfc


class FakeReportForm(FlaskForm):
    where_seen = StringField(_l("Nơi bạn thấy sản phẩm (không bắt buộc)"), filters=[strip_nfc],
                             validators=[Length(max=MAX_WHERE, message=_l("Tối đa %(max)d ký tự."))])
    description = TextAreaField(_l("Điều bạn nghi ngờ"), filters=[strip_nfc], validators=[
        DataRequired(message=_l("Vui lòng mô tả điều bạn nghi ngờ.")),
        Length(max=MAX_DESCRIPTION, message=_l("Tối đa %(max)d ký tự."))])
    contact = StringField(_l("Số điện thoại hoặc e-mail để cơ quan cấp liên hệ lại (không bắt buộc)"),
                          filters=[strip_nfc],
                          validators=[Length(max=MAX_CONTACT, message=_l("Tối đa %(max)d ký tự."))])
    submit = SubmitField(_l("Gửi báo cáo"))


class ImportCertificatesForm(FlaskForm):
    """One .xlsx file laid out like the template; checked by content, never by its name."""

    file = FileField(_l("Tệp Excel (.xlsx)"), validators=[FileRequired(_l("Hãy chọn tệp cần nhập."))])
    submit = SubmitField(_l("Kiểm tra và nhập"))
