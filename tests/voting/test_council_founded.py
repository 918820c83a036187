"""The council as the rules found it (issue 18): a founding decision, members as people without accounts,
a jury appointed with its Trưởng ban, a tổ giúp việc, and a vote that takes the members' attendance."""
import io
import re
from datetime import time, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from tests.conftest import csrf_from, login
from tests.factories import make_deliberating_round, make_entries, make_round, pdf_bytes
from tests.support.layout import centre, find, top_left, top_right
from tests.support.office import pages_of
from voting.core.clock import today_vn
from voting.documents.reports import place_date, round_place
from voting.extensions import db
from voting.models import (
    AuditEvent,
    CouncilRole,
    Conflict,
    CouncilMember,
    Decision,
    MeetingAttendance,
    Notification,
    Round,
    ScoreSheet,
    SheetStatus,
    SupportMember,
    User,
)

#: Two entries, each scored 76 by three jurors (the factory's table shape: entry → juror → criteria).
PASSING = [[[30, 30, 8, 8]] * 3] * 2


def words(text):
    return " ".join(text.split())


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
    return {"organiser": organiser, "jurors": jurors, "round_id": round_id,
            "url": f"/organiser/rounds/{round_id}/council"}


def _post(client, url, data, page_url=None, **options):
    page = client.get(page_url or url)
    return client.post(url, data={"csrf_token": csrf_from(page), **data}, **options)


def _member(name, role, position="", agency="", email=""):
    return {"member-full_name": name, "member-position": position, "member-agency": agency, "member-role": role,
            "member-email": email, "member-submit": "1"}


def test_members_are_people_named_in_the_decision_most_without_an_account(app, client, screening):
    login(client, screening["organiser"].email)
    url = screening["url"]
    chair = _member("Phạm Hoàng Sơn", "chair", "Phó Chủ tịch Ủy ban nhân dân tỉnh", "Ủy ban nhân dân tỉnh Thái Nguyên")
    assert _post(client, url, chair).status_code == 302
    for data in (_member("Đỗ Thị Minh Hằng", "vice_chair", "Giám đốc", "Sở Công Thương"),
                 _member("Lương Văn Khải", "standing_member", "Trưởng phòng Quản lý công nghiệp", "Sở Công Thương"),
                 _member("Triệu Thu Hà", "member", "Phó Tổng Biên tập", "Báo Thái Nguyên"),
                 _member("Cán bộ Sở", "secretary", email=screening["organiser"].email)):
        assert _post(client, url, data).status_code == 302
    # A second chair is refused, and what was typed stays on the page.
    second = _post(client, url, _member("Nguyễn Văn Hai", "chair", "Phó Chủ tịch", "UBND"))
    body = second.get_data(as_text=True)
    assert second.status_code == 400 and "Hội đồng đã có Chủ tịch." in body and 'value="Nguyễn Văn Hai"' in body
    # An e-mail that names no staff account is refused with a hint, the name kept.
    unknown = _post(client, url, _member("Lý Văn Cường", "member", email="khong-co@example.vn"))
    body = unknown.get_data(as_text=True)
    assert unknown.status_code == 400 and "Không có tài khoản cán bộ" in body and 'value="Lý Văn Cường"' in body
    nameless = _post(client, url, _member(" ", "member"))
    assert nameless.status_code == 400 and "Vui lòng điền mục này." in nameless.get_data(as_text=True)
    with app.app_context():
        members = db.session.scalars(select(CouncilMember).where(
            CouncilMember.round_id == screening["round_id"]).order_by(CouncilMember.id)).all()
        assert [(m.full_name, m.role, m.user_id is not None) for m in members] == [
            ("Phạm Hoàng Sơn", "chair", False), ("Đỗ Thị Minh Hằng", "vice_chair", False),
            ("Lương Văn Khải", "standing_member", False), ("Triệu Thu Hà", "member", False),
            ("Cán bộ Sở", "secretary", True)]
        # One chair per round is the schema's rule too, not only the operation's.
        db.session.add(CouncilMember(round_id=screening["round_id"], full_name="Người thứ hai", role="chair"))
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()
    page = client.get(url).get_data(as_text=True)
    # Listed as the decision lists them: chair, vice-chair, standing member, member, secretary.
    order = [page.index(name) for name in ("Phạm Hoàng Sơn", "Đỗ Thị Minh Hằng", "Lương Văn Khải", "Triệu Thu Hà",
                                           "Cán bộ Sở")]
    assert order == sorted(order)
    assert "Ủy viên thường trực" in page and "Ủy viên kiêm Thư ký" in page


