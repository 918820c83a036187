"""The shared worlds (tests/support/world_cache.py): a copy is the build, and nothing is shared that may differ."""
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.factories import make_complete_product, make_producer
from tests.support.world_cache import WORLD_COUNTS, WorldCache, shared_world
from voting.extensions import db
from voting.models import Product, ProductFile, Role, User


@shared_world
def _producer_with_a_product(app, make_user, name):
    owner = make_user()
    organiser = make_user(Role.ORGANISER)
    with app.app_context():
        user = db.session.get(User, owner.id)
        product = make_complete_product(user, make_producer(user), name=name)
        db.session.commit()
        return {"owner": owner, "organiser": organiser, "product_id": product.id}


@pytest.fixture
def worlds(app, make_user, world_cache):
    """A cache of this test's own, so that what the worker built before does not count."""
    make_user.worlds = WorldCache(app, world_cache.tables, world_cache.empty, world_cache.reference)
    if not make_user.worlds.enabled:
        pytest.skip("shared worlds are kept on SQLite only: on PostgreSQL, whose ids never repeat, every test "
                    "builds its own (or TEST_WORLD_CACHE=0 is set)")
    return make_user.worlds


def _rows(cache):
    with cache.app.app_context():
        rows = {t.name: [tuple(r) for r in db.session.execute(t.select())] for t in cache.tables}
        db.session.remove()
    return {name: found for name, found in rows.items() if found}


def _next_test(app, cache, make_user, start):
    """Leave the database as a new test finds it, and the ``make_user`` counter where it was."""
    with app.app_context():
        cache.empty()
        db.session.commit()
    make_user.counter["n"] = start


def _photo_paths(app, product_id):
    with app.app_context():
        names = db.session.scalars(select(ProductFile.storage_name).where(ProductFile.product_id == product_id)).all()
    return [Path(app.config["UPLOAD_DIR"]) / name for name in names]


def test_the_same_world_asked_again_is_a_copy_of_the_build(app, make_user, worlds, runner):
    start = make_user.counter["n"]
    before = dict(WORLD_COUNTS)
    built = _producer_with_a_product(app, make_user, "Miến dong")
    built_rows, after_build = _rows(worlds), make_user.counter["n"]
    photos = _photo_paths(app, built["product_id"])
    photos[0].unlink()  # a test that deleted a stored file: the copy puts it back

    _next_test(app, worlds, make_user, start)
    copied = _producer_with_a_product(app, make_user, "Miến dong")

    assert WORLD_COUNTS["built"] - before.get("built", 0) == 1
    assert WORLD_COUNTS["copied"] - before.get("copied", 0) == 1
    assert _rows(worlds) == built_rows
    assert copied["product_id"] == built["product_id"] and copied["owner"] is not built["owner"]
    assert (copied["owner"].email, copied["organiser"].email) == (built["owner"].email, built["organiser"].email)
    assert make_user.counter["n"] == after_build  # the next user made gets a new address
    assert all(path.is_file() for path in photos)
    verified = runner.invoke(args=["audit", "verify"])  # the checkpoints' file matches the copied chain
    assert verified.exit_code == 0 and "Audit chain OK" in verified.output, verified.output
    third = make_user()
    with app.app_context():
        assert db.session.get(User, third.id).email == third.email
        assert db.session.scalar(select(Product.name).where(Product.id == copied["product_id"])) == "Miến dong"


def test_other_arguments_or_another_starting_point_build_again(app, make_user, worlds):
    start = make_user.counter["n"]
    before = dict(WORLD_COUNTS)
    _producer_with_a_product(app, make_user, "Miến dong")
    _next_test(app, worlds, make_user, start)
    _producer_with_a_product(app, make_user, "Chè Tân Cương")  # other arguments
    _next_test(app, worlds, make_user, start)
    make_user(Role.ADMIN)  # a row the first build did not start from
    _producer_with_a_product(app, make_user, "Miến dong")
    assert WORLD_COUNTS["built"] - before.get("built", 0) == 3
    assert WORLD_COUNTS["copied"] - before.get("copied", 0) == 0


def test_a_test_that_replaced_code_builds_its_own(app, make_user, worlds, monkeypatch):
    start = make_user.counter["n"]
    _producer_with_a_product(app, make_user, "Miến dong")
    _next_test(app, worlds, make_user, start)
    before = dict(WORLD_COUNTS)
    monkeypatch.setattr("tests.factories.DESCRIPTION", "Mô tả khác của sản phẩm, đủ dài để lưu được.")
    made = _producer_with_a_product(app, make_user, "Miến dong")
    assert WORLD_COUNTS["not shared"] - before.get("not shared", 0) == 1
    assert WORLD_COUNTS["copied"] == before.get("copied", 0)
    with app.app_context():
        assert db.session.get(Product, made["product_id"]).description.startswith("Mô tả khác")


def test_a_changed_setting_is_another_world(app, make_user, worlds, monkeypatch):
    start = make_user.counter["n"]
    _producer_with_a_product(app, make_user, "Miến dong")
    _next_test(app, worlds, make_user, start)
    before = dict(WORLD_COUNTS)
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "1000 per minute")  # held by the key: still shared
    _producer_with_a_product(app, make_user, "Miến dong")
    assert WORLD_COUNTS["built"] - before.get("built", 0) == 1
    assert WORLD_COUNTS["copied"] == before.get("copied", 0)
