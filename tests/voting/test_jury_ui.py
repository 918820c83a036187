"""The juror's pages through real HTTP: rounds, entries, score sheets, autosave, conflicts, files.

The hall: a Thái Nguyên round in scoring with three accepted entries (2.001 and
2.002 in group 2, 1.001 in group 1) and three jurors on every entry; a fourth
juror scores group 1 only, and an outsider sits on no jury of this round.
"""
import html
import re
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.conftest import csrf_from, login
from tests.factories import make_complete_product, make_producer, make_round
from tests.support.scoring_pages import hall as hall  # noqa: PLC0414 (a fixture)
from tests.support.scoring_pages import make_hall as make_hall  # noqa: PLC0414 (a fixture)
from voting.core.clock import today_vn
from voting.extensions import db
from voting.models import Application, Conflict, Round, RoundStatus, Score, ScoreSheet, SheetStatus, User
from voting.operations.council import assign_juror, declare_conflict
from voting.operations.rounds import open_scoring
from voting.operations.scoring import open_sheet, save_draft, submit_sheet

FULL = {"1": "35", "2": "30.5", "3": "8", "4": "7"}  # 80.5
COMMENT = "Sản phẩm có thị trường ổn định, bao bì đẹp."


@pytest.fixture
def elsewhere(app, hall, make_user):
    """An accepted entry of another round, by a producer with nothing in the hall's round."""
    owner_ref = make_user("producer")
    with app.app_context():
        from voting.operations.applications import accept_application, start_application, submit_application
        from voting.rules.commitments import commitment_codes
        from voting.operations.rounds import close_registration

        organiser, owner = db.session.get(User, hall.organiser.id), db.session.get(User, owner_ref.id)
        round_ = make_round(organiser, title="Đợt bình chọn khác")
        producer = make_producer(owner, name="Cơ sở ngoài đợt", registration_number="4700999999", phone="0911111111")
        product = make_complete_product(owner, producer, name="Sản phẩm đợt khác")
        application = start_application(owner, producer, product, round_, today_vn())
        submit_application(owner, application, today_vn(), commitment_codes())
        close_registration(organiser, round_)
        accept_application(organiser, application)
        db.session.commit()
        return {"round_id": round_.id, "application_id": application.id, "producer_id": producer.id}


def sign_in(client, user):
    assert login(client, user.email, user.password).status_code == 302


def text(response):
    return html.unescape(response.get_data(as_text=True))


def version_of(response):
    match = re.search(r'name="version"[^>]*value="(\d+)"', response.get_data(as_text=True))
    assert match, "page has no version field"
    return int(match.group(1))


def sheet_form(page, action="save", comment=COMMENT, **fields):
    return {"csrf_token": csrf_from(page), "version": str(version_of(page)), "action": action,
            "comment": comment, **fields}


def stored_sheet(app, hall, juror, code):
    with app.app_context():
        sheet = db.session.scalar(select(ScoreSheet).where(
            ScoreSheet.application_id == hall.entries[code], ScoreSheet.juror_user_id == juror.id))
        if sheet is None:
            return None
        by_code = {c: str(s.points) for s in sheet.scores for c, cid in hall.criteria.items()
                   if cid == s.criterion_id and s.points is not None}
        return {"status": sheet.status, "version": sheet.version, "comment": sheet.comment, "points": by_code}


def score_in_app(app, hall, juror, code, by_code=FULL, submit=True):
    """A sheet filled in directly through the operations (another juror's work)."""
    with app.app_context():
        user = db.session.get(User, juror.id)
        sheet = open_sheet(user, db.session.get(Application, hall.entries[code]), user)
        save_draft(user, sheet, {str(hall.criteria[c]): v for c, v in by_code.items()},
                   {str(hall.criteria["1"]): "GHI-CHU-CUA-NGUOI-KHAC"}, "NHAN-XET-CUA-NGUOI-KHAC")
        if submit:
            db.session.flush()
            submit_sheet(user, sheet, sheet.version)
        db.session.commit()


