"""The programme's figures for organisers' summary reports (issue 21): certificates per level and
year, per province and per product group, and where the certificates stand today.

Built from the registry's certificate rows (:class:`certificates.models.RegistryCertificate`), which
:mod:`certificates.registry.index` keeps current from the certificates issued here and the paper
certificates imported from before the platform, each once: a paper certificate re-issued here is one
row (with the re-issue's status), a corrected certificate's first copy ("superseded") is left out. A
certificate counts in the province and product group its product was certified in (the registry
row's: former provinces under today's unit) and, for a region, under today's membership of the region.

The figures come from one grouped statement, whatever the number of certificates (no loop over rows).
"""
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import and_, case, func, or_, select

from certificates.models import CertificateStatus, RegistryCertificate, RegistryEntry, RegistryTally
from certificates.models.imported import IMPORTED_LEVELS
from certificates.operations.issuance import add_months
from voting.core.text import province_key, sort_key
from voting.extensions import db
from voting.models import JurisdictionLevel, ProductGroup, Province, Role
from voting.rules.permissions import provinces_in_jurisdiction

#: A valid certificate whose expiry falls within this many months is "expiring" (the provinces plan
#: re-entry for those).
EXPIRING_MONTHS = 6
#: The year the provinces merged (Nghị quyết 202/2025/QH15, in force 1 July 2025): a certificate of an earlier
#: year was issued in a former province, named on it as certified.
MERGER_YEAR = 2025
#: Where a certificate stands today, in the order the report shows them (they add up to the total).
STANDINGS = ("valid", "expiring", "expired", "suspended", "revoked")


@dataclass(frozen=True)
class Area:
    """Whose figures a reader sees: ``province_ids`` (``None``: the whole country)."""

    province_ids: frozenset | None

    @property
    def whole_country(self):
        return self.province_ids is None


def area_of(user):
    """The area of ``user``'s reports: an administrator's and a national organiser's is the country, a
    region's organiser's the provinces of the region today, a province's (or a commune's) organiser's
    the province. Anyone else sees nothing (an empty area)."""
    if user.role == Role.ADMIN:
        return Area(None)
    if user.role != Role.ORGANISER:
        return Area(frozenset())
    level = user.jurisdiction_level
    if level == JurisdictionLevel.NATIONAL or (level == JurisdictionLevel.REGION and user.region_id is None):
        return Area(None)
    return Area(frozenset(provinces_in_jurisdiction(user)))


@dataclass(frozen=True)
class Filters:
    """What a report is narrowed to; ``None`` or empty: no narrowing."""

    year_from: int | None = None
    year_to: int | None = None
    level: str = ""
    group_code: str = ""
    province_id: int | None = None
    #: A region's provinces today (a reader of the whole country narrowing to one region).
    region_province_ids: frozenset | None = None


@dataclass
class Figures:
    """A report's figures: counts per (year, level), per province, per group, and per standing today."""

    by_year_level: dict = field(default_factory=dict)   # {(year, level): count}
    by_province: list = field(default_factory=list)     # [(code or "", name or "", count)], largest first
    by_group: list = field(default_factory=list)        # [(code, name, count)] in code order
    standing: dict = field(default_factory=dict)        # {standing: count} over STANDINGS
    #: The units with certificates from before the 2025 merger: [(code, name, [(former province as certified,
    #: count)], count since the merger, total)], each certificate once, in the order of ``by_province``.
    by_former_province: list = field(default_factory=list)

    @property
    def years(self):
        return sorted({year for year, _ in self.by_year_level})

    @property
    def levels(self):
        return sorted({level for _, level in self.by_year_level}, key=level_order)

    @property
    def total(self):
        return sum(self.by_year_level.values())

    def per_year(self, year):
        return sum(n for (y, _), n in self.by_year_level.items() if y == year)

    def per_level(self, level):
        return sum(n for (_, lv), n in self.by_year_level.items() if lv == level)


def places_of(area, filters):
    """The provinces (ids) a report of ``area`` covers once ``filters``' province and region narrow it; None: the
    whole country."""
    places = area.province_ids
    for narrower in (None if filters.province_id is None else frozenset({filters.province_id}),
                     filters.region_province_ids):
        if narrower is not None:
            places = narrower if places is None else places & narrower
    return places


def level_order(level):
    """Where ``level`` sorts among the levels, lowest first (:data:`IMPORTED_LEVELS`); an unknown one last."""
    return IMPORTED_LEVELS.index(level) if level in IMPORTED_LEVELS else len(IMPORTED_LEVELS)


def narrowing(area, filters, *, year, level, group_code, province_id):
    """The conditions that keep the rows of ``area`` meeting ``filters``, on the columns that hold each."""
    conditions = []
    if area.province_ids is not None:
        conditions.append(province_id.in_(sorted(area.province_ids)))
    if filters.year_from is not None:
        conditions.append(year >= filters.year_from)
    if filters.year_to is not None:
        conditions.append(year <= filters.year_to)
    if filters.level:
        conditions.append(level == filters.level)
    if filters.group_code:
        conditions.append(group_code == filters.group_code)
    if filters.province_id is not None:
        conditions.append(province_id == filters.province_id)
    if filters.region_province_ids is not None:
        conditions.append(province_id.in_(sorted(filters.region_province_ids)))
    return conditions


