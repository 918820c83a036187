"""The signer block's fields (Nghị định 30/2020/NĐ-CP, Phụ lục I), shared by the round's settings and the decision."""
from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice, SelectField, StringField
from wtforms.validators import Length

from voting.forms.fields import strip_nfc
from voting.models import SignerCapacity
from voting.rules.signer import PREFIXES, SignerBlock, signer_problems

CAPACITY_CHOICES = [
    SelectChoice(SignerCapacity.NONE, _l("Ký với chức vụ của mình (không ghi thẩm quyền)")),
    SelectChoice(SignerCapacity.TM, _l("TM. – thay mặt tập thể")),
    SelectChoice(SignerCapacity.KT, _l("KT. – ký thay người đứng đầu")),
    SelectChoice(SignerCapacity.TL, _l("TL. – thừa lệnh")),
    SelectChoice(SignerCapacity.TUQ, _l("TUQ. – thừa ủy quyền")),
    SelectChoice(SignerCapacity.Q, _l("Q. – quyền (được giao quyền người đứng đầu)")),
]
#: The form field each part of the block is typed in.
FIELDS = {"capacity": "signer_capacity", "body": "signer_body", "head_title": "signer_head_title",
          "title": "signer_title", "name": "signer_name"}


def _message(code, capacity):
    messages = {
        "name_required": _l("Hãy ghi họ tên người ký."),
        "title_required": _l("Hãy ghi chức vụ của người ký, ví dụ “Phó Chủ tịch”."),
        "body_required": _l("Ký thay mặt tập thể (TM.) cần tên tập thể, ví dụ “Ủy ban nhân dân”."),
        "body_without_capacity": _l("Đã ghi tên tập thể: hãy chọn thẩm quyền ký “TM.” (hoặc KT., TL., TUQ., Q. "
                                    "nếu ký dưới dòng “TM.”), hoặc để trống ô này."),
        "head_required": _l("Ký %(prefix)s cần chức danh của người đứng đầu, ví dụ “Chủ tịch”.",
                            prefix=PREFIXES.get(capacity, "")),
        "head_without_capacity": _l("Chức danh người đứng đầu chỉ ghi khi ký KT., TL., TUQ. hoặc Q.; hãy chọn "
                                    "thẩm quyền ký hoặc để trống ô này."),
        "title_with_acting": _l("Khi ký quyền (Q.), dòng “Q. …” đã là chức danh của người ký; để trống ô này."),
    }
    return messages[code]


class SignerFields:
    """Mixin for a form that records a signer; ``signer_required`` says whether the block may stay empty."""

    signer_required = False

    signer_capacity = SelectField(_l("Thẩm quyền ký"), choices=CAPACITY_CHOICES, default=SignerCapacity.NONE)
    # default="": a POST without these boxes means "no signer", not NULL in a NOT NULL column.
    signer_body = StringField(_l("Tên tập thể (khi ký TM.)"), filters=[strip_nfc], default="",
                              validators=[Length(max=200)])
    signer_head_title = StringField(_l("Chức danh người đứng đầu (khi ký KT., TL., TUQ., Q.)"), filters=[strip_nfc],
                                    default="", validators=[Length(max=200)])
    signer_title = StringField(_l("Chức vụ của người ký"), filters=[strip_nfc], default="",
                               validators=[Length(max=200)])
    signer_name = StringField(_l("Họ tên người ký"), filters=[strip_nfc], default="", validators=[Length(max=200)])

    @property
    def signer_block(self):
        """The block as typed (call after validation)."""
        return SignerBlock(**{key: getattr(self, name).data or "" for key, name in FIELDS.items()})

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if self.signer_capacity.errors:
            return False
        problems = signer_problems(self.signer_block, required=self.signer_required)
        for key, code in problems.items():
            getattr(self, FIELDS[key]).errors.append(_message(code, self.signer_capacity.data))
        return valid and not problems
