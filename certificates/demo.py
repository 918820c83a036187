"""The certificates' part of the demo: certificates in the states people meet, and the paper history.

Last year's published Thái Nguyên round gets its certificates the day after its
complaint window closed; then one is suspended, one revoked and one corrected
(its first copy superseded). A small Khánh Hòa round of four years ago,
certified then, shows expired certificates. The signing key is the
development key file, created on first use. The paper certificates of past national and regional
rounds (:mod:`voting.demo.history` draws them) are imported as an administrator would.

``certificates.init_app`` registers :func:`seed_certificates` and :func:`seed_history` as the demo's
"certificates" and "history" parts (:func:`voting.demo.register_part`); the demo seeds them in its order.
"""
import random
from collections import Counter
from datetime import timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from certificates.operations.issuance import issue_entries
from certificates.operations.lifecycle import correct_certificate, revoke_certificate, suspend_certificate
from certificates.operations.keys import register_key
from certificates.models import SigningKey
from certificates.operations.past_imports import import_certificates
from certificates.rules.signing import generate_private_key, load_private_key, public_key_b64, write_private_key
from voting.demo.certified_round import certify_round, provincial_signer
from voting.demo.history import history_rows
from voting.extensions import db
from voting.models import Decision, FormerProvince, IssuingAuthority, Role, Round

SUSPENDED, REVOKED, CORRECTED = 5, 6, 3  # positions on the decision's list
#: How many years back the Khánh Hòa round whose certificates have expired was held.
EXPIRED_YEARS_AGO = 4


def ensure_signing_key():
    """The configured key file (created if missing) with its public key registered as active."""
    path = Path(current_app.config["SIGNING_KEY_FILE"])
    if not path.exists():
        write_private_key(generate_private_key(), path)
    public = public_key_b64(load_private_key(path))
    if db.session.scalar(select(SigningKey).where(SigningKey.public_key == public)) is None:
        register_key(None, public)
        db.session.flush()


def ensure_demo_signers(authorities):
    """In development, sign the demo's certificates as an authority that signs on the server would: the demo's CA
    (:mod:`voting.demo.pki`, beside the signing key), made on the first run for ``authorities``, and loaded here. Elsewhere, or where
    ``DOCUMENT_SIGNERS_FILE`` names the administrator's own file, nothing changes."""
    from config import demo_signers_file
    from voting.core.pades.settings import read_settings
    from voting.demo.pki import build_demo_pki

    path = demo_signers_file(current_app.config["SIGNING_KEY_FILE"])
    configured = current_app.config.get("DOCUMENT_SIGNERS_FILE")
    if current_app.config["ENV_NAME"] != "development" or configured not in (None, str(path)):
        return
    if not path.is_file():
        build_demo_pki(path.parent, sorted({(a.code, a.name) for a in authorities}))
    current_app.config["DOCUMENT_SIGNERS_FILE"] = str(path)
    current_app.extensions["pades"] = read_settings(path)


def seed_expired_round(users, today):
    """A small Khánh Hòa round of four years ago, decided, published and certified then: its
    certificates (36 months) have expired since. Every step runs through the operations with the
    dates of that year."""
    from voting.models import Application, ApplicationStatus

    year = today.year - EXPIRED_YEARS_AGO
    organiser = next(u for u in users if u.role == Role.ORGANISER and u.province and u.province.code == "56")
    jurors = [u for u in users if u.role == Role.JUROR]
    products = list(dict.fromkeys(a.product for a in db.session.scalars(  # a product may be in several rounds
        select(Application).join(Round).where(Round.province_id == organiser.province_id,
                                              Application.status == ApplicationStatus.ACCEPTED)
        .order_by(Application.id)).all()))[:3]
    _round, certificates = certify_round(organiser, jurors, products, year, provincial_signer("Trần Văn Hải"),
                                         f"{year % 100 + 1500}/QĐ-UBND")
    return certificates


def seed_certificates(users, today):
    """Issue the published round's certificates and give a few of them a history; return counts."""
    ensure_signing_key()
    decision = db.session.scalar(select(Decision).where(Decision.published_at.is_not(None))
                                 .order_by(Decision.id.desc()).limit(1))
    ensure_demo_signers(db.session.scalars(select(IssuingAuthority).where(IssuingAuthority.jurisdiction_level == "tinh")))
    expired = seed_expired_round(users, today)
    round_ = db.session.get(Round, decision.round_id)
    organiser = next(u for u in users if u.role == Role.ORGANISER and u.province_id == round_.province_id)
    issued_on = decision.complaints_close_on + timedelta(days=1)
    certificates = issue_entries(organiser, round_, [e.application for e in decision.entries], issued_on)
    suspend_certificate(organiser, certificates[SUSPENDED], "quality_violation",
                        "Đoàn kiểm tra của Sở phát hiện lô hàng không đạt chỉ tiêu độ ẩm; tạm đình chỉ chờ kết quả "
                        "kiểm nghiệm lại.")
    revoke_certificate(organiser, certificates[REVOKED], "producer_request",
                       "Cơ sở đề nghị thu hồi vì đã ngừng sản xuất sản phẩm này.")
    product = certificates[CORRECTED].application.product.name
    correct_certificate(organiser, certificates[CORRECTED], {"product_name": f"{product} (hũ thủy tinh 500 g)"},
                        issued_on + timedelta(days=20), "Bổ sung quy cách đóng gói theo đề nghị của cơ sở.")
    db.session.flush()
    return {"certificates": len(certificates) + 1 + len(expired)}


def seed_history(users, today):
    """Import the four files of :mod:`voting.demo.history` as the demo administrator; return
    ``{"imported_certificates": n}``.

    :raise RuntimeError: if the import refuses a row (the generated data has a fault).
    """
    admin = next(u for u in users if u.role == Role.ADMIN)
    former = db.session.execute(select(FormerProvince.name, FormerProvince.former_region_code)
                                .order_by(FormerProvince.code)).all()
    imported = Counter()
    for file_name, rows in history_rows([tuple(f) for f in former], random.Random(2019)):
        report = import_certificates(admin, rows, file_name, today)
        if not report.ok:
            raise RuntimeError(f"demo history {file_name}: {report.problems[:3]}")
        imported.update(report.by_level)
    db.session.flush()
    return {"imported_certificates": sum(imported.values())}


def init_demo(app):
    """Hand the demo this package's parts (``certificates.init_app`` calls this)."""
    from voting.demo import register_part

    register_part(app, "certificates", seed_certificates)
    register_part(app, "history", seed_history)
