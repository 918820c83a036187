"""The path upward (issue 21): of the area's certified products, how many its provinces nominated (đề cử) to a
higher round, how many that round accepted as entries, how many of its producers' entries passed there, and how
many it certified, per year and level of the higher round and per nominating province.

A nomination counts unless withdrawn; "entered" is its entry accepted by the higher round's organiser;
"certified" is its entry on the higher round's decided list (:func:`certificates.reports.entries.decided_votes`).
"Passed" is read from that decided vote's tally (:class:`~voting.models.DecisionTally`): the entries at or above
the pass mark whose producer stood in the nominating province at the vote. A higher round takes its entries
through nominations only, so these are the province's nominated entries, save one whose producer moved before
the vote (counted where it moved to). It is None until the higher round is decided, and for a vote taken before
the tallies were kept (it did not record them). Nominations on paper (a province not on the platform, its list
imported) count like the others. The filters apply to the higher round (year, level), the product's group (for
"passed", the group at the vote) and the nominating province.

Two grouped statements: the nominations, and the tallies of the rounds they went to.
"""
from dataclasses import dataclass

from sqlalchemy import and_, case, func, select

from certificates.reports.entries import decided_votes
from certificates.reports.figures import level_order, narrowing
from voting.extensions import db
from voting.models import (
    Application, ApplicationStatus, DecisionEntry, DecisionTally, Nomination, Product, Province, Round,
)


@dataclass(frozen=True)
class Step:
    """One row: ``key`` ((year, level) of the higher round, or a province's code), its name, and the counts;
    ``passed`` None where it is not known (a round not decided yet, or decided before tallies were kept)."""

    key: object
    name: str
    nominated: int
    entered: int
    certified: int
    passed: int | None = None


@dataclass(frozen=True)
class PathUpward:
    by_year_level: list
    by_province: list

    @property
    def nominated(self):
        return sum(step.nominated for step in self.by_year_level)


def _nominations(area, filters, *columns, entries=True):
    """``select(*columns)`` over the nominations from ``area`` meeting ``filters``, joined to their entry in the
    higher round (``entries``, or for a group asked for), to that round (``Round``) for a year or level asked for,
    and to the entry's product for a group: a join read for every nomination costs a fifth of the statement."""
    query = select(*columns).select_from(Nomination)
    if entries or filters.group_code:
        query = query.join(Application, Application.id == Nomination.target_application_id)
    if filters.year_from is not None or filters.year_to is not None or filters.level:
        query = query.join(Round, Round.id == Nomination.target_round_id)
    if filters.group_code:
        query = query.join(Product, Product.id == Application.product_id)
    return query.where(Nomination.withdrawn_at.is_(None),
                       *narrowing(area, filters, year=Round.year, level=Round.jurisdiction_level,
                                  group_code=Product.group_code, province_id=Nomination.province_id))


def _passed(area, filters):
    """``{(year, level, province id): passed or None}``: one statement adds up the tallies of the decided votes
    of the rounds the province nominated to, for the producers of that province."""
    pairs = _nominations(area, filters, Nomination.target_round_id.label("round_id"),
                         Nomination.province_id.label("province_id"), entries=False).distinct().subquery()
    decided, t = decided_votes(among=select(Nomination.target_round_id).distinct()), DecisionTally
    group = [t.group_code == filters.group_code] if filters.group_code else []
    keys = (Round.year, Round.jurisdiction_level, pairs.c.province_id)
    rows = db.session.execute(
        select(*keys, func.sum(t.passed), func.count(t.passed), func.count(t.id),
               func.count(pairs.c.round_id.distinct()), func.count(decided.c.round_id.distinct()))
        .select_from(pairs)
        .join(Round, Round.id == pairs.c.round_id)
        .outerjoin(decided, decided.c.round_id == pairs.c.round_id)
        .outerjoin(t, and_(t.decision_id == decided.c.decision_id, t.province_id == pairs.c.province_id, *group))
        .group_by(*keys)).all()
    # Not known if a round is not decided yet, or a tally row did not record it (a vote from before the tallies).
    return {(year, level, province_id): None if decided_rounds < rounds or recorded < tallied else passed or 0
            for year, level, province_id, passed, recorded, tallied, rounds, decided_rounds in rows}


def path_upward(area, filters):
    """:class:`PathUpward` of the nominations from ``area``'s provinces meeting ``filters``."""
    entered = func.count(case((Application.status == ApplicationStatus.ACCEPTED, Application.id)))
    # The decided votes of the rounds nominated to (a few dozen), as a set: an entry is on the list of its own
    # round's votes only, so being on one of these is being on its round's decided list. Joined by round instead,
    # the votes were read again for each nomination (9,500 nominations: 90 times a plain count on SQLite, make
    # bench), and looked up per nomination they cost PostgreSQL a scan of the votes each time (51 times).
    decided = decided_votes(among=select(Nomination.target_round_id).distinct())
    # Counted per higher round and province first, then named by the round's year and level: a few hundred rows.
    counted = (_nominations(area, filters, Nomination.target_round_id.label("round_id"),
                            Nomination.province_id.label("province_id"), func.count(Nomination.id).label("nominated"),
                            entered.label("entered"), func.count(DecisionEntry.id).label("certified"))
               # "+ 0": found by its entry (one index lookup), then kept if on a decided list; SQLite would otherwise
               # look the entry up once per decided vote, through the (vote, entry) index.
               .outerjoin(DecisionEntry, and_(DecisionEntry.application_id == Application.id,
                                              (DecisionEntry.decision_id + 0).in_(select(decided.c.decision_id))))
               .group_by(Nomination.target_round_id, Nomination.province_id).subquery())
    keys = (Round.year, Round.jurisdiction_level, counted.c.province_id)
    rows = db.session.execute(
        select(*keys, func.sum(counted.c.nominated), func.sum(counted.c.entered), func.sum(counted.c.certified))
        .join(Round, Round.id == counted.c.round_id).group_by(*keys)).all()
    passing = _passed(area, filters)
    names = {p.id: (p.code, p.name) for p in db.session.execute(
        select(Province.id, Province.code, Province.name).where(Province.id.in_({row[2] for row in rows})))}
    by_year_level, by_province = {}, {}
    for year, level, province_id, nominated, entries, certified in rows:
        passed = passing.get((year, level, province_id))
        for totals, key in ((by_year_level, (year, level)), (by_province, province_id)):
            counts = totals.setdefault(key, [0, 0, 0, 0])
            counts[0] += int(nominated)  # PostgreSQL sums counts as NUMERIC
            counts[1] += int(entries)
            counts[2] += int(certified)
            # A total with a part not known is not known either.
            counts[3] = None if counts[3] is None or passed is None else counts[3] + passed
    return PathUpward(
        by_year_level=[_step(key, "", counts) for key, counts in
                       sorted(by_year_level.items(), key=lambda item: (item[0][0], level_order(item[0][1])))],
        by_province=sorted((_step(*names.get(key, ("", "")), counts) for key, counts in by_province.items()),
                           key=lambda s: (-s.nominated, s.name)))


def _step(key, name, counts):
    nominated, entered, certified, passed = counts
    return Step(key, name, nominated, entered, certified, passed)