def test_a_member_is_corrected_in_place_until_deliberation(app, client, screening):
    login(client, screening["organiser"].email)
    url = screening["url"]
    for data in (_member("Phạm Hoàng Sơn", "chair", "Phó Chủ tịch UBND tỉnh"),
                 _member("Đỗ Thi Minh Hang", "member", "Giám đốc", "Sở Công Thương")):
        assert _post(client, url, data).status_code == 302
    with app.app_context():
        typo = db.session.scalar(select(CouncilMember).where(CouncilMember.full_name == "Đỗ Thi Minh Hang"))
        edit = f"{url}/{typo.id}/edit"
    page = client.get(edit).get_data(as_text=True)
    assert 'value="Đỗ Thi Minh Hang"' in page and 'value="Sở Công Thương"' in page
    # A second chair is refused here too, what was typed kept.
    refused = _post(client, edit, {**_member("Đỗ Thị Minh Hằng", "chair", "Giám đốc", "Sở Công Thương")})
    assert refused.status_code == 400 and "Hội đồng đã có Chủ tịch." in refused.get_data(as_text=True)
    assert 'value="Đỗ Thị Minh Hằng"' in refused.get_data(as_text=True)
    saved = _post(client, edit, _member("Đỗ Thị Minh Hằng", "vice_chair", "Giám đốc", "Sở Công Thương"))
    assert saved.status_code == 302
    with app.app_context():
        member = db.session.get(CouncilMember, typo.id)
        assert (member.full_name, member.role, member.agency) == ("Đỗ Thị Minh Hằng", "vice_chair", "Sở Công Thương")
        assert db.session.scalar(select(func.count(CouncilMember.id))) == 2  # corrected, not added


def test_the_founding_decision_is_recorded_with_its_signer_and_scan(app, client, screening):
    login(client, screening["organiser"].email)
    url = screening["url"]
    assert "Chưa ghi quyết định thành lập Hội đồng" in client.get(url).get_data(as_text=True)
    typed = {"founding-founding_number": "1234/QĐ-UBND", "founding-founded_on": today_vn().isoformat(),
             "founding-signer_capacity": "kt", "founding-signer_body": "Ủy ban nhân dân",
             "founding-signer_head_title": "Chủ tịch", "founding-signer_title": "Phó Chủ tịch",
             "founding-signer_name": "Phạm Hoàng Sơn", "founding-submit": "1"}
    # A program renamed .pdf is refused by its content; the decision's number stays typed.
    fake = _post(client, url, {**typed, "founding-scan": (io.BytesIO(b"MZ\x90\x00" + b"\x00" * 200), "qd.pdf")},
                 content_type="multipart/form-data")
    body = fake.get_data(as_text=True)
    assert fake.status_code == 400 and 'value="1234/QĐ-UBND"' in body and "qd.pdf" in body
    # KT. needs the head's title: refused field by field.
    incomplete = _post(client, url, {**typed, "founding-signer_head_title": ""})
    assert incomplete.status_code == 400 and "cần chức danh của người đứng đầu" in incomplete.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Round, screening["round_id"]).council is None  # nothing half-written
    saved = _post(client, url, {**typed, "founding-scan": (io.BytesIO(pdf_bytes()), "quyet-dinh.pdf")},
                  content_type="multipart/form-data")
    assert saved.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "Quyết định số 1234/QĐ-UBND ngày" in page and "Chưa ghi quyết định thành lập Hội đồng" not in page
    scan = client.get(f"{url}/founding-scan")
    assert scan.status_code == 200 and scan.data.startswith(b"%PDF") and scan.headers["Cache-Control"] == "private, no-store"
    with app.app_context():
        council = db.session.get(Round, screening["round_id"]).council
        assert (council.signer_capacity, council.signer_body, council.signer_head_title, council.signer_name) == (
            "kt", "Ủy ban nhân dân", "Chủ tịch", "Phạm Hoàng Sơn")
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "council.found"))
    outsider = app.test_client()
    login(outsider, screening["jurors"][0].email)
    assert outsider.get(f"{url}/founding-scan").status_code == 404