def figure_conditions(area, filters):
    """The conditions on the registry's certificate rows (joined to their entries) of ``area`` and ``filters``."""
    c, e = RegistryCertificate, RegistryEntry
    return [c.status != CertificateStatus.SUPERSEDED,
            *narrowing(area, filters, year=c.year, level=c.level, group_code=e.group_code, province_id=e.province_id)]


def tally_conditions(area, filters):
    """The conditions on the tally's rows (:class:`RegistryTally`) of ``area`` and ``filters``."""
    t = RegistryTally
    return narrowing(area, filters, year=t.year, level=t.level, group_code=t.group_code, province_id=t.province_id)


def figures(area, filters, today):
    """:class:`Figures` of the certificates in ``area`` meeting ``filters``, their standing as of ``today``.

    One statement adds up the registry's tally (:mod:`certificates.registry.tally`: the certificates counted
    per year, level, province, group, province as certified, status and expiry) per (year, level, province,
    group, province as certified, standing): a few hundred rows, whatever the number of certificates. Reading
    the certificates themselves cost a hundred times a plain count of them (100,000 certificates, ``make bench``).
    """
    t = RegistryTally
    # Grouped outside: PostgreSQL takes the CASE's bound values in GROUP BY for other expressions than the select's.
    rows = (select(t.year, t.level, t.province_id, t.group_code, t.province_then, _standing(t, today).label("standing"),
                   t.certificates).where(*tally_conditions(area, filters)).subquery())
    keys = (rows.c.year, rows.c.level, rows.c.province_id, rows.c.group_code, rows.c.province_then, rows.c.standing)
    counted = db.session.execute(select(*keys, func.sum(rows.c.certificates)).group_by(*keys)).all()
    by_year_level, by_province, by_group, standing = {}, {}, {}, dict.fromkeys(STANDINGS, 0)
    for year, level, province_id, group_code, _then, standing_today, n in counted:
        by_year_level[(year, level)] = by_year_level.get((year, level), 0) + n
        by_province[province_id] = by_province.get(province_id, 0) + n
        by_group[group_code] = by_group.get(group_code, 0) + n
        if standing_today in standing:
            standing[standing_today] += n
    # Today's units, 34 rows, read once: a province not resolved is named ("", "").
    units = {pid: (code, name) for pid, code, name in db.session.execute(select(Province.id, Province.code, Province.name))}
    largest_first = sorted(by_province.items(), key=lambda item: (-item[1], units.get(item[0], ("", ""))[1]))
    return Figures(by_year_level=by_year_level,
                   by_province=[(*units.get(province_id, ("", "")), n) for province_id, n in largest_first],
                   by_group=_named_groups(by_group), standing=standing,
                   by_former_province=_former_provinces(largest_first, units, counted))


def _former_provinces(largest_first, units, counted):
    """``[(code, name, [(former name, count)], since the merger, total)]`` of the units with certificates from
    before the merger (:data:`MERGER_YEAR`; in that year, those naming a province other than today's unit), in
    the order of ``largest_first`` (``[(province id, total)]``); ``counted`` as :func:`figures` reads it."""
    before, since = {}, {}
    for year, _level, province_id, _group, then, _standing_today, n in counted:
        now = units.get(province_id, ("", ""))[1]
        if year < MERGER_YEAR or (then and province_key(then) != province_key(now)):
            former = before.setdefault(province_id, {})
            former[then or _("(không ghi)")] = former.get(then or _("(không ghi)"), 0) + n
        else:
            since[province_id] = since.get(province_id, 0) + n
    return [(*units.get(province_id, ("", "")), sorted(before[province_id].items(), key=lambda item: sort_key(item[0])),
             since.get(province_id, 0), total) for province_id, total in largest_first if province_id in before]


def _named_groups(counts):
    names = dict(db.session.execute(select(ProductGroup.code, ProductGroup.name).where(ProductGroup.code.in_(counts))).all())
    return [(code, names.get(code, ""), counts[code]) for code in sorted(counts)]


def _standing(c, today):
    """Where a certificate (a :class:`RegistryCertificate` or a row of the tally, ``c``) stands today
    (:data:`STANDINGS`). A paper certificate that states no expiry is valid."""
    soon = add_months(today, EXPIRING_MONTHS)
    valid = c.status == CertificateStatus.VALID
    return case(
        (c.status == CertificateStatus.REVOKED, "revoked"),
        (c.status == CertificateStatus.SUSPENDED, "suspended"),
        (and_(valid, c.expires_on < today), "expired"),
        (and_(valid, c.expires_on < soon), "expiring"),
        (and_(valid, or_(c.expires_on.is_(None), c.expires_on >= soon)), "valid"),
        else_="other")
