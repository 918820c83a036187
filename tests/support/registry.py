"""The public registry's data: imported paper certificates, their validity, and the pages' JSON-LD."""
import datetime
import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from voting.core.clock import today_vn
from voting.extensions import db
from voting.documents.import_workbook import COLUMNS
from voting.models import User
from certificates.models import ImportedCertificate
from certificates.operations.past_imports import import_certificates

JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def json_ld(body):
    scripts = JSON_LD.findall(body)
    assert len(scripts) == 1
    return scripts[0], json.loads(scripts[0])


DECIDED = datetime.date(2024, 3, 1)


#: number, product, producer, province as printed, group, expired?
ROWS = [
    ("MD-1", "Miến dong", "HTX Miến dong Na Rì", "Bắc Kạn", 1, False),
    ("CP-1", "Cà phê bột nguyên chất", "Công ty Cà phê Buôn Ma Thuột", "Đắk Lắk", 1, False),
    ("HB-1", "Mật ong Hoà Bình", "HTX Ong Mộc Châu", "Sơn La", 1, False),
    ("HB-2", "Gạo Hòa Bình", "Cơ sở Gạo Lạc Sơn", "Phú Thọ", 1, False),
    ("HB-3", "Cam Cao Phong", "HTX Cam Cao Phong", "Hòa Bình", 1, False),
    ("EX-1", "Miến dong Hoàng Nguyên", "Cơ sở Hoàng Nguyên", "Thái Nguyên", 1, True),
    ("CS-1", "Chè Shan tuyết cổ thụ", "HTX Chè Hà Giang", "Hà Giang", 2, False),
]


@pytest.fixture
def registry(app):
    header = [c.header for c in COLUMNS]
    body = []
    for number, product, producer, province, group, _expired in ROWS:
        values = {"number": number, "level": "Cấp tỉnh", "year": 2024, "decision_number": f"{number}/QĐ-UBND",
                  "decision_on": DECIDED, "authority_name": "Ủy ban nhân dân tỉnh", "product_name": product,
                  "group": group, "producer_name": producer, "province": province,
                  "valid_until": datetime.date(2025, 3, 1)}
        body.append([values[c.key] for c in COLUMNS])
    with app.app_context():
        report = import_certificates(None, [header, *body], "registry.xlsx", today_vn())
        assert report.ok, report.problems[:5]
        db.session.commit()
        expired = {r[0] for r in ROWS if r[5]}
        for record in db.session.scalars(select(ImportedCertificate)):
            record.valid_until = today_vn() - datetime.timedelta(days=10) if record.number in expired \
                else today_vn() + datetime.timedelta(days=365)
        db.session.commit()


SAMPLE = Path(__file__).resolve().parents[2] / "data/samples/chung-nhan-lich-su.xlsx"


REGIONAL = [f"KV-2024-00{n}" for n in range(1, 8)]


def import_sample(app, actor_id=None):

    with app.app_context():
        actor = db.session.get(User, actor_id) if actor_id else None
        report = import_certificates(actor, SAMPLE.read_bytes(), "chung-nhan-lich-su.xlsx", today_vn())
        assert report.ok, report.problems[:5]
        db.session.commit()
        return report.imported


def set_valid_until(app, numbers, days):
    with app.app_context():
        for record in db.session.scalars(select(ImportedCertificate).where(ImportedCertificate.number.in_(numbers))):
            record.valid_until = None if days is None else today_vn() + timedelta(days=days)
        db.session.commit()
