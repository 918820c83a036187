"""A demo round with published results: Thái Nguyên, last year, from registration to a dismissed complaint.

Eleven products of the Thái Nguyên demo producers (two of them given their
dossier here) enter a provincial round of last year; three jurors score them,
the council deliberates and votes, the provincial People's Committee decides
and the organiser publishes; the complaint window has long closed. Every step
goes through the real operations, so the audit log, the inboxes and the
results pages are real. The points are chosen so that the round shows what
:mod:`voting.rules.results` documents:

- most entries pass the 70 mark and two fail, one of them at 69.83 although
  two of its three sheets are above 70 (the demo producer's second product,
  whose complaint the council dismisses);
- an exact tie on the final score that criterion 1's mean breaks, against the
  order of the entry codes; and a tie with identical criterion means that the
  entry code breaks;
- an entry below quorum: a juror did not score the machine she missed the
  demonstration of, and deliberation started all the same;
- a sheet far from the others, flagged, which the council asked the juror to
  justify and the juror did;
- a passing entry struck by the council, prize tiers by rank, the vote and
  the decision.

The operations stamp rows with the time they run; the round's own
timestamps (submissions, sheets, the vote, publication, the complaint, the
inbox messages) are then set back to the story's dates, so that its pages
read in order. The audit log keeps the true seeding times.
"""
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from voting.core.clock import VIETNAM
from voting.demo.certified_round import provincial_signer
from voting.demo.data import PRODUCERS
from voting.demo.dossiers import prepare_document, prepare_photo
from voting.extensions import db
from voting.models import Complaint, IssuingAuthority, JurisdictionLevel, Notification, Role, Strike
from voting.operations.applications import start_application, submit_application
from voting.rules.commitments import commitment_codes
from voting.demo.screening import accept as accept_entry
from voting.demo.council import QUORUM, seat_provincial_council
from voting.operations.complaints import answer_complaint, file_complaint
from voting.operations.deliberation import (
    justify_sheet,
    publish_results,
    record_decision,
    record_vote,
    request_justification,
    set_prize_tiers,
    strike_entry,
)
from voting.operations.rounds import (
    SETTING_FIELDS,
    close_registration,
    create_round,
    open_registration,
    open_scoring,
    start_deliberation,
    update_scoring_settings,
)
from voting.operations.scoring import open_sheet, save_draft, submit_sheet
from voting.rules.results import compute_results, shown

#: Products that enter only this round: (producer index, product position, documents).
NEW_DOSSIERS = [(2, 1, ("registration", "food_safety")), (4, 1, ("registration", "food_safety"))]

