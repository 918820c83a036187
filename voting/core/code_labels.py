"""Display labels for codes stored in the database (roles, levels, jurisdictions).

Kept out of the models so that every user-facing word is translatable.
"""
from flask import g
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from voting.core.cache import reference_kept
from voting.core.text import province_key
from voting.extensions import db
from voting.models import (
    ApplicationStatus,
    ComplaintStatus,
    CouncilRole,
    JurisdictionLevel,
    NotificationKind,
    Province,
    Role,
    RoundStatus,
)
from voting.models.reference import CITY

ROLE_LABELS = {
    Role.ADMIN: _l("Quản trị viên"),
    Role.ORGANISER: _l("Cán bộ tổ chức"),
    Role.JUROR: _l("Giám khảo"),
    Role.PRODUCER: _l("Cơ sở sản xuất"),
}

LEVEL_LABELS = {
    JurisdictionLevel.COMMUNE: _l("Cấp xã"),
    JurisdictionLevel.PROVINCE: _l("Cấp tỉnh"),
    JurisdictionLevel.REGION: _l("Cấp khu vực"),
    JurisdictionLevel.NATIONAL: _l("Cấp quốc gia"),
}
#: The provincial level of the six centrally-run cities.
CITY_LEVEL_LABEL = _l("Cấp thành phố")


def _city_keys():
    """The lookup keys (:func:`voting.core.text.province_key`) of the centrally-run cities (reference data, kept a
    minute per worker: :func:`voting.core.cache.reference_kept`)."""
    return reference_kept("city_keys", lambda: frozenset(
        db.session.scalars(select(Province.name_folded).where(Province.kind == CITY))))


def _names_a_city(name):
    """Whether a unit's name (as a certificate states it) names a centrally-run city, folded once per name and
    request: a registry page asks for each of its 25 rows' certificates (4 % of the page's CPU)."""
    named = g.setdefault("city_named", {})
    if name not in named:
        named[name] = province_key(name) in _city_keys()
    return named[name]


def level_label_for(level, province=None):
    """A level as named for one unit: "Cấp thành phố" for the provincial level of a centrally-run city.

    :param province: a :class:`Province`, or a unit's name as a certificate states it ("Hà Nội").
    """
    if level == JurisdictionLevel.PROVINCE and province:
        city = _names_a_city(province) if isinstance(province, str) else province.is_city
        if city:
            return CITY_LEVEL_LABEL
    return LEVEL_LABELS.get(level, level)


def round_level(obj):
    """The level of a round (or anything with a jurisdiction), named for its unit."""
    return level_label_for(obj.jurisdiction_level, getattr(obj, "province", None))


APPLICATION_STATUS_LABELS = {
    ApplicationStatus.DRAFT: _l("Bản nháp"),
    ApplicationStatus.SUBMITTED: _l("Đã nộp"),
    ApplicationStatus.RETURNED: _l("Trả lại để bổ sung"),
    ApplicationStatus.RESUBMITTED: _l("Đã nộp lại"),
    ApplicationStatus.ACCEPTED: _l("Được chấp nhận"),
    ApplicationStatus.REJECTED: _l("Bị từ chối"),
    ApplicationStatus.WITHDRAWN: _l("Đã rút"),
}

ROUND_STATUS_LABELS = {
    RoundStatus.DRAFT: _l("Bản nháp"),
    RoundStatus.REGISTRATION_OPEN: _l("Đang nhận hồ sơ"),
    RoundStatus.SCREENING: _l("Xét duyệt hồ sơ"),
    RoundStatus.SCORING: _l("Chấm điểm"),
    RoundStatus.FIELD_VISITS: _l("Khảo sát thực tế"),
    RoundStatus.SECOND_SCORING: _l("Chấm điểm vòng hai"),
    RoundStatus.DELIBERATION: _l("Hội đồng họp bình chọn"),
    RoundStatus.ANNOUNCED: _l("Đã công bố kết quả, nhận khiếu nại"),
    RoundStatus.DECIDED: _l("Đã có quyết định công nhận"),
    RoundStatus.CERTIFYING: _l("Đang cấp giấy chứng nhận"),
    RoundStatus.CLOSED: _l("Đã kết thúc"),
}

COUNCIL_ROLE_LABELS = {
    CouncilRole.CHAIR: _l("Chủ tịch"),
    CouncilRole.VICE_CHAIR: _l("Phó Chủ tịch"),
    CouncilRole.STANDING_MEMBER: _l("Ủy viên thường trực"),
    CouncilRole.MEMBER: _l("Ủy viên"),
    CouncilRole.SECRETARY: _l("Ủy viên kiêm Thư ký"),
}

COMPLAINT_STATUS_LABELS = {
    ComplaintStatus.OPEN: _l("Đang chờ trả lời"),
    ComplaintStatus.DISMISSED: _l("Không chấp nhận"),
    ComplaintStatus.UPHELD: _l("Được chấp nhận"),
}

