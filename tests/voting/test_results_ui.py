"""Deliberation over HTTP: strikes, prize tiers, the vote, the decision, publication and complaints.

Every step goes through the real pages as the person who does it: the chair,
the secretary (also the round's organiser), a juror, the producers, and the
public. Bad input is refused with a message and what was typed stays.
"""
import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.conftest import csrf_from, login
from tests.factories import make_deliberating_round
from tests.helpers import counted_queries
from voting.core.clock import today_vn
from voting.extensions import db
from voting.models import (
    AuditEvent,
    Complaint,
    Decision,
    Notification,
    Round,
    RoundStatus,
    ScoreSheet,
    StepOrder,
    Strike,
    User,
)

# Entry i's sheets (criteria 40/40/10/10). Entries 0 and 1 tie on the total and on criterion 1;
# entry 2 fails; entry 3 has a far-off third sheet; entry 4 has only two sheets (below quorum).
TABLE = [
    [[34, 30, 8, 8], [34, 32, 8, 8], [35, 31, 8, 8]],       # 2.001: 81.33…
    [[34, 32, 7, 8], [35, 32, 7, 8], [34, 32, 8, 7]],       # 2.002: 81.33…, same criterion-1 mean, higher c2
    [[20, 20, 5, 5], [22, 20, 5, 5], [21, 20, 5, 5]],       # 2.003: 51
    [[36, 36, 9, 9], [36, 35, 9, 9], [20, 20, 5, 5]],       # 2.004: 76.33… — third sheet 39 below the median
    [[38, 38, 9, 9], [38, 37, 9, 9], None],                 # 2.005: below quorum
    [[30, 30, 7, 7], [31, 30, 7, 7], [30, 31, 7, 7]],       # 2.006: 74.67
]


@pytest.fixture
def hall(app, make_user, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "1000 per minute")
    return make_deliberating_round(app, make_user, TABLE)


def _post(client, url, data, page_url):
    page = client.get(page_url)
    assert page.status_code == 200, page_url
    return client.post(url, data={"csrf_token": csrf_from(page), **data})


def _present(app, hall, count):
    """The ids of the council's first ``count`` members, as the vote form's attendance ticks send them."""
    from voting.rules.council import seated_in_order

    with app.app_context():
        members = seated_in_order(db.session.get(Round, hall.round_id).council_members)
        return [str(m.id) for m in members[:count]]


def _as(client, user):
    """Sign in as ``user`` in a fresh session."""
    with client.session_transaction() as session:
        session.clear()
    assert login(client, user.email).status_code == 302


def test_results_page_ranks_with_the_documented_tie_break(client, hall):
    _as(client, hall.organiser)
    page = client.get(f"/rounds/{hall.round_id}/results")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "tiêu chí 1 cao hơn xếp trên" in text                       # the tie-break, shown on the page
    order = [text.index(code) for code in ("2.002", "2.001", "2.004", "2.006", "2.003", "2.005")]
    assert order == sorted(order)                                      # 2.002 wins the tie on criterion 2
    assert "81,33" in text and "74,67" in text and "Chưa đủ phiếu" in text
    flagged = text[text.index("Phiếu chấm lệch"):]
    assert "Đề nghị giải trình" in flagged and ("-39" in flagged or "−39" in flagged)  # the far sheet


