"""The summary reports (issue 21) against a plain count, on the verification benchmark's rows.

Each report of ``/reports/`` is timed in-process as the page computes it, for the whole country (the
largest area): the certificates' figures (:func:`certificates.reports.figures.figures`: per year and level,
province, group and standing), the rounds' results (:func:`certificates.reports.entries.results`) and the
producers with several products (:func:`certificates.reports.producers.several_products`) and by type and
commune kind (:func:`certificates.reports.distribution.distribution`), the products losing their validity
before the next registration (:func:`certificates.reports.reentry.losing_validity`) and the path upward
(:func:`certificates.reports.upward.path_upward`: nominations to the regional rounds, entered and certified),
and the producers' two reports for one province too (a province's organiser's page), alternating run by run with the baseline, ``SELECT count(*)`` of the certificate table. Target: each report's p95
at most :data:`TARGET` times the count's p95 in the same run. The rows (:mod:`bench.rows`) span twenty years of
provincial rounds, with a regional round every two years taking about one in ten of their products
(:mod:`bench.nominations`).
"""
import statistics
import time
from dataclasses import dataclass

from sqlalchemy import func, select

from certificates.models import Certificate
from certificates.reports.distribution import distribution
from certificates.reports.entries import results
from certificates.reports.figures import Area, Filters, figures
from certificates.reports.producers import several_products
from certificates.reports.reentry import losing_validity
from certificates.reports.upward import path_upward
from bench.rounds import PROVINCE_CODE
from voting.core.clock import today_vn
from voting.extensions import db
from voting.models import Province

RUNS = 30
TARGET = 20.0


def _count():
    return db.session.scalar(select(func.count()).select_from(Certificate))


#: name -> the report as the page computes it for the whole country, unfiltered, or (given ``province``, the area
#: of a province's organiser) for one province: its default page.
REPORTS = {
    "certificates' figures": lambda province: figures(Area(None), Filters(), today_vn()),
    "rounds' results": lambda province: results(Area(None), Filters()),
    "producers with several products": lambda province: several_products(Area(None), Filters()),
    "producers with several products, one province": lambda province: several_products(province, Filters()),
    "producers by type and commune kind": lambda province: distribution(Area(None), Filters()),
    "producers by type and commune kind, one province": lambda province: distribution(province, Filters()),
    "products losing validity before the next registration":
        lambda province: losing_validity(Area(None), Filters(), today_vn()),
    "path upward": lambda province: path_upward(Area(None), Filters()),
}


def _a_province():
    """The area of the organiser of the benchmark's first province (Thái Nguyên: an eighth of the rows)."""
    return Area(frozenset({db.session.scalar(select(Province.id).where(Province.code == PROVINCE_CODE))}))


@dataclass
class Reported:
    database: str
    certificates: int
    count_p95_ms: float
    p95_ms: dict  # report name -> p95 in ms

    def ratio(self, name):
        return self.p95_ms[name] / self.count_p95_ms

    @property
    def failures(self):
        return [line for name, line in self.lines() if self.ratio(name) > TARGET]

    def lines(self):
        return [(name, f"report {name}, {self.database}: p95 {p95:.1f} ms vs count(*) p95 {self.count_p95_ms:.2f} ms "
                       f"-> {self.ratio(name):.1f}x (target <= {TARGET:g}x) "
                       f"{'PASS' if self.ratio(name) <= TARGET else 'FAIL'} ({self.certificates:,} certificates)")
                for name, p95 in self.p95_ms.items()]


def _timed(function):
    start = time.perf_counter()
    function()
    elapsed = 1000 * (time.perf_counter() - start)
    db.session.rollback()
    return elapsed


def _p95(values):
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def measure(app, database):
    """Time every report and the count alternately, :data:`RUNS` times each, after one warm-up."""
    with app.app_context():
        certificates = _count()
        province = _a_province()
        for report in REPORTS.values():
            report(province)
        timings = {name: [] for name in REPORTS}
        counts = []
        for _ in range(RUNS):
            for name, report in REPORTS.items():
                counts.append(_timed(_count))
                timings[name].append(_timed(lambda report=report: report(province)))
        db.session.remove()
    return Reported(database, certificates, _p95(counts), {name: _p95(values) for name, values in timings.items()})