def test_a_founding_scan_over_16_mb_reaches_the_content_check_under_the_20_mb_document_limit(app, client, screening):
    """The scan is a document (20 MB): the app-wide 16 MB body limit must not answer a bare 413 first."""
    login(client, screening["organiser"].email)
    typed = {"founding-founding_number": "1234/QĐ-UBND", "founding-founded_on": today_vn().isoformat(),
             "founding-signer_capacity": "kt", "founding-signer_body": "Ủy ban nhân dân",
             "founding-signer_head_title": "Chủ tịch", "founding-signer_title": "Phó Chủ tịch",
             "founding-signer_name": "Phạm Hoàng Sơn", "founding-submit": "1",
             "founding-scan": (io.BytesIO(b"MZ\x90\x00" + b"\x00" * (17 * 1024 * 1024)), "qd-17mb.pdf")}
    response = _post(client, screening["url"], typed, content_type="multipart/form-data")
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and "qd-17mb.pdf" in body and 'value="1234/QĐ-UBND"' in body
    with app.app_context():
        assert db.session.get(Round, screening["round_id"]).council is None


def _scoring_round_with_head(app, make_user):
    """A round in scoring: a founded council chaired by a member without an account, the organiser as secretary,
    three jurors with the third as Trưởng ban, a detected conflict, and one submitted sheet."""
    from tests.factories import found_council
    from voting.operations.council import Person, appoint_jury_head, assign_juror, detect_conflicts, \
        seat_council_member, set_council_member
    from voting.operations.rounds import open_scoring
    from voting.operations.scoring import open_sheet, save_draft, submit_sheet

    organiser = make_user("organiser", province_code="19")
    owners = [make_user("producer") for _ in range(3)]
    jurors = [make_user("juror") for _ in range(4)]
    chair_account = make_user("juror")
    with app.app_context():
        acting = db.session.get(User, organiser.id)
        round_ = make_round(acting)
        entries = make_entries(acting, [db.session.get(User, o.id) for o in owners], round_)
        seat_council_member(acting, round_, Person("Phạm Hoàng Sơn", "Phó Chủ tịch UBND tỉnh"), "chair",
                            user=db.session.get(User, chair_account.id))
        set_council_member(acting, round_, acting, "secretary")
        seat_council_member(acting, round_, Person("Triệu Thu Hà", "Phó Tổng Biên tập"), "member")
        found_council(acting, round_)
        users = [db.session.get(User, j.id) for j in jurors]
        for user in users:
            assign_juror(acting, round_, user)
        appoint_jury_head(acting, round_.jurors[2])
        users[3].phone = entries[1].producer.phone
        detect_conflicts(acting, round_)
        open_scoring(acting, round_)
        sheet = open_sheet(users[0], entries[0], users[0])
        save_draft(users[0], sheet, {str(c.id): "5" for c in round_.leaf_criteria}, comment="Đạt")
        submit_sheet(users[0], sheet, sheet.version)
        db.session.commit()
        flag = db.session.scalar(select(Conflict.id).where(Conflict.round_id == round_.id))
        return {"organiser": organiser, "chair": chair_account, "jurors": jurors, "head": jurors[2],
                "round_id": round_.id, "sheet_id": sheet.id, "flag_id": flag}


