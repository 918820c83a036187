"""The certified products that will lose their validity before the next round's registration closes (issue 21),
so that a province can ask their producers to enter again in time.

A product (a registry entry: :mod:`certificates.registry.index`) is listed when it is valid today and the last day
any of its certificates is valid (``RegistryEntry.valid_until``) falls before the deadline: for a report of one province
(its organiser's, or a province chosen), the close of registration of its next provincial round where one is
scheduled (the earliest that closes today or later); else, and for several provinces (each has its own
schedule), the end of the next :data:`CYCLE_MONTHS` (each level runs every two years: the domain's reference,
"the year and schedule are per-round settings"). A product certified again since is not listed: its
newer certificate carries it past the deadline. The report's group, region and province filters apply; its years and
level do not (a product re-enters whatever the year and level it was certified at).

Two statements over the entries' validity index (how many, and the :data:`SHOWN` soonest), one for the deadline.
"""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from certificates.models import RegistryEntry
from certificates.operations.issuance import add_months
from certificates.reports.figures import places_of
from voting.extensions import db
from voting.models import JurisdictionLevel, Round

#: Without a scheduled round: how far ahead the next registration is taken to be (a level runs every two years).
CYCLE_MONTHS = 24
#: How many products the list shows, the soonest to lose their validity first.
SHOWN = 100


@dataclass(frozen=True)
class Deadline:
    """The day registration for the next round closes, and that round's title ("" when none is scheduled and
    the deadline is the end of the next cycle)."""

    day: date
    round_title: str = ""


@dataclass(frozen=True)
class Losing:
    name: str
    producer: str
    province: str
    valid_until: date


@dataclass(frozen=True)
class Reentry:
    deadline: Deadline
    count: int
    shown: list


def next_deadline(provinces, today):
    """The :class:`Deadline` of a report of ``provinces`` (ids; None: the whole country): one province's next
    provincial round's close of registration, else the cycle's end."""
    found = None
    if provinces is not None and len(provinces) == 1:
        found = db.session.execute(
            select(Round.registration_closes_on, Round.title)
            .where(Round.jurisdiction_level == JurisdictionLevel.PROVINCE, Round.registration_closes_on >= today,
                   Round.province_id == next(iter(provinces)))
            .order_by(Round.registration_closes_on, Round.id).limit(1)).first()
    return Deadline(*found) if found else Deadline(add_months(today, CYCLE_MONTHS))


def losing_validity(area, filters, today):
    """:class:`Reentry` of the products of ``area`` (``filters``' group and province) valid today whose validity
    ends before :func:`next_deadline`."""
    e = RegistryEntry
    provinces = places_of(area, filters)
    deadline = next_deadline(provinces, today)
    conditions = [e.valid_until >= today, e.valid_until < deadline.day]
    if provinces is not None:
        conditions.append(e.province_id.in_(sorted(provinces)))
    if filters.group_code:
        conditions.append(e.group_code == filters.group_code)
    count = db.session.scalar(select(func.count()).select_from(e).where(*conditions))
    name = func.coalesce(func.nullif(e.current_name, ""), e.name)
    producer = func.coalesce(func.nullif(e.current_producer_name, ""), e.producer_name)
    shown = db.session.execute(select(name, producer, e.province_name, e.valid_until).where(*conditions)
                               .order_by(e.valid_until, e.name_sort, e.id).limit(SHOWN)).all()
    return Reentry(deadline, count or 0, [Losing(*row) for row in shown])
