"""A round's results, computed from the submitted score sheets: exact, reproducible, documented.

Arithmetic
    Points are ``Decimal`` on the round's step, so a sheet's total is an exact
    ``Decimal`` sum. A mean (the *tổng điểm bình quân* of an entry, or of one
    criterion) is kept as an exact fraction of those sums, so that the pass
    mark and ties are compared on exact values; pages and files show it
    rounded half-up to 2 places (:func:`shown`).

Quorum
    An entry with fewer submitted sheets than the round's ``min_sheets_per_entry``
    (at the stage that counts) is marked below quorum: it is neither ranked nor
    passed.

Second stage
    With a second scoring stage, an entry's final score is
    ``w × mean(stage 2) + (1 − w) × mean(stage 1)`` with ``w`` the round's
    ``second_stage_weight`` (1 = stage 2 only). The same weighting applies to
    each criterion's mean.

Disagreement
    A sheet is flagged when its total lies further from the median of the
    entry's totals (at its stage) than ``outlier_mad_factor`` median absolute
    deviations, and at least ``outlier_min_spread`` points: the minimum spread
    keeps a MAD of 0 (jurors who agree exactly) from flagging every small
    difference. Entries with fewer than 3 sheets have no median to speak of
    and are not checked.

Everything is loaded in a fixed number of queries, whatever the round's size.
"""
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from statistics import median

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from voting.extensions import db
from voting.models import (
    Application,
    ApplicationStatus,
    Decision,
    Producer,
    Product,
    ScoreSheet,
    SheetStatus,
    Strike,
)

def shown(value, places=2):
    """An exact value (``Fraction`` or ``Decimal``) rounded half-up (away from zero) to ``places`` decimals."""
    if value is None:
        return None
    scaled = Fraction(value) * 10 ** places
    whole = int(abs(scaled) + Fraction(1, 2))  # int() of a positive fraction is its floor
    return Decimal(-whole if scaled < 0 else whole).scaleb(-places)


def mean(values):
    """Exact mean of ``Decimal`` values as a ``Fraction``; ``None`` for no values."""
    values = list(values)
    if not values:
        return None
    return Fraction(sum(values, Decimal(0))) / len(values)


@dataclass
class SheetResult:
    """One submitted sheet as the results see it."""

    sheet: ScoreSheet
    total: Decimal
    #: top-level criterion id → points (sub-criteria added up into their parent)
    by_criterion: dict
    flagged: bool = False
    deviation: Decimal = Decimal(0)


@dataclass
class EntryResult:
    """An entry's standing: its sheets, means, spread, rank and where it stands in deliberation."""

    application: Application
    sheets: dict = field(default_factory=lambda: {1: [], 2: []})
    score: Fraction | None = None
    criterion_means: dict = field(default_factory=dict)
    below_quorum: bool = False
    passed: bool = False
    rank: int | None = None
    strike: Strike | None = None
    prize: str = ""
    #: In a two-stage round: did not go on to the second stage (not ranked); its first-stage mean.
    not_advanced: bool = False
    stage_one_score: Fraction | None = None

    @property
    def shown_score(self):
        return shown(self.score)

    @property
    def proposed(self):
        """Passed and not struck: on the list the council votes on."""
        return self.passed and self.strike is None

    @property
    def counting_sheets(self):
        """The sheets of the stage whose quorum decides (the last stage the round scores)."""
        return self.sheets[2] if self.sheets[2] else self.sheets[1]

    def spread(self, stage=None):
        """Highest minus lowest total at ``stage`` (the counting stage by default)."""
        sheets = self.sheets[stage] if stage else self.counting_sheets
        if not sheets:
            return None
        totals = [s.total for s in sheets]
        return max(totals) - min(totals)

    @property
    def flagged_sheets(self):
        return [s for stage in (1, 2) for s in self.sheets[stage] if s.flagged]

    def sort_key(self, top_criteria):
        """The tie-break order; see :func:`compute_results`."""
        group, number = code_parts(self.application.entry_code)
        return (-self.score, *(-(self.criterion_means.get(c.id) or 0) for c in top_criteria), group, number)


@dataclass
class RoundResults:
    round: object
    entries: list
    top_criteria: list

    @property
    def ranked(self):
        return [e for e in self.entries if e.rank is not None]

    @property
    def passed(self):
        return [e for e in self.entries if e.passed]

    @property
    def proposed(self):
        return [e for e in self.entries if e.proposed]

    @property
    def below_quorum(self):
        return [e for e in self.entries if e.below_quorum]

    def for_application(self, application_id):
        return next((e for e in self.entries if e.application.id == application_id), None)


