"""One product from a provincial round up to the national round, with its dossier carried, never re-entered.

The nominating, listing and screening steps go through the organisers' pages
over HTTP; scoring and the council's decision use the same operations as
their own HTTP tests (tests/voting/test_results_ui.py, tests/test_scoring_*.py).
"""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.conftest import login
from tests.factories import deliberate
from tests.helpers import text_of
from tests.support.nominations import decide_and_certify, nominate_on_page, screen_all
from tests.support.certificates import PASSING
from certificates.models import Certificate
from voting.core.clock import today_vn
from voting.extensions import db
from voting.models import (
    Application,
    ApplicationStatus,
    IssuingAuthority,
    Nomination,
    Product,
    ProductFile,
    Producer,
    Role,
    User,
)
from voting.operations.rounds import create_round, open_registration


@pytest.fixture(autouse=True)
def _generous_login_limit(app, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "1000 per minute")


def _national_round(app, make_user):
    user = make_user(Role.ORGANISER, jurisdiction="quoc_gia")
    with app.app_context():
        organiser = db.session.get(User, user.id)
        authority = db.session.scalar(select(IssuingAuthority).where(
            IssuingAuthority.jurisdiction_level == "quoc_gia"))
        today = today_vn()
        round_ = create_round(organiser, {
            "title": f"Bình chọn sản phẩm CNNT tiêu biểu cấp quốc gia năm {today.year}", "year": today.year,
            "registration_opens_on": today - timedelta(days=3),
            "registration_closes_on": today + timedelta(days=40)}, authority)
        open_registration(organiser, round_)
        db.session.commit()
        return round_.id, user


def _dossier_rows(app):
    with app.app_context():
        return tuple(db.session.scalar(select(func.count(model.id))) for model in (Producer, Product, ProductFile))


def test_an_entry_goes_from_province_to_region_to_nation_without_re_entry(
        app, client, make_user, provincial, regional_round):
    regional_id, regional_organiser = regional_round()
    national_id, national_organiser = _national_round(app, make_user)
    chosen = provincial.application_ids[:2]
    with app.app_context():
        products = {db.session.get(Application, i).product_id for i in chosen}
        provincial_numbers = set(db.session.scalars(select(Certificate.number).where(
            Certificate.application_id.in_(chosen))))
    dossier_before = _dossier_rows(app)

    # 1. The province nominates its two certified entries to its region's round.
    login(client, provincial.organiser.email)
    assert "Đã đề cử 2 sản phẩm" in nominate_on_page(client, provincial.round_id, regional_id, chosen)

    # 2. The region reads the danh sách trích ngang and screens the entries like any dossier.
    region = app.test_client()
    login(region, regional_organiser.email)
    listing = text_of(region.get(f"/organiser/rounds/{regional_id}/nominations"))
    assert all(number in listing for number in provincial_numbers)
    with app.app_context():
        regional_entries = [n.target_application_id for n in db.session.scalars(
            select(Nomination).where(Nomination.target_round_id == regional_id).order_by(Nomination.id))]
    screen_all(region, regional_id, regional_entries)

    # 3. The region's council scores and decides; its certificates are issued.
    hall = deliberate(app, make_user, regional_organiser, regional_id, regional_entries, [PASSING] * 2)
    decide_and_certify(app, hall, regional_organiser.id)

    # 4. The region nominates its certified entries to the national round.
    assert "Đã đề cử 2 sản phẩm" in nominate_on_page(region, regional_id, national_id, regional_entries)
    nation = app.test_client()
    login(nation, national_organiser.email)
    national_list = text_of(nation.get(f"/organiser/rounds/{national_id}/nominations"))

    with app.app_context():
        regional_numbers = set(db.session.scalars(select(Certificate.number).where(
            Certificate.application_id.in_(regional_entries))))
        national_entries = db.session.scalars(select(Application).where(
            Application.round_id == national_id)).all()
        assert {e.product_id for e in national_entries} == products
        assert {e.status for e in national_entries} == {ApplicationStatus.SUBMITTED}
        # The provincial certificates stay valid and point up to the regional ones, and back.
        from certificates.rules.lineage import higher_certificates, lower_certificate
        from tests.helpers import counted_queries

        for number in provincial_numbers:
            lower = db.session.scalar(select(Certificate).where(Certificate.number == number))
            assert lower.status == "valid"
            with counted_queries(db.engine) as statements:
                (link,) = higher_certificates(lower)
            assert len(statements) == 1, statements  # the nominations and their certificates together (was 2)
            assert link.number in regional_numbers and link.level == "khu_vuc"
            assert lower_certificate(link.certificate).number == number
    assert all(number in national_list for number in regional_numbers)
    # Nothing of the dossier was typed in again: no producer, product or file row was added.
    assert _dossier_rows(app) == dossier_before

    # The scanned provincial certificate shows where the product went next.
    with app.app_context():
        token = db.session.scalar(select(Certificate.token).where(Certificate.number == sorted(provincial_numbers)[0]))
    page = text_of(client.get(f"/v/{token}"))
    assert "Công nhận cấp cao hơn" in page and any(number in page for number in regional_numbers)