#: The entries in the order they are accepted (which gives the entry codes in the comments), each
#: ``((producer index, product position), sheets)``; a sheet is one juror's points for criteria 1–4
#: and comment, in the order Trần Văn Minh, Lê Thị Hồng Nhung, Đỗ Quang Huy; None: no sheet.
ENTRIES = [
    ((3, 0), [  # 1.001, 77.33: the first sheet is far from the others (62 against 84.5 and 85.5)
        ("26 21 7 8", "Một số giỏ trong bộ mẫu bị mốc ở đáy, nan xử lý chống mốc chưa đều; cần kiểm soát "
                      "độ ẩm nguyên liệu trước khi đan."),
        ("34 33 9 8.5", "Mẫu mã đẹp, giữ được hoa văn truyền thống; tạo việc làm ổn định cho lao động nữ. "
                        "Nên đăng ký nhãn hiệu cho bộ sản phẩm."),
        ("34.5 33 9.5 8.5", "Sản xuất được theo lô, chất lượng đan đều; bao bì xuất khẩu cần ghi rõ hướng dẫn "
                            "bảo quản."),
    ]),
    ((0, 0), [  # 2.001, 88.17: first, Giải A
        ("35.5 35 9 9", "Sợi miến dai, trong, không dùng chất tẩy trắng; hồ sơ an toàn thực phẩm đầy đủ. "
                        "Nên bổ sung thông tin dinh dưỡng trên nhãn."),
        ("35 34.5 9 8.5", "Cơ sở bao tiêu củ dong cho nhiều hộ trong xã, hiệu quả xã hội rõ. Cần mở rộng kênh "
                          "bán hàng trực tuyến."),
        ("36 35 9 9", "Quy trình sản xuất ổn định, có tem truy xuất nguồn gốc; thị trường tiêu thụ rộng ngoài "
                      "tỉnh."),
    ]),
    ((0, 1), [  # 2.002, 69.83: fails, though two sheets are above 70; the producer complains
        ("28 27.5 7.5 7", "Sản phẩm tốt nhưng chưa khác biệt rõ so với miến dong Na Rì của chính cơ sở; bản "
                          "thuyết minh còn sơ sài."),
        ("27.5 27 7.5 7", "Sản lượng còn nhỏ, chủ yếu bán tại địa phương; chưa có kế hoạch phát triển thị "
                          "trường cho dòng sợi nhỏ."),
        ("28 28 7.5 7", "Bao bì chưa thống nhất với sản phẩm chính; nên hoàn thiện nhãn và tham gia lại ở "
                        "đợt sau."),
    ]),
    ((1, 0), [  # 2.003, 85.50: tied with 3.001, below it on criterion 1 (33.5 against 34.5)
        ("33 34.5 9.5 9", "Nước xanh vàng sánh, hương cốm rõ; vùng nguyên liệu có mã số vùng trồng."),
        ("33.5 33 9 9", "Thương hiệu mạnh, có mặt ở nhiều tỉnh; cần đầu tư thêm bao bì cho phân khúc quà tặng."),
        ("34 34 9 9", "Chất lượng đồng đều giữa các lô; khâu sao, vò chè được cơ giới hóa phù hợp."),
    ]),
    ((1, 1), [  # 2.004, 72.67: passes, last on the certified list
        ("29 29 7.5 7", "Chất lượng chè đạt; sản phẩm mới ra thị trường, sản lượng chưa lớn."),
        ("28.5 29 7.5 7.5", "Cần bổ sung hợp đồng tiêu thụ và kế hoạch phát triển sản xuất."),
        ("29.5 29.5 7.5 6.5", "Hộp 200 g đẹp, phù hợp làm quà; nên ghi rõ hạn sử dụng sau khi mở hộp."),
    ]),
    ((2, 0), [  # 2.005, 79.00: the same criterion means as 2.006, ranked first by its code
        ("33 31 8 8", "Độ ẩm mật dưới 20%, không pha đường; nên công bố thêm chỉ tiêu HMF."),
        ("31 31.5 8 8.5", "Hộ kinh doanh tạo thu nhập cho đồng bào vùng cao; cần tăng số đàn ong."),
        ("30.5 31 8.5 8", "Chai thủy tinh chắc chắn, nhãn rõ ràng; nên bổ sung mã QR truy xuất nguồn gốc."),
    ]),
    ((2, 1), [  # 2.006, 79.00: the same three sheets as 2.005, scored by other jurors
        ("31 31.5 8 8.5", "Mật hoa keo màu sáng, hương nhẹ đặc trưng; cần kiểm nghiệm định kỳ theo từng mùa hoa."),
        ("30.5 31 8.5 8", "Sản lượng phụ thuộc mùa hoa, cần kế hoạch bảo quản và tồn kho."),
        ("33 31 8 8", "Sản phẩm có tiềm năng phục vụ du lịch; nhãn nên thống nhất với mật ong hoa rừng."),
    ]),
    ((4, 0), [  # 2.007, 83.00: passes; the council strikes it (no licence to make alcohol for sale)
        ("33 33 8.5 8.5", "Rượu êm, đã lọc andehit; cần bổ sung phiếu kiểm nghiệm theo QCVN 6-3:2010/BYT."),
        ("32.5 33 8.5 8", "Sản phẩm gắn với văn hóa ATK Định Hóa, có tiềm năng phục vụ du lịch."),
        ("33.5 33.5 8.5 8.5", "Chai thiết kế riêng, phù hợp làm quà; cần hoàn thiện giấy phép sản xuất rượu."),
    ]),
    ((4, 1), [  # 2.008, 64.50: fails
        ("26 25 7 6.5", "Chưa có kết quả kiểm nghiệm hàm lượng methanol; quy trình hạ thổ chưa được mô tả rõ."),
        ("25.5 25 7 6", "Sản lượng nhỏ, chưa có kênh tiêu thụ ổn định."),
        ("26.5 25.5 7 6.5", "Nhãn mác sơ sài, chưa ghi nồng độ cồn và hạn sử dụng."),
    ]),
    ((5, 0), [  # 3.001, 85.50: tied with 2.003, above it on criterion 1
        ("34 33.5 8 8.5", "Máy giữ nhiệt ổn định, chè sao đều; được nhiều hộ làm chè trong tỉnh sử dụng."),
        ("34.5 34 8 8", "Giá thành hợp lý, bảo hành 12 tháng; cơ sở có thợ sửa chữa tại các vùng chè."),
        ("35 35 9 9", "Kết cấu chắc chắn, bộ truyền động kín; nên bổ sung bộ điều khiển nhiệt độ tự động."),
    ]),
    ((5, 1), [  # 3.002: below quorum, the second juror missed the machine's demonstration
        ("31 31.5 8 8", "Máy vò đều, giảm nát cánh chè; cần thêm số liệu năng suất thực tế."),
        None,
        ("32.5 32 8 8.5", "Cải tiến hợp lý so với mẫu cũ; cần hoàn thiện che chắn bộ truyền động."),
    ]),
]
OUTLIER = (0, 0)  # (entry index, juror index) of the sheet the council asks about
STRUCK = 7  # entry index
COMPLAINT = 2  # entry index; the demo producer's account files it