def code_parts(code):
    """``"2.015"`` → ``(2, 15)``, so that entry codes sort as numbers."""
    group, _, number = (code or "").partition(".")
    return (int(group) if group.isdigit() else 0, int(number) if number.isdigit() else 0)


def top_level_criteria(round_):
    return [c for c in round_.criteria if c.parent_id is None]


def load_sheets(round_):
    """Every submitted sheet of the round with its scores and juror: two queries."""
    return db.session.scalars(
        select(ScoreSheet).where(ScoreSheet.round_id == round_.id, ScoreSheet.status == SheetStatus.SUBMITTED)
        .options(selectinload(ScoreSheet.scores), selectinload(ScoreSheet.juror_user))
        .order_by(ScoreSheet.application_id, ScoreSheet.stage, ScoreSheet.juror_user_id)).all()


def load_entries(round_):
    """The round's accepted entries with product, group and producer: one query."""
    return db.session.scalars(
        select(Application).where(Application.round_id == round_.id,
                                  Application.status == ApplicationStatus.ACCEPTED)
        .options(selectinload(Application.product).selectinload(Product.group),
                 selectinload(Application.producer).selectinload(Producer.province))
        .order_by(Application.id)).all()


def compute_results(round_, sheets=None, entries=None, stage=None):
    """Compute the round's results from its submitted sheets.

    Ranking: entries that met the quorum, by final score, highest first. Ties
    are broken by the mean of criterion 1, then criterion 2, and so on in the
    sheet's order (higher first), and last by entry code (lower first), so
    that every rank is distinct and the same data always gives the same order.

    An entry passes when its exact final score is at or above the round's
    pass mark. Struck entries keep their rank and pass, but leave the
    proposed list. Prize tiers are given along the proposed list
    (:func:`assign_prizes`).

    In a round with a second stage, only the entries that went on to it
    (:func:`second_stage_ids`) are ranked; the others are listed after them,
    marked ``not_advanced`` with their first-stage mean. ``stage=1`` computes
    the first stage alone, as if the round had one stage.
    """
    top = top_level_criteria(round_)
    parent_of = {c.id: (c.parent_id or c.id) for c in round_.criteria}
    sheets = load_sheets(round_) if sheets is None else sheets
    entries = load_entries(round_) if entries is None else entries
    strikes = {s.application_id: s for s in db.session.scalars(
        select(Strike).where(Strike.round_id == round_.id).options(selectinload(Strike.struck_by)))}
    two_stage = round_.second_stage and stage != 1

    by_entry = {a.id: EntryResult(application=a, strike=strikes.get(a.id)) for a in entries}
    for sheet in sheets:
        entry = by_entry.get(sheet.application_id)
        if entry is None or (sheet.stage == 2 and not two_stage):
            continue
        by_criterion = defaultdict(lambda: Decimal(0))
        for score in sheet.scores:
            if score.points is not None:
                by_criterion[parent_of.get(score.criterion_id, score.criterion_id)] += score.points
        entry.sheets[sheet.stage].append(
            SheetResult(sheet=sheet, total=sum(by_criterion.values(), Decimal(0)), by_criterion=dict(by_criterion)))

    advanced = _advanced(compute_results(round_, sheets, entries, stage=1), round_) if two_stage else None
    weight = Fraction(round_.second_stage_weight) if two_stage else Fraction(0)
    for entry in by_entry.values():
        for sheet_stage in (1, 2):
            flag_outliers(entry.sheets[sheet_stage], round_.outlier_mad_factor, round_.outlier_min_spread)
        if advanced is not None and entry.application.id not in advanced:
            entry.not_advanced = True
            entry.stage_one_score = mean(s.total for s in entry.sheets[1])
            continue
        _score_entry(entry, round_, top, weight, two_stage)

    results = RoundResults(round=round_, entries=list(by_entry.values()), top_criteria=top)
    ranked = sorted((e for e in results.entries if e.score is not None), key=lambda e: e.sort_key(top))
    for rank, entry in enumerate(ranked, start=1):
        entry.rank = rank
        entry.passed = entry.score >= Fraction(round_.pass_mark)
    unranked = sorted((e for e in results.entries if e.score is None),
                      key=lambda e: (e.not_advanced, code_parts(e.application.entry_code)))
    results.entries = ranked + unranked
    if stage != 1:
        assign_prizes(results, round_.prize_mode, round_.prize_tiers)
    return results


def _advanced(first_stage, round_):
    """Ids of the entries that go on to the second stage, given the first stage's results.

    By the round's rule: every entry that passed the first stage, or the first
    ``second_stage_top_n`` of its ranking (ties broken as in the ranking).
    """
    if round_.second_stage_rule == "top_n":
        return {e.application.id for e in first_stage.ranked[:round_.second_stage_top_n or 0]}
    return {e.application.id for e in first_stage.ranked if e.passed}


