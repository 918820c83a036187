"""The summary report page: certificates per year and level, province and group, their standing today,
the rounds' results, the path upward and the producers (several products; by type and commune kind), for
the reader's own area (:func:`certificates.reports.figures.area_of`), narrowed by a GET form; and the same
tables as a print-ready Excel file (:mod:`certificates.reports.workbook`) and a PDF annex
(:mod:`certificates.reports.document`).

The file takes the page's query string. Filters the page would refuse answer 400 with the page itself,
its words beside the filters at fault (as the project's forms answer a refused submission; the open-data
CSV, the other download narrowed by a query string, answers such filters 400 too)."""
from io import BytesIO

from flask import render_template, request, send_file
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from wtforms import Form, SelectField, ValidationError

from certificates.code_labels import REGISTRY_LEVELS
from certificates.registry.stats import Count, counts_chart
from certificates.reports.distribution import distribution, part_label
from certificates.reports.document import report_doc
from certificates.reports.document import report_pdf as report_pdf_bytes
from certificates.reports.entries import results
from certificates.reports.producers import several_products
from certificates.reports.reentry import losing_validity
from certificates.reports.upward import path_upward
from certificates.reports.figures import STANDINGS, Filters, area_of, figures
from certificates.reports.labels import STANDING_LABELS, WORDS
from certificates.reports.workbook import PLAIN, VIETNAMESE, report_workbook
from voting.core.access import roles_required
from voting.core.clock import today_vn
from voting.core.pdf import ascii_filename, pdf_response
from voting.extensions import db
from voting.forms.fields import WholeNumberField
from voting.models import ProductGroup, Province, Region, Role
from voting.rules.certification import FIRST_YEAR

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
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
    region = _choice(_l("Khu vực"))
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
    # A region is its provinces today (its membership is the administrator's to edit); offered to a reader of the
    # whole country only: a region's organiser reads the region, a province's the province.
    form.region.choices = [("", _("Mọi khu vực"))] + ([(r.code, r.name) for r in db.session.scalars(
        select(Region).order_by(Region.position, Region.code))] if area.whole_country else [])
    provinces = select(Province).order_by(Province.name)
    if not area.whole_country:
        provinces = provinces.where(Province.id.in_(sorted(area.province_ids)))
    form.province.choices = [("", _("Cả khu vực của bạn") if not area.whole_country else _("Cả nước"))] + [
        (p.code, p.name) for p in db.session.scalars(provinces)]
    return form


def read_report(area, today, reckon=figures):
    """The filter form read from the query string, the figures ``reckon(area, filters, today)`` gives and
    the filters (both ``None`` when a filter is refused)."""
    form = _form(area)
    result = filters = None
    if form.validate():
        province = db.session.scalar(select(Province).where(Province.code == form.province.data)) \
            if form.province.data else None
        region = frozenset(db.session.scalars(select(Province.id).join(Region, Region.id == Province.region_id)
                                              .where(Region.code == form.region.data))) if form.region.data else None
        filters = Filters(year_from=form.year_from.data, year_to=form.year_to.data, level=form.level.data,
                          group_code=form.group.data, province_id=province.id if province else None,
                          region_province_ids=region)
        result = reckon(area, filters, today)
    return form, result, filters


def _report(today):
    """The reader's area, then :func:`read_report`'s form, figures and filters."""
    area = area_of(current_user)
    return (area, *read_report(area, today))


def certificate_charts(result):
    """The SVG bar charts of the certificates per year and per province, for a page showing ``result``."""
    if result is None or not result.total:
        return {}
    return {"years": counts_chart([Count(str(y), str(y), result.per_year(y)) for y in result.years],
                                  "chart-years", _("Giấy chứng nhận theo năm"), _("Số giấy chứng nhận mỗi năm, mọi cấp")),
            "provinces": counts_chart([Count(code, name or _("Chưa xác định"), n) for code, name, n in result.by_province],
                                      "chart-provinces", _("Giấy chứng nhận theo tỉnh, thành phố"),
                                      _("Số giấy chứng nhận theo tỉnh, thành phố hiện nay, nhiều nhất trước"))}


