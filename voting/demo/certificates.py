"""Demo certificates in the states people meet.

Last year's published Thái Nguyên round gets its certificates the day after its
complaint window closed; then one is suspended, one revoked and one corrected
(its first copy superseded). A small Khánh Hòa round of four years ago,
certified then, shows expired certificates. The signing key is the
development key file, created on first use.
"""
from datetime import timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from certificates.issuance import _check_can_issue, _issue_batch, _start_certifying, correct_certificate, \
    revoke_certificate, suspend_certificate
from certificates.keys import current_signer, register_key
from certificates.signing import generate_private_key, load_private_key, public_key_b64, write_private_key
from voting.extensions import db
from voting.models import Decision, Role, Round
from certificates.models import SigningKey

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
    _round, certificates = certify_round(organiser, jurors, products, year, ("Trần Văn Hải", "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"),
                                         f"{year % 100 + 1500}/QĐ-UBND")
    return certificates


def _even_points(entry_index, juror_index, criterion):
    return str(criterion.max_points * (8 + entry_index % 2) / 10)


def certify_round(organiser, jurors, products, year, signer, decision_number, points=_even_points):
    """Take a small provincial round of ``year`` from registration to issued certificates; return
    ``(round, certificates)``.

    Every step runs through the operations with that year's dates: registration in July and
    August, the council's meeting on 20 October, the decision on the 25th, publication on the 28th,
    certificates the day after the complaint window closed. The first juror chairs, the organiser is
    secretary, every juror scores every entry.

    :param signer: ``(name, title)`` of the decision's signer; :param points: ``points(entry index,
        juror index, criterion)`` as text, on the round's point step.
    """
    from datetime import date, datetime, timezone

    from voting.models import IssuingAuthority
    from voting.operations.applications import accept_application, start_application, submit_application
    from voting.operations.council import assign_juror, set_council_member
    from voting.operations.deliberation import publish_results, record_decision, record_vote
    from voting.operations.rounds import close_registration, create_round, open_registration, open_scoring, \
        start_deliberation
    from voting.operations.scoring import open_sheet, save_draft, submit_sheet

    province = organiser.province
    authority = db.session.scalar(select(IssuingAuthority).where(
        IssuingAuthority.province_id == organiser.province_id, IssuingAuthority.jurisdiction_level == "tinh"))
    round_ = create_round(organiser, {"title": f"Bình chọn sản phẩm CNNT tiêu biểu {province.kind} {province.name} "
                                               f"năm {year}",
                                      "year": year, "registration_opens_on": date(year, 7, 1),
                                      "registration_closes_on": date(year, 8, 31)}, authority)
    round_.signer_name, round_.signer_title = signer
    open_registration(organiser, round_)
    entries = []
    for product in products:
        owner = next((u for u in product.producer.accounts if u.active), organiser)  # most demo producers have no account
        application = start_application(owner, product.producer, product, round_, date(year, 8, 10))
        submit_application(owner, application, date(year, 8, 10))
        entries.append(application)
    close_registration(organiser, round_)
    for application in entries:
        accept_application(organiser, application)
    set_council_member(organiser, round_, jurors[-1], "chair")
    set_council_member(organiser, round_, organiser, "secretary")
    set_council_member(organiser, round_, jurors[0], "member")
    for juror in jurors:
        assign_juror(organiser, round_, juror)
    open_scoring(organiser, round_)
    for index, application in enumerate(entries):
        for juror_index, juror in enumerate(jurors):
            sheet = open_sheet(juror, application, juror)
            save_draft(juror, sheet, {str(c.id): points(index, juror_index, c) for c in round_.leaf_criteria},
                       comment="Sản phẩm ổn định chất lượng, bao bì đạt yêu cầu.")
            db.session.flush()
            submit_sheet(juror, sheet, sheet.version)
    start_deliberation(organiser, round_)
    meeting = date(year, 10, 20)
    decision = record_vote(organiser, round_, meeting, 3, 3, 0, 0, "", meeting,
                           meeting_place=f"Sở Công Thương {province.kind} {province.name}")
    record_decision(organiser, decision, decision_number, date(year, 10, 25), round_.signer_name,
                    round_.signer_title, date(year, 10, 25))
    publish_results(organiser, round_, date(year, 10, 28))
    decision.published_at = datetime(year, 10, 28, 2, 0, tzinfo=timezone.utc)  # 09:00 in Vietnam, that day
    issued_on = decision.complaints_close_on + timedelta(days=1)
    _check_can_issue(organiser, round_, issued_on)
    _start_certifying(organiser, round_, decision)
    return round_, _issue_batch(organiser, round_, decision, [e.application for e in decision.entries],
                                current_signer(current_app), issued_on)


def seed_certificates(users, today):
    """Issue the published round's certificates and give a few of them a history; return counts."""
    ensure_signing_key()
    decision = db.session.scalar(select(Decision).where(Decision.published_at.is_not(None))
                                 .order_by(Decision.id.desc()).limit(1))
    expired = seed_expired_round(users, today)
    round_ = db.session.get(Round, decision.round_id)
    organiser = next(u for u in users if u.role == Role.ORGANISER and u.province_id == round_.province_id)
    issued_on = decision.complaints_close_on + timedelta(days=1)
    _check_can_issue(organiser, round_, issued_on)
    _start_certifying(organiser, round_, decision)
    certificates = _issue_batch(organiser, round_, decision, [e.application for e in decision.entries],
                                current_signer(current_app), issued_on)
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