def second_stage_ids(round_):
    """Ids of the round's entries that go on to its second scoring stage.

    Only what the first-stage ranking needs is loaded (stage-1 sheets with their scores, the
    entries without their product or producer): the scoring pages ask for it on every sheet.
    """
    sheets = db.session.scalars(
        select(ScoreSheet).where(ScoreSheet.round_id == round_.id, ScoreSheet.stage == 1,
                                 ScoreSheet.status == SheetStatus.SUBMITTED)
        .options(selectinload(ScoreSheet.scores))
        .order_by(ScoreSheet.application_id, ScoreSheet.stage, ScoreSheet.juror_user_id)).all()
    entries = db.session.scalars(
        select(Application).where(Application.round_id == round_.id,
                                  Application.status == ApplicationStatus.ACCEPTED)
        .order_by(Application.id)).all()
    return _advanced(compute_results(round_, sheets, entries, stage=1), round_)


def _score_entry(entry, round_, top, weight, two_stage):
    needed = round_.min_sheets_per_entry
    first, second = entry.sheets[1], entry.sheets[2]
    if two_stage:
        if len(second) < needed or (weight < 1 and len(first) < needed):
            entry.below_quorum = True
            return
    elif len(first) < needed:
        entry.below_quorum = True
        return

    def stage_mean(sheets, pick):
        return mean(pick(s) for s in sheets)

    def combine(pick):
        if not two_stage:
            return stage_mean(first, pick)
        late = stage_mean(second, pick)
        if weight == 1:
            return late
        return weight * late + (1 - weight) * stage_mean(first, pick)

    entry.score = combine(lambda s: s.total)
    entry.criterion_means = {c.id: combine(lambda s, cid=c.id: s.by_criterion.get(cid, Decimal(0))) for c in top}


def flag_outliers(sheets, factor, min_spread):
    """Mark the sheets whose total is far from the others' (see the module's docstring)."""
    if len(sheets) < 3:
        return
    totals = [s.total for s in sheets]
    middle = median(totals)
    mad = median(abs(t - middle) for t in totals)
    threshold = max(Decimal(factor) * mad, Decimal(min_spread))
    for sheet in sheets:
        sheet.deviation = sheet.total - middle
        sheet.flagged = abs(sheet.deviation) > threshold


def assign_prizes(results, mode, tiers):
    """Give prize tiers along the proposed list, in rank order.

    By rank, the first tier takes the first ``places`` proposed entries, the
    next tier the following ones, and so on; by score, each entry gets the
    first tier (in the tiers' order) whose minimum score its exact score reaches.
    """
    for entry in results.entries:
        entry.prize = ""
    if mode == "none" or not tiers:
        return
    proposed = results.proposed
    if mode == "rank":
        queue = [tier.name for tier in tiers for _ in range(tier.places or 0)]
        for entry, name in zip(proposed, queue, strict=False):
            entry.prize = name
    elif mode == "score":
        for entry in proposed:
            entry.prize = next((t.name for t in tiers if t.min_score is not None
                                and entry.score >= Fraction(t.min_score)), "")


def latest_decision(round_id, decided_only=False, published_only=False):
    """The round's most recent vote (carried and decided, or published, when asked).

    A published vote may not be decided yet: in the rules' order the council's proposal is announced,
    and the decision follows the complaints.
    """
    query = select(Decision).where(Decision.round_id == round_id)
    if decided_only:
        query = query.where(Decision.decision_number.is_not(None))
    if published_only:
        query = query.where(Decision.published_at.is_not(None))
    return db.session.scalar(query.order_by(Decision.sequence.desc()).limit(1))



@dataclass
class PublishedOutcome:
    """What a producer sees of their own entry once results are published (no juror names)."""

    decision: Decision
    entry: EntryResult | None
    ranked_count: int
    certified: object | None  # the DecisionEntry when the entry is on the published list
    comments: list

    @property
    def complaints_close_on(self):
        return self.decision.complaints_close_on


def published_outcome(application):
    """The entry's published result, or None while the round's results are not published."""
    decision = latest_decision(application.round_id, published_only=True)
    if decision is None:
        return None
    results = compute_results(application.round)
    entry = results.for_application(application.id)
    sheets = [s for stage in (1, 2) for s in entry.sheets[stage]] if entry else []
    comments = [s.sheet.comment for s in sheets if (s.sheet.comment or "").strip()]
    certified = next((e for e in decision.entries if e.application_id == application.id), None)
    return PublishedOutcome(decision=decision, entry=entry, ranked_count=len(results.ranked), certified=certified,
                            comments=comments)
