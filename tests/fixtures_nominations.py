"""Fixtures for nominations: a certified provincial round and regional rounds above it.

Loaded for every test module through ``pytest_plugins`` in conftest.py.
"""
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.support.certificates import certify_and_issue
from voting.core.clock import today_vn
from voting.extensions import db
from voting.models import IssuingAuthority, Province, Region, Role, User
from voting.operations.rounds import create_round, open_registration

THAI_NGUYEN = "19"


@pytest.fixture
def provincial(app, make_user, signer):
    """A Thái Nguyên round with two certified entries (certificates issued) and one that failed."""
    hall, _ = certify_and_issue(app, make_user, entries=2, failing=1)
    return hall


@pytest.fixture
def regional_round(app, make_user):
    """Return a function building a regional round, as that region's organiser (the Cục)."""

    def build(province_code=THAI_NGUYEN, open_=True):
        user = make_user(Role.ORGANISER, jurisdiction="khu_vuc")
        with app.app_context():
            organiser = db.session.get(User, user.id)
            organiser.region_id = db.session.scalar(
                select(Province.region_id).where(Province.code == province_code))
            authority = db.session.scalar(select(IssuingAuthority).where(
                IssuingAuthority.jurisdiction_level == "khu_vuc"))
            region = db.session.get(Region, organiser.region_id)
            today = today_vn()
            round_ = create_round(organiser, {
                "title": f"Bình chọn sản phẩm CNNT tiêu biểu {region.name} năm {today.year}", "year": today.year,
                "registration_opens_on": today - timedelta(days=5),
                "registration_closes_on": today + timedelta(days=25)}, authority)
            if open_:
                open_registration(organiser, round_)
            db.session.commit()
            return round_.id, user

    return build
