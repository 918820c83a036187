"""Producers holding several certified products (issue 21), for the summary report.

A product counts once, however many certificates it holds, when one of its certificates meets the report's
filters (the registry's rows: :mod:`certificates.reports.figures`); a product known from paper only, by its
name as certified. A producer on the platform is one producer whatever its names over the years (its id); a
paper certificate's producer that is on no platform record is told apart by its name as certified and its
province, so two spellings count as two (said on the page).

The whole country's list, unfiltered, is read off the registry's count of the producers with several products
(:class:`certificates.models.RegistryHolder`, kept by :mod:`certificates.registry.tally`): counting every
product of every producer cost 70 times a plain count of the certificates (``make bench``). A narrower list is
counted from the certificates that meet its filters, of those producers only: one grouped statement for the
list (the :data:`SHOWN` largest), one for how many producers there are.
"""
from dataclasses import dataclass

from sqlalchemy import func, select

from certificates.models import RegistryCertificate, RegistryEntry, RegistryHolder
from certificates.registry.tally import holder_name, holder_products
from certificates.reports.figures import Filters, figure_conditions
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


def several_products(area, filters):
    """:class:`Holders` of the producers in ``area`` with two or more products certified as ``filters`` ask."""
    if area.whole_country and filters == Filters():
        # Every producer of the registry with several products: kept counted (RegistryHolder), read as they are.
        h = RegistryHolder
        count = db.session.scalar(select(func.count()).select_from(h).where(h.products >= 2))
        shown = db.session.execute(select(h.holder_key, h.name, h.province_name, h.products).where(h.products >= 2)
                                   .order_by(h.products.desc(), h.name, h.province_name, h.holder_key)
                                   .limit(SHOWN)).all()
        return _holders(count, shown)
    e = RegistryEntry
    products = holder_products()
    rows = (select(e.holder_key.label("who"), holder_name().label("name"),
                   func.max(e.province_name).label("province"), products.label("products"))
            .select_from(RegistryCertificate).join(e, e.id == RegistryCertificate.entry_id)
            # Only the producers with several products in the whole registry can have several among some of them.
            .where(*figure_conditions(area, filters), e.holder_key.in_(select(RegistryHolder.holder_key).where(RegistryHolder.products >= 2)))
            .group_by(e.holder_key).having(products >= 2).subquery())
    count = db.session.scalar(select(func.count()).select_from(rows))
    shown = db.session.execute(select(rows.c.who, rows.c.name, rows.c.province, rows.c.products)
                               .order_by(rows.c.products.desc(), rows.c.name, rows.c.province, rows.c.who)
                               .limit(SHOWN)).all()
    return _holders(count, shown)


def _holders(count, shown):
    return Holders(count or 0, [Holder(name, province, products, who.startswith("p"))
                                for who, name, province, products in shown])