# --- dashboard and the list of entries ---------------------------------------------------------


def test_dashboard_lists_my_rounds_with_progress(app, client, hall, make_user):
    with app.app_context():
        other = make_round(db.session.get(User, hall.organiser.id), title="Đợt khác không có tôi", open_=False)
        assign_juror(db.session.get(User, hall.organiser.id), other, db.session.get(User, hall.jurors[1].id))
        db.session.commit()
    score_in_app(app, hall, hall.jurors[0], "2.001")
    sign_in(client, hall.jurors[0])
    body = text(client.get("/jury/"))
    assert "Bình chọn sản phẩm CNNT tiêu biểu tỉnh Thái Nguyên" in body
    assert "Đợt khác không có tôi" not in body
    assert "1 / 3 đã chấm" in body
    assert "Chấm điểm" in body  # the round's status


def test_round_list_shows_eligible_entries_in_code_order(client, hall):
    sign_in(client, hall.jurors[0])
    body = text(client.get(f"/jury/rounds/{hall.round_id}"))
    positions = [body.index(f">{code}<") for code in ("1.001", "2.001", "2.002")]
    assert positions == sorted(positions)
    assert body.count("chưa chấm") == 3


def test_a_juror_by_group_sees_only_that_group(client, hall):
    sign_in(client, hall.group_one_juror)
    body = text(client.get(f"/jury/rounds/{hall.round_id}"))
    assert ">1.001<" in body and ">2.001<" not in body and ">2.002<" not in body
    response = client.get(hall.sheet_url("2.001"))
    assert response.status_code == 403
    assert "không được phân công" in text(response)


def test_sheet_states_and_totals_in_the_list(app, client, hall):
    score_in_app(app, hall, hall.jurors[0], "2.001")
    score_in_app(app, hall, hall.jurors[0], "2.002", {"1": "20"}, submit=False)
    sign_in(client, hall.jurors[0])
    body = text(client.get(f"/jury/rounds/{hall.round_id}"))
    assert "đã nộp" in body and "bản nháp" in body and "chưa chấm" in body
    assert "80,5 điểm" in body and "20 điểm" in body
    assert "1 / 3 đã chấm" in body


def test_pages_of_a_round_i_am_not_in_are_404(client, hall):
    sign_in(client, hall.outsider)
    assert client.get(f"/jury/rounds/{hall.round_id}").status_code == 404
    assert client.get(hall.sheet_url("2.001")).status_code == 404
    url = f"{hall.sheet_url('2.001')}/files/{hall.photos['2.001']}?thumb=1"
    assert client.get(url).status_code == 404
    assert client.get("/jury/rounds/999999").status_code == 404


def test_an_entry_of_another_round_is_404(client, hall, elsewhere):
    sign_in(client, hall.jurors[0])
    url = f"/jury/rounds/{hall.round_id}/entries/{elsewhere['application_id']}"
    assert client.get(url).status_code == 404
    assert client.get(f"/jury/rounds/{elsewhere['round_id']}").status_code == 404


def test_an_organiser_on_the_jury_scores_too(app, client, hall):
    with app.app_context():
        from voting.models import Round

        organiser = db.session.get(User, hall.organiser.id)
        assign_juror(organiser, db.session.get(Round, hall.round_id), organiser)
        db.session.commit()
    sign_in(client, hall.organiser)
    assert client.get("/jury/").status_code == 200
    assert client.get(hall.sheet_url("2.001")).status_code == 200


# --- the sheet: opening, saving, bad input -----------------------------------------------------