def test_the_whole_deliberation_deciding_first(app, client, hall):
    """A round run in the order decide, publish, complaints (``StepOrder.DECIDE_FIRST``)."""
    with app.app_context():
        db.session.get(Round, hall.round_id).step_order = StepOrder.DECIDE_FIRST
        db.session.commit()
    url = f"/rounds/{hall.round_id}/results"
    entries = dict(zip(("2.001", "2.002", "2.003", "2.004", "2.005", "2.006"), hall.application_ids, strict=True))

    # The organiser sets prize tiers by rank; a tier without places is refused and the form kept.
    _as(client, hall.organiser)
    bad = _post(client, f"{url}/prizes", {"mode": "rank", "tiers-0-name": "Giải A", "tiers-1-name": "Giải B",
                                          "tiers-1-places": "2"}, f"{url}/prizes")
    assert bad.status_code == 400 and "hãy nhập số giải" in bad.get_data(as_text=True)
    assert 'value="Giải B"' in bad.get_data(as_text=True)
    good = _post(client, f"{url}/prizes", {"mode": "rank", "tiers-0-name": "Giải A", "tiers-0-places": "1",
                                           "tiers-1-name": "Giải B", "tiers-1-places": "2"}, f"{url}/prizes")
    assert good.status_code == 302

    # The chair strikes a passing entry; a failing one cannot be struck; a reason is required.
    _as(client, hall.chair)
    assert _post(client, f"{url}/entries/{entries['2.004']}/strike", {"reason": ""}, url).status_code == 302
    _post(client, f"{url}/entries/{entries['2.003']}/strike", {"reason": "Không đạt"}, url)
    assert "Chỉ loại được sản phẩm đạt" in client.get(url).get_data(as_text=True)
    _post(client, f"{url}/entries/{entries['2.004']}/strike",
          {"reason": "Cơ sở chưa có giấy chứng nhận an toàn thực phẩm còn hiệu lực."}, url)

    # The chair asks the juror of the far-off sheet to justify it; the juror answers.
    with app.app_context():
        far = db.session.scalar(select(ScoreSheet).where(ScoreSheet.application_id == entries["2.004"],
                                                         ScoreSheet.juror_user_id == hall.jurors[2].id))
        far_id = far.id
    _post(client, f"{url}/sheets/{far_id}/justification-request",
          {"reason": "Tổng điểm thấp hơn các phiếu khác 30 điểm; đề nghị giải trình."}, url)
    _as(client, hall.jurors[2])
    jury_page = f"/jury/rounds/{hall.round_id}"
    assert "đề nghị giải trình" in client.get(jury_page).get_data(as_text=True)
    empty = _post(client, f"/jury/rounds/{hall.round_id}/sheets/{far_id}/justification", {"justification": " "},
                  jury_page)
    assert "Hãy ghi nội dung giải trình." in client.get(empty.headers["Location"]).get_data(as_text=True)
    _post(client, f"/jury/rounds/{hall.round_id}/sheets/{far_id}/justification",
          {"justification": "Sản phẩm chưa có hồ sơ truy xuất nguồn gốc nên tôi chấm thấp tiêu chí 1 và 2."}, jury_page)
    with app.app_context():
        assert db.session.get(ScoreSheet, far_id).justified_at is not None

    # The vote: below the quorum it is refused with what was typed kept; then carried.
    _as(client, hall.chair)
    typed = {"meeting_on": today_vn().isoformat(), "present_members": _present(app, hall, 2), "votes_for": "2", "votes_against": "0",
             "votes_abstain": "0", "minutes_note": "Họp tại trụ sở Sở Công Thương"}
    short = _post(client, f"{url}/vote", typed, url)
    body = short.get_data(as_text=True)
    assert short.status_code == 400 and "chưa đủ 3 thành viên" in body and "Họp tại trụ sở Sở Công Thương" in body
    over = _post(client, f"{url}/vote", {**typed, "present_members": _present(app, hall, 4), "votes_for": "3", "votes_against": "2"}, url)
    assert over.status_code == 400 and "vượt số thành viên có mặt" in over.get_data(as_text=True)
    carried = _post(client, f"{url}/vote", {**typed, "present_members": _present(app, hall, 4), "votes_for": "3", "votes_abstain": "1"},
                    url)
    assert carried.status_code == 302
    with app.app_context():
        decision = db.session.scalar(select(Decision).where(Decision.round_id == hall.round_id))
        assert decision.carried and decision.sequence == 1
        listed = [(db.session.get(type(e.application), e.application_id).entry_code, e.rank, str(e.score), e.prize)
                  for e in decision.entries]
        assert listed == [("2.002", 1, "81.33", "Giải A"), ("2.001", 2, "81.33", "Giải B"),
                          ("2.006", 3, "74.67", "Giải B")]
        decision_id = decision.id

    # The organiser records the authority's decision and publishes.
    _as(client, hall.organiser)
    blank = _post(client, f"{url}/decisions/{decision_id}", {"decision_number": "", "decision_on": "",
                                                             "signer_name": "Nguyễn Văn Bình",
                                                             "signer_title": "Phó Chủ tịch UBND tỉnh"}, url)
    assert blank.status_code == 400 and 'value="Nguyễn Văn Bình"' in blank.get_data(as_text=True)
    assert _post(client, f"{url}/decisions/{decision_id}", {
        "decision_number": "1234/QĐ-UBND", "decision_on": today_vn().isoformat(), "signer_name": "Nguyễn Văn Bình",
        "signer_title": "Phó Chủ tịch UBND tỉnh"}, url).status_code == 302
    assert _post(client, f"{url}/publish", {}, url).status_code == 302
    with app.app_context():
        assert db.session.get(Round, hall.round_id).status == RoundStatus.DECIDED
        told = db.session.scalars(select(Notification).where(Notification.kind == "results_published")).all()
        assert len(told) == len(TABLE)

    # The public list: certified entries only, no juror names, no struck or failing entries.
    client.post("/logout", data={"csrf_token": csrf_from(client.get("/account/password"))})
    public = client.get(f"/results/{hall.round_id}").get_data(as_text=True)
    assert "Sản phẩm thử 1" in public and "Sản phẩm thử 0" in public and "Sản phẩm thử 5" in public
    assert "Sản phẩm thử 3" not in public and "Sản phẩm thử 2" not in public
    assert "1234/QĐ-UBND" in public and "Cán bộ" not in public and "Nhận xét của" not in public
    assert "Giải A" in public and "81,33" in public

    # The struck producer sees score, rank and comments without juror names, and complains.
    owner = hall.owners[3]
    _as(client, owner)
    mine = f"/producer/applications/{entries['2.004']}"
    page = client.get(mine).get_data(as_text=True)
    assert "76,33" in page and "3 trên 5 sản phẩm" in page and "không có trong danh sách" in page
    assert "bao bì" in page                                       # the jurors' comments …
    with app.app_context():
        names = [db.session.get(User, j.id).display_name for j in hall.jurors]
    assert not any(name in page for name in names)                # … without their names
    refused = _post(client, f"{mine}/complaint", {"text": "   "}, mine)
    assert refused.status_code == 400 and "Hãy ghi nội dung khiếu nại." in refused.get_data(as_text=True)
    text = "Cơ sở đã được cấp giấy chứng nhận an toàn thực phẩm ngày 01/03; xin gửi kèm bản sao."
    assert _post(client, f"{mine}/complaint", {"text": text}, mine).status_code == 302
    again = _post(client, f"{mine}/complaint", {"text": "Nhắc lại khiếu nại"}, mine)
    assert again.status_code == 400 and "đang chờ Hội đồng trả lời" in again.get_data(as_text=True)
    assert "Nhắc lại khiếu nại" in again.get_data(as_text=True)

    # Another producer cannot see that entry; the chair upholds the complaint and deliberation reopens.
    _as(client, hall.owners[0])
    assert client.get(mine).status_code == 404
    _as(client, hall.chair)
    with app.app_context():
        complaint_id = db.session.scalar(select(Complaint.id))
    _post(client, f"{url}/complaints/{complaint_id}/answer",
          {"outcome": "upheld_change", "answer": "Hội đồng đã kiểm tra giấy chứng nhận; đề nghị xét lại."}, url)
    with app.app_context():
        assert db.session.get(Round, hall.round_id).status == RoundStatus.DELIBERATION
        assert db.session.get(Complaint, complaint_id).status == "upheld"
        strike_id = db.session.scalar(select(Strike.id))
    _post(client, f"{url}/strikes/{strike_id}/restore", {}, url)
    _post(client, f"{url}/vote", {**typed, "present_members": _present(app, hall, 4), "votes_for": "4"}, url)
    _as(client, hall.organiser)
    with app.app_context():
        amending = db.session.scalar(select(Decision).where(Decision.sequence == 2))
        assert [e.rank for e in amending.entries] == [1, 2, 3, 4]
        amending_id = amending.id
    _post(client, f"{url}/decisions/{amending_id}", {
        "decision_number": "1300/QĐ-UBND", "decision_on": today_vn().isoformat(), "signer_name": "Nguyễn Văn Bình",
        "signer_title": "Phó Chủ tịch UBND tỉnh"}, url)
    _post(client, f"{url}/publish", {}, url)
    public = client.get(f"/results/{hall.round_id}").get_data(as_text=True)
    assert "1300/QĐ-UBND" in public and "Sản phẩm thử 3" in public

    # Every step is in the audit log.
    with app.app_context():
        actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"round.set_prizes", "result.strike", "result.restore", "sheet.request_justification", "sheet.justify",
            "result.vote", "result.decide", "result.publish", "complaint.file", "complaint.answer",
            "round.reopen_deliberation"} <= actions


