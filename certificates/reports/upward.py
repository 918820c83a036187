"""The path upward (issue 21): of the area's certified products, how many its provinces nominated (đề cử) to a
higher round, how many that round accepted as entries, and how many it certified, per year and level of the
higher round and per nominating province.

A nomination counts unless withdrawn; "entered" is its entry accepted by the higher round's organiser;
"certified" is its entry on the higher round's decided list (:func:`certificates.reports.entries.decided_votes`).
Nominations on paper (a province not on the platform, its list imported) count like the others. The filters
apply to the higher round (year, level), the product's group and the nominating province.

One grouped statement.
"""
from dataclasses import dataclass

from sqlalchemy import and_, case, func, select

from certificates.reports.entries import decided_votes
from certificates.reports.figures import level_order, narrowing
from voting.extensions import db
from voting.models import Application, ApplicationStatus, DecisionEntry, Nomination, Product, Province, Round


@dataclass(frozen=True)
class Step:
    """One row: ``key`` ((year, level) of the higher round, or a province's code), its name, and the counts."""

    key: object
    name: str
    nominated: int
    entered: int
    certified: int


@dataclass(frozen=True)
class PathUpward:
    by_year_level: list
    by_province: list

    @property
    def nominated(self):
        return sum(step.nominated for step in self.by_year_level)


def path_upward(area, filters):
    """:class:`PathUpward` of the nominations from ``area``'s provinces meeting ``filters``."""
    decided = decided_votes()
    entered = func.count(case((Application.status == ApplicationStatus.ACCEPTED, Application.id)))
    rows = db.session.execute(
        select(Round.year, Round.jurisdiction_level, Nomination.province_id, func.count(Nomination.id), entered,
               func.count(DecisionEntry.id))
        .select_from(Nomination)
        .join(Round, Round.id == Nomination.target_round_id)
        .join(Application, Application.id == Nomination.target_application_id)
        .join(Product, Product.id == Application.product_id)
        .outerjoin(decided, decided.c.round_id == Round.id)
        .outerjoin(DecisionEntry, and_(DecisionEntry.decision_id == decided.c.decision_id,
                                       DecisionEntry.application_id == Application.id))
        .where(Nomination.withdrawn_at.is_(None),
               *narrowing(area, filters, year=Round.year, level=Round.jurisdiction_level,
                          group_code=Product.group_code, province_id=Nomination.province_id))
        .group_by(Round.year, Round.jurisdiction_level, Nomination.province_id)).all()
    names = {p.id: (p.code, p.name) for p in db.session.execute(
        select(Province.id, Province.code, Province.name).where(Province.id.in_({row[2] for row in rows})))}
    by_year_level, by_province = {}, {}
    for year, level, province_id, nominated, entries, certified in rows:
        for totals, key in ((by_year_level, (year, level)), (by_province, province_id)):
            counts = totals.setdefault(key, [0, 0, 0])
            counts[0] += nominated
            counts[1] += entries
            counts[2] += certified
    return PathUpward(
        by_year_level=[Step(key, "", *counts) for key, counts in
                       sorted(by_year_level.items(), key=lambda item: (item[0][0], level_order(item[0][1])))],
        by_province=sorted((Step(names.get(key, ("", ""))[0], names.get(key, ("", ""))[1], *counts)
                            for key, counts in by_province.items()), key=lambda s: (-s.nominated, s.name)))
