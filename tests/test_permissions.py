"""The SQL-scoped lists of voting.rules.permissions agree with their one-object predicates.

Every shape of jurisdiction an organiser can hold (national, every region, one region,
a province, a commune) against rounds and authorities of every shape: the list query
must return exactly the rows the Python predicate accepts, in the same order.
"""
from datetime import timedelta

import pytest
from sqlalchemy import select

from voting.core.clock import today_vn
from voting.extensions import db
from voting.models import Commune, IssuingAuthority, Province, Region, Role, Round
from certificates.models import SuspectedFakeReport
from voting.operations.accounts import create_staff_account, set_jurisdiction
from voting.operations.rounds import create_round
from certificates.rules.permissions import can_handle_report, reports_visible_to
from voting.rules.permissions import (
    authorities_managed_by,
    can_manage_round,
    jurisdiction_contains,
    rounds_managed_by,
)


def _place(province_code):
    province = db.session.scalar(select(Province).where(Province.code == province_code))
    commune = db.session.scalar(select(Commune).where(Commune.province_id == province.id).order_by(Commune.id))
    return province, commune


@pytest.fixture
def users(app_ctx):
    """Organisers of every jurisdiction shape in two regions, a juror and an administrator, with a round each."""
    north, south = _place("19"), _place("79")  # Thái Nguyên, Thành phố Hồ Chí Minh: different regions
    assert north[0].region_id != south[0].region_id
    shapes = [("quoc_gia", {}), ("khu_vuc", {})]
    for province, commune in (north, south):
        shapes += [("khu_vuc", {"region": db.session.get(Region, province.region_id)}),
                   ("tinh", {"province": province}),
                   ("xa", {"province": province, "commune": commune})]
    organisers = []
    for number, (level, place) in enumerate(shapes):
        user, _ = create_staff_account(None, email=f"o{number}@example.vn", full_name="Cán bộ",
                                       role=Role.ORGANISER, jurisdiction_level=level, **place)
        organisers.append(user)
        today = today_vn()
        create_round(user, {"title": f"Đợt {number}", "year": today.year - number % 3,
                            "registration_opens_on": today, "registration_closes_on": today + timedelta(days=9)},
                     None)
    for number, (level, place) in enumerate(shapes[2:]):  # each narrower shape, beside the seeded ones
        authority = IssuingAuthority(code=f"T-{number}", name=f"Cơ quan {number}",
                                     jurisdiction_level=level, place_name="—")
        set_jurisdiction(authority, level, place.get("region"), place.get("province"), place.get("commune"))
        db.session.add(authority)
    others = [create_staff_account(None, email=f"{role}@example.vn", full_name="Cán bộ", role=role)[0]
              for role in (Role.JUROR, Role.ADMIN)]
    db.session.flush()
    return organisers + others


def test_rounds_managed_by_is_can_manage_round_in_sql(users):
    every_round = db.session.scalars(select(Round).order_by(Round.year.desc(), Round.id.desc())).all()
    for user in users:
        expected = [r.id for r in every_round if can_manage_round(user, r)]
        assert [r.id for r in db.session.scalars(rounds_managed_by(user))] == expected, user.jurisdiction_level
    assert any(len(db.session.scalars(rounds_managed_by(u)).all()) not in (0, len(every_round)) for u in users)


def test_authorities_managed_by_are_those_of_the_organisers_level_within_reach(users):
    for user in users:
        same_level = db.session.scalars(select(IssuingAuthority).where(
            IssuingAuthority.jurisdiction_level == user.jurisdiction_level,
            IssuingAuthority.active.is_(True)).order_by(IssuingAuthority.name)).all()
        expected = [a.id for a in same_level if jurisdiction_contains(user, a)] if user.role == Role.ORGANISER else []
        assert [a.id for a in db.session.scalars(authorities_managed_by(user))] == expected, user.jurisdiction_level


def test_reports_visible_to_are_those_can_handle_report_allows(users):
    for authority in db.session.scalars(select(IssuingAuthority)).all() + [None]:
        db.session.add(SuspectedFakeReport(authority_id=authority.id if authority else None, description="Nghi giả"))
    db.session.flush()
    every_report = db.session.scalars(select(SuspectedFakeReport).order_by(
        SuspectedFakeReport.created_at.desc(), SuspectedFakeReport.id.desc())).all()
    for user in users:
        expected = [r.id for r in every_report if can_handle_report(user, r)]
        assert [r.id for r in db.session.scalars(reports_visible_to(user))] == expected, user.jurisdiction_level
