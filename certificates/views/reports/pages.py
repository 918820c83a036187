"""The summary report page: certificates per year and level, province and group, and their standing
today, for the reader's own area (:func:`certificates.reports.figures.area_of`), narrowed by a GET form."""
from flask import render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from wtforms import Form, SelectField, ValidationError

from certificates.registry.stats import Count, counts_chart
from certificates.reports.entries import results
from certificates.reports.figures import STANDINGS, Filters, area_of, figures
from certificates.views.registry.pages import REGISTRY_LEVELS
from voting.core.access import roles_required
from voting.core.clock import today_vn
from voting.extensions import db
from voting.forms.fields import WholeNumberField
from voting.models import ProductGroup, Province, Role
from voting.rules.certification import FIRST_YEAR

STANDING_LABELS = {"valid": _l("Còn hiệu lực"), "expiring": _l("Hết hiệu lực trong 6 tháng tới"),
                   "expired": _l("Đã hết hiệu lực"), "suspended": _l("Tạm đình chỉ"), "revoked": _l("Đã thu hồi")}
_YEAR_MESSAGE = _l("Năm phải là một số từ %(min)s đến %(max)s.")
_NOT_OFFERED = _l("Không có lựa chọn này trong danh sách.")


def _offered(form, field):
    if field.data not in {value for value, _label in field.choices}:
        raise ValidationError(str(_NOT_OFFERED))


def _year(label):
    return WholeNumberField(label, minimum=FIRST_YEAR, maximum=2100, message=_YEAR_MESSAGE,
                            malformed_message=_YEAR_MESSAGE)


def _choice(label):
    return SelectField(label, default="", validate_choice=False, validators=[_offered])


class ReportFilterForm(Form):
    """The report's narrowing, read from the query string (it changes nothing: no form token)."""

    year_from = _year(_l("Từ năm"))
    year_to = _year(_l("Đến năm"))
    level = _choice(_l("Cấp"))
    group = _choice(_l("Nhóm sản phẩm"))
    province = _choice(_l("Tỉnh, thành phố"))

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if valid and self.year_from.data and self.year_to.data and self.year_from.data > self.year_to.data:
            self.year_to.errors.append(_("Năm cuối phải từ năm đầu trở đi."))
            return False
        return valid


def _form(area):
    form = ReportFilterForm(request.args)
    form.level.choices = [("", _("Mọi cấp"))] + [(code, str(label)) for code, label in REGISTRY_LEVELS.items()]
    form.group.choices = [("", _("Mọi nhóm"))] + [
        (g.code, f"{g.code}. {g.name}") for g in db.session.scalars(select(ProductGroup).order_by(ProductGroup.code))]
    provinces = select(Province).order_by(Province.name)
    if not area.whole_country:
        provinces = provinces.where(Province.id.in_(sorted(area.province_ids)))
    form.province.choices = [("", _("Cả khu vực của bạn") if not area.whole_country else _("Cả nước"))] + [
        (p.code, p.name) for p in db.session.scalars(provinces)]
    return form


@roles_required(Role.ORGANISER, Role.ADMIN)
def index():
    area = area_of(current_user)
    form = _form(area)
    result = outcome = None
    if form.validate():
        province = db.session.scalar(select(Province).where(Province.code == form.province.data)) \
            if form.province.data else None
        filters = Filters(year_from=form.year_from.data, year_to=form.year_to.data, level=form.level.data,
                          group_code=form.group.data, province_id=province.id if province else None)
        result = figures(area, filters, today_vn())
        outcome = results(area, filters)
    charts = {}
    if result is not None and result.total:
        charts["years"] = counts_chart([Count(str(y), str(y), result.per_year(y)) for y in result.years],
                                       "chart-years", _("Giấy chứng nhận theo năm"),
                                       _("Số giấy chứng nhận mỗi năm, mọi cấp"))
        charts["provinces"] = counts_chart([Count(code, name or _("Chưa xác định"), n)
                                            for code, name, n in result.by_province],
                                           "chart-provinces", _("Giấy chứng nhận theo tỉnh, thành phố"),
                                           _("Số giấy chứng nhận theo tỉnh, thành phố hiện nay, nhiều nhất trước"))
    return render_template("reports/index.html", form=form, figures=result, outcome=outcome, area=area, charts=charts,
                           levels=REGISTRY_LEVELS, standings=[(s, STANDING_LABELS[s]) for s in STANDINGS])
