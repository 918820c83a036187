"""The eligibility rules that exist now, in the one function later issues extend."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.factories import make_complete_product, make_producer, make_round
from voting.core.clock import today_vn
from voting.rules.eligibility import application_problems, dossier_missing
from voting.extensions import db
from voting.models import Region, RoundStatus, User
from voting.operations.accounts import set_jurisdiction
from voting.operations.applications import start_application, withdraw_application


@pytest.fixture
def world(app, make_user):
    owner = make_user("producer")
    organiser = make_user("organiser", province_code="19")
    with app.app_context():
        owner_user = db.session.get(User, owner.id)
        organiser_user = db.session.get(User, organiser.id)
        producer = make_producer(owner_user)
        product = make_complete_product(owner_user, producer)
        round_ = make_round(organiser_user)
        db.session.commit()
        yield {"owner": owner_user, "organiser": organiser_user, "producer": producer, "product": product,
               "round": round_}


def problems(w, today=None):
    return application_problems(w["producer"], w["product"], w["round"], today or today_vn())


def test_a_complete_product_in_the_province_is_eligible(world):
    assert problems(world) == []
    assert dossier_missing(world["producer"], world["product"]) == []


def test_before_and_after_the_window(world):
    round_ = world["round"]
    assert "round_not_open" in problems(world, round_.registration_opens_on - timedelta(days=1))
    assert "round_not_open" in problems(world, round_.registration_closes_on + timedelta(days=1))
    assert "round_not_open" not in problems(world, round_.registration_closes_on)


def test_a_draft_round_is_not_open(world):
    world["round"].status = RoundStatus.DRAFT
    assert "round_not_open" in problems(world)


def test_outside_the_province(world):
    from tests.factories import commune_in

    world["producer"].province_id = commune_in("56").province_id
    world["producer"].commune_id = commune_in("56").id
    assert "outside_jurisdiction" in problems(world)


def test_commune_round_needs_the_same_commune(world, app):
    from tests.factories import commune_in

    round_ = world["round"]
    set_jurisdiction(round_, "xa", commune=commune_in("19", index=5))
    assert "outside_jurisdiction" in problems(world)
    set_jurisdiction(round_, "xa", commune=world["producer"].commune)
    assert "outside_jurisdiction" not in problems(world)


@pytest.mark.parametrize("level", ["khu_vuc", "quoc_gia"])
def test_regional_and_national_rounds_take_nominations_only(world, level):
    region = db.session.scalar(select(Region).where(Region.code == "bac"))
    set_jurisdiction(world["round"], level, region=region)
    found = problems(world)
    assert "nomination_only" in found
    assert "outside_jurisdiction" not in found


def test_only_own_products(world, app):
    other_owner = db.session.get(User, world["owner"].id)
    other = make_producer(other_owner, name="Hộ kinh doanh khác", registration_number="4700999999")
    assert "not_own_product" in application_problems(other, world["product"], world["round"], today_vn())


def test_applying_twice_and_after_withdrawal(world):
    application = start_application(world["owner"], world["producer"], world["product"], world["round"], today_vn())
    assert "already_applied" in problems(world)
    withdraw_application(world["owner"], application)
    assert "already_applied" not in problems(world)


def test_checklist_names_what_is_missing(world):
    product = world["product"]
    product.description = "ngắn"
    for photo in product.photos[:1]:
        product.files.remove(photo)
    product.is_set = True
    world["producer"].representative = ""
    assert dossier_missing(world["producer"], product) == ["profile", "description", "photos", "set_items"]
