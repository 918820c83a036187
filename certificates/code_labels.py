"""Display labels for the certificates' stored codes: statuses, reasons for withdrawing, correctable fields.

Kept out of the models so that every user-facing word is translatable; registered as template
filters by :func:`certificates.init_app`, beside voting's own (:mod:`voting.core.code_labels`).
"""
import json

from flask_babel import lazy_gettext as _l

from certificates.models import CertificateStatus, PublicStatus, ReasonCategory
from voting.core.code_labels import CITY_LEVEL_LABEL, LEVEL_LABELS, label_filter, level_label_for

CERTIFICATE_STATUS_LABELS = {
    CertificateStatus.VALID: _l("Còn hiệu lực"),
    PublicStatus.EXPIRED: _l("Hết hạn"),  # not stored: what the public page shows of a valid certificate past its term
    CertificateStatus.SUSPENDED: _l("Tạm đình chỉ"),
    CertificateStatus.REVOKED: _l("Đã thu hồi"),
    CertificateStatus.SUPERSEDED: _l("Đã được thay thế"),
}

REASON_CATEGORY_LABELS = {
    ReasonCategory.COMPLAINT_UPHELD: _l("Khiếu nại được chấp nhận"),
    ReasonCategory.FALSE_DECLARATION: _l("Kê khai không trung thực"),
    ReasonCategory.QUALITY_VIOLATION: _l("Vi phạm về chất lượng sản phẩm"),
    ReasonCategory.PRODUCER_REQUEST: _l("Theo đề nghị của cơ sở"),
    ReasonCategory.KEY_COMPROMISED: _l("Khóa ký bị lộ"),
    ReasonCategory.OTHER: _l("Lý do khác"),
}

#: Levels as shown in the registry and the reports: cấp huyện exists on paper certificates only.
REGISTRY_LEVELS = {**{str(k): v for k, v in LEVEL_LABELS.items()}, "huyen": _l("Cấp huyện")}

CORRECTABLE_LABELS = {
    "product_name": _l("Tên sản phẩm"),
    "producer_name": _l("Tên cơ sở"),
    "producer_address": _l("Địa chỉ"),
    "group_name": _l("Nhóm sản phẩm"),
}


def link_level(link):
    """The level of a certificate linked from another (:class:`certificates.rules.lineage.Link`), as that
    certificate names it: "Cấp thành phố" for a centrally-run city's provincial certificate."""
    if link.certificate is not None:
        if json.loads(link.certificate.snapshot).get("level_label") == "cấp thành phố":
            return CITY_LEVEL_LABEL
        return level_label_for(link.level)
    return level_label_for(link.level, link.paper.province_name_then if link.paper is not None else None)


def register_labels(app):
    app.jinja_env.filters["certificate_status"] = label_filter(CERTIFICATE_STATUS_LABELS)
    app.jinja_env.filters["reason_category"] = label_filter(REASON_CATEGORY_LABELS)
    app.jinja_env.filters["correctable_label"] = label_filter(CORRECTABLE_LABELS)
    app.jinja_env.filters["link_level"] = link_level
