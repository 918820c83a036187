"""Organiser pages for scoring: settings, council and jury, conflicts, phases, progress and reminders."""
import pytest
from sqlalchemy import select

from tests.conftest import csrf_from, login
from tests.factories import make_entries, make_round
from voting.extensions import db
from voting.models import AuditEvent, Conflict, Notification, Round, RoundStatus, User


@pytest.fixture
def screening(app, make_user):
    organiser = make_user("organiser", province_code="19")
    owners = [make_user("producer") for _ in range(3)]
    jurors = [make_user("juror") for _ in range(3)]
    with app.app_context():
        org = db.session.get(User, organiser.id)
        round_ = make_round(org)
        make_entries(org, [db.session.get(User, o.id) for o in owners], round_)
        db.session.commit()
        round_id = round_.id
    return {"organiser": organiser, "jurors": jurors, "round_id": round_id}


def _post(client, url, data, page_url=None):
    page = client.get(page_url or url)
    return client.post(url, data={"csrf_token": csrf_from(page), **data})


def test_settings_are_saved_and_bad_values_kept(app, client, screening):
    login(client, screening["organiser"].email)
    url = f"/organiser/rounds/{screening['round_id']}/scoring-settings"
    bad = _post(client, url, {"point_step": "0.5", "pass_mark": "150", "min_sheets_per_entry": "3",
                              "council_quorum": "5", "second_stage_rule": "all_passing",
                              "certificate_validity_months": "36", "signer_name": "Nguyễn Văn Bình"})
    assert bad.status_code == 200 and "Điểm đạt từ 0 đến 100." in bad.get_data(as_text=True)
    assert 'value="Nguyễn Văn Bình"' in bad.get_data(as_text=True)
    good = _post(client, url, {"point_step": "0.25", "pass_mark": "75", "min_sheets_per_entry": "2",
                               "council_quorum": "5", "second_stage_rule": "all_passing",
                               "certificate_validity_months": "24", "signer_name": "Nguyễn Văn Bình",
                               "signer_title": "Phó Chủ tịch UBND tỉnh", "detect_same_contact": "y",
                               "second_stage_weight": "1", "outlier_mad_factor": "2,5", "outlier_min_spread": "0",
                               "vote_majority": "two_thirds", "complaint_window_days": "10",
                               "step_order": "decide_first", "validity_from": "issue"})
    assert good.status_code == 302
    with app.app_context():
        round_ = db.session.get(Round, screening["round_id"])
        assert (str(round_.point_step), str(round_.pass_mark), round_.min_sheets_per_entry) == ("0.25", "75.00", 2)
        assert round_.detect_same_contact and not round_.detect_same_person
        assert (str(round_.outlier_mad_factor), round_.outlier_min_spread, round_.vote_majority,
                round_.complaint_window_days) == ("2.50", 0, "two_thirds", 10)
        assert (round_.step_order, round_.validity_from) == ("decide_first", "issue")
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "round.update_settings"))


def test_the_settings_page_shows_maxima_as_points_never_in_exponent_notation(app, client, screening):
    """Issue 16, item 18: Decimal("40.00").normalize() printed as "4E+1"."""
    import re

    from voting.operations.rounds import set_subcriteria

    with app.app_context():
        set_subcriteria(db.session.get(User, screening["organiser"].id), db.session.get(Round, screening["round_id"]),
                        "3", [("3.1", "Tính văn hóa", "7.5"), ("3.2", "Tính thẩm mỹ", "2.5")])
        db.session.commit()
    login(client, screening["organiser"].email)
    text = client.get(f"/organiser/rounds/{screening['round_id']}/scoring-settings").get_data(as_text=True)
    assert "E+" not in text
    table = text[text.index("Phiếu chấm của đợt"):]
    assert re.findall(r'<td class="num">([^<]*)</td>', table) == ["40", "40", "10", "7,5", "2,5", "10"]
    options = re.findall(r'<option[^>]*value="(\d)"[^>]*>[^<]*\(([^)]*)\)</option>', table)
    assert options == [("1", "40"), ("2", "40"), ("3", "10"), ("4", "10")]


