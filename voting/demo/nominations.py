"""Demo nominations: the northern regional round open now, with entries nominated by three provinces.

The Cục's regional organiser opens the round of khu vực phía Bắc for this
year. Three provinces of the region put their certified entries forward
(đề cử), each through its own organiser and :func:`voting.operations.nominations.nominate`:

- Thái Nguyên, from last year's published round (:mod:`voting.demo.results`):
  its best three entries whose certificate is valid, leaving out the demo
  producer's (its inbox tells the provincial story that tests pin);
- Hà Nội and Bắc Ninh, from small rounds of two years ago taken from
  registration to certificates here (:func:`voting.demo.certified_round.certify_round`):
  five entries each, four certified; their top three are nominated.

Bắc Ninh then withdraws one nomination. The products of Hà Nội and Bắc Ninh get
their dossier (photos, registration copy, papers) here, through the upload path.
"""
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select, update

from voting.demo.certified_round import certify_round, provincial_signer
from voting.demo.results import plan_dossiers as plan_results_dossiers
from voting.extensions import db
from voting.models import Decision, IssuingAuthority, JurisdictionLevel, Producer, Province, Role, Round, RoundStatus
from voting.operations.nomination_imports import import_nomination_list, nomination_columns
from voting.rules.certification import VALID
from voting.operations.nominations import nominate, withdraw_nomination
from voting.operations.rounds import create_round, open_registration
from voting.rules.eligibility import current_certificate

#: Products entering the provincial rounds of two years ago, best first: province code ->
#: [(producer index, product position, documents)] (producer indices in :data:`voting.demo.data.PRODUCERS`).
SOURCE_ROUNDS = {
    "01": [(19, 0, ("registration", "award")), (21, 0, ("registration", "food_safety")),
           (23, 0, ("registration", "quality")), (22, 0, ("registration", "food_safety")),
           (20, 0, ("registration",))],
    "24": [(28, 0, ("registration", "food_safety")), (30, 0, ("registration",)),
           (29, 0, ("registration", "quality")), (28, 1, ("registration", "food_safety")),
           (31, 0, ("registration", "food_safety"))],
}
#: The decision's signer and number, by province code.
SIGNERS = {"01": (provincial_signer("Nguyễn Mạnh Quyền"), "5127/QĐ-UBND"),
           "24": (provincial_signer("Đào Quang Khải"), "1843/QĐ-UBND")}
#: Each entry's share of every criterion's maximum, best first: the last one fails the 70 mark.
SHARES = (Decimal("0.92"), Decimal("0.87"), Decimal("0.83"), Decimal("0.78"), Decimal("0.64"))
NOMINATED = 3  # per province
WITHDRAWN = ("24", 2)  # (province, position among its nominations)
WITHDRAWAL_REASON = ("Cơ sở đang thay đổi bao bì và nhãn hàng hóa của sản phẩm, chưa kịp gửi mẫu theo yêu cầu của "
                     "Ban tổ chức khu vực; Sở Công Thương rút đề cử, sản phẩm sẽ tham gia đợt sau.")
#: Days since the regional round opened, and days left to register.
REGIONAL_OPEN, REGIONAL_LEFT = 12, 40


def plan_dossiers(producers, files):
    """Start drawing the dossiers of the Hà Nội and Bắc Ninh entries; return them for :func:`seed_nominations`."""
    return plan_results_dossiers(producers, files, [entry for entries in SOURCE_ROUNDS.values() for entry in entries])


def _points(entry_index, juror_index, criterion):
    """A little spread between jurors, on the 0.5 step."""
    share = SHARES[entry_index] + Decimal(juror_index - 1) / 50
    return str(min((criterion.max_points * share * 2).to_integral_value() / 2, criterion.max_points))


def _organiser(users, code):
    return next(u for u in users if u.role == Role.ORGANISER and u.province and u.province.code == code)


def _certified(round_, skip_producer_ids=()):
    """The round's certified entries in rank order whose certificate is valid."""
    decision = db.session.scalar(select(Decision).where(Decision.round_id == round_.id,
                                                        Decision.published_at.is_not(None)))
    entries = sorted(decision.entries, key=lambda e: e.rank)
    return [e.application for e in entries if e.application.producer_id not in skip_producer_ids
            and (c := current_certificate(e.application)) is not None and c.status == VALID]


def seed_source_rounds(users, producers, files, planned, today):
    """Record the planned dossiers and certify the Hà Nội and Bắc Ninh rounds; return ``{code: round}``."""
    for product, pending in planned:
        owner = next((u for u in product.producer.accounts if u.active), None)
        for item in pending:
            files.record(owner, product, item)
    jurors = [u for u in users if u.role == Role.JUROR]
    rounds, start = {}, 0
    for code, entries in SOURCE_ROUNDS.items():
        products = [product for product, _pending in planned[start:start + len(entries)]]
        start += len(entries)
        signer, number = SIGNERS[code]
        rounds[code], _certificates = certify_round(_organiser(users, code), jurors, products, today.year - 2,
                                                    signer, number, _points)
    return rounds