def test_complaints_close_with_the_window(app, client, hall):
    url = f"/rounds/{hall.round_id}/results"
    _as(client, hall.chair)
    _post(client, f"{url}/vote", {"meeting_on": today_vn().isoformat(), "present_members": _present(app, hall, 3), "votes_for": "2",
                                  "votes_against": "1", "votes_abstain": "0"}, url)
    _as(client, hall.organiser)
    with app.app_context():
        decision_id = db.session.scalar(select(Decision.id))
    _post(client, f"{url}/decisions/{decision_id}", {
        "decision_number": "77/QĐ-UBND", "decision_on": today_vn().isoformat(), "signer_name": "Lê Thị Hoa",
        "signer_title": "Phó Chủ tịch"}, url)
    _post(client, f"{url}/publish", {}, url)
    with app.app_context():
        decision = db.session.get(Decision, decision_id)
        decision.complaints_close_on = today_vn() - timedelta(days=1)
        db.session.commit()
    _as(client, hall.owners[2])
    mine = f"/producer/applications/{hall.application_ids[2]}"
    assert "Thời hạn khiếu nại đã kết thúc" in client.get(mine).get_data(as_text=True)
    late = _post(client, f"{mine}/complaint", {"text": "Khiếu nại muộn"}, mine)
    assert late.status_code == 400 and "Thời hạn khiếu nại đã kết thúc ngày" in late.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Complaint)) is None


