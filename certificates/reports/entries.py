"""What the rounds run on the platform decided: entries, passing and certified entries, per level and
year, product group, province and producer type, with the certified share and the mean score.

A round counts once its authority has decided (its latest vote with a decision number). Its counts are the
ones that vote kept (:class:`~voting.models.DecisionTally`, :mod:`voting.rules.tally`): its entries the
applications the round had accepted, "passing" those whose final score reached the pass mark (whether or not
the council certified them), its certified entries those of the decision's list with the final score decided.
Each is counted by its product's group and its producer's province and type as they stood at the vote (a
producer may move or change its type later); so a province sees its own producers' results at regional and
national level too. Votes taken before the tallies were kept have no passing count (the migration could not
recompute it): a row they contribute to shows none.

One grouped statement over the tallies (a few rows per round) for every table.
"""
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import and_, func, select

from certificates.reports.figures import level_order, narrowing
from voting.extensions import db
from voting.models import Decision, DecisionTally, ProducerType, ProductGroup, Province, Round


@dataclass(frozen=True)
class Tally:
    """One row of a results table: ``key`` (a code, or (year, level)), its name, and the counts."""

    key: object
    name: str
    entries: int
    certified: int
    mean_score: Decimal | None
    passed: int | None = None

    @property
    def certified_share(self):
        """Certified entries per entry, in per cent (one decimal), or None without entries."""
        return None if not self.entries else round(Decimal(100 * self.certified) / self.entries, 1)


def decided_votes(among=None):
    """Each decided round's latest decided vote: ``(round_id, decision id)`` as a subquery; only of the rounds
    ``among`` selects (a select of round ids), when given."""
    latest = select(Decision.round_id, func.max(Decision.sequence).label("sequence")).where(
        Decision.decision_number.is_not(None))
    if among is not None:
        latest = latest.where(Decision.round_id.in_(among))
    latest = latest.group_by(Decision.round_id).subquery()
    return (select(Decision.round_id, Decision.id.label("decision_id"))
            .join(latest, and_(latest.c.round_id == Decision.round_id, latest.c.sequence == Decision.sequence))
            .subquery())


def _tallied(area, filters):
    """``[(year, level, group code, province id, producer type, entries, certified, sum of certified scores,
    passed, tally rows with passed recorded, tally rows)]``: one statement over the decided votes' tallies, a row
    per combination (a few hundred at most, whatever the number of entries)."""
    decided = decided_votes()
    t = DecisionTally
    keys = (Round.year, Round.jurisdiction_level, t.group_code, t.province_id, t.producer_type)
    query = (select(*keys, func.sum(t.entries), func.sum(t.certified), func.sum(t.score_sum), func.sum(t.passed),
                    func.count(t.passed), func.count())
             .select_from(t)
             .join(decided, decided.c.decision_id == t.decision_id)
             .join(Round, Round.id == decided.c.round_id)
             .where(*narrowing(area, filters, year=Round.year, level=Round.jurisdiction_level, group_code=t.group_code,
                               province_id=t.province_id)))
    return db.session.execute(query.group_by(*keys)).all()


def _add_up(rows, key_of):
    """``{key: [entries, certified, sum of scores, passed or None]}`` of ``rows`` (:func:`_tallied`) by
    ``key_of(row)``; passed is None where a vote did not record it for some of the rows added up."""
    totals = {}
    for row in rows:
        total = totals.setdefault(key_of(row), [0, 0, Decimal(0), 0])
        total[0] += row[5]
        total[1] += row[6]
        total[2] += Decimal(str(row[7] or 0))  # SQLite sums a NUMERIC column as a float
        total[3] = None if total[3] is None or row[9] < row[10] else total[3] + row[8]
    return totals


def _tallies(totals, names):
    return [Tally(key, names.get(key, ""), n, c, _mean(score / c) if c else None, passed)
            for key, (n, c, score, passed) in totals.items()]


def _mean(value):
    # Rounded half-up to two places, as a final score is shown.
    return None if value is None else Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass
class Results:
    """The results tables of a report."""

    by_year_level: list
    by_group: list
    by_province: list
    by_producer_type: list

    @property
    def entries(self):
        return sum(t.entries for t in self.by_year_level)

    @property
    def certified(self):
        return sum(t.certified for t in self.by_year_level)


def results(area, filters):
    """:class:`Results` of the decided rounds' entries in ``area`` meeting ``filters``: one statement adds up the
    decided votes' tallies per (year, level, group, province, producer type); the tables add those up."""
    rows = _tallied(area, filters)
    groups = dict(db.session.execute(select(ProductGroup.code, ProductGroup.name)).all())
    provinces = {p.id: (p.code, p.name) for p in db.session.execute(select(Province.id, Province.code, Province.name))}
    types = dict(db.session.execute(select(ProducerType.code, ProducerType.name)).all())
    by_province = _add_up(rows, lambda row: row[3])
    return Results(
        by_year_level=sorted(_tallies(_add_up(rows, lambda row: (row[0], row[1])), {}),
                             key=lambda t: (t.key[0], level_order(t.key[1]))),
        by_group=sorted(_tallies(_add_up(rows, lambda row: row[2]), groups), key=lambda t: t.key),
        by_province=sorted((Tally(provinces.get(key, ("", ""))[0], provinces.get(key, ("", ""))[1], n, c,
                                  _mean(score / c) if c else None, passed)
                            for key, (n, c, score, passed) in by_province.items()),
                           key=lambda t: (-t.entries, t.name)),
        by_producer_type=sorted(_tallies(_add_up(rows, lambda row: row[4]), types),
                                key=lambda t: (-t.entries, t.name)))