def test_opening_a_sheet_shows_it_beside_the_dossier_and_writes_nothing(app, client, hall):
    sign_in(client, hall.jurors[0])
    response = client.get(hall.sheet_url("2.001"))
    assert response.status_code == 200
    body = text(response)
    assert "Sản phẩm thử 0" in body and "2.001" in body and "Miến dong được làm thủ công" in body
    assert f"/files/{hall.photos['2.001']}?thumb=1" in body
    for code, maximum in (("1", "40"), ("3", "10")):
        field = re.search(rf'<input[^>]*name="points-{hall.criteria[code]}"[^>]*>', body).group(0)
        assert 'type="number"' in field and 'inputmode="decimal"' in field
        assert 'min="0"' in field and f'max="{maximum}"' in field and 'step="0.5"' in field
    assert stored_sheet(app, hall, hall.jurors[0], "2.001") is None  # a GET writes nothing
    assert '<script src="/static/js/scoring.js" defer></script>' in body


def test_the_first_save_creates_the_draft_and_a_submit_names_its_version(app, client, hall):
    """The blank sheet a GET shows vouches for version 1, the version the first save creates."""
    sign_in(client, hall.jurors[0])
    page = client.get(hall.sheet_url("2.001"))
    assert version_of(page) == 1 and stored_sheet(app, hall, hall.jurors[0], "2.001") is None
    client.post(hall.sheet_url("2.001"), data=sheet_form(page, **hall.points({"1": "20"})))
    assert stored_sheet(app, hall, hall.jurors[0], "2.001")["status"] == SheetStatus.DRAFT
    blank = client.get(hall.sheet_url("2.002"))  # submitted straight from the blank page: no draft before
    response = client.post(hall.sheet_url("2.002"), data=sheet_form(blank, action="submit", **hall.points(FULL)))
    assert response.status_code == 302
    assert stored_sheet(app, hall, hall.jurors[0], "2.002")["status"] == SheetStatus.SUBMITTED


def test_enter_in_a_points_field_saves_rather_than_submits(client, hall):
    """Implicit submission uses the form's first submit button: it must be the save button."""
    sign_in(client, hall.jurors[0])
    body = client.get(hall.sheet_url("2.001")).get_data(as_text=True)
    buttons = re.findall(r'<button type="submit" form="score-sheet" name="action" value="(\w+)"', body)
    assert buttons == ["save", "submit"]
    assert body.index('id="score-sheet"') < body.index('value="save"')


def test_previous_and_next_entries(client, hall):
    sign_in(client, hall.jurors[0])
    body = text(client.get(hall.sheet_url("2.001")))
    assert f'href="{hall.sheet_url("1.001")}"' in body and f'href="{hall.sheet_url("2.002")}"' in body
    first = text(client.get(hall.sheet_url("1.001")))
    assert 'rel="prev"' not in first and f'href="{hall.sheet_url("2.001")}"' in first


def test_saving_keeps_the_values(app, client, hall):
    sign_in(client, hall.jurors[0])
    page = client.get(hall.sheet_url("2.001"))
    note = {f"note-{hall.criteria['2']}": "Bao bì chưa có mã vạch"}
    response = client.post(hall.sheet_url("2.001"), data=sheet_form(page, **hall.points({"1": "35,5", "2": "30"}),
                                                                     **note))
    assert response.status_code == 302
    stored = stored_sheet(app, hall, hall.jurors[0], "2.001")
    assert stored["points"] == {"1": "35.50", "2": "30.00"} and stored["comment"] == COMMENT
    body = text(client.get(hall.sheet_url("2.001")))
    assert "Đã lưu nháp lúc" in body
    assert f'name="points-{hall.criteria["1"]}"' in body and 'value="35.5"' in body
    assert "Bao bì chưa có mã vạch" in body and "65,5" in body  # the running total


