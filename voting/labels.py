"""Display labels for codes stored in the database (roles, levels, jurisdictions).

Kept out of the models so that every user-facing word is translatable.
"""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from voting.models import JurisdictionLevel, Role

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


def register_labels(app):
    app.jinja_env.filters["role_label"] = role_label
    app.jinja_env.filters["jurisdiction"] = jurisdiction_label