OUTLIER_NOTE = "Mẫu có đốm mốc ở đáy và mép nan; khâu sấy, xử lý chống mốc chưa đạt."
REQUEST = ("Tổng điểm phiếu của ông ({mine}) thấp hơn hai giám khảo còn lại ({others}). Đề nghị ông giải "
           "trình căn cứ chấm tiêu chí 1 và tiêu chí 2 trước phiên họp Hội đồng.")
JUSTIFICATION = ("Khi kiểm tra mẫu, tôi thấy giỏ đựng hoa quả và làn đi chợ trong bộ sản phẩm có đốm mốc ở đáy và "
                 "mép nan, chứng tỏ khâu sấy và xử lý chống mốc chưa đạt; hàng xuất khẩu bị mốc sẽ bị trả lại. Vì "
                 "vậy tôi chấm thấp tiêu chí 2 và tiêu chí 1. Tôi giữ nguyên điểm và đề nghị Hội đồng lưu ý cơ sở "
                 "khắc phục.")
STRIKE_REASON = ("Cơ sở chưa có giấy phép sản xuất rượu thủ công nhằm mục đích kinh doanh theo Nghị định "
                 "105/2017/NĐ-CP và chưa nộp phiếu kết quả kiểm nghiệm theo QCVN 6-3:2010/BYT. Hội đồng thống "
                 "nhất chưa đề nghị công nhận; đề nghị cơ sở hoàn thiện hồ sơ pháp lý để tham gia đợt sau.")
PRIZE_TIERS = [("Giải A", 1, None), ("Giải B", 2, None), ("Giải C", 3, None), ("Khuyến khích", 3, None)]
DECISION_NUMBER = "2871/QĐ-UBND"
SIGNER = provincial_signer("Hoàng Minh Tuấn")
VOTE = {"votes_for": 5, "votes_against": 0, "votes_abstain": 1}
#: The member away from the meeting (the press), by the founding decision's order; the other six attend.
ABSENT = 5
COUNCIL_QUORUM = QUORUM
MINUTES = ("Phiên họp Hội đồng bình chọn: {present}/{members} thành viên có mặt (vắng: {absent}, có lý do). "
           "Hội đồng xem xét kết quả chấm điểm và giải trình của giám khảo về phiếu chấm lệch; sản phẩm {short} "
           "không đủ số phiếu chấm tối thiểu nên không xếp hạng; sản phẩm {struck} không được đề nghị công nhận "
           "vì chưa có giấy phép sản xuất rượu. Biểu quyết thông qua danh sách {proposed} sản phẩm đề nghị "
           "công nhận.")