@pytest.mark.parametrize("raw, message", [
    ("40.5", "vượt quá mức tối đa của tiêu chí (40)"),
    ("-1", "không được là số âm"),
    ("12.3", "chia hết cho bước chấm 0,5"),
    ("mười", "Hãy nhập một số"),
])
def test_bad_points_are_refused_kept_and_change_nothing(app, client, hall, raw, message):
    sign_in(client, hall.jurors[0])
    page = client.get(hall.sheet_url("2.001"))
    client.post(hall.sheet_url("2.001"), data=sheet_form(page, **hall.points({"1": "20"})))
    before = stored_sheet(app, hall, hall.jurors[0], "2.001")
    page = client.get(hall.sheet_url("2.001"))
    response = client.post(hall.sheet_url("2.001"), data=sheet_form(
        page, comment="Nhận xét mới chưa lưu", **hall.points({"1": raw, "2": "33"})))
    assert response.status_code == 400
    body = text(response)
    assert message in body
    assert f'value="{raw}"' in body and 'value="33"' in body and "Nhận xét mới chưa lưu" in body
    assert 'aria-invalid="true"' in body
    assert stored_sheet(app, hall, hall.jurors[0], "2.001") == before


def test_a_criterion_not_on_the_sheet_is_refused(app, client, hall):
    sign_in(client, hall.jurors[0])
    page = client.get(hall.sheet_url("2.001"))
    before = stored_sheet(app, hall, hall.jurors[0], "2.001")
    response = client.post(hall.sheet_url("2.001"), data=sheet_form(
        page, **{"points-999999": "5"}, **hall.points({"1": "20"})))
    assert response.status_code == 400
    body = text(response)
    assert "không thuộc phiếu chấm của đợt này" in body and 'value="20"' in body
    assert stored_sheet(app, hall, hall.jurors[0], "2.001") == before


# --- autosave ----------------------------------------------------------------------------------


def test_autosave_round_trip(app, client, hall):
    sign_in(client, hall.jurors[0])
    page = client.get(hall.sheet_url("2.001"))
    version = version_of(page)
    headers = {"X-Requested-With": "fetch"}
    response = client.post(hall.sheet_url("2.001"), headers=headers,
                           data=sheet_form(page, action="autosave", **hall.points(FULL)))
    assert response.status_code == 200
    answer = response.get_json()
    assert answer["ok"] is True and answer["version"] == version + 1 and answer["total"] == "80.5"
    assert re.fullmatch(r"\d\d:\d\d", answer["saved_at"])
    assert stored_sheet(app, hall, hall.jurors[0], "2.001")["points"]["2"] == "30.50"

    bad = client.post(hall.sheet_url("2.001"), headers=headers,
                      data=sheet_form(page, action="autosave", **hall.points({"1": "41"})))
    assert bad.status_code == 400
    answer = bad.get_json()
    assert answer["ok"] is False
    assert "vượt quá mức tối đa" in answer["errors"][str(hall.criteria["1"])]
    assert stored_sheet(app, hall, hall.jurors[0], "2.001")["points"]["1"] == "35.00"


def test_autosave_after_submission_is_refused_in_json(app, client, hall):
    score_in_app(app, hall, hall.jurors[0], "2.001")
    sign_in(client, hall.jurors[0])
    page = client.get(hall.sheet_url("2.002"))  # any page for a CSRF token
    response = client.post(hall.sheet_url("2.001"), headers={"X-Requested-With": "fetch"},
                           data=sheet_form(page, action="autosave", **hall.points({"1": "1"})))
    assert response.status_code == 409
    assert response.get_json()["locked"] is True and "đã nộp" in response.get_json()["error"]


# --- submitting --------------------------------------------------------------------------------


def test_submit_locks_the_sheet(app, client, hall):
    sign_in(client, hall.jurors[0])
    page = client.get(hall.sheet_url("2.001"))
    response = client.post(hall.sheet_url("2.001"), data=sheet_form(page, action="submit", **hall.points(FULL)))
    assert response.status_code == 302
    assert stored_sheet(app, hall, hall.jurors[0], "2.001")["status"] == SheetStatus.SUBMITTED
    body = text(client.get(hall.sheet_url("2.001")))
    assert "Đã nộp phiếu chấm 2.001, tổng 80,5 điểm" in body
    assert 'name="points-' not in body and 'id="score-sheet"' not in body
    assert "30,5 / 40" in body and COMMENT in body

    again = client.post(hall.sheet_url("2.001"), data=sheet_form(page, action="submit", **hall.points(FULL)),
                        follow_redirects=True)
    assert "Phiếu chấm này đã nộp và đã khóa" in text(again)
    assert stored_sheet(app, hall, hall.jurors[0], "2.001")["status"] == SheetStatus.SUBMITTED


