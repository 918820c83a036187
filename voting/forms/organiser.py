"""Organiser forms: rounds and screening decisions."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from decimal import Decimal

from wtforms import (
    BooleanField,
    DateField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import AnyOf, DataRequired, Length, Optional, ValidationError

from voting.forms.fields import (
    LocalDecimalField,
    NumberRequired,
    UnlessTicked,
    WholeNumberField,
    plain_decimal,
    plain_number,
    strip_nfc,
)
from voting.forms.signer import SignerFields
from voting.models import StepOrder, ValidityFrom
from voting.models.council import GUIDANCE_MAX
from voting.operations.applications import RURAL_REASON_MAX

_REQUIRED = _l("Vui lòng điền mục này.")
_DATE = _l("Ngày không hợp lệ; hãy chọn ngày theo dạng ngày/tháng/năm.")
#: A sub-criterion as ``round_criterion`` holds it: code VARCHAR(10), name VARCHAR(300), NUMERIC(6, 2) maximum.
SUBCRITERION_CODE_MAX, SUBCRITERION_NAME_MAX = 10, 300
SUBCRITERION_PLACES, SUBCRITERION_MAX_POINTS = 2, Decimal("9999.99")


class RoundForm(FlaskForm):
    title = StringField(_l("Tên đợt bình chọn"), filters=[strip_nfc], validators=[DataRequired(_REQUIRED), Length(max=300)])
    # The round's CHECK constraint (year_range) allows these years.
    year = WholeNumberField(_l("Năm"), validators=[NumberRequired(_REQUIRED)], minimum=2000, maximum=2100,
                            message=_l("Năm không hợp lệ."))
    registration_opens_on = DateField(_l("Ngày bắt đầu nhận hồ sơ"), validators=[DataRequired(_DATE)])
    registration_closes_on = DateField(_l("Ngày kết thúc nhận hồ sơ"), validators=[DataRequired(_DATE)])
    authority_id = SelectField(_l("Cơ quan cấp giấy chứng nhận"), choices=[], validate_choice=False)
    # On for a new round (the form's default); whether the paper form is still required is unconfirmed.
    require_signed_registration_form = BooleanField(
        _l("Chỉ chấp nhận hồ sơ khi cơ sở đã tải lên phiếu đăng ký có chữ ký"), default=True)
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


#: The screening decisions, one button each (no choice made for the organiser).
DECISIONS = ("accept", "return", "reject")


class ScreeningForm(FlaskForm):
    decision = StringField(_l("Quyết định"), validators=[AnyOf(DECISIONS, message=_l(
        "Hãy bấm một trong ba nút: chấp nhận, trả lại hoặc từ chối hồ sơ."))])
    message = TextAreaField(_l("Lời nhắn cho cơ sở / lý do"), filters=[strip_nfc], validators=[Length(max=4000)])
    # Only for a producer flagged as perhaps not rural (voting.rules.eligibility.rural_flags).
    rural_confirmed = BooleanField(_l("Tôi quyết định chấp nhận cơ sở là cơ sở sản xuất ở khu vực nông thôn dù "
                                      "bị đánh dấu"))
    rural_reason = TextAreaField(_l("Lý do coi cơ sở là cơ sở công nghiệp nông thôn"), filters=[strip_nfc],
                                 validators=[Length(max=RURAL_REASON_MAX)])
    def __init__(self, *args, rural_flags=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.rural_flags = list(rural_flags)

    def validate_message(self, field):
        if self.decision.data in ("return", "reject") and not field.data:
            raise ValidationError(_l("Khi trả lại hoặc từ chối, hãy ghi rõ lý do để cơ sở biết cần làm gì."))

    def validate_rural_confirmed(self, field):
        if self.rural_flags and self.decision.data == "accept" and not field.data:
            raise ValidationError(_l("Cơ sở bị đánh dấu có thể không sản xuất ở khu vực nông thôn: muốn chấp nhận "
                                     "hồ sơ, hãy đánh dấu ô này để ghi nhận quyết định của bạn."))

    def validate_rural_reason(self, field):
        if self.rural_flags and self.decision.data == "accept" and not field.data:
            raise ValidationError(_l("Hãy ghi lý do coi cơ sở là cơ sở công nghiệp nông thôn (ví dụ: xưởng sản xuất "
                                     "ở thôn thuộc phường, nguyên liệu và lao động tại chỗ)."))


class ScoringSettingsForm(SignerFields, FlaskForm):
    """Per-round settings for scoring and later phases (rules the sources leave open)."""

    # Bounds: the round's CHECK constraints and NUMERIC(p, 2) columns (voting/models/round.py), and what
    # a real round needs; a value outside them is refused here, never rounded or left to the database.
    point_step = LocalDecimalField(_l("Bước điểm"), validators=[NumberRequired(_REQUIRED)],
                                   minimum=Decimal("0.01"), maximum=Decimal("10"),
                                   message=_l("Bước điểm từ 0,01 đến 10."))
    pass_mark = LocalDecimalField(_l("Điểm đạt (tổng điểm bình quân tối thiểu)"), validators=[NumberRequired(_REQUIRED)],
                                  minimum=Decimal("0"), maximum=Decimal("100"), message=_l("Điểm đạt từ 0 đến 100."))
    min_sheets_per_entry = WholeNumberField(_l("Số phiếu chấm tối thiểu cho mỗi sản phẩm"),
                                            validators=[NumberRequired(_REQUIRED)], minimum=1, maximum=50,
                                            message=_l("Từ 1 đến 50."))
    council_quorum = WholeNumberField(_l("Số thành viên Hội đồng tối thiểu để biểu quyết hợp lệ"),
                                      validators=[NumberRequired(_REQUIRED)], minimum=1, maximum=100,
                                      message=_l("Từ 1 đến 100."))
    second_stage = BooleanField(_l("Có vòng chấm thứ hai sau khảo sát thực tế"))
    second_stage_rule = SelectField(_l("Sản phẩm vào vòng hai"), choices=[
        SelectChoice("all_passing", _l("Mọi sản phẩm đạt từ điểm đạt trở lên ở vòng một")),
        SelectChoice("top_n", _l("N sản phẩm điểm cao nhất")),
    ])
    second_stage_top_n = WholeNumberField(_l("N (nếu chọn theo thứ hạng)"), validators=[Optional()],
                                          minimum=1, maximum=1000, message=_l("Từ 1 đến 1000."))
    second_stage_weight = LocalDecimalField(_l("Trọng số của vòng hai trong điểm cuối cùng (1 = chỉ tính vòng hai)"),
                                            validators=[NumberRequired(_REQUIRED)], minimum=Decimal("0.01"),
                                            maximum=Decimal("1"), message=_l("Trọng số từ 0,01 đến 1."))
    outlier_mad_factor = LocalDecimalField(_l("Phiếu lệch: cách trung vị quá bao nhiêu lần độ lệch tuyệt đối trung vị (MAD)"),
                                           validators=[NumberRequired(_REQUIRED)], minimum=Decimal("0.5"),
                                           maximum=Decimal("20"), message=_l("Từ 0,5 đến 20."))
    outlier_min_spread = LocalDecimalField(_l("Ngưỡng chênh lệch tối thiểu so với trung vị (điểm)"),
                                           validators=[NumberRequired(_REQUIRED)], minimum=Decimal("0"),
                                           maximum=Decimal("100"), message=_l("Từ 0 đến 100."))
    vote_majority = SelectField(_l("Biểu quyết thông qua khi"), choices=[
        SelectChoice("half", _l("Quá nửa số thành viên có mặt tán thành")),
        SelectChoice("two_thirds", _l("Ít nhất hai phần ba số thành viên có mặt tán thành")),
    ])
    step_order = SelectField(_l("Thứ tự công bố kết quả và quyết định công nhận"), choices=[
        SelectChoice(StepOrder.ANNOUNCE_FIRST, _l("Công bố kết quả, nhận và giải quyết khiếu nại, rồi ban hành quyết "
                                                  "định công nhận (theo quy định)")),
        SelectChoice(StepOrder.DECIDE_FIRST, _l("Ban hành quyết định công nhận, rồi công bố và nhận khiếu nại")),
    ])
    validity_from = SelectField(_l("Giấy chứng nhận ghi ngày và tính thời hạn từ"), choices=[
        SelectChoice(ValidityFrom.DECISION, _l("Ngày ký quyết định công nhận (theo quy định)")),
        SelectChoice(ValidityFrom.ISSUE, _l("Ngày cấp giấy trên hệ thống")),
    ])
    complaint_window_days = WholeNumberField(_l("Thời hạn khiếu nại sau khi công bố kết quả (ngày)"),
                                             validators=[NumberRequired(_REQUIRED)], minimum=1, maximum=90,
                                             message=_l("Từ 1 đến 90 ngày."))
    nomination_quota = WholeNumberField(_l("Số sản phẩm tối đa mỗi tỉnh, thành phố được đề cử (bỏ trống: không giới hạn)"),
                                        validators=[Optional()], minimum=1, maximum=1000, message=_l("Từ 1 đến 1000."))
    certificate_validity_months = WholeNumberField(_l("Thời hạn giấy chứng nhận (tháng)"),
                                                   validators=[UnlessTicked("no_expiry"), NumberRequired(_REQUIRED)],
                                                   minimum=1, maximum=120, message=_l("Từ 1 đến 120 tháng."))
    no_expiry = BooleanField(_l("Giấy chứng nhận không có thời hạn"))
    scoring_starts_on = DateField(_l("Ngày bắt đầu chấm"), validators=[Optional()])
    scoring_ends_on = DateField(_l("Ngày kết thúc chấm"), validators=[Optional()])
    deliberation_on = DateField(_l("Ngày Hội đồng họp"), validators=[Optional()])
    detect_same_person = BooleanField(_l("Cùng họ tên (giám khảo và người đại diện cơ sở)"))
    detect_same_contact = BooleanField(_l("Cùng e-mail hoặc số điện thoại"))
    detect_same_registration = BooleanField(_l("Mã số đăng ký của cơ sở xuất hiện trong thông tin giám khảo"))
    detect_same_organisation = BooleanField(_l("Tên cơ sở xuất hiện trong chức vụ, đơn vị của giám khảo"))
    submit = SubmitField(_l("Lưu thiết lập"))

    def validate_second_stage_top_n(self, field):
        if self.second_stage.data and self.second_stage_rule.data == "top_n" and not field.data:
            raise ValidationError(_l("Hãy nhập số sản phẩm vào vòng hai."))

    def validate_scoring_ends_on(self, field):
        if field.data and self.scoring_starts_on.data and field.data < self.scoring_starts_on.data:
            raise ValidationError(_l("Ngày kết thúc không được trước ngày bắt đầu."))


class SubcriteriaForm(FlaskForm):
    """Sub-criteria of one criterion, one per line: ``code | name | maximum``."""

    criterion = SelectField(_l("Tiêu chí"), choices=[], validate_choice=False)
    lines = TextAreaField(_l("Tiêu chí con (mỗi dòng: mã | tên | điểm tối đa; để trống để bỏ)"), filters=[strip_nfc],
                          validators=[Length(max=5000)])
    submit = SubmitField(_l("Lưu tiêu chí con"))

    def validate_lines(self, field):
        items = []
        for number, line in enumerate((field.data or "").splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            if len(parts) != 3 or not all(parts):
                raise ValidationError(_l("Dòng %(n)d chưa đúng dạng “mã | tên | điểm tối đa”, ví dụ "
                                         "“1.1 | Khả năng mở rộng thị trường | 20”.", n=number))
            code, name, maximum = parts[0], parts[1], plain_decimal(parts[2], SUBCRITERION_PLACES)
            if len(code) > SUBCRITERION_CODE_MAX or len(name) > SUBCRITERION_NAME_MAX:
                raise ValidationError(_l("Dòng %(n)d: mã dài tối đa %(code)d ký tự, tên dài tối đa %(name)d ký tự.",
                                         n=number, code=SUBCRITERION_CODE_MAX, name=SUBCRITERION_NAME_MAX))
            if maximum is None or not 0 < maximum <= SUBCRITERION_MAX_POINTS:
                raise ValidationError(_l("Dòng %(n)d: điểm tối đa là một số lớn hơn 0 và không quá %(max)s, "
                                         "nhiều nhất hai chữ số sau dấu phẩy (ví dụ 12,5).", n=number,
                                         max=plain_number(SUBCRITERION_MAX_POINTS)))
            items.append((code, name, maximum))
        self.items = items


class GuidanceForm(FlaskForm):
    """Guidance for jurors under each criterion: one text box per criterion, added by :func:`guidance_form`."""

    submit = SubmitField(_l("Lưu hướng dẫn chấm"))

    def criterion_fields(self):
        """``[(criterion, field)]`` in sheet order."""
        return [(c, self[f"guidance-{c.id}"]) for c in self.criteria]


def guidance_form(criteria, formdata=True):
    """A :class:`GuidanceForm` for these criteria, each box filled with its criterion's guidance.

    A box left out of the submitted form keeps the criterion's text (its default), rather than clearing it.
    """
    class Form(GuidanceForm):
        pass

    for criterion in criteria:
        setattr(Form, f"guidance-{criterion.id}", TextAreaField(
            f"{criterion.code}. {criterion.name}", default=criterion.guidance, filters=[strip_nfc],
            validators=[GuidanceLength(GUIDANCE_MAX)]))
    form = Form() if formdata else Form(formdata=None)
    form.criteria = list(criteria)
    return form


class GuidanceLength:
    """At most ``maximum`` characters, saying how many were typed (a long text is hard to count by eye)."""

    def __init__(self, maximum):
        self.maximum = maximum

    def __call__(self, form, field):
        length = len(field.data or "")
        if length > self.maximum:
            raise ValidationError(_l("Hướng dẫn dài tối đa %(max)s ký tự; bạn đã nhập %(length)s ký tự.",
                                     max=self.maximum, length=length))