def test_council_jury_conflicts_and_opening_scoring(app, client, screening):
    login(client, screening["organiser"].email)
    url = f"/organiser/rounds/{screening['round_id']}/council"
    response = _post(client, url, {"member-full_name": "Cán bộ Sở", "member-email": screening["organiser"].email,
                                   "member-role": "secretary", "member-submit": "1"})
    assert response.status_code == 302
    unknown = _post(client, url, {"juror-email": "khong-co@example.vn", "juror-submit": "1"})
    assert "Không có tài khoản" in unknown.get_data(as_text=True)
    for juror in screening["jurors"][:2]:
        assert _post(client, url, {"juror-email": juror.email, "juror-submit": "1"}).status_code == 302
    phase = _post(client, f"/organiser/rounds/{screening['round_id']}/phase", {"transition": "open_scoring"},
                  page_url=url)
    follow = client.get(phase.headers["Location"]).get_data(as_text=True)
    assert "mới có 2 giám khảo chấm, cần ít nhất 3" in follow
    assert _post(client, url, {"juror-email": screening["jurors"][2].email, "juror-submit": "1"}).status_code == 302
    with app.app_context():
        juror = db.session.get(User, screening["jurors"][2].id)
        juror.phone = "0987654300"  # the first entry's producer phone (tests/factories.make_entries)
        db.session.commit()
    _post(client, f"/organiser/rounds/{screening['round_id']}/detect-conflicts", {}, page_url=url)
    page = client.get(url).get_data(as_text=True)
    assert "Hệ thống phát hiện" in page and "chưa đủ giám khảo" in page
    with app.app_context():
        assert db.session.scalar(select(Conflict).where(Conflict.source == "same_contact")) is not None
        db.session.get(Round, screening["round_id"]).min_sheets_per_entry = 2
        db.session.commit()
    _post(client, f"/organiser/rounds/{screening['round_id']}/phase", {"transition": "open_scoring"}, page_url=url)
    with app.app_context():
        assert db.session.get(Round, screening["round_id"]).status == RoundStatus.SCORING


def test_progress_and_reminders_reach_the_juror_inbox(app, client, screening):
    login(client, screening["organiser"].email)
    url = f"/organiser/rounds/{screening['round_id']}/council"
    for juror in screening["jurors"]:
        _post(client, url, {"juror-email": juror.email, "juror-submit": "1"})
    _post(client, f"/organiser/rounds/{screening['round_id']}/phase", {"transition": "open_scoring"}, page_url=url)
    progress_url = f"/organiser/rounds/{screening['round_id']}/progress"
    assert "<strong>3</strong>" in client.get(progress_url).get_data(as_text=True)
    assert _post(client, progress_url, {}).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Notification).where(
            Notification.user_id == screening["jurors"][0].id)).kind == "scoring_reminder"
    juror_client = app.test_client()
    login(juror_client, screening["jurors"][0].email)
    inbox = juror_client.get("/account/inbox").get_data(as_text=True)
    assert "còn 3 phiếu chấm chưa nộp" in inbox


def test_blank_score_sheets_print_one_page_per_entry(app, client, screening):
    from io import BytesIO

    from pypdf import PdfReader

    login(client, screening["organiser"].email)
    response = client.get(f"/organiser/rounds/{screening['round_id']}/score-sheets.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(BytesIO(response.data))
    assert len(reader.pages) == 3
    text = reader.pages[0].extract_text()
    assert "PHIẾU CHẤM ĐIỂM" in text and "1.001" in text


def test_sub_criteria_with_their_own_maxima(app, client, screening):
    login(client, screening["organiser"].email)
    url = f"/organiser/rounds/{screening['round_id']}/subcriteria"
    page_url = f"/organiser/rounds/{screening['round_id']}/scoring-settings"
    bad_line = _post(client, url, {"sub-criterion": "1", "sub-lines": "1.1 | Thị trường"}, page_url=page_url)
    assert bad_line.status_code == 400 and "Dòng 1 chưa đúng dạng" in bad_line.get_data(as_text=True)
    assert "1.1 | Thị trường" in bad_line.get_data(as_text=True)
    bad_sum = _post(client, url, {"sub-criterion": "1", "sub-lines": "1.1 | Thị trường | 20\n1.2 | Quy mô | 10"},
                    page_url=page_url)
    assert bad_sum.status_code == 400
    assert "phải bằng điểm tối đa của tiêu chí 1" in bad_sum.get_data(as_text=True)
    good = _post(client, url, {"sub-criterion": "1", "sub-lines": "1.1 | Thị trường | 25\n1.2 | Quy mô | 15"},
                 page_url=page_url)
    assert good.status_code == 302
    with app.app_context():
        round_ = db.session.get(Round, screening["round_id"])
        assert [c.code for c in round_.criteria] == ["1", "1.1", "1.2", "2", "3", "4"]
        assert [c.code for c in round_.leaf_criteria] == ["1.1", "1.2", "2", "3", "4"]
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "round.set_subcriteria"))


