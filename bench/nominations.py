"""The benchmarks' path upward: regional rounds every two years, taking nominations of the provinces' certified products.

:func:`nominate_upward` runs after :func:`bench.rows.populate`. In every even year of the rows' years (regional
rounds run every two years), one decided regional round per region of the bench's provinces (the Cục organises
them, their issuing authority is the Cục's) takes nominations of about one product in ten
(:data:`NOMINATED_SHARE`) certified by its region's provincial rounds since the last regional round: those of
the year before and of two years before, whose certificates are still valid on the regional round's
registration deadline (valid 36 months), as :func:`voting.rules.eligibility.nomination_problems` requires. The
twenty years' provincial rounds thus nominate in nineteen of them (this year's wait for the next regional round):
about 10,000 nominations at 100,000 rows. Each nomination brings an accepted entry of the same product and
producer into the regional round, as :func:`voting.operations.nominations.nominate` and the screening leave it;
about half of the entries are on the regional decision's list (a regional round of 2024 took 889 entries from the
provinces and certified 439), and the decision's tally rows are those the vote writes
(:func:`voting.rules.tally.tally_rows`).

The regional rounds are decided but issue no certificates here, so the certificate count stays the rows', and
the registry, the search and the routes read the same rows as before. A few dozen rounds go through the ORM;
the many rows are inserted in bulk through Core.
"""
import itertools
import random
import time
from dataclasses import dataclass
from datetime import datetime, time as day_time, timedelta, timezone
from decimal import Decimal

from sqlalchemy import select

from bench.rounds import day_in
from bench.rows import insert_rows
from certificates.models import Certificate, CertificateStatus
from voting.extensions import db
from voting.models import (
    Application,
    ApplicationStatus,
    Decision,
    DecisionEntry,
    DecisionTally,
    IssuingAuthority,
    Nomination,
    Producer,
    Product,
    ProductGroup,
    Province,
    Region,
    Role,
    Round,
    RoundStatus,
    StepOrder,
)
from voting.models.base import utcnow
from voting.models.round import COMMITMENTS_NOMINATED
from voting.operations.accounts import create_staff_account
from voting.rules.tally import tally_rows

#: Regional rounds run every this many years, in the years divisible by it.
REGIONAL_EVERY = 2
#: The share of a provincial year's certified products its provinces nominate.
NOMINATED_SHARE = 0.1
#: The share of a regional round's entries its decision certifies (439 of 889 in 2024).
CERTIFIED_SHARE = 0.5
ORGANISER_EMAIL = "cuc@bench.cnnt.vn"
SEED = 21  # the same rows every run
PASS_MARK = Decimal(70)  # the rounds' default


@dataclass
class Nominated:
    """What :func:`nominate_upward` made."""

    nominations: int
    certified: int
    rounds: int
    seconds: float = 0.0


def _regional_year(year):
    """The year of the first regional round after a provincial round of ``year``."""
    return year + REGIONAL_EVERY - year % REGIONAL_EVERY


def _sources():
    """The provincial rounds' certified products with a valid certificate, one row each, by id."""
    return db.session.execute(
        select(Certificate.id.label("certificate_id"), Application.id.label("application_id"),
               Application.product_id, Application.producer_id, Round.year, Round.created_by_id,
               Round.province_id.label("nominating_province_id"), Province.region_id,
               Product.name.label("product_name"), Product.group_code, Producer.name.label("producer_name"),
               Producer.type_code, Producer.province_id)
        .select_from(Certificate)
        .join(Application, Application.id == Certificate.application_id)
        .join(Round, Round.id == Certificate.round_id)
        .join(Province, Province.id == Round.province_id)
        .join(Product, Product.id == Application.product_id)
        .join(Producer, Producer.id == Application.producer_id)
        .where(Round.jurisdiction_level == "tinh", Certificate.status == CertificateStatus.VALID)
        .order_by(Certificate.id)).all()


def _chosen(sources, last_year, rng):
    """``{(region id, regional year): [source rows]}``: :data:`NOMINATED_SHARE` of each provincial year's
    products, drawn at random, for the next regional round of their region (none after ``last_year``)."""
    by_year = {}
    for row in sources:
        by_year.setdefault(row.year, []).append(row)
    chosen = {}
    for year, rows in sorted(by_year.items()):
        if _regional_year(year) > last_year:
            continue  # the next regional round is still to come
        for row in sorted(rng.sample(rows, round(len(rows) * NOMINATED_SHARE)), key=lambda r: r.certificate_id):
            chosen.setdefault((row.region_id, _regional_year(year)), []).append(row)
    return chosen


