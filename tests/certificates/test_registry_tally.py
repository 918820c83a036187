"""The summary reports' tally (:mod:`certificates.registry.tally`) stays what a count of the registry's certificates
gives, whatever changed them: an import, a province or a validity changed, a full reindex, the migration's fill.

Compared with the count it replaces, row for row (``_counted_directly``), not with numbers of its own.
"""
from collections import Counter

import pytest
from sqlalchemy import delete, func, select

from certificates.models import ImportedCertificate, RegistryCertificate, RegistryEntry, RegistryTally
from certificates.registry.index import reindex
from certificates.reports.distribution import distribution
from certificates.reports.figures import Area, Filters, figures
from certificates.reports.producers import several_products
from tests.support import demo_world
from tests.support.registry import registry as registry  # noqa: PLC0414 (a fixture)
from tests.support.registry import set_valid_until
from voting.core.clock import today_vn
from voting.extensions import db
from voting.models import Province, Region


def _counted_directly():
    """{(year, level, province, group, province as certified, status, expiry): certificates} read off the
    certificates themselves, a corrected certificate's first copy left out."""
    c, e = RegistryCertificate, RegistryEntry
    keys = (c.year, c.level, e.province_id, e.group_code, c.province_then, c.status, c.expires_on)
    return Counter({tuple(row[:-1]): row[-1] for row in db.session.execute(
        select(*keys, func.count()).join(e, e.id == c.entry_id).where(c.status != "superseded").group_by(*keys))})


def _tallied():
    t = RegistryTally
    keys = (t.year, t.level, t.province_id, t.group_code, t.province_then, t.status, t.expires_on)
    found = Counter()
    for *key, n in db.session.execute(select(*keys, t.certificates)):
        found[tuple(key)] += n
    return found


def _province(code):
    return db.session.scalar(select(Province).where(Province.code == code))


def test_the_tally_follows_every_change_of_the_registry(registry, app):
    with app.app_context():
        assert sum(_counted_directly().values()) == 7
        assert _tallied() == _counted_directly()
        # A paper certificate moved to another province: both provinces are counted again.
        paper = db.session.scalar(select(ImportedCertificate).order_by(ImportedCertificate.id))
        before = figures(Area(frozenset({paper.province_id})), Filters(), today_vn()).total
        paper.province_id = _province("01").id
        db.session.commit()
        assert _tallied() == _counted_directly()
        assert figures(Area(frozenset({_province("01").id})), Filters(), today_vn()).total == 1
        old_province = [p for p in db.session.scalars(select(Province)) if p.id != _province("01").id]
        assert before >= 1 and sum(
            figures(Area(frozenset(p.id for p in old_province)), Filters(), today_vn()).by_year_level.values()) == 6
        numbers = [paper.number]
    # A validity changed (expired → standing), then removed: counted again each time.
    set_valid_until(app, numbers, -3)
    with app.app_context():
        assert _tallied() == _counted_directly()
        assert figures(Area(None), Filters(), today_vn()).standing["expired"] == 2
    set_valid_until(app, numbers, None)
    with app.app_context():
        assert _tallied() == _counted_directly()
        # A full reindex counts the same from nothing.
        db.session.execute(delete(RegistryTally))
        reindex()
        db.session.commit()
        assert _tallied() == _counted_directly() and sum(_tallied().values()) == 7


def test_a_deleted_paper_certificate_leaves_the_tally(registry, app):
    with app.app_context():
        paper = db.session.scalar(select(ImportedCertificate).order_by(ImportedCertificate.id.desc()))
        db.session.delete(paper)
        db.session.commit()
        assert _tallied() == _counted_directly() and sum(_tallied().values()) == 6


@pytest.mark.xdist_group(demo_world.GROUP)
def test_the_demo_tally_is_the_count_of_its_certificates(app):
    """The demo issued, suspended, revoked and corrected certificates through the real operations."""
    tallied, counted, places = demo_world.snapshot(app, "registry_tally")
    assert sum(counted.values()) == 1009 and tallied == counted
    # The producers with several products, and by type and commune kind: as kept (the whole country, each
    # province, each region) and as counted from the certificates (a filter that keeps every one of them).
    (_, kept, recounted, kinds_kept, kinds_recounted), *narrower = places
    assert kept.count >= 1 and kept == recounted
    assert kinds_kept.total > 100 and kinds_kept == kinds_recounted
    assert len(narrower) == 34 + 3 and sum(1 for _, kept, *_ in narrower if kept.count) >= 5
    for place, kept, recounted, kinds_kept, kinds_recounted in narrower:
        assert (kept, kinds_kept) == (recounted, kinds_recounted), place


@demo_world.takes_snapshot("registry_tally")
def _demo_tally():
    everything = Filters(year_from=2000)
    areas = [("cả nước", Area(None))]
    areas += [(p.name, Area(frozenset({p.id}))) for p in db.session.scalars(select(Province).order_by(Province.code))]
    areas += [(r.name, Area(frozenset(p.id for p in r.provinces))) for r in db.session.scalars(select(Region))]
    places = [(name, several_products(area, Filters()), several_products(area, everything),
               distribution(area, Filters()), distribution(area, everything)) for name, area in areas]
    return _tallied(), _counted_directly(), places