def _scored(app, screening, members):
    """The round in scoring with every sheet submitted, and a council of ``members`` (chair and secretary first)."""
    from voting.models import Application, ApplicationStatus
    from tests.factories import found_council
    from voting.operations.council import assign_juror, set_council_member
    from voting.operations.rounds import open_scoring
    from voting.operations.scoring import open_sheet, save_draft, submit_sheet

    with app.app_context():
        round_ = db.session.get(Round, screening["round_id"])
        organiser = db.session.get(User, screening["organiser"].id)
        jurors = [db.session.get(User, j.id) for j in screening["jurors"]]
        for user, role in list(zip([jurors[0], organiser, jurors[1], jurors[2]],
                                   ["chair", "secretary", "member", "member"], strict=True))[:members]:
            set_council_member(organiser, round_, user, role)
        found_council(organiser, round_)
        for juror in jurors:
            assign_juror(organiser, round_, juror)
        open_scoring(organiser, round_)
        entries = db.session.scalars(select(Application).where(
            Application.round_id == round_.id, Application.status == ApplicationStatus.ACCEPTED)).all()
        for juror in jurors:
            for entry in entries:
                sheet = open_sheet(juror, entry, juror)
                save_draft(juror, sheet, {str(c.id): "8" for c in round_.leaf_criteria}, comment="Đạt")
                submit_sheet(juror, sheet, sheet.version)
        db.session.commit()


WARNING = "Hội đồng bình chọn mới có 2 thành viên, ít hơn túc số 3 cần để biểu quyết."
WARNING_EN = "The selection council has only 2 members, fewer than the quorum of 3 needed for a vote."


def test_moving_to_deliberation_warns_when_the_council_cannot_reach_its_quorum(app, client, screening):
    """Issue 16, item 20: warned on the page, in the confirmation and after the move, in Vietnamese and English."""
    from voting.operations.rounds import council_short_of_quorum

    _scored(app, screening, members=2)
    login(client, screening["organiser"].email)
    url = f"/organiser/rounds/{screening['round_id']}/council"
    page = client.get(url).get_data(as_text=True)
    assert page.count(WARNING) == 2  # on the page and in the move's confirmation
    client.get("/lang/en")
    assert WARNING_EN in client.get(url).get_data(as_text=True)
    client.get("/lang/vi")
    moved = _post(client, f"/organiser/rounds/{screening['round_id']}/phase", {"transition": "start_deliberation"},
                  page_url=url)
    after = client.get(moved.headers["Location"]).get_data(as_text=True)
    assert "Lưu ý: Hội đồng bình chọn chỉ có 2 thành viên, ít hơn túc số 3" in after
    assert WARNING not in after  # the council can no longer be changed: no advice to change it
    with app.app_context():
        round_ = db.session.get(Round, screening["round_id"])
        assert round_.status == RoundStatus.DELIBERATION
        assert council_short_of_quorum(round_) == ("council_below_quorum", {"members": 2, "quorum": 3})
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "round.start_deliberation"))
        assert event.data_dict["warnings"] == ["council_below_quorum"] and event.data_dict["council_members"] == 2


def test_a_council_that_can_reach_its_quorum_moves_without_a_warning(app, client, screening):
    _scored(app, screening, members=3)
    login(client, screening["organiser"].email)
    url = f"/organiser/rounds/{screening['round_id']}/council"
    assert "ít hơn túc số" not in client.get(url).get_data(as_text=True)
    moved = _post(client, f"/organiser/rounds/{screening['round_id']}/phase", {"transition": "start_deliberation"},
                  page_url=url)
    after = client.get(moved.headers["Location"]).get_data(as_text=True)
    assert "đã chuyển sang giai đoạn mới" in after and "ít hơn túc số" not in after
    with app.app_context():
        assert db.session.get(Round, screening["round_id"]).status == RoundStatus.DELIBERATION