def regional_round(regional, today):
    """The Cục's round for khu vực phía Bắc, open for registration now."""
    authority = db.session.scalar(select(IssuingAuthority).where(
        IssuingAuthority.jurisdiction_level == JurisdictionLevel.REGION))
    round_ = create_round(regional, {
        "title": f"Bình chọn sản phẩm công nghiệp nông thôn tiêu biểu cấp khu vực phía Bắc năm {today.year}",
        "year": today.year,
        "registration_opens_on": today - timedelta(days=REGIONAL_OPEN),
        "registration_closes_on": today + timedelta(days=REGIONAL_LEFT),
    }, authority)
    open_registration(regional, round_)
    return round_


def seed_nominations(users, producers, files, planned, today):
    """Add the source rounds, the regional round and its nominations; return their counts.

    :param planned: what :func:`plan_dossiers` returned.
    """
    sources = seed_source_rounds(users, producers, files, planned, today)
    thai_nguyen = _organiser(users, "19")
    sources["19"] = db.session.scalar(select(Round).where(Round.province_id == thai_nguyen.province_id,
                                                          Round.status == RoundStatus.CERTIFYING))
    demo_producer = next(u.producer_id for u in users if u.role == Role.PRODUCER)
    regional = next(u for u in users if u.role == Role.ORGANISER and u.jurisdiction_level == JurisdictionLevel.REGION)
    target = regional_round(regional, today)
    nominations = {}
    for code in ("19", "01", "24"):
        organiser = _organiser(users, code)
        for application in _certified(sources[code], {demo_producer})[:NOMINATED]:
            nomination, _notes = nominate(organiser, application, target, today)
            nominations.setdefault(code, []).append(nomination)
    code, position = WITHDRAWN
    withdraw_nomination(_organiser(users, code), nominations[code][position], WITHDRAWAL_REASON)
    paper = seed_paper_nomination_list(regional, target, today)
    # Demo rows are labelled as such wherever they are shown, those the paper list created too.
    db.session.execute(update(Producer).where(Producer.imported_at.is_not(None)).values(is_demo=True))
    db.session.flush()
    return {"rounds_regional": 1, "rounds_certified_for_nomination": len(SOURCE_ROUNDS),
            "nominations": sum(len(n) for n in nominations.values()) + paper.nominated,
            "nominations_withdrawn": 1, "nominations_on_paper": paper.nominated}


#: Tuyên Quang's paper list (danh sách trích ngang): the province is not on the platform yet; its
#: certificates of last year's provincial round, one of them a former Hà Giang producer's.
#: (product, producer, type, registration number, address, group, certificate number). The numbers are in the
#: official form, as Tuyên Quang's UBND numbers them: the registry lists them beside other provinces' "3/GCN-UBND".
PAPER_LIST = [
    ("Miến dong Sơn Dương", "Hợp tác xã Miến dong Hợp Thành", "Hợp tác xã", "5000784512",
     "Thôn Cầu Cao, xã Sơn Dương, tỉnh Tuyên Quang", 2, "3/GCN-UBND"),
    ("Chè Shan tuyết Hoàng Su Phì", "Hợp tác xã Chè Shan tuyết Tụ Nhân", "Hợp tác xã", "5100287741",
     "Thôn Lê Hồng Phong, xã Hoàng Su Phì, tỉnh Tuyên Quang", 2, "7/GCN-UBND"),
    ("Khăn thổ cẩm Lô Lô Chải", "Tổ hợp tác Dệt thổ cẩm Lô Lô Chải", "Tổ hợp tác", "",
     "Thôn Lô Lô Chải, xã Lũng Cú, tỉnh Tuyên Quang", 1, "11/GCN-UBND"),
]


def seed_paper_nomination_list(regional, target, today):
    """Import Tuyên Quang's paper list into the regional round as its organiser would; return the report."""
    province = db.session.scalar(select(Province).where(Province.code == "08"))
    year = today.year - 1
    decided = date(year, 11, 28)
    rows = [tuple(c.header for c in nomination_columns("tinh"))]
    for index, (product, producer, kind, number, address, group, certificate) in enumerate(PAPER_LIST, start=1):
        rows.append((index, product, producer, kind, number, address, group, "2155/QĐ-UBND", decided,
                     certificate, decided.replace(year=year + 3)))
    report = import_nomination_list(regional, target, province, rows, "du-lieu-trinh-dien-de-cu-tuyen-quang.xlsx",
                                    today)
    if not report.ok:
        raise RuntimeError(f"demo paper nominations: {report.problems[:3]}")
    return report