def test_the_jury_housekeeping_is_the_trưởng_ban_s_not_the_chair_s(app, make_user):
    world = _scoring_round_with_head(app, make_user)
    chair, head = app.test_client(), app.test_client()
    login(chair, world["chair"].email)
    login(head, world["head"].email)
    council_page = f"/council/rounds/{world['round_id']}"
    reason = {"reason": "Trùng số điện thoại do dùng chung tổng đài của hợp tác xã."}
    # The chair sits on the council but holds no jury housekeeping once a Trưởng ban is appointed.
    assert chair.get(council_page).status_code == 200
    assert _post(chair, f"/council/conflicts/{world['flag_id']}/dismiss", reason, council_page).status_code == 404
    assert _post(chair, f"/council/sheets/{world['sheet_id']}/reopen", reason, council_page).status_code == 404
    page = head.get(council_page).get_data(as_text=True)
    assert "Nhắc giám khảo chưa nộp phiếu" in page
    assert _post(head, f"/council/conflicts/{world['flag_id']}/dismiss", reason, council_page).status_code == 302
    assert _post(head, f"/council/sheets/{world['sheet_id']}/reopen", reason, council_page).status_code == 302
    assert _post(head, f"/council/rounds/{world['round_id']}/remind", {}, council_page).status_code == 302
    with app.app_context():
        assert not db.session.get(Conflict, world["flag_id"]).active
        assert db.session.get(ScoreSheet, world["sheet_id"]).status == SheetStatus.DRAFT
        reminded = db.session.scalars(select(Notification.user_id).where(Notification.kind == "scoring_reminder")).all()
        assert set(reminded) == {j.id for j in world["jurors"]}
        actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.actor_id == world["head"].id)).all()
        assert {"conflict.dismiss", "sheet.reopen", "jury.remind"} <= set(actions)
    # The Trưởng ban's list of rounds names the round.
    assert "Trưởng Ban Giám khảo" in head.get("/council/").get_data(as_text=True)
    # Members with an account reach the council's documents from their page; the Trưởng ban, who is no
    # member, is not offered them (the documents are the council's and the organisers').
    chair_page = chair.get(council_page).get_data(as_text=True)
    assert "Quyết định thành lập Hội đồng số 1234/QĐ-UBND" in chair_page
    assert chair.get(f"/organiser/rounds/{world['round_id']}/council/founding-decision.pdf").status_code == 200
    assert "Quyết định thành lập Hội đồng số" not in page


def test_the_organiser_appoints_the_trưởng_ban_and_the_tổ_giúp_việc(app, client, screening):
    login(client, screening["organiser"].email)
    url = screening["url"]
    first, second = screening["jurors"][:2]
    assert _post(client, url, {"juror-email": first.email, "juror-position": "Phó Giám đốc",
                               "juror-agency": "Sở Khoa học và Công nghệ", "juror-is_head": "y",
                               "juror-submit": "1"}).status_code == 302
    assert _post(client, url, {"juror-email": second.email, "juror-submit": "1"}).status_code == 302
    with app.app_context():
        round_ = db.session.get(Round, screening["round_id"])
        heads = [(j.user_id, j.position, j.agency) for j in round_.jurors if j.is_head]
        assert heads == [(first.id, "Phó Giám đốc", "Sở Khoa học và Công nghệ")]
        second_id = next(j.id for j in round_.jurors if j.user_id == second.id)
    # Making another juror head moves the post: one Trưởng ban per jury.
    assert _post(client, f"{url}/../jury/{second_id}/head".replace("/council/..", ""), {}, url).status_code == 302
    with app.app_context():
        round_ = db.session.get(Round, screening["round_id"])
        assert [j.user_id for j in round_.jurors if j.is_head] == [second.id]
    assert _post(client, url, {"support-full_name": "Ma Thị Ngọc", "support-position": "Chuyên viên",
                               "support-agency": "Sở Công Thương", "support-is_lead": "y",
                               "support-submit": "1"}).status_code == 302
    assert _post(client, url, {"jury_doc-jury_document_number": "01/QĐ-HĐBC",
                               "jury_doc-jury_appointed_on": today_vn().isoformat(),
                               "jury_doc-submit": "1"}).status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "Ma Thị Ngọc" in page and "Tổ trưởng" in page and "Thành lập theo văn bản số 01/QĐ-HĐBC" in page
    with app.app_context():
        assert db.session.scalar(select(SupportMember.full_name)) == "Ma Thị Ngọc"


