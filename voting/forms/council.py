"""Forms of the council as founded: the founding decision, its members, the jury and the tổ giúp việc."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, SelectChoice, SelectField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length, Optional

from voting.forms.fields import strip_nfc
from voting.forms.signer import SignerFields
from voting.models import CouncilRole

_REQUIRED = _l("Vui lòng điền mục này.")
_DATE = _l("Ngày không hợp lệ; hãy chọn ngày theo dạng ngày/tháng/năm.")
_EMAIL = _l("E-mail không hợp lệ.")

#: The seats of a council, as a founding decision names them.
ROLE_CHOICES = [
    SelectChoice(CouncilRole.CHAIR, _l("Chủ tịch Hội đồng")),
    SelectChoice(CouncilRole.VICE_CHAIR, _l("Phó Chủ tịch Hội đồng")),
    SelectChoice(CouncilRole.STANDING_MEMBER, _l("Ủy viên thường trực")),
    SelectChoice(CouncilRole.MEMBER, _l("Ủy viên")),
    SelectChoice(CouncilRole.SECRETARY, _l("Ủy viên kiêm Thư ký")),
]


class PersonFields:
    """A person as the decision prints them: name, position, agency."""

    full_name = StringField(_l("Họ và tên"), filters=[strip_nfc], validators=[DataRequired(_REQUIRED), Length(max=200)])
    position = StringField(_l("Chức vụ"), filters=[strip_nfc], default="", validators=[Length(max=200)])
    agency = StringField(_l("Cơ quan, đơn vị"), filters=[strip_nfc], default="", validators=[Length(max=200)])


class AccountLinkField:
    email = StringField(_l("E-mail tài khoản (chỉ khi người này làm việc trên hệ thống)"), filters=[strip_nfc],
                        default="", validators=[Optional(), Email(_EMAIL), Length(max=254)])


class CouncilFoundingForm(SignerFields, FlaskForm):
    """The authority's decision founding the council (Quyết định thành lập Hội đồng bình chọn)."""

    signer_required = True

    founding_number = StringField(_l("Số quyết định thành lập"), filters=[strip_nfc],
                                  validators=[DataRequired(_REQUIRED), Length(max=60)])
    founded_on = DateField(_l("Ngày ký"), validators=[DataRequired(_DATE)])
    scan = FileField(_l("Bản quét quyết định đã ký (PDF, JPEG hoặc PNG; không bắt buộc)"))
    submit = SubmitField(_l("Lưu quyết định thành lập"))


class JuryAppointmentForm(FlaskForm):
    """The council's document appointing the Ban Giám khảo and the tổ giúp việc."""

    jury_document_number = StringField(_l("Số văn bản thành lập Ban Giám khảo và Tổ giúp việc"), filters=[strip_nfc],
                                       validators=[DataRequired(_REQUIRED), Length(max=60)])
    jury_appointed_on = DateField(_l("Ngày ký"), validators=[DataRequired(_DATE)])
    submit = SubmitField(_l("Lưu văn bản"))


class CouncilMemberForm(PersonFields, AccountLinkField, FlaskForm):
    role = SelectField(_l("Vai trò trong Hội đồng"), choices=ROLE_CHOICES, default=CouncilRole.MEMBER)
    submit = SubmitField(_l("Thêm vào Hội đồng"))


class SupportMemberForm(PersonFields, AccountLinkField, FlaskForm):
    is_lead = BooleanField(_l("Tổ trưởng"))
    submit = SubmitField(_l("Thêm vào Tổ giúp việc"))


class JurorDetailsForm(FlaskForm):
    """What the jury's appointment prints of a juror, and what they score; their account stays."""

    position = StringField(_l("Chức vụ"), filters=[strip_nfc], default="", validators=[Length(max=200)])
    agency = StringField(_l("Cơ quan, đơn vị"), filters=[strip_nfc], default="", validators=[Length(max=200)])
    groups = SelectMultipleField(_l("Chấm các nhóm (bỏ trống: tất cả)"), choices=[], validate_choice=False)
    submit = SubmitField(_l("Lưu"))


class JurorForm(JurorDetailsForm):
    email = StringField(_l("E-mail tài khoản"), filters=[strip_nfc], validators=[DataRequired(_REQUIRED), Length(max=254)])
    position = StringField(_l("Chức vụ (để trống: lấy theo tài khoản)"), filters=[strip_nfc], default="",
                           validators=[Length(max=200)])
    is_head = BooleanField(_l("Trưởng Ban Giám khảo"))
    submit = SubmitField(_l("Thêm vào Ban Giám khảo"))