DOCUMENT_TYPE_LABELS = {
    "registration": _l("Giấy chứng nhận đăng ký"),
    "quality": _l("Giấy chứng nhận chất lượng"),
    "food_safety": _l("Giấy chứng nhận an toàn thực phẩm"),
    "award": _l("Giải thưởng"),
    "other": _l("Tài liệu khác"),
}


#: The kinds of commune-level unit, as ``commune.division_type`` stores them (from ``vietnam-provinces``).
COMMUNE_KIND_LABELS = {
    "xã": _l("Xã"),
    "phường": _l("Phường"),
    "đặc khu": _l("Đặc khu"),
}

#: Why a producer may not be rural (voting.models.round.RURAL_FLAGS).
RURAL_FLAG_LABELS = {
    "ward": _l("Địa chỉ cơ sở ở phường, là khu vực đô thị."),
    "industrial_zone": _l("Địa chỉ cơ sở có nhắc tới khu công nghiệp hoặc cụm công nghiệp."),
}


def label_filter(table):
    """A template filter showing ``table``'s label for a code, or the code itself when it has none."""
    def label(value):
        return table.get(value, value)

    return label


def role_label(role):
    try:
        return ROLE_LABELS[Role(role)]
    except ValueError:
        return role


def jurisdiction_label(obj):
    """A short label for an organiser's or an authority's area, e.g. "Thái Nguyên"."""
    level = getattr(obj, "jurisdiction_level", None)
    if level == JurisdictionLevel.NATIONAL:
        return _("Toàn quốc")
    if level == JurisdictionLevel.REGION:
        return obj.region.name if obj.region else _("Tất cả khu vực")
    if level == JurisdictionLevel.PROVINCE:
        return obj.province.name
    if level == JurisdictionLevel.COMMUNE:
        return f"{obj.commune.name}, {obj.province.name}"
    return ""


