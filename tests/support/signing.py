"""Signing keys and certificates inserted as issuance leaves them, for verification tests."""
import hashlib
import json
from datetime import date, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from certificates.rules.signing import generate_private_key, kid_for, make_token, public_key_b64
from tests.factories import make_entries, make_round
from voting import create_app
from voting.core.clock import today_vn
from voting.extensions import db
from voting.models import Decision, Role, User
from certificates.models import Certificate, KeyStatus, SigningKey

DIGEST = hashlib.sha256(b"facts").hexdigest()


ISSUED, EXPIRES = date(2026, 3, 2), date(2029, 3, 2)


@pytest.fixture
def certified(app, make_user):
    """A round with ``n`` accepted entries and a decision; returns ids for :func:`insert_certificate`."""

    def build(n=1):
        organiser = make_user(Role.ORGANISER)
        owners = [make_user() for _ in range(n)]
        with app.app_context():
            acting = db.session.get(User, organiser.id)
            round_ = make_round(acting)
            applications = make_entries(acting, [db.session.get(User, o.id) for o in owners], round_,
                                        ("2",) * n)
            decision = Decision(round_id=round_.id, meeting_on=today_vn(), members_present=5, votes_for=5,
                                votes_against=0, votes_abstain=0, carried=True, recorded_by_id=acting.id,
                                decision_number="12/QĐ-UBND", decision_on=today_vn())
            db.session.add(decision)
            db.session.commit()
            return {"round_id": round_.id, "authority_id": round_.authority_id, "decision_id": decision.id,
                    "applications": [a.id for a in applications]}

    return build


def register_signer(private_key=None):
    """Register a key in the current app context; returns ``(private_key, SigningKey)``."""
    private_key = private_key or generate_private_key()
    key = SigningKey(kid=kid_for(private_key.public_key()), public_key=public_key_b64(private_key),
                     status=KeyStatus.RETIRED)
    db.session.add(key)
    db.session.flush()
    return private_key, key


def insert_certificate(world, signer, sequence=1, application=0, status="valid", issued_on=None, expires_on=None,
           supersedes=None):
    """Insert a certificate signed by ``signer`` as issuance would; returns it."""
    private_key, key = signer
    issued_on = issued_on or today_vn() - timedelta(days=30)
    expires_on = expires_on or issued_on + timedelta(days=3 * 365)
    snapshot = {"product_name": f"Miến dong {sequence}", "producer_name": "HTX Na Rì", "province_name": "Thái Nguyên",
                "level_label": "cấp tỉnh", "year": 2026}
    facts = json.dumps(snapshot, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    digest = hashlib.sha256(facts.encode()).hexdigest()
    number = f"TNG-2026-{sequence:04d}"
    certificate = Certificate(
        number=number, authority_id=world["authority_id"], level="tinh", year=2026, sequence=sequence,
        round_id=world["round_id"], application_id=world["applications"][application],
        decision_id=world["decision_id"], snapshot=facts, digest=digest, issued_on=issued_on,
        expires_on=expires_on, status=status, reason="" if status in ("valid", "superseded") else "Lý do thử",
        reason_category="" if status in ("valid", "superseded") else "other", signing_key_id=key.id,
        token=make_token(private_key, key.kid, number, issued_on, expires_on, digest),
        supersedes_id=supersedes.id if supersedes else None)
    db.session.add(certificate)
    db.session.flush()
    return certificate


def offline_app(tmp_path, public_base_url=""):
    """An app whose database cannot be opened: what works here never touches it."""
    offline = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'absent' / 'db.sqlite3'}",
                          "PUBLIC_BASE_URL": public_base_url})
    with offline.app_context(), pytest.raises(OperationalError):
        db.session.execute(text("SELECT 1"))
    return offline