COMPLAINT_TEXT = ("Hợp tác xã đề nghị Hội đồng xem xét lại kết quả của sản phẩm {name} (mã số {code}): hai trong "
                  "ba giám khảo chấm trên 70 điểm nhưng sản phẩm chỉ đạt {score} điểm và không được công nhận. "
                  "Hợp tác xã đã bổ sung bản thuyết minh chi tiết và đề nghị Hội đồng chấm lại.")
ANSWER = ("Hội đồng đã rà soát ba phiếu chấm của sản phẩm mã số {code}: các phiếu hợp lệ, cộng điểm đúng "
          "({totals}). Theo Quy chế, kết quả là điểm bình quân của các phiếu ({score} điểm), thấp hơn mức {mark} "
          "điểm để được xét công nhận; điểm của từng giám khảo không được xét riêng. Bản thuyết minh bổ sung sau "
          "khi chấm không làm thay đổi kết quả. Hội đồng không chấp nhận khiếu nại và khuyến khích hợp tác xã "
          "hoàn thiện sản phẩm, tham gia đợt bình chọn sau.")


def story_dates(today):
    """The round's calendar, in Vietnam's days: published 30 days ago or more, and last year.

    In the rules' order: the council's list is announced, a complaint is filed and answered within the
    15-day window, and the decision follows the window (dated 17 days after the announcement).
    """
    published = min(today - timedelta(days=30), date(today.year - 1, 12, 20))
    meeting = published - timedelta(days=7)
    scoring_ends = meeting - timedelta(days=5)
    scoring_starts = scoring_ends - timedelta(days=14)
    closes = scoring_starts - timedelta(days=14)
    return {"opens": closes - timedelta(days=45), "closes": closes, "scoring_starts": scoring_starts,
            "scoring_ends": scoring_ends, "meeting": meeting, "decided": published + timedelta(days=17),
            "published": published, "complained": published + timedelta(days=6),
            "answered": published + timedelta(days=12)}


def _at(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=VIETNAM)


def _vn(number):
    """``Decimal("70.50")`` → ``"70,5"``, as Vietnamese writes numbers."""
    text = f"{number:f}"
    return (text.rstrip("0").rstrip(".") if "." in text else text).replace(".", ",")


def _people(users):
    by_role = {}
    for user in users:
        by_role.setdefault(user.role, []).append(user)
    organiser = next(u for u in by_role[Role.ORGANISER] if u.province and u.province.code == "19")
    return organiser, by_role[Role.JUROR], by_role[Role.PRODUCER][0]


def plan_dossiers(producers, files, dossiers=NEW_DOSSIERS):
    """Start drawing the photos and papers of the products that enter only this round (or of ``dossiers``,
    ``[(producer index, product position, documents)]``).

    Return ``[(product, pending files)]`` for :func:`seed_results` to record.
    """
    planned = []
    for index, position, documents in dossiers:
        producer = producers[index]
        kinds = [item[0] for item in PRODUCERS[index][6]]
        product = _product(producers, index, position)
        pending = [prepare_photo(files, producer, product, kinds[position], angle) for angle in (1, 2, 3)]
        pending += [prepare_document(files, producer, product, kinds, position, d) for d in documents]
        planned.append((product, pending))
    return planned


def _product(producers, index, position):
    name = PRODUCERS[index][6][position][1]
    return next(p for p in producers[index].products if p.name == name)


