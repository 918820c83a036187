"""Seeding the demo: a failed seed leaves nothing behind, and its drawn files are reproducible.

Apart from tests/voting/test_demo.py, whose tests share one seeded database: these need an empty one.
"""
from pathlib import Path

import pytest

from voting.demo.seed import seed_demo
from voting.demo.files import DocumentSpec, document_pdf, product_photo
from voting.extensions import db


def test_a_failed_seed_leaves_no_files_behind(app, monkeypatch):
    import voting.demo.seed

    def broken(*args, **kwargs):
        raise RuntimeError("simulated failure")

    upload_dir = Path(app.config["UPLOAD_DIR"])
    before = {p for p in upload_dir.rglob("*") if p.is_file()}
    monkeypatch.setattr(voting.demo.seed, "reject_application", broken)
    with app.app_context():
        with pytest.raises(RuntimeError, match="simulated"):
            seed_demo()
        db.session.rollback()
    assert {p for p in upload_dir.rglob("*") if p.is_file()} == before


def test_demo_files_are_drawn_the_same_every_time():
    photo = product_photo.__wrapped__
    assert photo("Miến dong Na Rì", "mien_dong", "HTX", 2) == photo("Miến dong Na Rì", "mien_dong", "HTX", 2)
    assert photo("Miến dong Na Rì", "mien_dong", "HTX", 1) != photo("Miến dong Na Rì", "mien_dong", "HTX", 2)
    spec = DocumentSpec(issuer="Sở Công Thương", title="Giấy chứng nhận", lines=(("Tên", "Hợp tác xã"),))
    assert document_pdf.__wrapped__(spec) == document_pdf.__wrapped__(spec)
