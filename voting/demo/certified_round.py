"""A small provincial round of a past year, taken from registration to issued certificates.

The demo's certified rounds (Khánh Hòa's expired certificates, the source rounds of the nominations)
are made here through the selection's operations with that year's dates; the certificates come
from the certification port (:meth:`voting.rules.certification.Certification.issue_decided_round`).
"""
from datetime import timedelta

from sqlalchemy import select

from voting.extensions import db
from voting.models import SignerCapacity
from voting.rules.signer import SignerBlock
from voting.rules.certification import certification


def _even_points(entry_index, juror_index, criterion):
    return str(criterion.max_points * (8 + entry_index % 2) / 10)


def provincial_signer(name):
    """A provincial People's Committee's decision signed by a vice-chair: "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH /
    PHÓ CHỦ TỊCH / <name>" (Nghị định 30/2020/NĐ-CP, Phụ lục I)."""
    return SignerBlock(capacity=SignerCapacity.KT, body="Ủy ban nhân dân", head_title="Chủ tịch",
                       title="Phó Chủ tịch", name=name)


def certify_round(organiser, jurors, products, year, signer, decision_number, points=_even_points):
    """Take a small provincial round of ``year`` from registration to issued certificates; return
    ``(round, certificates)``.

    Every step runs through the operations with that year's dates, in the rules' order: registration in
    July and August, the council's meeting on 20 October, the results announced on the 22nd, the decision
    three days after the complaint window closed, the certificates handed over a week later (dated on the
    decision). The council is founded and seated as a province seats it (:mod:`voting.demo.council`); the last
    juror heads the jury, every juror scores every entry.

    :param signer: the decision's :class:`~voting.rules.signer.SignerBlock`; :param points: ``points(entry index,
        juror index, criterion)`` as text, on the round's point step.
    """
    from datetime import date, datetime, timezone

    from voting.demo.council import seat_provincial_council
    from voting.models import IssuingAuthority
    from voting.demo.screening import accept as accept_entry
    from voting.operations.applications import start_application, submit_application
    from voting.rules.commitments import commitment_codes
    from voting.operations.deliberation import publish_results, record_decision, record_vote
    from voting.operations.rounds import close_registration, create_round, open_registration, open_scoring, \
        start_deliberation
    from voting.operations.scoring import open_sheet, save_draft, submit_sheet

    province = organiser.province
    authority = db.session.scalar(select(IssuingAuthority).where(
        IssuingAuthority.province_id == organiser.province_id, IssuingAuthority.jurisdiction_level == "tinh"))
    round_ = create_round(organiser, {"title": f"Bình chọn sản phẩm CNNT tiêu biểu {province.full_name} "
                                               f"năm {year}",
                                      "year": year, "registration_opens_on": date(year, 7, 1),
                                      "registration_closes_on": date(year, 8, 31),
                                      # the demo keeps its signed forms on paper
                                      "require_signed_registration_form": False}, authority)
    for column, value in signer.columns().items():
        setattr(round_, column, value)
    open_registration(organiser, round_)
    entries = []
    for product in products:
        owner = next((u for u in product.producer.accounts if u.active), organiser)  # most demo producers have no account
        application = start_application(owner, product.producer, product, round_, date(year, 8, 10))
        submit_application(owner, application, date(year, 8, 10), commitment_codes())
        entries.append(application)
    close_registration(organiser, round_)
    for application in entries:
        accept_entry(organiser, application)
    members = seat_provincial_council(organiser, round_, jurors, date(year, 9, 5), 1650 + year % 100)
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
    decision = record_vote(organiser, round_, meeting, None, len(members), 0, 0, "", meeting,
                           meeting_place=f"Sở Công Thương {province.full_name}", attendance=[m.id for m in members],
                           minutes_number="01/BB-HĐBC")
    publish_results(organiser, round_, date(year, 10, 22))  # the rules' order: announced, complaints, decision
    decision.published_at = datetime(year, 10, 22, 2, 0, tzinfo=timezone.utc)  # 09:00 in Vietnam, that day
    decided_on = decision.complaints_close_on + timedelta(days=3)
    record_decision(organiser, decision, decision_number, decided_on, signer, decided_on)
    issued_on = decided_on + timedelta(days=7)  # handed over at a ceremony; dated on the decision
    return round_, certification().issue_decided_round(organiser, round_, decision, issued_on)