def _enter(organiser, producers, dates):
    """Create the round and take the entries through registration and screening."""
    authority = db.session.scalar(select(IssuingAuthority).where(
        IssuingAuthority.province_id == organiser.province_id,
        IssuingAuthority.jurisdiction_level == JurisdictionLevel.PROVINCE))
    province = organiser.province
    year = dates["opens"].year
    round_ = create_round(organiser, {
        "title": f"Bình chọn sản phẩm CNNT tiêu biểu {province.full_name} năm {year}",
        "year": year, "registration_opens_on": dates["opens"], "registration_closes_on": dates["closes"],
        "require_signed_registration_form": False,  # the demo keeps its signed forms on paper
    }, authority)
    open_registration(organiser, round_)
    applications = []
    for number, ((index, position), _sheets) in enumerate(ENTRIES):
        producer = producers[index]
        product = _product(producers, index, position)
        owner = next((u for u in producer.accounts if u.active), organiser)
        day = dates["opens"] + timedelta(days=3 + 3 * number)
        application = start_application(owner, producer, product, round_, day)
        submit_application(owner, application, day, commitment_codes())
        applications.append(application)
    close_registration(organiser, round_)
    for application in applications:
        accept_entry(organiser, application)
    return round_, applications


def _set_up_council(organiser, jurors, round_, dates):
    """The UBND tỉnh founds the council before scoring; the council appoints the jury (headed by the last juror)."""
    members = seat_provincial_council(organiser, round_, jurors, dates["closes"] + timedelta(days=3), 2187)
    fields = {name: getattr(round_, name) for name in SETTING_FIELDS}
    fields.update(SIGNER.columns(), council_quorum=COUNCIL_QUORUM,
                  scoring_starts_on=dates["scoring_starts"], scoring_ends_on=dates["scoring_ends"],
                  deliberation_on=dates["meeting"])
    update_scoring_settings(organiser, round_, fields)
    return members


def _score(round_, jurors, applications):
    """Every juror submits their sheets; return ``{(entry index, juror index): sheet}``."""
    criteria = round_.leaf_criteria
    sheets = {}
    for juror_index, juror in enumerate(jurors):
        for entry_index, application in enumerate(applications):
            planned = ENTRIES[entry_index][1][juror_index]
            if planned is None:
                continue
            points, comment = planned
            raw = {str(c.id): value for c, value in zip(criteria, points.split(), strict=True)}
            notes = {str(criteria[1].id): OUTLIER_NOTE} if (entry_index, juror_index) == OUTLIER else None
            sheet = open_sheet(juror, application, juror)
            save_draft(juror, sheet, raw, notes, comment)
            sheets[entry_index, juror_index] = submit_sheet(juror, sheet, sheet.version)
    return sheets


def _deliberate(organiser, members, jurors, round_, applications, sheets, dates):
    """The council meets; its secretary (the organiser) records its acts: the question to a juror, the strike, the vote."""
    start_deliberation(organiser, round_, accept_below_quorum=True)
    entry_index, juror_index = OUTLIER
    outlier = sheets[entry_index, juror_index]
    others = [sheets[entry_index, j].total for j in range(len(jurors)) if j != juror_index]
    request_justification(organiser, outlier, REQUEST.format(
        mine=_vn(outlier.total), others=" và ".join(_vn(t) for t in others)))
    justify_sheet(jurors[juror_index], outlier, JUSTIFICATION)
    strike_entry(organiser, round_, applications[STRUCK], STRIKE_REASON)
    set_prize_tiers(organiser, round_, "rank", PRIZE_TIERS)
    results = compute_results(round_)
    absent = members[ABSENT]
    note = MINUTES.format(present=len(members) - 1, members=len(members), absent=absent.full_name,
                          short=", ".join(e.application.entry_code for e in results.below_quorum),
                          struck=applications[STRUCK].entry_code, proposed=len(results.proposed))
    decision = record_vote(organiser, round_, dates["meeting"], None, **VOTE, note=note, today=dates["meeting"],
                           meeting_place="Phòng họp tầng 3, Sở Công Thương tỉnh Thái Nguyên",
                           attendance=[m.id for m in members if m is not absent], minutes_number="02/BB-HĐBC",
                           starts_at=time(8, 30), ends_at=time(11, 15))
    publish_results(organiser, round_, dates["published"])  # announced: complaints come before the decision
    return decision, results


def _decide(organiser, decision, dates):
    """The authority decides once the complaint window has closed and the complaint was answered."""
    record_decision(organiser, decision, DECISION_NUMBER, dates["decided"], SIGNER, today=dates["decided"])