def test_a_juror_and_a_support_member_are_corrected_in_place(app, client, screening):
    """The jury's appointment prints positions and agencies: a typo is corrected, not removed and re-added."""
    login(client, screening["organiser"].email)
    url = screening["url"]
    juror_user = screening["jurors"][0]
    assert _post(client, url, {"juror-email": juror_user.email, "juror-position": "Pho Giam doc",
                               "juror-agency": "Sở KH&CN", "juror-submit": "1"}).status_code == 302
    assert _post(client, url, {"support-full_name": "Ma Thi Ngoc", "support-position": "Chuyên viên",
                               "support-agency": "Sở Công Thương", "support-submit": "1"}).status_code == 302
    with app.app_context():
        round_ = db.session.get(Round, screening["round_id"])
        juror_id, support_id = round_.jurors[0].id, round_.support_members[0].id
    page = client.get(url).get_data(as_text=True)
    assert f"/jury/{juror_id}/edit" in page and f"/support/{support_id}/edit" in page

    edit = url.replace("/council", f"/jury/{juror_id}/edit")
    shown = client.get(edit).get_data(as_text=True)
    assert 'value="Pho Giam doc"' in shown and juror_user.email in shown
    assert _post(client, edit, {"juror-position": "Phó Giám đốc", "juror-agency": "Sở Khoa học và Công nghệ",
                                "juror-groups": ["1", "2"]}).status_code == 302
    chosen = re.findall(r'<option[^>]*selected[^>]*value="([^"]+)"|<option[^>]*value="([^"]+)"[^>]*selected',
                        client.get(edit).get_data(as_text=True))
    assert sorted(filter(None, sum(chosen, ()))) == ["1", "2"]  # the page shows the groups as saved
    # A position longer than the appointment can print is refused, the rest of what was typed kept.
    refused = _post(client, edit, {"juror-position": "P" * 201, "juror-agency": "Sở Khoa học, Công nghệ"})
    assert refused.status_code == 400 and 'value="Sở Khoa học, Công nghệ"' in refused.get_data(as_text=True)

    edit = url.replace("/council", f"/support/{support_id}/edit")
    assert 'value="Ma Thi Ngoc"' in client.get(edit).get_data(as_text=True)
    unknown = _post(client, edit, {"support-full_name": "Ma Thị Ngọc", "support-email": "ai-do@example.vn"})
    assert unknown.status_code == 400 and 'value="Ma Thị Ngọc"' in unknown.get_data(as_text=True)
    assert _post(client, edit, {"support-full_name": "Ma Thị Ngọc", "support-position": "Chuyên viên chính",
                                "support-agency": "Sở Công Thương", "support-is_lead": "y"}).status_code == 302
    with app.app_context():
        round_ = db.session.get(Round, screening["round_id"])
        juror, support = round_.jurors[0], round_.support_members[0]
        assert (juror.id, juror.user_id, juror.position, juror.agency) == (
            juror_id, juror_user.id, "Phó Giám đốc", "Sở Khoa học và Công nghệ")
        assert not juror.all_groups and sorted(g.group_code for g in juror.groups) == ["1", "2"]
        assert (support.id, support.full_name, support.position, support.is_lead) == (
            support_id, "Ma Thị Ngọc", "Chuyên viên chính", True)
        assert len(round_.jurors) == 1 and len(round_.support_members) == 1  # corrected, not added


def test_a_support_member_with_an_account_types_in_paper_sheets(app, make_user):
    from voting.operations.council import Person, add_support_member

    world = _scoring_round_with_head(app, make_user)
    helper, plain = make_user("organiser", province_code="19"), make_user("juror")
    with app.app_context():
        round_ = db.session.get(Round, world["round_id"])
        add_support_member(db.session.get(User, world["organiser"].id), round_, Person("Ma Thị Ngọc"),
                           user=db.session.get(User, helper.id))
        db.session.commit()
    client = app.test_client()
    login(client, helper.email)
    assert client.get(f"/council/rounds/{world['round_id']}/paper").status_code == 200
    other = app.test_client()
    login(other, plain.email)
    assert other.get(f"/council/rounds/{world['round_id']}/paper").status_code == 404


