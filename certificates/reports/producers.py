"""Producers holding several certified products (issue 21), for the summary report.

A product counts once, however many certificates it holds, when one of its certificates meets the report's
filters (the registry's rows: :mod:`certificates.reports.figures`); a product known from paper only, by its
name as certified. A producer on the platform is one producer whatever its names over the years (its id); a
paper certificate's producer that is on no platform record is told apart by its name as certified and its
province, so two spellings count as two (said on the page).

A list narrowed by place only (the reader's area, a region, a province) is read off the registry's kept count
of each producer's products, for the whole country and per province (:class:`certificates.models.RegistryHolder`,
kept by :mod:`certificates.registry.tally`): counting every product of every producer cost 70 times a plain
count of the certificates for the whole country and 100 times for a province (``make bench``). A list narrowed
by year, level or group is counted from the certificates that meet its filters, of the producers with several
products in the registry only. One grouped statement for the list (the :data:`SHOWN` largest), one for how
many producers there are.
"""
from dataclasses import dataclass

from sqlalchemy import func, select

from certificates.models import RegistryCertificate, RegistryEntry, RegistryHolder
from certificates.models.registry import WHOLE_COUNTRY
from certificates.registry.tally import holder_name, holder_products
from certificates.reports.figures import figure_conditions, places_of
from voting.extensions import db

#: How many producers the list shows, most certified products first.
SHOWN = 50


@dataclass(frozen=True)
class Holder:
    name: str
    province: str
    products: int
    on_platform: bool


@dataclass(frozen=True)
class Holders:
    """The producers with at least two certified products: how many, and the :data:`SHOWN` largest."""

    count: int
    shown: list


def kept_places(area, filters):
    """Whether the registry's kept producer rows (:class:`RegistryHolder`) answer a report of ``area`` and
    ``filters``, and for which provinces: ``(False, None)`` when a year, level or group is asked for (counted from
    the certificates then), ``(True, None)`` for the whole country, else ``(True, provinces)``."""
    if filters.year_from is not None or filters.year_to is not None or filters.level or filters.group_code:
        return False, None
    return True, places_of(area, filters)


def _several_in_registry():
    """The keys of the producers with several products in the whole registry: only they can have several in some
    provinces, or among some of their certificates."""
    h = RegistryHolder
    return select(h.holder_key).where(h.province_id == WHOLE_COUNTRY, h.products >= 2)


def _kept(provinces):
    """The producers with several products among the kept rows of ``provinces`` (None: the whole country), as
    ``(who, name, province, products)`` rows. A product is in one province, so the provinces' counts add up."""
    h = RegistryHolder
    if provinces is None or len(provinces) == 1:
        place = WHOLE_COUNTRY if provinces is None else next(iter(provinces))
        return (select(h.holder_key.label("who"), h.name.label("name"), h.province_name.label("province"),
                       h.products.label("products")).where(h.province_id == place, h.products >= 2).subquery())
    products = func.sum(h.products)
    return (select(h.holder_key.label("who"), func.max(h.name).label("name"),
                   func.max(h.province_name).label("province"), products.label("products"))
            .where(h.province_id.in_(sorted(provinces)), h.holder_key.in_(_several_in_registry()))
            .group_by(h.holder_key).having(products >= 2).subquery())


def _counted(area, filters):
    """The producers with several products among the certificates meeting ``filters`` in ``area``."""
    e = RegistryEntry
    products = holder_products()
    return (select(e.holder_key.label("who"), holder_name().label("name"),
                   func.max(e.province_name).label("province"), products.label("products"))
            .select_from(RegistryCertificate).join(e, e.id == RegistryCertificate.entry_id)
            .where(*figure_conditions(area, filters), e.holder_key.in_(_several_in_registry()))
            .group_by(e.holder_key).having(products >= 2).subquery())


def several_products(area, filters):
    """:class:`Holders` of the producers in ``area`` with two or more products certified as ``filters`` ask."""
    kept, provinces = kept_places(area, filters)
    rows = _kept(provinces) if kept else _counted(area, filters)
    count = db.session.scalar(select(func.count()).select_from(rows))
    shown = db.session.execute(select(rows.c.who, rows.c.name, rows.c.province, rows.c.products)
                               .order_by(rows.c.products.desc(), rows.c.name, rows.c.province, rows.c.who)
                               .limit(SHOWN)).all()
    return _holders(count, shown)


def _holders(count, shown):
    return Holders(count or 0, [Holder(name, province, products, who.startswith("p"))
                                for who, name, province, products in shown])