def _complain(producer_user, organiser, round_, application, results, dates):
    """The producer contests a failed entry in the window; the council dismisses it, with reasons."""
    entry = results.for_application(application.id)
    score = _vn(shown(entry.score))
    file_complaint(producer_user, application, COMPLAINT_TEXT.format(
        name=application.product.name, code=application.entry_code, score=score), dates["complained"])
    complaint = db.session.scalar(select(Complaint).where(Complaint.application_id == application.id))
    answer_complaint(organiser, complaint, False, ANSWER.format(
        code=application.entry_code, totals="; ".join(_vn(s.total) for s in entry.sheets[1]), score=score,
        mark=_vn(round_.pass_mark)), False)
    return complaint


def _date_the_story(round_, applications, sheets, decision, complaint, dates):
    """Set the round's timestamps back to the story's dates (the audit log keeps the real ones)."""
    round_.created_at = _at(dates["opens"] - timedelta(days=10), 8, 30)
    round_.status_changed_at = _at(dates["decided"], 16)
    for number, application in enumerate(applications):
        day = dates["opens"] + timedelta(days=3 + 3 * number)
        application.created_at = _at(day, 8, 15)
        application.submitted_at = _at(day, 10, 40)
        application.decided_at = _at(dates["closes"] + timedelta(days=3), 9, 5 + 3 * number)
    days = (dates["scoring_ends"] - dates["scoring_starts"]).days
    for (entry_index, juror_index), sheet in sheets.items():
        day = dates["scoring_starts"] + timedelta(days=(entry_index + 4 * juror_index) % (days + 1))
        sheet.submitted_at = sheet.updated_at = _at(day, 9 + 3 * juror_index, 10 + 4 * entry_index)
        if sheet.justification_requested_at is not None:
            sheet.justification_requested_at = _at(dates["meeting"] - timedelta(days=3), 9)
            sheet.justified_at = _at(dates["meeting"] - timedelta(days=2), 16, 30)
    struck = db.session.scalar(select(Strike).where(Strike.round_id == round_.id))
    struck.struck_at = _at(dates["meeting"], 9, 30)
    decision.recorded_at = _at(dates["meeting"], 11)
    decision.published_at = _at(dates["published"], 8)
    complaint.filed_at = _at(dates["complained"], 15, 20)
    complaint.answered_at = _at(dates["answered"], 10)
    sent = {"application_accepted": None, "results_published": decision.published_at,
            "complaint_filed": complaint.filed_at, "complaint_answered": complaint.answered_at,
            "justification_requested": _at(dates["meeting"] - timedelta(days=3), 9)}
    decided = {a.id: a.decided_at for a in applications}
    for note in db.session.scalars(select(Notification).where(
            Notification.application_id.in_(decided))):
        note.created_at = sent.get(note.kind) or decided[note.application_id]
        note.read_at = note.created_at + timedelta(hours=2)  # read long ago


def seed_results(actor, users, producers, files, planned, today):
    """Add the published Thái Nguyên round of last year; return its counts.

    :param users: the demo accounts; :param producers: the demo producers in
        :data:`voting.demo.data.PRODUCERS` order; :param files: the seed's file store;
        :param planned: what :func:`plan_dossiers` returned.
    """
    dates = story_dates(today)
    organiser, jurors, producer_user = _people(users)
    for product, pending in planned:
        owner = next((u for u in product.producer.accounts if u.active), actor)
        for item in pending:
            files.record(owner, product, item)
    round_, applications = _enter(organiser, producers, dates)
    members = _set_up_council(organiser, jurors, round_, dates)
    open_scoring(organiser, round_)
    sheets = _score(round_, jurors, applications)
    decision, results = _deliberate(organiser, members, jurors, round_, applications, sheets, dates)
    complaint = _complain(producer_user, organiser, round_, applications[COMPLAINT], results, dates)
    _decide(organiser, decision, dates)
    _date_the_story(round_, applications, sheets, decision, complaint, dates)
    db.session.flush()
    return {"rounds_published": 1, "entries_published": len(applications),
            "entries_certified": len(decision.entries), "complaints": 1}