def nominate_upward(app):
    """Add the regional rounds, their nominated entries, decisions and tallies to the rows; a :class:`Nominated`."""
    started = time.perf_counter()
    rng = random.Random(SEED)
    with app.app_context():
        last_year = db.session.scalar(select(Round.year).order_by(Round.year.desc()).limit(1))
        chosen = _chosen(_sources(), last_year, rng)
        organiser, _ = create_staff_account(None, email=ORGANISER_EMAIL, full_name="Cán bộ Cục đo hiệu năng",
                                            role=Role.ORGANISER, jurisdiction_level="khu_vuc")
        authority = db.session.scalar(select(IssuingAuthority).where(IssuingAuthority.jurisdiction_level == "khu_vuc"))
        groups = {g.code: g.name for g in db.session.scalars(select(ProductGroup))}
        provinces = {p.id: p.name for p in db.session.scalars(select(Province))}
        regions = {r.id: r.name for r in db.session.scalars(select(Region))}
        nominations = certified = 0
        for serial, ((region_id, year), rows) in enumerate(sorted(chosen.items()), start=1):
            decision = _regional_round(organiser, authority, region_id, regions[region_id], year, serial)
            certified += _entries(decision, rows, organiser.id, groups, provinces, rng)
            nominations += len(rows)
        db.session.commit()
        db.session.remove()
    return Nominated(nominations, certified, len(chosen), time.perf_counter() - started)


def _regional_round(organiser, authority, region_id, region_name, year, serial):
    """A decided regional round of ``year`` with its decision carried, numbered and published (no entries yet)."""
    today = day_in(year)
    round_ = Round(title=f"Bình chọn đo hiệu năng: {region_name} {year}", year=year, jurisdiction_level="khu_vuc",
                   region_id=region_id, authority=authority, status=RoundStatus.DECIDED, created_by_id=organiser.id,
                   step_order=StepOrder.DECIDE_FIRST, registration_opens_on=today - timedelta(days=120),
                   registration_closes_on=today - timedelta(days=90), pass_mark=PASS_MARK,
                   status_changed_at=utcnow())
    decision = Decision(
        round=round_, sequence=1, meeting_on=today - timedelta(days=40), meeting_place="Hà Nội",
        members_present=7, votes_for=7, votes_against=0, votes_abstain=0, carried=True,
        recorded_by_id=organiser.id, decision_number=f"{serial}/QĐ-BCT", decision_on=today - timedelta(days=35),
        signer_name="Trần Văn Minh", signer_capacity="kt", signer_head_title="Bộ trưởng",
        signer_title="Thứ trưởng", decided_by_id=organiser.id, published_at=utcnow() - timedelta(days=34),
        complaints_close_on=today - timedelta(days=19))
    db.session.add_all([round_, decision])
    db.session.flush()
    return decision


def _moment(day):
    return datetime.combine(day, day_time(9), tzinfo=timezone.utc)


def _entries(decision, rows, organiser_id, groups, provinces, rng):
    """The nominated entries of ``decision``'s round, in bulk: entries, nominations, the decided list (the best
    :data:`CERTIFIED_SHARE`, all passed) and the tally; how many it certified."""
    round_ = decision.round
    nominated_at = _moment(round_.registration_opens_on + timedelta(days=15))
    accepted_at = _moment(round_.registration_closes_on + timedelta(days=5))
    codes = {code: itertools.count(1) for code in groups}
    entry_codes = [f"{row.group_code}.{next(codes[row.group_code]):03d}" for row in rows]
    application_ids = insert_rows(Application.__table__, [
        dict(round_id=round_.id, product_id=row.product_id, producer_id=row.producer_id,
             status=ApplicationStatus.ACCEPTED, entry_code=code, submitted_at=nominated_at,
             commitments=COMMITMENTS_NOMINATED, commitments_given_at=None, decided_at=accepted_at,
             decided_by_id=organiser_id, created_at=nominated_at)
        for row, code in zip(rows, entry_codes, strict=True)])
    insert_rows(Nomination.__table__, [
        dict(source_application_id=row.application_id, source_certificate_id=row.certificate_id,
             province_id=row.nominating_province_id, target_round_id=round_.id, target_application_id=application_id,
             nominated_by_id=row.created_by_id, nominated_at=nominated_at)
        for row, application_id in zip(rows, application_ids, strict=True)])
    # Final scores around the pass mark (70): the best half certified, some more passed but not taken.
    scores = {application_id: Decimal(rng.randint(6000, 9500)) / 100 for application_id in application_ids}
    ranked = sorted(zip(rows, application_ids, entry_codes, strict=True), key=lambda item: (-scores[item[1]], item[1]))
    listed = [item for item in ranked[:round(len(ranked) * CERTIFIED_SHARE)] if scores[item[1]] >= PASS_MARK]
    insert_rows(DecisionEntry.__table__, [
        dict(decision_id=decision.id, application_id=application_id, rank=rank, score=scores[application_id],
             entry_code=code, product_name=row.product_name, producer_name=row.producer_name,
             province_name=provinces[row.province_id], group_code=row.group_code, group_name=groups[row.group_code])
        for rank, (row, application_id, code) in enumerate(listed, start=1)])
    keys = {application_id: (row.group_code, row.province_id, row.type_code)
            for row, application_id in zip(rows, application_ids, strict=True)}
    insert_rows(DecisionTally.__table__, [dict(decision_id=decision.id, **row) for row in tally_rows(
        keys, {a for a, score in scores.items() if score >= PASS_MARK},
        {application_id: scores[application_id] for _row, application_id, _code in listed})])
    return len(listed)
