"""Set-up for the benchmarks: a fresh migrated SQLite database and rounds ready to issue.

Rows are inserted in bulk through the models, since the set-up is not what is
measured; but each round ends where the real operations leave one (compare
``tests/certificates/test_certificates.py::certify``): decided, its decision carried, numbered
and published with one ``DecisionEntry`` per certified entry, the complaint
window closed, an issuing authority, and the platform's signing key registered.
Names and addresses come from the demo data, so that certificates are as long
as real ones (a few names are long enough to be set smaller).
"""
import itertools
import logging
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from certificates.operations.issuance import issuance_problems
from certificates.operations.keys import register_key
from certificates.rules.signing import generate_private_key, public_key_b64, write_private_key
from voting import create_app
from voting.core.clock import today_vn
from voting.demo.data import PRODUCERS
from voting.extensions import db
from voting.models import (
    Application,
    ApplicationStatus,
    Commune,
    Decision,
    DecisionEntry,
    DecisionTally,
    IssuingAuthority,
    Producer,
    Product,
    ProductGroup,
    Province,
    Role,
    Round,
    RoundStatus,
    StepOrder,
    User,
)
from voting.models.base import utcnow
from voting.operations.accounts import create_staff_account
from voting.operations.reference import load_reference_data
from voting.core.text import fold
from voting.rules.tally import entry_key, tally_rows
from voting.rules.commitments import CURRENT_VERSION

PROVINCE_CODE = "19"  # Thái Nguyên
ORGANISER_EMAIL = "organiser@bench.cnnt.vn"
#: Product kinds of the demo data -> product group (1 crafts, 2 food, 3 machinery, 4 other).
GROUPS = {"gom": "1", "may_tre": "1", "may_nn": "3", "tam_lop": "4", "my_pham": "4"}
_SERIALS = itertools.count(1)


def settings_for(folder):
    """App settings for a benchmark database, certificate store and signing key under ``folder``."""
    folder = Path(folder)
    return {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite3'}",
            "CERTIFICATE_DIR": str(folder / "certificates"), "UPLOAD_DIR": str(folder / "uploads"),
            "SIGNING_KEY_FILE": str(folder / "keys" / "signing-key.pem"),
            "AUDIT_CHECKPOINT_FILE": str(folder / "audit-checkpoints.log"),
            "PUBLIC_BASE_URL": "https://cnnt.example.vn", "SECRET_KEY": "bench-only-not-secret"}


def create_database(settings):
    """Migrate a new database, load the reference data, register a signing key and an organiser.

    Returns the app and the organiser's id (the acting user of every issuance).
    """
    from flask_migrate import upgrade

    app = create_app(settings)
    with app.app_context():
        logging.disable(logging.INFO)  # Alembic announces every migration
        try:
            upgrade()
        finally:
            logging.disable(logging.NOTSET)
        load_reference_data()
        private_key = generate_private_key()
        write_private_key(private_key, settings["SIGNING_KEY_FILE"])
        register_key(None, public_key_b64(private_key))
        province = db.session.scalar(select(Province).where(Province.code == PROVINCE_CODE))
        organiser, _ = create_staff_account(None, email=ORGANISER_EMAIL, full_name="Cán bộ đo hiệu năng",
                                            role=Role.ORGANISER, jurisdiction_level="tinh", province=province)
        db.session.commit()
        return app, organiser.id


def day_in(year):
    """Today's date moved back to ``year`` (None: today), so that a past round's dates fall in its year."""
    today = today_vn()
    return today if year is None else today - timedelta(days=round(365.25 * (today.year - year)))


