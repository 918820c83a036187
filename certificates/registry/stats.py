"""Counts of certified products per province and per product group, for the registry's home.

A product counts when it holds a certificate valid today: one issued here (status
"valid", not past its expiry), or a paper one whose re-issued certificate is valid
today or, not re-issued, whose stated validity has not run out (a paper certificate
stating no expiry is not counted: nothing says it is still valid). A product on the
platform counts once however many certificates it holds; a paper certificate not
linked to a product on the platform counts as the product it names (its folded
product and producer names), so two paper certificates of the same product count once.
A product counts in the province and group it was certified in, as the registry's filters
find it (its registry row's, from its headline certificate: :mod:`certificates.rules.certified`),
never the producer's or product's current ones, which a producer may change after
certification: a count and the filtered list agree. Provinces are today's units: the
certified province's current unit, the resolved unit of a paper certificate (unknown when
its former name could not be resolved).

Each count is one grouped query over the union of those rows (``UNION`` removes the
duplicates); the chart reuses the drawing helpers of :mod:`voting.documents.charts`.
"""
from dataclasses import dataclass

from sqlalchemy import and_, func, literal, null, or_, select, union
from sqlalchemy.orm import aliased

from voting.documents.charts import WIDTH, rounded, render_svg, short_name
from voting.extensions import db
from voting.models import Application, ProductGroup, Province
from certificates.models import Certificate, CertificateStatus, ImportedCertificate, RegistryEntry
from voting.core.text import sort_key


@dataclass(frozen=True)
class Count:
    key: str      # the province's code or the group's code; "" when unknown
    name: str
    count: int


@dataclass(frozen=True)
class Counts:
    by_province: list
    by_group: list

    @property
    def total(self):
        return sum(c.count for c in self.by_group)


def _certified_rows(today):
    """One row per product certified today: (product id | None, paper product key, province id, group code)."""
    reissue = aliased(Certificate)
    reissue_current = and_(reissue.imported_certificate_id == ImportedCertificate.id,
                           reissue.status != CertificateStatus.SUPERSEDED)
    paper_valid = or_(
        and_(reissue.id.is_not(None), reissue.status == CertificateStatus.VALID,
             or_(reissue.expires_on.is_(None), reissue.expires_on >= today)),
        and_(reissue.id.is_(None), ImportedCertificate.valid_until >= today))
    # A product on the platform: the province and group of its registry row (as certified).
    here = (select(RegistryEntry.product_id.label("product_id"), null().label("paper_key"),
                   RegistryEntry.province_id.label("province_id"), RegistryEntry.group_code.label("group_code"))
            .join(Application, Application.product_id == RegistryEntry.product_id)
            .join(Certificate, Certificate.application_id == Application.id)
            .where(Certificate.status == CertificateStatus.VALID,
                   or_(Certificate.expires_on.is_(None), Certificate.expires_on >= today)))
    paper_linked = (select(RegistryEntry.product_id, null(), RegistryEntry.province_id, RegistryEntry.group_code)
                    .join(ImportedCertificate, ImportedCertificate.product_id == RegistryEntry.product_id)
                    .outerjoin(reissue, reissue_current)
                    .where(paper_valid))
    paper_alone = (select(null(), ImportedCertificate.product_name_folded + literal("|")
                          + ImportedCertificate.producer_name_folded,
                          ImportedCertificate.province_id, ImportedCertificate.group_code)
                   .outerjoin(reissue, reissue_current)
                   .where(ImportedCertificate.product_id.is_(None), paper_valid))
    return union(here, paper_linked, paper_alone).subquery()


def certified_counts(today):
    """:class:`Counts` of products certified on ``today``, largest first (then by name)."""
    rows = _certified_rows(today)
    count = func.count().label("count")
    provinces = db.session.execute(
        select(Province.code, Province.name, count).select_from(rows)
        .outerjoin(Province, Province.id == rows.c.province_id)
        .group_by(Province.code, Province.name)).all()
    groups = db.session.execute(
        select(ProductGroup.code, ProductGroup.name, count).select_from(rows)
        .join(ProductGroup, ProductGroup.code == rows.c.group_code)
        .group_by(ProductGroup.code, ProductGroup.name)).all()
    return Counts(by_province=_ordered(provinces), by_group=_ordered(groups))


def _ordered(rows):
    from flask_babel import gettext as _

    counts = [Count(code or "", name or _("Chưa xác định"), n) for code, name, n in rows]
    return sorted(counts, key=lambda c: (-c.count, not c.key, sort_key(c.name)))


# The picture -------------------------------------------------------------------------------------

def counts_chart(counts, chart_id, title, description):
    """SVG horizontal bars, one per row of ``counts`` (a list of :class:`Count`), value at the bar's end."""
    label_w, right, top, row_h = 190, 56, 8, 26
    plot_w = WIDTH - label_w - right
    peak = max([c.count for c in counts] + [1])
    rows = [{"y": top + i * row_h, "name": short_name(c.name), "full_name": c.name, "count": c.count,
             "width": rounded(max(plot_w * c.count / peak, 1))} for i, c in enumerate(counts)]
    bottom = top + max(len(rows), 1) * row_h
    return render_svg("registry/_chart_counts.svg", width=WIDTH, height=bottom + 8, rows=rows, top=top,
                   bottom=bottom, label_w=label_w, row_h=row_h, chart_id=chart_id, title=title,
                   description=description)