def test_submit_needs_every_criterion_and_the_comment(app, client, hall):
    sign_in(client, hall.jurors[0])
    page = client.get(hall.sheet_url("2.001"))
    response = client.post(hall.sheet_url("2.001"), data=sheet_form(
        page, action="submit", comment="", **hall.points({"1": "35", "2": "", "3": "8", "4": "7"})))
    assert response.status_code == 400
    body = text(response)
    assert "Hãy chấm tiêu chí này trước khi nộp phiếu" in body and "Hãy ghi nhận xét trước khi nộp phiếu" in body
    stored = stored_sheet(app, hall, hall.jurors[0], "2.001")
    assert stored["status"] == SheetStatus.DRAFT and stored["points"] == {"1": "35.00", "3": "8.00", "4": "7.00"}
    assert version_of(response) == stored["version"]  # pressing submit again is not a stale submission


def test_a_stale_submission_gets_the_sheet_changed_message(app, client, hall):
    sign_in(client, hall.jurors[0])
    stale = client.get(hall.sheet_url("2.001"))
    fresh = client.get(hall.sheet_url("2.001"))
    client.post(hall.sheet_url("2.001"), headers={"X-Requested-With": "fetch"},
                data=sheet_form(fresh, action="autosave", **hall.points({"1": "10"})))
    response = client.post(hall.sheet_url("2.001"), data=sheet_form(stale, action="submit", **hall.points(FULL)))
    assert response.status_code == 409
    body = text(response)
    assert "Phiếu đã được nộp hoặc thay đổi ở nơi khác" in body and 'value="30.5"' in body
    stored = stored_sheet(app, hall, hall.jurors[0], "2.001")
    assert stored["status"] == SheetStatus.DRAFT and stored["points"] == {"1": "10.00"}
    again = client.post(hall.sheet_url("2.001"), data=sheet_form(response, action="submit", **hall.points(FULL)))
    assert again.status_code == 302
    assert stored_sheet(app, hall, hall.jurors[0], "2.001")["status"] == SheetStatus.SUBMITTED


def test_a_submission_that_lost_the_race_shows_the_locked_sheet(app, client, hall):
    sign_in(client, hall.jurors[0])
    page = client.get(hall.sheet_url("2.001"))
    with app.app_context():  # the same juror's other tablet submits first
        user = db.session.get(User, hall.jurors[0].id)
        sheet = open_sheet(user, db.session.get(Application, hall.entries["2.001"]), user)
        save_draft(user, sheet, {str(hall.criteria[c]): v for c, v in FULL.items()}, comment=COMMENT)
        db.session.flush()
        submit_sheet(user, sheet, sheet.version)
        db.session.commit()
    response = client.post(hall.sheet_url("2.001"), data=sheet_form(page, action="submit", **hall.points(FULL)),
                           follow_redirects=True)
    assert "Phiếu chấm này đã nộp và đã khóa" in text(response)


# --- who may score what ------------------------------------------------------------------------


def test_a_conflicted_juror_is_refused(app, client, hall):
    with app.app_context():
        from voting.models import Round

        declare_conflict(db.session.get(User, hall.jurors[2].id), db.session.get(Round, hall.round_id),
                         db.session.get(Application, hall.entries["2.002"]).producer, "Em ruột làm ở cơ sở")
        db.session.commit()
    sign_in(client, hall.jurors[2])
    response = client.get(hall.sheet_url("2.002"))
    assert response.status_code == 403
    assert "xung đột lợi ích" in text(response)
    assert stored_sheet(app, hall, hall.jurors[2], "2.002") is None
    assert client.get(f"{hall.sheet_url('2.002')}/files/{hall.photos['2.002']}").status_code == 404