def test_the_vote_takes_the_attendance_and_the_minutes_print_it(app, client, make_user, tmp_path):
    hall = make_deliberating_round(app, make_user, PASSING)
    url = f"/rounds/{hall.round_id}/results"
    login(client, hall.chair.email)
    with app.app_context():
        round_ = db.session.get(Round, hall.round_id)
        from voting.rules.council import seated_in_order
        members = [(m.id, m.full_name) for m in seated_in_order(round_.council_members)]
        dated = place_date(round_place(round_), today_vn())
        chair_name = next(m.full_name for m in round_.council_members if m.role == CouncilRole.CHAIR)
    present = [str(member_id) for member_id, _ in members[:3]]
    typed = {"minutes_number": "02/BB-HĐBC", "meeting_on": today_vn().isoformat(), "starts_at": "08:30",
             "ends_at": "11:15", "meeting_place": "Phòng họp số 2, Sở Công Thương", "votes_for": "3",
             "votes_against": "0", "votes_abstain": "0"}
    ticked_too_few = _post(client, f"{url}/vote", {**typed, "present_members": present[:2], "votes_for": "2"})
    body = ticked_too_few.get_data(as_text=True)
    assert ticked_too_few.status_code == 400 and "chưa đủ 3 thành viên" in body and 'value="02/BB-HĐBC"' in body
    backwards = _post(client, f"{url}/vote", {**typed, "present_members": present, "ends_at": "07:00"})
    assert backwards.status_code == 400 and "Giờ kết thúc cuộc họp phải sau giờ bắt đầu." in backwards.get_data(
        as_text=True)
    assert _post(client, f"{url}/vote", {**typed, "present_members": present}).status_code == 302
    with app.app_context():
        decision = db.session.scalar(select(Decision).where(Decision.round_id == hall.round_id))
        assert (decision.members_present, decision.minutes_number, decision.meeting_starts_at,
                decision.meeting_ends_at) == (3, "02/BB-HĐBC", time(8, 30), time(11, 15))
        marks = {row.member_id: row.present for row in db.session.scalars(select(MeetingAttendance))}
        assert marks == {member_id: index < 3 for index, (member_id, _) in enumerate(members)}
        decision_id = decision.id
    minutes = client.get(f"{url}/decisions/{decision_id}/minutes.pdf")
    text = words(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(minutes.data)).pages))
    assert "Số: 02/BB-HĐBC" in text and "vào hồi 08 giờ 30 phút" in text
    assert "Cuộc họp kết thúc lúc 11 giờ 15 phút cùng ngày; biên bản đã được thông qua" in text
    assert "Căn cứ Quyết định số 1234/QĐ-UBND" in text
    assert text.count("Có mặt") == 3 and text.count("Vắng mặt") == len(members) - 3
    absent = members[3][1]
    assert f"{absent}" in text
    # Positions, not only text: the council and the number top left, the motto and the place-date top right,
    # the closing sentence above the two signers, the member who chaired on the right.
    path = tmp_path / "minutes.pdf"
    path.write_bytes(minutes.data)
    pages = pages_of(path)
    first, last = pages[0], pages[-1]
    assert top_left(first, find(first, "HỘI ĐỒNG BÌNH CHỌN")) and top_left(first, find(first, "Số: 02/BB-HĐBC"))
    assert top_right(first, find(first, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"))
    assert top_right(first, find(first, "Độc lập - Tự do - Hạnh phúc"))
    assert top_right(first, find(first, dated))
    closing = find(last, "Cuộc họp kết thúc lúc")
    secretary, chair = find(last, "THƯ KÝ"), find(last, "CHỦ TỊCH HỘI ĐỒNG")
    assert closing and secretary and chair
    assert secretary[1] > closing[3] and chair[1] > closing[3]
    assert centre(secretary)[0] < last.width / 2 < centre(chair)[0]
    # The chair's name under the capacity, with room for the signature, still in the right half.
    signed = find(last, chair_name)
    assert signed and centre(signed)[0] > last.width / 2 and signed[1] > chair[3] + 30


def test_a_council_without_its_founding_decision_cannot_vote(app, client, make_user):
    hall = make_deliberating_round(app, make_user, PASSING)
    with app.app_context():
        round_ = db.session.get(Round, hall.round_id)
        db.session.delete(round_.council)
        db.session.commit()
        present = [str(m.id) for m in round_.council_members]
    login(client, hall.chair.email)
    url = f"/rounds/{hall.round_id}/results"
    refused = _post(client, f"{url}/vote", {"meeting_on": (today_vn() - timedelta(days=1)).isoformat(),
                                           "present_members": present, "votes_for": "3", "votes_against": "0",
                                           "votes_abstain": "0"})
    assert refused.status_code == 400
    assert "Hội đồng chưa có quyết định thành lập" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Decision).where(Decision.round_id == hall.round_id)) is None
