"""Producers holding several certified products (issue 21), for the summary report.

A product counts once, however many certificates it holds, when one of its certificates meets the report's
filters (the registry's rows: :mod:`certificates.reports.figures`); a product known from paper only, by its
name as certified. A producer on the platform is one producer whatever its names over the years (its id); a
paper certificate's producer that is on no platform record is told apart by its name as certified and its
province, so two spellings count as two (said on the page).

One grouped statement for the list (the :data:`SHOWN` largest), one for how many producers there are.
"""
from dataclasses import dataclass

from sqlalchemy import String, case, cast, distinct, func, literal, select

from certificates.models import RegistryCertificate, RegistryEntry
from certificates.reports.figures import figure_conditions
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
    e = RegistryEntry
    # A producer on the platform by its id; one known from paper only, by its name as certified and its province
    # (two businesses of one name in two provinces are two).
    who = case((e.producer_id.is_not(None), literal("p") + cast(e.producer_id, String)),
               else_=literal("n") + e.province_name + literal("|") + e.producer_name)
    # A product on the platform by its id; one known from paper only (a registry row per paper certificate),
    # by its name as certified, as the registry's home counts them (certificates/registry/stats.py).
    product = case((e.product_id.is_not(None), literal("p") + cast(e.product_id, String)),
                   else_=literal("n") + e.name_folded)
    products = func.count(distinct(product))
    rows = (select(who.label("who"), func.max(func.coalesce(func.nullif(e.current_producer_name, ""), e.producer_name))
                   .label("name"), func.max(e.province_name).label("province"), products.label("products"))
            .select_from(RegistryCertificate).join(e, e.id == RegistryCertificate.entry_id)
            .where(*figure_conditions(area, filters)).group_by(who).having(products >= 2).subquery())
    count = db.session.scalar(select(func.count()).select_from(rows))
    shown = db.session.execute(select(rows.c.who, rows.c.name, rows.c.province, rows.c.products)
                               .order_by(rows.c.products.desc(), rows.c.name).limit(SHOWN)).all()
    return Holders(count or 0, [Holder(name, province, products, who.startswith("p"))
                                for who, name, province, products in shown])
