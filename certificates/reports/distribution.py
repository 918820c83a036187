"""Where the area's certified producers stand (issue 21): the producers holding a certified product, by
producer type (loại hình cơ sở) and by the kind of commune they are in (xã, phường, đặc khu).

The certificates are the registry's rows meeting the report's filters (:func:`certificates.reports.figures.
figure_conditions`), as for the producers with several products (:mod:`certificates.reports.producers`), and
a producer is told apart the same way: a producer on the platform by its id, whatever its names over the
years; one known from paper only by its name as certified and its province. A producer counts once in each
table, with its type and commune as the platform holds them today. A producer known from paper only has
neither, nor has one the platform created from a province's paper list without a commune: those count as
"not known" (Không rõ), so each table adds up to every producer.

One grouped statement counts the producers per (type, commune kind), a few rows whatever their number; the
two tables add those up. A report narrowed by place only (the area, a region, a province) counts the registry's
producers as kept (:class:`certificates.models.RegistryHolder`, with their type and commune kind, for the whole
country and per province); one narrowed by year, level or group counts the producers of the certificates meeting
its filters (59 times a plain count of the certificates for the whole country at 20,000 certificates, 45 times
for one province at 100,000: ``make bench`` and a run on its rows).
"""
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import distinct, func, select

from certificates.models import RegistryCertificate, RegistryEntry, RegistryHolder
from certificates.models.registry import WHOLE_COUNTRY
from certificates.reports.figures import figure_conditions
from certificates.reports.producers import kept_places
from voting.core.code_labels import COMMUNE_KIND_LABELS
from voting.extensions import db
from voting.models import Commune, Producer, ProducerType

#: The key of the "not known" row of either table.
NOT_KNOWN = ""


@dataclass(frozen=True)
class Part:
    """One row: ``key`` (a producer type's code, a commune kind as ``Commune.division_type`` holds it, or
    :data:`NOT_KNOWN`), the type's name ("" for a commune kind or not known: the reader's words name
    those), how many producers, and their share of all of them in per cent (two decimals)."""

    key: str
    name: str
    producers: int
    share: Decimal


@dataclass(frozen=True)
class Distribution:
    by_type: list           # [Part] in the producer types' order, then not known
    by_commune_kind: list   # [Part] xã, phường, đặc khu, then not known

    @property
    def total(self):
        return sum(part.producers for part in self.by_type)

    @property
    def whole(self):
        """The totals row's share, 100 %: a value, not a constant in the template, where Jinja would format it
        once, when it compiles the template, in the language of whichever request compiled it first."""
        return Decimal(100)


def distribution(area, filters):
    """:class:`Distribution` of the producers in ``area`` holding a product certified as ``filters`` ask.

    Every producer type and commune kind has its row, with 0 when no producer is of it; "not known" only
    when some producer is.
    """
    counted = db.session.execute(_counted(area, filters)).all()
    by_type, by_kind = {}, {}
    for type_code, kind, n in counted:
        by_type[type_code or NOT_KNOWN] = by_type.get(type_code or NOT_KNOWN, 0) + n
        by_kind[kind or NOT_KNOWN] = by_kind.get(kind or NOT_KNOWN, 0) + n
    total = sum(by_type.values())
    types = db.session.execute(select(ProducerType.code, ProducerType.name).order_by(ProducerType.id)).all()
    # A type or kind the reference lists do not name (none today) is shown by its code, before "not known".
    type_rows = [*types, *((code, code) for code in by_type if code != NOT_KNOWN and code not in dict(types))]
    kinds = [*COMMUNE_KIND_LABELS, *(kind for kind in by_kind if kind != NOT_KNOWN and kind not in COMMUNE_KIND_LABELS)]
    return Distribution(
        by_type=[_part(code, name, by_type.get(code, 0), total) for code, name in type_rows]
        + _not_known(by_type, total),
        by_commune_kind=[_part(kind, "", by_kind.get(kind, 0), total) for kind in kinds] + _not_known(by_kind, total))


def _counted(area, filters):
    """``(type code, commune kind, producers)`` rows: narrowed by place only, as the registry keeps them
    (:class:`RegistryHolder`, the whole country's or the provinces' rows); narrowed by year, level or group,
    counted from the certificates meeting the filters."""
    kept, provinces = kept_places(area, filters)
    if kept:
        h = RegistryHolder
        if provinces is None or len(provinces) == 1:  # a row per producer
            place = WHOLE_COUNTRY if provinces is None else next(iter(provinces))
            return (select(h.type_code, h.commune_kind, func.count()).where(h.province_id == place)
                    .group_by(h.type_code, h.commune_kind))
        return (select(h.type_code, h.commune_kind, func.count(distinct(h.holder_key)))
                .where(h.province_id.in_(sorted(provinces))).group_by(h.type_code, h.commune_kind))
    e = RegistryEntry
    # Told apart by the entry's holder, as the producers with several products are (a paper producer of one
    # name in two provinces is two).
    producers = (select(e.holder_key, e.producer_id).distinct()
                 .select_from(RegistryCertificate).join(e, e.id == RegistryCertificate.entry_id)
                 .where(*figure_conditions(area, filters)).subquery())
    return (select(Producer.type_code, Commune.division_type, func.count()).select_from(producers)
            .outerjoin(Producer, Producer.id == producers.c.producer_id)
            .outerjoin(Commune, Commune.id == Producer.commune_id)
            .group_by(Producer.type_code, Commune.division_type))


def _not_known(counts, total):
    return [_part(NOT_KNOWN, "", counts[NOT_KNOWN], total)] if counts.get(NOT_KNOWN) else []


def _part(key, name, producers, total):
    share = Decimal(100 * producers) / total if total else Decimal(0)
    return Part(key, name, producers, share.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def part_label(part, not_known):
    """What a row is called: its type's name, its commune kind in the reader's words, or ``not_known``."""
    if part.key == NOT_KNOWN:
        return str(not_known)
    return part.name or str(COMMUNE_KIND_LABELS.get(part.key, part.key))
