"""The certificates' forms: the public "Báo cáo nghi ngờ hàng giả", the upload of past certificates, and an
organiser's suspension, revocation or reinstatement of one certificate."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectChoice, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length

from certificates.code_labels import REASON_CATEGORY_LABELS
from certificates.models import REASON_CATEGORIES
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


class DocumentCheckForm(FlaskForm):
    """The public check of a PDF that claims to come from the platform (a certificate, a decision)."""

    document = FileField(_l("Tệp PDF cần kiểm tra"), validators=[FileRequired(message=_l("Hãy chọn một tệp PDF."))])
    submit = SubmitField(_l("Kiểm tra"))


class ImportCertificatesForm(FlaskForm):
    """One .xlsx file laid out like the template; checked by content, never by its name."""

    file = FileField(_l("Tệp Excel (.xlsx)"), validators=[FileRequired(_l("Hãy chọn tệp cần nhập."))])
    submit = SubmitField(_l("Kiểm tra và nhập"))


MAX_REASON = 1000


class WithdrawForm(FlaskForm):
    """Suspend or revoke a certificate: a reason from the list, chosen (none is preselected), and its details."""

    category = SelectField(_l("Lý do"), default="", validate_choice=False,
                           choices=[SelectChoice("", _l("— Chọn lý do —"))]
                           + [SelectChoice(str(c), REASON_CATEGORY_LABELS[c]) for c in REASON_CATEGORIES],
                           validators=[DataRequired(message=_l("Hãy chọn lý do trong danh sách.")),
                                       AnyOf([str(c) for c in REASON_CATEGORIES],
                                             message=_l("Hãy chọn lý do trong danh sách."))])
    reason = TextAreaField(_l("Chi tiết"), filters=[strip_nfc], render_kw={"rows": 3}, validators=[
        DataRequired(message=_l("Hãy ghi chi tiết: việc gì, căn cứ văn bản nào.")),
        Length(max=MAX_REASON, message=_l("Tối đa %(max)d ký tự."))])


class ReinstateForm(FlaskForm):
    """Lift a suspension, saying why."""

    reason = TextAreaField(_l("Lý do cho hiệu lực trở lại"), filters=[strip_nfc], render_kw={"rows": 3}, validators=[
        DataRequired(message=_l("Hãy ghi lý do cho hiệu lực trở lại.")),
        Length(max=MAX_REASON, message=_l("Tối đa %(max)d ký tự."))])


def with_ids(form, prefix):
    """Give each field of ``form`` the id ``<prefix>-<name>``: a page holding two forms of one class keeps
    its ids unique (the names, which the server reads, stay as they are)."""
    for field in form:
        field.id = field.label.field_id = f"{prefix}-{field.name}"
    return form