def make_certified_round(organiser_id, entries, title, year=None):
    """A decided round whose published decision certifies ``entries`` entries, its window closed; its id.
    A round of an earlier ``year`` was decided in that year, as long before today."""
    today = day_in(year)
    organiser = db.session.get(User, organiser_id)
    authority = db.session.scalar(select(IssuingAuthority).where(
        IssuingAuthority.province_id == organiser.province_id, IssuingAuthority.jurisdiction_level == "tinh"))
    communes = db.session.scalars(select(Commune).where(Commune.province_id == organiser.province_id)
                                  .order_by(Commune.code)).all()
    round_ = Round(title=title, year=today.year, jurisdiction_level="tinh", province_id=organiser.province_id,
                   authority=authority, status=RoundStatus.DECIDED, created_by_id=organiser.id,
                   step_order=StepOrder.DECIDE_FIRST,  # decided on day -35, published on day -34
                   registration_opens_on=today - timedelta(days=120),
                   registration_closes_on=today - timedelta(days=90), status_changed_at=utcnow())
    codes = itertools.count(1)
    applications = [_entry(round_, organiser, index, communes, codes) for index in range(entries)]
    province = db.session.get(Province, organiser.province_id)
    groups = {g.code: g.name for g in db.session.scalars(select(ProductGroup))}
    scores = {application: Decimal(95) - Decimal(rank) / 100 for rank, application in enumerate(applications, start=1)}
    decision = Decision(
        round=round_, sequence=1, meeting_on=today - timedelta(days=40), meeting_place="Trụ sở UBND tỉnh",
        members_present=5, votes_for=5, votes_against=0, votes_abstain=0, carried=True,
        recorded_by_id=organiser.id, decision_number=f"{next(_SERIALS)}/QĐ-UBND",
        decision_on=today - timedelta(days=35), signer_name="Nguyễn Văn Bình",
        signer_capacity="kt", signer_head_title="Chủ tịch", signer_title="Phó Chủ tịch", decided_by_id=organiser.id,
        published_at=utcnow() - timedelta(days=34), complaints_close_on=today - timedelta(days=19),
        entries=[DecisionEntry(application=application, rank=rank, score=scores[application],
                               entry_code=application.entry_code, product_name=application.product.name,
                               producer_name=application.producer.name, province_name=province.name,
                               group_code=application.product.group_code,
                               group_name=groups[application.product.group_code])
                 for rank, application in enumerate(applications, start=1)],
        # As the vote tallies them; every entry passed (the set-up scores none below the pass mark).
        tallies=[DecisionTally(**row) for row in tally_rows({a: entry_key(a) for a in applications}, set(applications),
                                                             scores)])
    db.session.add_all([round_, decision, *applications])
    db.session.commit()
    problems = issuance_problems(round_, today)
    if problems or round_.authority is None:
        raise RuntimeError(f"benchmark round {round_.id} cannot be issued: {problems or 'no authority'}")
    return round_.id


def _entry(round_, organiser, index, communes, codes):
    """One accepted entry: a producer of the demo data (in the round's province) and one of its products."""
    _, type_code, name, _, address, representative, products = PRODUCERS[index % len(PRODUCERS)]
    kind, product_name = products[(index // len(PRODUCERS)) % len(products)][:2]
    serial = next(_SERIALS)
    producer = Producer(name=name, name_folded=fold(name), type_code=type_code,
                        registration_number=f"47{serial:08d}", province_id=round_.province_id,
                        commune_id=communes[index % len(communes)].id, address=address,
                        representative=representative, phone=f"09{serial:08d}", email=f"coso{serial}@example.vn",
                        publish_address=index % 2 == 0, consent_recorded_at=utcnow())
    product = Product(producer=producer, name=product_name, name_folded=fold(product_name),
                      group_code=GROUPS.get(kind, "2"), description="Sản phẩm dùng cho đo hiệu năng.")
    now = utcnow()
    return Application(round=round_, product=product, producer=producer, status=ApplicationStatus.ACCEPTED,
                       entry_code=f"{product.group_code}.{next(codes):03d}", submitted_at=now - timedelta(days=95),
                       commitments=CURRENT_VERSION, commitments_given_at=now - timedelta(days=95),
                       decided_at=now - timedelta(days=89), decided_by_id=organiser.id)