def test_no_sheet_outside_the_scoring_phase(app, client, make_hall):
    hall = make_hall(scoring=False)
    sign_in(client, hall.jurors[0])
    response = client.get(hall.sheet_url("2.001"))
    assert response.status_code == 403
    assert "không ở giai đoạn chấm điểm" in text(response)
    assert stored_sheet(app, hall, hall.jurors[0], "2.001") is None


def test_a_juror_never_sees_another_jurors_scores(app, client, hall):
    score_in_app(app, hall, hall.jurors[1], "2.001", {"1": "37.5", "2": "33.5", "3": "9.5", "4": "6.5"})
    sign_in(client, hall.jurors[0])
    pages = [client.get("/jury/"), client.get(f"/jury/rounds/{hall.round_id}"), client.get(hall.sheet_url("2.001"))]
    for response in pages:
        assert response.status_code == 200
        body = re.sub(r'name="csrf_token"[^>]*>', "", text(response))  # random tokens could hold any digits
        for secret in ("37.5", "37,5", "33,5", "9,5", "87 điểm", "GHI-CHU-CUA-NGUOI-KHAC", "NHAN-XET-CUA-NGUOI-KHAC"):
            assert secret not in body, secret
    other_sheet = client.post(hall.sheet_url("2.001"), headers={"X-Requested-With": "fetch"},
                              data=sheet_form(pages[2], action="autosave", **hall.points({"1": "1"})))
    assert other_sheet.get_json()["total"] == "1"  # writes land on the juror's own sheet only
    assert stored_sheet(app, hall, hall.jurors[1], "2.001")["points"]["1"] == "37.50"


# --- conflicts of interest ---------------------------------------------------------------------


def test_declaring_a_conflict_through_the_form(app, client, hall):
    sign_in(client, hall.jurors[0])
    page = client.get(f"/jury/rounds/{hall.round_id}")
    url = f"/jury/rounds/{hall.round_id}/conflicts"
    producer = hall.producers["2.002"]
    refused = client.post(url, data={"csrf_token": csrf_from(page), "producer_id": producer, "reason": " "},
                          follow_redirects=True)
    assert "Hãy ghi lý do xung đột lợi ích" in text(refused)
    response = client.post(url, data={"csrf_token": csrf_from(page), "producer_id": producer,
                                      "reason": "Tôi là cổ đông của cơ sở"})
    assert response.status_code == 302
    with app.app_context():
        conflict = db.session.scalar(select(Conflict).where(Conflict.juror_user_id == hall.jurors[0].id))
        assert (conflict.producer_id, conflict.source, conflict.active) == (producer, "declared", True)
        assert conflict.reason == "Tôi là cổ đông của cơ sở"
    body = text(client.get(f"/jury/rounds/{hall.round_id}"))
    assert ">2.002<" not in body and ">2.001<" in body
    assert "0 / 2 đã chấm" in body


def test_a_conflict_only_with_a_producer_of_the_round(app, client, hall, elsewhere):
    sign_in(client, hall.jurors[0])
    page = client.get(f"/jury/rounds/{hall.round_id}")
    response = client.post(f"/jury/rounds/{hall.round_id}/conflicts", data={
        "csrf_token": csrf_from(page), "producer_id": elsewhere["producer_id"], "reason": "Thử"})
    assert response.status_code == 404
    with app.app_context():
        assert db.session.scalar(select(Conflict)) is None


def test_after_the_vote_no_conflict_is_offered_and_no_unscored_entry_links_to_a_refusal(app, client, hall):
    """Issue 19: a certified round still offered conflict declarations, and unscored entries linked to a 403."""
    with app.app_context():
        db.session.get(Round, hall.round_id).status = RoundStatus.DECIDED
        db.session.commit()
    sign_in(client, hall.jurors[0])
    page = client.get(f"/jury/rounds/{hall.round_id}")
    body = text(page)
    assert "Khai báo xung đột lợi ích" not in body
    assert f'href="{hall.sheet_url("2.001")}"' not in body and f'href="{hall.sheet_url("2.002")}"' not in body
    refused = client.post(f"/jury/rounds/{hall.round_id}/conflicts", follow_redirects=True, data={
        "csrf_token": csrf_from(page), "producer_id": hall.producers["2.002"], "reason": "Tôi là cổ đông"})
    assert "không còn khai báo xung đột lợi ích" in text(refused)
    with app.app_context():
        assert db.session.scalar(select(Conflict)) is None