def test_a_vote_that_fails_is_recorded_and_can_be_taken_again(app, client, hall):
    url = f"/rounds/{hall.round_id}/results"
    _as(client, hall.chair)
    _post(client, f"{url}/vote", {"meeting_on": today_vn().isoformat(), "present_members": _present(app, hall, 4), "votes_for": "2",
                                  "votes_against": "2", "votes_abstain": "0"}, url)
    with app.app_context():
        first = db.session.scalar(select(Decision))
        assert not first.carried and first.entries == []
    page = client.get(url).get_data(as_text=True)
    assert "Không thông qua" in page and "Ghi kết quả biểu quyết" in page
    _post(client, f"{url}/vote", {"meeting_on": today_vn().isoformat(), "present_members": _present(app, hall, 4), "votes_for": "3",
                                  "votes_against": "1", "votes_abstain": "0"}, url)
    with app.app_context():
        assert [d.carried for d in db.session.scalars(select(Decision).order_by(Decision.sequence))] == [False, True]


def test_two_thirds_majority_setting(app, client, make_user, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "1000 per minute")
    hall = make_deliberating_round(app, make_user, TABLE[:3], round_settings={"vote_majority": "two_thirds"})
    url = f"/rounds/{hall.round_id}/results"
    _as(client, hall.chair)
    _post(client, f"{url}/vote", {"meeting_on": today_vn().isoformat(), "present_members": _present(app, hall, 4), "votes_for": "2",
                                  "votes_against": "1", "votes_abstain": "1"}, url)
    _post(client, f"{url}/vote", {"meeting_on": today_vn().isoformat(), "present_members": _present(app, hall, 3), "votes_for": "2",
                                  "votes_against": "1", "votes_abstain": "0"}, url)
    with app.app_context():
        assert [d.carried for d in db.session.scalars(select(Decision).order_by(Decision.sequence))] == [False, True]


def test_prize_bands_by_score(app, client, hall):
    url = f"/rounds/{hall.round_id}/results"
    _as(client, hall.organiser)
    falling = _post(client, f"{url}/prizes", {"mode": "score", "tiers-0-name": "Xuất sắc", "tiers-0-min_score": "75",
                                              "tiers-1-name": "Khá", "tiers-1-min_score": "80"}, f"{url}/prizes")
    assert falling.status_code == 400 and "phải thấp hơn giải trước" in falling.get_data(as_text=True)
    assert _post(client, f"{url}/prizes", {"mode": "score", "tiers-0-name": "Xuất sắc", "tiers-0-min_score": "80,3",
                                           "tiers-1-name": "Khá", "tiers-1-min_score": "74"},
                 f"{url}/prizes").status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert page.count("Xuất sắc") == 2 and page.count(">Khá<") == 2   # 2.001, 2.002 | 2.004, 2.006


