"""The producer's commitments on the registration form (phiếu đăng ký tham gia bình chọn).

Thông tư 26/2014/TT-BCT practice: the producer ticks each commitment before submitting. What a
producer ticked is stored as the version of the wording (``Application.commitments``) with the
moment it was given; the wording of a version never changes once in use: new wording, new version.
The texts are Vietnamese, as printed on the form whatever the reader's language; the form's labels
(:mod:`voting.forms.producer`) translate the same sentences.
"""
from voting.models.round import COMMITMENT_VERSIONS, COMMITMENTS_BEFORE_FORM, COMMITMENTS_NOMINATED

#: The wording in force; a submission records it.
CURRENT_VERSION = COMMITMENT_VERSIONS[-1]

#: Each version's commitments, in the order they are printed, with their Vietnamese text.
VERSIONS = {
    CURRENT_VERSION: (
        ("own_production", "Sản phẩm đăng ký tham gia bình chọn do cơ sở trực tiếp sản xuất."),
        ("no_ip_infringement", "Sản phẩm không vi phạm quyền sở hữu trí tuệ của tổ chức, cá nhân khác."),
        ("series_production", "Sản phẩm được sản xuất hàng loạt, ổn định tại cơ sở."),
        ("sold_on_market", "Sản phẩm đã được tiêu thụ trên thị trường."),
        ("truthful_dossier", "Thông tin trong hồ sơ đăng ký là đúng sự thật; cơ sở chịu trách nhiệm trước "
                             "pháp luật về nội dung đã kê khai."),
    ),
}

#: An application from before the registration form existed: what its producer committed to is unknown.
BEFORE_FORM = COMMITMENTS_BEFORE_FORM
#: An entry put forward by a lower round's nomination (đề cử): its producer did not register it here.
NOMINATED = COMMITMENTS_NOMINATED


def commitment_codes(version=CURRENT_VERSION):
    """The codes of ``version``'s commitments, in order."""
    return tuple(code for code, _ in VERSIONS[version])


def missing_commitments(ticked, version=CURRENT_VERSION):
    """The codes of ``version`` not among ``ticked`` (an iterable of codes), in order."""
    ticked = set(ticked)
    return [code for code in commitment_codes(version) if code not in ticked]


def given_on_platform(commitments):
    """Whether ``commitments`` (an ``Application.commitments`` value) are ticks the producer gave here."""
    return commitments in VERSIONS