# --- files -------------------------------------------------------------------------------------


def test_entry_files_only_of_that_entry(client, hall):
    sign_in(client, hall.jurors[0])
    own = client.get(f"{hall.sheet_url('2.001')}/files/{hall.photos['2.001']}?thumb=1")
    assert own.status_code == 200 and own.mimetype.startswith("image/")
    assert own.headers["Cache-Control"] == "private, no-store"
    foreign = client.get(f"{hall.sheet_url('2.001')}/files/{hall.photos['2.002']}")
    assert foreign.status_code == 404


def test_stored_points_are_decimals(app, hall, client):
    """The page's comma is only notation: the database holds exact decimals."""
    sign_in(client, hall.jurors[0])
    page = client.get(hall.sheet_url("1.001"))
    client.post(hall.sheet_url("1.001"), data=sheet_form(page, **hall.points({"2": "12,5"})))
    with app.app_context():
        assert db.session.scalar(select(Score.points)) == Decimal("12.5")


def test_after_scoring_my_sheet_is_read_only(app, client, hall):
    for juror in hall.jurors:
        for code in hall.entries:
            score_in_app(app, hall, juror, code)
    with app.app_context():
        from voting.models import Round
        from voting.operations.rounds import start_deliberation

        start_deliberation(db.session.get(User, hall.organiser.id), db.session.get(Round, hall.round_id))
        db.session.commit()
    sign_in(client, hall.jurors[0])
    page = client.get(hall.sheet_url("2.001"))
    assert page.status_code == 200
    body = text(page)
    assert "80,5 / 100" in body and 'name="points-' not in body
    response = client.post(hall.sheet_url("2.001"), headers={"X-Requested-With": "fetch"},
                           data={"csrf_token": csrf_from(page), "version": "1", "action": "autosave",
                                 **hall.points({"1": "1"})})
    assert response.status_code == 403
    assert "không ở giai đoạn chấm điểm" in response.get_json()["error"]


def test_sub_criteria_are_scored_under_their_criterion(app, client, make_hall):
    hall = make_hall(scoring=False)
    with app.app_context():
        from voting.models import Round, RoundCriterion

        round_ = db.session.get(Round, hall.round_id)
        parent = next(c for c in round_.criteria if c.code == "1")
        for position, code in enumerate(("1.1", "1.2"), start=1):
            round_.criteria.append(RoundCriterion(parent_id=parent.id, code=code, name=f"Tiêu chí con {code}",
                                                  max_points=Decimal(20), position=parent.position * 10 + position))
        round_.criteria.sort(key=lambda c: (c.position, c.code))
        open_scoring(db.session.get(User, hall.organiser.id), round_)
        db.session.commit()
        leaves = {c.code: c.id for c in round_.leaf_criteria}
        parent_id = parent.id
    sign_in(client, hall.jurors[0])
    page = client.get(hall.sheet_url("2.001"))
    body = text(page)
    assert f'name="points-{parent_id}"' not in body
    assert "<legend>" in body and "Tiêu chí con 1.1" in body and f'name="points-{leaves["1.2"]}"' in body
    response = client.post(hall.sheet_url("2.001"), data=sheet_form(
        page, action="submit", **{f"points-{leaves[c]}": v for c, v in
                                  (("1.1", "15"), ("1.2", "20"), ("2", "30"), ("3", "8"), ("4", "7"))}))
    assert response.status_code == 302
    assert stored_sheet(app, hall, hall.jurors[0], "2.001")["status"] == SheetStatus.SUBMITTED
    assert "80 / 100" in text(client.get(hall.sheet_url("2.001")))
