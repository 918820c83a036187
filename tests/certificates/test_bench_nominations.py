"""The benchmark's path upward (:mod:`bench.nominations`): nominations as the platform would have made them.

The summary report of the path upward is timed on these rows, so they must be what nominating leaves: each from
a provincial entry holding a certificate still valid on the regional round's registration deadline, to its own
region's round, as an accepted entry of the same product and producer; the regional decision's list and tally
as the vote writes them; and no certificate of the regional rounds, so that the other benchmarks read the same rows.
"""
from sqlalchemy import func, select

from bench.nominations import nominate_upward
from bench.rounds import ORGANISER_EMAIL, PROVINCE_CODE
from bench.rows import YEARS, populate
from certificates.models import Certificate, CertificateStatus
from certificates.reports.figures import Area, Filters
from certificates.reports.upward import path_upward
from voting.extensions import db
from voting.models import (
    Application,
    ApplicationStatus,
    Decision,
    DecisionEntry,
    DecisionTally,
    Nomination,
    Province,
    Role,
    Round,
)
from voting.operations.accounts import create_staff_account
from voting.rules.eligibility import current_certificate

ROWS = 400  # twenty a year: two of each year nominated


def test_the_bench_nominates_a_tenth_of_each_year_to_its_regions_rounds(app, signer):
    with app.app_context():
        province = db.session.scalar(select(Province).where(Province.code == PROVINCE_CODE))
        organiser, _ = create_staff_account(None, email=ORGANISER_EMAIL, full_name="Cán bộ đo hiệu năng",
                                            role=Role.ORGANISER, jurisdiction_level="tinh", province=province)
        db.session.commit()
        organiser_id = organiser.id
    populate(app, organiser_id, ROWS)
    nominated = nominate_upward(app)
    # This year's products wait for the next regional round; every other year nominates a tenth of its twenty.
    assert nominated.nominations == 2 * (YEARS - 1)
    with app.app_context():
        assert db.session.scalar(select(func.count(Certificate.id))) == ROWS
        regional = db.session.scalars(select(Round).where(Round.jurisdiction_level == "khu_vuc")).all()
        assert len(regional) == nominated.rounds and {r.year % 2 for r in regional} == {0}
        assert all(r.authority.jurisdiction_level == "khu_vuc" and r.region_id is not None for r in regional)
        nominations = db.session.scalars(select(Nomination)).all()
        assert len(nominations) == nominated.nominations
        for nomination in nominations:
            source, target = nomination.source_application, nomination.target_application
            assert nomination.source_certificate == current_certificate(source)
            assert nomination.source_certificate.status_on(target.round.registration_closes_on) == CertificateStatus.VALID
            assert source.round.province.region_id == target.round.region_id == nomination.province.region_id
            assert 1 <= target.round.year - source.round.year <= 2
            assert (target.product_id, target.producer_id) == (source.product_id, source.producer_id)
            assert target.status == ApplicationStatus.ACCEPTED
        assert 0 < nominated.certified < nominated.nominations
        for round_ in regional:
            decision = db.session.scalar(select(Decision).where(Decision.round_id == round_.id))
            assert decision.decision_number and decision.carried
            entries, certified, passed = db.session.execute(
                select(func.sum(DecisionTally.entries), func.sum(DecisionTally.certified),
                       func.sum(DecisionTally.passed)).where(DecisionTally.decision_id == decision.id)).one()
            assert entries == db.session.scalar(select(func.count(Application.id))
                                                .where(Application.round_id == round_.id))
            assert certified == db.session.scalar(select(func.count(DecisionEntry.id))
                                                  .where(DecisionEntry.decision_id == decision.id)) <= passed
        report = path_upward(Area(None), Filters())
        assert report.nominated == nominated.nominations
        assert sum(step.certified for step in report.by_year_level) == nominated.certified
