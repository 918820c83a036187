"""Demo rounds in scoring: one part-way through, one fully scored and ready for deliberation.

Entries are this year's rounds' (each province's round of the year, its registration closed a month
ago); the same products have since registered again for next year's round, which opened after this
one closed (one round per level and cycle, never two taking registrations at once). Everything goes
through the real operations, so the audit log and the progress pages are real.
"""
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from voting.extensions import db
from voting.models import ApplicationStatus, IssuingAuthority, JurisdictionLevel
from voting.operations.applications import start_application, submit_application
from voting.rules.commitments import commitment_codes
from voting.demo.screening import accept as accept_entry
from voting.demo.council import seat_provincial_council
from voting.operations.rounds import close_registration, create_round, open_registration, open_scoring
from voting.operations.scoring import open_sheet, save_draft, submit_sheet

#: This year's registration closed a month ago, before next year's round opened.
REGISTRATION_CLOSED_DAYS_AGO = 30
COMMENTS = (
    "Sản phẩm có thị trường ổn định, bao bì đẹp; cần đầu tư thêm khâu truy xuất nguồn gốc.",
    "Quy trình sản xuất đảm bảo, nguyên liệu địa phương; nên mở rộng kênh bán hàng trực tuyến.",
    "Sản phẩm mang đậm bản sắc địa phương, chất lượng đồng đều giữa các lô.",
    "Cần bổ sung kế hoạch phát triển sản xuất và đánh giá tác động môi trường.",
)


def _points(criteria, juror_index, entry_index):
    """Deterministic, plausible points on the 0.5 step, each within its criterion's maximum."""
    values = {}
    for position, criterion in enumerate(criteria):
        share = Decimal(68 + (juror_index * 7 + entry_index * 5 + position * 3) % 27) / 100  # 0.68 .. 0.94
        raw = (criterion.max_points * share * 2).to_integral_value() / 2
        values[str(criterion.id)] = str(min(raw, criterion.max_points))
    return values


def _round_with_entries(organiser, jurors, products, title, today):
    authority = db.session.scalar(select(IssuingAuthority).where(
        IssuingAuthority.province_id == organiser.province_id,
        IssuingAuthority.jurisdiction_level == JurisdictionLevel.PROVINCE))
    # Registration closed before next year's round opened (voting.demo.data.DEMO_ROUNDS: 21 and 14 days ago).
    closed_on = today - timedelta(days=REGISTRATION_CLOSED_DAYS_AGO)
    round_ = create_round(organiser, {"title": title, "year": today.year,
                                      "registration_opens_on": closed_on - timedelta(days=60),
                                      "registration_closes_on": closed_on,
                                      # the demo keeps its signed forms on paper
                                      "require_signed_registration_form": False}, authority)
    open_registration(organiser, round_)
    entries = []
    for product in products:
        owner = next((u for u in product.producer.accounts if u.active), organiser)
        application = start_application(owner, product.producer, product, round_, closed_on - timedelta(days=5))
        submit_application(owner, application, closed_on - timedelta(days=5), commitment_codes())
        entries.append(application)
    close_registration(organiser, round_)
    for application in entries:
        accept_entry(organiser, application)
    seat_provincial_council(organiser, round_, jurors, today - timedelta(days=20), 2390)
    open_scoring(organiser, round_)
    return round_, entries


def _score(round_, juror, juror_index, application, entry_index, submit=True):
    sheet = open_sheet(juror, application, juror)
    save_draft(juror, sheet, _points(round_.leaf_criteria, juror_index, entry_index),
               comment=COMMENTS[(juror_index + entry_index) % len(COMMENTS)])
    if submit:
        submit_sheet(juror, sheet, sheet.version)
    return sheet


def seed_scoring(organisers, jurors, accepted, today):
    """Add the two rounds in scoring; return ``{"rounds_scoring": 2, "sheets": n}``.

    :param organisers: ``{province code: organiser}``; :param jurors: the demo jurors;
    :param accepted: ``{province code: [accepted applications]}`` from the open rounds.
    """
    sheets = 0
    part_way, entries = _round_with_entries(
        organisers["19"], jurors, [a.product for a in accepted["19"]],
        f"Bình chọn sản phẩm CNNT tiêu biểu tỉnh Thái Nguyên năm {today.year}", today)
    for juror_index, juror in enumerate(jurors):
        # The first juror has finished, the second is half-way with a draft open, the third has not started.
        done = {0: len(entries), 1: len(entries) // 2, 2: 0}[juror_index]
        for entry_index, application in enumerate(entries[:done]):
            _score(part_way, juror, juror_index, application, entry_index)
            sheets += 1
        if juror_index == 1 and done < len(entries):
            _score(part_way, juror, juror_index, entries[done], done, submit=False)
    ready, entries = _round_with_entries(
        organisers["56"], jurors, [a.product for a in accepted["56"]],
        f"Bình chọn sản phẩm CNNT tiêu biểu tỉnh Khánh Hòa năm {today.year}", today)
    for juror_index, juror in enumerate(jurors):
        for entry_index, application in enumerate(entries):
            _score(ready, juror, juror_index, application, entry_index)
            sheets += 1
    assert all(a.status == ApplicationStatus.ACCEPTED for a in entries)
    return {"rounds_scoring": 2, "sheets_submitted": sheets}
