"""Forms of deliberation and after: strikes, prize tiers, the vote, the decision, complaints."""
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, FieldList, Form, FormField, SelectChoice, SelectField, StringField, SubmitField, TextAreaField, TimeField
from wtforms.widgets import CheckboxInput, ListWidget
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from voting.forms.fields import IdSelectMultipleField, LocalDecimalField, NumberRequired, WholeNumberField, strip_nfc
from voting.forms.signer import SignerFields

_REQUIRED = _l("Vui lòng điền mục này.")
_DATE = _l("Ngày không hợp lệ; hãy chọn ngày theo dạng ngày/tháng/năm.")
_COUNT = _l("Hãy nhập một số nguyên không âm.")


def _count(label):
    """A head count of the council's meeting (no council has a thousand members)."""
    return WholeNumberField(label, validators=[NumberRequired(_COUNT)], minimum=0, maximum=1000, message=_COUNT)


class ReasonRequiredForm(FlaskForm):
    reason = TextAreaField(_l("Lý do"), filters=[strip_nfc], validators=[DataRequired(_l("Hãy ghi lý do.")),
                                                                      Length(max=5000)])


class VoteForm(FlaskForm):
    """Biểu quyết của Hội đồng on the proposed list as a whole, with the minutes' facts (number, hours, attendance).

    ``present_members`` lists the council's members (the view sets the choices): those ticked were present,
    the others are marked absent in the minutes, and their number is the count present.
    """

    minutes_number = StringField(_l("Số biên bản (không bắt buộc)"), filters=[strip_nfc], default="",
                                 validators=[Length(max=60)])
    meeting_on = DateField(_l("Ngày họp"), validators=[DataRequired(_DATE)])
    starts_at = TimeField(_l("Giờ bắt đầu"), validators=[Optional()])
    ends_at = TimeField(_l("Giờ kết thúc"), validators=[Optional()])
    meeting_place = StringField(_l("Địa điểm họp"), filters=[strip_nfc], validators=[Length(max=200)])
    present_members = IdSelectMultipleField(_l("Thành viên có mặt"), choices=[], validate_choice=False,
                                            widget=ListWidget(prefix_label=False), option_widget=CheckboxInput(),
                                            validators=[DataRequired(_l("Hãy đánh dấu các thành viên có mặt."))])
    votes_for = _count(_l("Tán thành"))
    votes_against = _count(_l("Không tán thành"))
    votes_abstain = _count(_l("Không biểu quyết"))
    minutes_note = TextAreaField(_l("Ý kiến ghi vào biên bản (không bắt buộc)"), filters=[strip_nfc],
                                 validators=[Length(max=5000)])
    submit = SubmitField(_l("Ghi kết quả biểu quyết"))

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.present_members.choices = [(m.id, m.full_name) for m in members]

    def validate_present_members(self, field):
        offered = {value for value, _label in field.choices}
        if not set(field.data or ()) <= offered:
            raise ValidationError(_l("Người được đánh dấu có mặt không phải thành viên Hội đồng của đợt này."))

    def validate_votes_abstain(self, field):
        counts = [self.votes_for.data, self.votes_against.data, field.data]
        if None not in counts and sum(counts) > len(self.present_members.data or ()):
            raise ValidationError(_l("Tổng số phiếu không được vượt số thành viên có mặt."))

    def validate_ends_at(self, field):
        if field.data and self.starts_at.data and field.data < self.starts_at.data:
            raise ValidationError(_l("Giờ kết thúc cuộc họp phải sau giờ bắt đầu."))


class DecisionForm(SignerFields, FlaskForm):
    """Quyết định công nhận of the authority, recorded on a carried vote, with its signer."""

    signer_required = True

    decision_number = StringField(_l("Số quyết định"), filters=[strip_nfc],
                                  validators=[DataRequired(_REQUIRED), Length(max=60)])
    decision_on = DateField(_l("Ngày ký quyết định"), validators=[DataRequired(_DATE)])
    legal_bases = TextAreaField(_l("Căn cứ ban hành (mỗi căn cứ một dòng)"), filters=[strip_nfc], validators=[
        Length(max=5000, message=_l("Tối đa 5000 ký tự."))], render_kw={"rows": 7})
    submit = SubmitField(_l("Ghi quyết định"))


class PrizeTierForm(Form):
    name = StringField(_l("Tên giải"), filters=[strip_nfc], validators=[Length(max=100)])
    places = WholeNumberField(_l("Số giải"), validators=[Optional()], minimum=1, maximum=1000,
                              message=_l("Từ 1 đến 1000."))
    min_score = LocalDecimalField(_l("Điểm tối thiểu"), validators=[Optional()], minimum=Decimal("0"),
                                  maximum=Decimal("100"), message=_l("Từ 0 đến 100."))


class PrizeTiersForm(FlaskForm):
    mode = SelectField(_l("Cách trao giải"), choices=[
        SelectChoice("none", _l("Không có giải")),
        SelectChoice("rank", _l("Theo thứ hạng (giải đầu cho các sản phẩm xếp trên cùng)")),
        SelectChoice("score", _l("Theo khung điểm (đạt điểm tối thiểu của giải)")),
    ])
    tiers = FieldList(FormField(PrizeTierForm), min_entries=6, max_entries=6)
    submit = SubmitField(_l("Lưu cơ cấu giải"))

    def validate_tiers(self, field):
        for entry in field.entries:
            tier = entry.form
            if not tier.name.data:
                continue
            if self.mode.data == "rank" and not tier.places.data:
                raise ValidationError(_l("Giải “%(name)s”: hãy nhập số giải.", name=tier.name.data))
            if self.mode.data == "score" and tier.min_score.data is None:
                raise ValidationError(_l("Giải “%(name)s”: hãy nhập điểm tối thiểu.", name=tier.name.data))


class ComplaintForm(FlaskForm):
    text = TextAreaField(_l("Nội dung khiếu nại"), filters=[strip_nfc], validators=[
        DataRequired(_l("Hãy ghi nội dung khiếu nại.")), Length(max=5000, message=_l("Tối đa 5000 ký tự."))])
    submit = SubmitField(_l("Gửi khiếu nại"))


class AnswerForm(FlaskForm):
    outcome = SelectField(_l("Kết luận"), choices=[
        SelectChoice("dismissed", _l("Không chấp nhận khiếu nại")),
        SelectChoice("upheld", _l("Chấp nhận, kết quả không thay đổi")),
        SelectChoice("upheld_change", _l("Chấp nhận, Hội đồng xét lại kết quả")),
    ])
    answer = TextAreaField(_l("Trả lời của Hội đồng"), filters=[strip_nfc], validators=[
        DataRequired(_l("Hãy ghi câu trả lời.")), Length(max=5000)])
    submit = SubmitField(_l("Ghi trả lời"))


class JustificationForm(FlaskForm):
    justification = TextAreaField(_l("Giải trình"), filters=[strip_nfc], validators=[
        DataRequired(_l("Hãy ghi nội dung giải trình.")), Length(max=5000)])
    submit = SubmitField(_l("Gửi giải trình"))