def test_minutes_show_the_results_as_voted(app, client, hall):
    """A strike made after a failed vote appears in the second vote's minutes, not the first's."""
    from io import BytesIO

    from pypdf import PdfReader

    url = f"/rounds/{hall.round_id}/results"
    _as(client, hall.chair)
    vote = {"meeting_on": today_vn().isoformat(), "meeting_place": "Hội trường Sở Công Thương",
            "present_members": _present(app, hall, 4), "votes_for": "2", "votes_against": "2", "votes_abstain": "0"}
    _post(client, f"{url}/vote", vote, url)
    _post(client, f"{url}/entries/{hall.application_ids[3]}/strike", {"reason": "Thiếu giấy phép sản xuất rượu"}, url)
    _post(client, f"{url}/vote", {**vote, "votes_for": "4", "votes_against": "0"}, url)
    with app.app_context():
        first, second = db.session.scalars(select(Decision.id).order_by(Decision.sequence)).all()

    def minutes(decision_id):
        response = client.get(f"{url}/decisions/{decision_id}/minutes.pdf")
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        text = " ".join(page.extract_text() for page in PdfReader(BytesIO(response.data)).pages)
        return " ".join(text.split())

    assert "Thiếu giấy phép" not in minutes(first) and "Hội trường Sở Công Thương" in minutes(first)
    assert "Thiếu giấy phép sản xuất rượu" in minutes(second)


def _page_queries(app, client, make_user, entries):
    """Statements run to render the results page of a round with ``entries`` entries, each with an odd sheet."""
    table = [[[30, 30, 8, 8], [31, 30, 8, 8], [30, 31, 8, 8], [10, 10, 2, 2]] for _ in range(entries)]
    hall = make_deliberating_round(app, make_user, table)
    _as(client, hall.chair)
    url = f"/rounds/{hall.round_id}/results"
    _post(client, f"{url}/entries/{hall.application_ids[0]}/strike", {"reason": "Thiếu hồ sơ"}, url)
    client.get(url)  # warm caches that do not depend on the round (reference data, templates)
    with app.app_context(), counted_queries(db.engine) as statements:
        page = client.get(url)
    assert page.status_code == 200 and page.get_data(as_text=True).count("Đề nghị giải trình") >= entries
    return len(statements)


def test_results_page_runs_a_bounded_number_of_queries(app, client, make_user, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "1000 per minute")
    small = _page_queries(app, client, make_user, 4)
    large = _page_queries(app, client, make_user, 16)
    assert large == small, (small, large)


def test_excel_files_follow_the_ui_language(client, hall):
    from io import BytesIO

    from openpyxl import load_workbook

    _as(client, hall.organiser)
    url = f"/rounds/{hall.round_id}/results"

    def cells(path):
        response = client.get(f"{url}/{path}")
        assert response.status_code == 200
        sheet = load_workbook(BytesIO(response.data)).active
        return {str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None}

    assert "Điểm bình quân" in cells("results.xlsx") and "Giám khảo" in cells("scores.xlsx")
    client.get("/lang/en?next=/")
    assert "Mean score" in cells("results.xlsx") and "Stage" in cells("scores.xlsx")