def _page(area, form, result, filters, today):
    charts = certificate_charts(result)
    reentry = losing_validity(area, filters, today) if filters is not None else None
    outcome = results(area, filters) if filters is not None else None
    holders = several_products(area, filters) if filters is not None else None
    upward = path_upward(area, filters) if filters is not None else None
    spread = distribution(area, filters) if filters is not None else None
    return render_template("reports/index.html", form=form, figures=result, outcome=outcome, holders=holders, upward=upward,
                           distribution=spread, reentry=reentry, part_label=part_label, area=area, charts=charts,
                           area_label=_area_label(area),
                           levels=REGISTRY_LEVELS, words=WORDS, standings=[(s, STANDING_LABELS[s]) for s in STANDINGS],
                           download_args={f.name: request.args[f.name] for f in form if request.args.get(f.name)})


@roles_required(Role.ORGANISER, Role.ADMIN)
def index():
    today = today_vn()
    return _page(*_report(today), today)


@roles_required(Role.ORGANISER, Role.ADMIN)
def report_xlsx():
    """The page's figures and the rounds' results as a print-ready .xlsx; refused filters: the page with its
    words, 400."""
    today = today_vn()
    area, form, result, filters = _report(today)
    if result is None:
        return _page(area, form, result, filters, today), 400
    area_label = _area_label(area)
    data = report_workbook(result, area_label, _filters_label(form), today, outcome=results(area, filters),
                           upward=path_upward(area, filters), holders=several_products(area, filters),
                           distribution=distribution(area, filters), reentry=losing_validity(area, filters, today),
                           formats=VIETNAMESE if str(get_locale()) == "vi" else PLAIN)
    # "bao-cao-tong-hop-ca-nuoc-2026-12-06.xlsx"; a region's provinces are too many to name.
    place = area_label.lower() if area.whole_country or len(area.province_ids) == 1 else ""
    name = ascii_filename(f"bao-cao-tong-hop-{place}-{today:%Y-%m-%d}.xlsx".replace("--", "-"))
    response = send_file(BytesIO(data), mimetype=XLSX, as_attachment=True, download_name=name)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@roles_required(Role.ORGANISER, Role.ADMIN)
def report_pdf():
    """The page's figures as an annex to attach to a year-end report (PDF, Vietnamese); refused filters: the
    page with its words, 400."""
    today = today_vn()
    area, form, result, filters = _report(today)
    if result is None:
        return _page(area, form, result, filters, today), 400
    with force_locale("vi"):  # a document is in Vietnamese whatever the reader's language
        area_label, filters_label = _area_label(area), _filters_label(form)
    doc = report_doc(result, results(area, filters), area_label, filters_label, today,
                     upward=path_upward(area, filters), holders=several_products(area, filters),
                     distribution=distribution(area, filters), reentry=losing_validity(area, filters, today))
    place = area_label if area.whole_country or len(area.province_ids) == 1 else ""
    return pdf_response(report_pdf_bytes(doc), f"Số liệu CNNT tiêu biểu {place} {today:%d-%m-%Y}.pdf".replace("  ", " "))


def _area_label(area):
    """The area in words: "Cả nước", or its provinces by name (a region's: those in it today, said so)."""
    if area.whole_country:
        return str(WORDS["whole_country"])
    names = ", ".join(db.session.scalars(select(Province.name).where(Province.id.in_(sorted(area.province_ids)))
                                         .order_by(Province.name)))
    return str(WORDS["region_today"]) % {"provinces": names} if len(area.province_ids) > 1 else names


def _filters_label(form):
    """The filters in use, in words ("Từ năm: 2024; Cấp: Cấp tỉnh"); "" for none."""
    shown = []
    for field in (form.year_from, form.year_to, form.level, form.group, form.region, form.province):
        if field.data in (None, ""):
            continue
        value = dict(field.choices).get(field.data, field.data) if isinstance(field, SelectField) else field.data
        shown.append(f"{field.label.text}: {value}")
    return "; ".join(shown)