def notification_text(note):
    """The text of an inbox message in the UI language, as plain text (templates escape it)."""
    import json

    params = json.loads(note.params or "{}")
    application = note.application
    names = {"product": application.product.name, "round": application.round.title} if application else {}
    if note.kind == NotificationKind.APPLICATION_RETURNED:
        return _("Hồ sơ “%(product)s” (%(round)s) được trả lại để bổ sung: %(message)s",
                 message=params.get("message", ""), **names)
    if note.kind == NotificationKind.APPLICATION_REJECTED:
        return _("Hồ sơ “%(product)s” (%(round)s) không được chấp nhận. Lý do: %(message)s",
                 message=params.get("message", ""), **names)
    if note.kind == NotificationKind.JURORS_SHORT:
        return _("Đợt “%(round)s”: sau khi giám khảo khai báo xung đột lợi ích, các sản phẩm sau không còn đủ "
                 "%(needed)s giám khảo chấm: %(entries)s.", round=params.get("round_title", ""),
                 needed=params.get("needed", ""), entries=params.get("entries", ""))
    if note.kind == NotificationKind.SCORING_REMINDER:
        return _("Nhắc nhở: bạn còn %(missing)s phiếu chấm chưa nộp trong đợt “%(round)s”.",
                 missing=params.get("missing", ""), round=params.get("round_title", ""))
    if note.kind == NotificationKind.RESULTS_PUBLISHED and params.get("proposed"):
        # Announced before the decision (the rules' order): a proposal, open to complaints.
        if params.get("certified"):
            return _("Kết quả đợt “%(round)s” đã công bố: sản phẩm %(code)s “%(product)s” được Hội đồng đề nghị "
                     "công nhận; quyết định công nhận ban hành sau thời hạn khiếu nại (hết ngày %(date)s).",
                     code=params.get("entry_code", ""), date=params.get("complaints_close_on", ""), **names)
        return _("Kết quả đợt “%(round)s” đã công bố: sản phẩm %(code)s “%(product)s” không có trong danh sách "
                 "Hội đồng đề nghị công nhận. Xem điểm, nhận xét và quyền khiếu nại (tới hết ngày %(date)s) trong "
                 "hồ sơ đăng ký.", code=params.get("entry_code", ""), date=params.get("complaints_close_on", ""),
                 **names)
    if note.kind == NotificationKind.RESULTS_PUBLISHED:
        if params.get("certified"):
            return _("Kết quả đợt “%(round)s” đã công bố: sản phẩm %(code)s “%(product)s” được công nhận. "
                     "Xem điểm và nhận xét trong hồ sơ đăng ký.", code=params.get("entry_code", ""), **names)
        return _("Kết quả đợt “%(round)s” đã công bố: sản phẩm %(code)s “%(product)s” không có trong danh sách "
                 "được công nhận. Xem điểm, nhận xét và quyền khiếu nại (tới hết ngày %(date)s) trong hồ sơ đăng ký.",
                 code=params.get("entry_code", ""), date=params.get("complaints_close_on", ""), **names)
    if note.kind == NotificationKind.COMPLAINT_FILED:
        return _("Có khiếu nại mới về sản phẩm %(code)s trong đợt “%(round)s”.", code=params.get("entry_code", ""),
                 **names)
    if note.kind == NotificationKind.COMPLAINT_ANSWERED:
        return _("Hội đồng đã trả lời khiếu nại của bạn về sản phẩm %(code)s “%(product)s”.",
                 code=params.get("entry_code", ""), **names)
    if note.kind == NotificationKind.JUSTIFICATION_REQUESTED:
        return _("Chủ tịch Hội đồng đề nghị bạn giải trình phiếu chấm sản phẩm %(code)s (%(round)s): %(message)s",
                 code=params.get("entry_code", ""), message=params.get("message", ""), **names)
    if note.kind == NotificationKind.APPLICATION_ACCEPTED:
        return _("Hồ sơ “%(product)s” (%(round)s) đã được chấp nhận, mã số bình chọn %(code)s.",
                 code=params.get("entry_code", ""), **names)
    if note.kind == NotificationKind.NOMINATION_RECEIVED:
        return _("Sản phẩm “%(product)s” được đề cử vào đợt “%(round)s” từ đợt “%(source)s” (giấy chứng nhận số "
                 "%(certificate)s). Hồ sơ chờ xét duyệt.", source=params.get("source_round", ""),
                 certificate=params.get("certificate", ""), **names)
    if note.kind == NotificationKind.APPLICATION_NOMINATED:
        return _("Sản phẩm “%(product)s” của cơ sở được đề cử lên đợt “%(round)s” (giấy chứng nhận số "
                 "%(certificate)s). Hồ sơ được chuyển tiếp, cơ sở không phải nộp lại.",
                 certificate=params.get("certificate", ""), **names)
    if note.kind == NotificationKind.FAKE_REPORTED:
        if params.get("certificate"):
            return _("Có báo cáo nghi ngờ hàng giả về sản phẩm mang giấy chứng nhận số %(certificate)s.",
                     certificate=params["certificate"])
        return _("Có báo cáo nghi ngờ hàng giả từ một mã QR không phải giấy chứng nhận hợp lệ.")
    if note.kind == NotificationKind.ACCOUNT_LOCKED and params.get("client"):
        return _("Có %(count)s lần nhập sai mật khẩu liên tiếp vào tài khoản của bạn từ địa chỉ mạng %(client)s; "
                 "địa chỉ đó bị chặn đăng nhập %(minutes)s phút. Bạn vẫn đăng nhập được từ nơi khác. Nếu không "
                 "phải bạn thử, hãy đổi mật khẩu và dùng \"Đăng xuất khỏi mọi thiết bị\".",
                 count=params.get("wrong_passwords", ""), client=params["client"], minutes=params.get("minutes", ""))
    if note.kind == NotificationKind.ACCOUNT_LOCKED:  # written before locks were per client address
        return _("Tài khoản của bạn bị tạm khóa %(minutes)s phút sau %(count)s lần nhập sai mật khẩu liên tiếp. "
                 "Nếu không phải bạn, hãy đổi mật khẩu ngay khi đăng nhập lại.",
                 minutes=params.get("minutes", ""), count=params.get("wrong_passwords", ""))
    if note.kind == NotificationKind.NOMINATION_WITHDRAWN:
        return _("Đề cử sản phẩm “%(product)s” vào đợt “%(round)s” đã được rút lại.", **names)
    return note.kind


def register_labels(app):
    from voting.core.audit_words import action_words, object_words

    app.jinja_env.filters["audit_action"] = action_words
    app.jinja_env.filters["audit_object"] = object_words
    app.jinja_env.filters["role_label"] = role_label
    app.jinja_env.filters["jurisdiction"] = jurisdiction_label
    app.jinja_env.filters["application_status"] = label_filter(APPLICATION_STATUS_LABELS)
    app.jinja_env.filters["round_status"] = label_filter(ROUND_STATUS_LABELS)
    app.jinja_env.filters["document_type"] = label_filter(DOCUMENT_TYPE_LABELS)
    app.jinja_env.filters["level_label"] = label_filter(LEVEL_LABELS)
    app.jinja_env.filters["round_level"] = round_level
    app.jinja_env.filters["notification_text"] = notification_text
    app.jinja_env.filters["council_role"] = label_filter(COUNCIL_ROLE_LABELS)
    app.jinja_env.filters["complaint_status"] = label_filter(COMPLAINT_STATUS_LABELS)
    app.jinja_env.filters["commune_kind"] = label_filter(COMMUNE_KIND_LABELS)
    app.jinja_env.filters["rural_flag"] = label_filter(RURAL_FLAG_LABELS)