def test_the_rules_order_announces_takes_complaints_then_decides(app, client, hall):
    """The default order: the council's proposal is announced, complaints are settled, then the decision."""
    url = f"/rounds/{hall.round_id}/results"
    entries = dict(zip(("2.001", "2.002", "2.003", "2.004", "2.005", "2.006"), hall.application_ids, strict=True))
    with app.app_context():
        assert db.session.get(Round, hall.round_id).step_order == StepOrder.ANNOUNCE_FIRST  # a new round's default
    _as(client, hall.chair)
    vote = {"meeting_on": (today_vn() - timedelta(days=5)).isoformat(), "present_members": _present(app, hall, 4), "votes_for": "4",
            "votes_against": "0", "votes_abstain": "0", "minutes_note": ""}
    assert _post(client, f"{url}/vote", vote, url).status_code == 302
    with app.app_context():
        decision_id = db.session.scalar(select(Decision.id).where(Decision.round_id == hall.round_id))
    decision = {"decision_number": "1234/QĐ-UBND", "decision_on": today_vn().isoformat(),
                "signer_name": "Nguyễn Văn Bình", "signer_title": "Phó Chủ tịch UBND tỉnh"}

    # Before the announcement there is no decision to record: the page offers the announcement.
    _as(client, hall.organiser)
    page = client.get(url).get_data(as_text=True)
    assert "Công bố kết quả" in page and "Ghi Quyết định công nhận" not in page
    early = _post(client, f"{url}/decisions/{decision_id}", decision, url)
    assert early.status_code == 400 and "phải được công bố để nhận khiếu nại trước khi ghi" in early.get_data(as_text=True)

    # Announced: every entrant is told it is a proposal; the public list carries no decision number yet.
    assert _post(client, f"{url}/publish", {}, url).status_code == 302
    with app.app_context():
        assert db.session.get(Round, hall.round_id).status == RoundStatus.ANNOUNCED
        told = db.session.scalars(select(Notification).where(Notification.kind == "results_published")).all()
        assert len(told) == len(TABLE) and all(json.loads(n.params)["proposed"] for n in told)
        closes_on = db.session.get(Decision, decision_id).complaints_close_on
    public = client.get(f"/results/{hall.round_id}").get_data(as_text=True)
    assert "đề nghị công nhận" in public and "1234/QĐ-UBND" not in public and "Sản phẩm thử 1" in public
    page = client.get(url).get_data(as_text=True)
    assert f"hết ngày {closes_on.strftime('%d/%m/%Y')}" in page and "Quyết định công nhận được ghi sau khi" in page

    # A producer left off the list complains within the window; the decision waits for the window …
    _as(client, hall.owners[2])
    mine = f"/producer/applications/{entries['2.003']}"  # 51 points: below the pass mark
    assert "không có trong danh sách Hội đồng bình chọn đề nghị công nhận" in client.get(mine).get_data(as_text=True)
    assert _post(client, f"{mine}/complaint", {"text": "Xin Hội đồng xem lại điểm tiêu chí 2."}, mine).status_code == 302
    _as(client, hall.organiser)
    waiting = _post(client, f"{url}/decisions/{decision_id}", decision, url)
    assert waiting.status_code == 400 and "Chưa hết thời hạn khiếu nại" in waiting.get_data(as_text=True)
    assert 'value="1234/QĐ-UBND"' in waiting.get_data(as_text=True)  # what was typed is kept

    # … and, once the window has run out, for every complaint to be answered.
    with app.app_context():
        db.session.get(Decision, decision_id).complaints_close_on = today_vn() - timedelta(days=1)
        db.session.commit()
        complaint_id = db.session.scalar(select(Complaint.id))
    assert "còn khiếu nại chưa được Hội đồng trả lời" in client.get(url).get_data(as_text=True)
    unanswered = _post(client, f"{url}/decisions/{decision_id}", decision, url)
    assert unanswered.status_code == 400 and "khiếu nại chưa được trả lời" in unanswered.get_data(as_text=True)
    _as(client, hall.chair)
    _post(client, f"{url}/complaints/{complaint_id}/answer",
          {"outcome": "dismissed", "answer": "Hội đồng đã xem lại; điểm giữ nguyên."}, url)

    # The decision, dated after the window, ends the round's results; the public list names it.
    _as(client, hall.organiser)
    backdated = _post(client, f"{url}/decisions/{decision_id}",
                      {**decision, "decision_on": (today_vn() - timedelta(days=1)).isoformat()}, url)
    assert backdated.status_code == 400 and "sau ngày hết hạn khiếu nại" in backdated.get_data(as_text=True)
    assert _post(client, f"{url}/decisions/{decision_id}", decision, url).status_code == 302
    with app.app_context():
        assert db.session.get(Round, hall.round_id).status == RoundStatus.DECIDED
        assert db.session.get(Decision, decision_id).published_at is not None
    assert "1234/QĐ-UBND" in client.get(f"/results/{hall.round_id}").get_data(as_text=True)
