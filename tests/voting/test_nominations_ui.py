"""Nominations through the organiser's pages: choose, nominate, refuse, withdraw, and the list above."""
from io import BytesIO

import openpyxl
import pytest
from sqlalchemy import func, select

from certificates.operations.lifecycle import revoke_certificate
from tests.conftest import csrf_token, login
from tests.helpers import text_of
from voting.extensions import db
from voting.models import Application, ApplicationStatus, Nomination, Notification, Role, Round, User
from certificates.models import Certificate


@pytest.fixture(autouse=True)
def _generous_login_limit(app, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "1000 per minute")


def _page(client, round_id, **args):
    return client.get(f"/organiser/rounds/{round_id}/nominate", query_string=args)


def _post(client, round_id, target_id, entries):
    url = f"/organiser/rounds/{round_id}/nominate"
    return client.post(url, data={"csrf_token": csrf_token(client, url), "target_id": str(target_id),
                                  "entries": [str(e) for e in entries]})


def _count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count(model.id)))


def test_the_organiser_sees_certified_entries_by_rank_and_the_region_round(app, client, provincial, regional_round):
    target_id, _ = regional_round()
    login(client, provincial.organiser.email)
    page = text_of(_page(client, provincial.round_id, top=1))
    with app.app_context():
        target = db.session.get(Round, target_id)
        numbers = list(db.session.scalars(select(Certificate.number).where(
            Certificate.round_id == provincial.round_id)))
    assert target.title in page
    assert all(number in page for number in numbers)
    # "top=1" ticks the best-ranked entry only; the failed entry is not offered at all.
    html = _page(client, provincial.round_id, top=1).get_data(as_text=True)
    assert html.count("checked") == 1
    assert html.count('name="entries"') == 2


def test_nominating_from_the_page_submits_the_entries_and_tells_both_sides(app, client, provincial, regional_round):
    target_id, regional_organiser = regional_round()
    login(client, provincial.organiser.email)
    chosen = provincial.application_ids[:2]

    response = _post(client, provincial.round_id, target_id, chosen)

    assert response.status_code == 302
    assert "Đã đề cử 2 sản phẩm" in text_of(client.get(response.location))
    with app.app_context():
        entries = db.session.scalars(select(Application).where(Application.round_id == target_id)).all()
        assert {e.status for e in entries} == {ApplicationStatus.SUBMITTED} and len(entries) == 2
        kinds = set(db.session.scalars(select(Notification.kind).where(
            Notification.user_id == regional_organiser.id)))
    assert kinds == {"nomination_received"}
    region = app.test_client()
    login(region, regional_organiser.email)
    inbox = text_of(region.get("/account/inbox"))
    assert "được đề cử vào đợt" in inbox and "nomination_received" not in inbox


def test_one_ineligible_entry_stops_the_whole_choice_and_says_why(app, client, provincial, regional_round):
    target_id, _ = regional_round()
    first, second = provincial.application_ids[:2]
    with app.app_context():
        certificate = db.session.scalar(select(Certificate).where(Certificate.application_id == second))
        revoke_certificate(db.session.get(User, provincial.organiser.id), certificate, "quality_violation",
                           "Kiểm tra chất lượng không đạt.")
        db.session.commit()
    login(client, provincial.organiser.email)

    response = _post(client, provincial.round_id, target_id, [first, second])

    assert response.status_code == 200
    page = text_of(response)
    assert "Chưa đề cử sản phẩm nào" in page
    assert "Giấy chứng nhận của sản phẩm đang bị tạm đình chỉ hoặc đã bị thu hồi." in page
    assert _count(app, Nomination) == 0
    # The choice is kept for the organiser to correct.
    html = response.get_data(as_text=True)
    assert f'value="{first}" id="entry-{first}" checked' in html


@pytest.mark.parametrize("entries, target, message", [
    ([], None, "Hãy chọn ít nhất một sản phẩm để đề cử."),
    (["999999"], None, "không thuộc danh sách sản phẩm được cấp giấy chứng nhận"),
    (["abc"], None, "không thuộc danh sách sản phẩm được cấp giấy chứng nhận"),
    (None, "999999", "Đợt bình chọn đã chọn không nhận đề cử từ đợt này."),
])
def test_a_tampered_form_is_refused_with_a_message(app, client, provincial, regional_round, entries, target, message):
    target_id, _ = regional_round()
    login(client, provincial.organiser.email)
    url = f"/organiser/rounds/{provincial.round_id}/nominate"
    response = client.post(url, data={
        "csrf_token": csrf_token(client, url), "target_id": target or str(target_id),
        "entries": entries if entries is not None else [str(provincial.application_ids[0])]})
    assert response.status_code == 200
    assert message in text_of(response)
    assert _count(app, Nomination) == 0


def test_a_round_of_another_region_is_not_offered(app, client, provincial, regional_round):
    regional_round(province_code="92")  # Cần Thơ's region
    login(client, provincial.organiser.email)
    assert "Hiện không có đợt bình chọn cấp trên nào" in text_of(_page(client, provincial.round_id))


def test_the_form_needs_its_csrf_token(app, client, provincial, regional_round):
    target_id, _ = regional_round()
    login(client, provincial.organiser.email)
    response = client.post(f"/organiser/rounds/{provincial.round_id}/nominate",
                           data={"target_id": str(target_id), "entries": [str(provincial.application_ids[0])]})
    assert response.status_code == 400
    assert _count(app, Nomination) == 0


def test_withdrawing_needs_a_reason_and_frees_the_entry(app, client, provincial, regional_round):
    target_id, _ = regional_round()
    login(client, provincial.organiser.email)
    _post(client, provincial.round_id, target_id, provincial.application_ids[:1])
    with app.app_context():
        nomination_id = db.session.scalar(select(Nomination.id))
    url = f"/organiser/nominations/{nomination_id}/withdraw"
    token = csrf_token(client, f"/organiser/rounds/{provincial.round_id}/nominate")

    refused = client.post(url, data={"csrf_token": token, "reason": "  "}, follow_redirects=True)
    assert "Hãy ghi lý do." in text_of(refused)
    done = client.post(url, data={"csrf_token": token, "reason": "Nhầm sản phẩm."}, follow_redirects=True)

    assert "Đã rút đề cử" in text_of(done)
    with app.app_context():
        nomination = db.session.get(Nomination, nomination_id)
        assert nomination.withdrawn_at is not None
        assert nomination.target_application.status == ApplicationStatus.WITHDRAWN
        assert nomination.target_application.withdrawal_reason == "Nhầm sản phẩm."


def test_the_region_sees_the_list_and_downloads_it(app, client, provincial, regional_round):
    target_id, regional_organiser = regional_round()
    login(client, provincial.organiser.email)
    _post(client, provincial.round_id, target_id, provincial.application_ids[:2])
    region = app.test_client()
    login(region, regional_organiser.email)

    page = text_of(region.get(f"/organiser/rounds/{target_id}/nominations"))
    download = region.get(f"/organiser/rounds/{target_id}/nominations.xlsx")

    with app.app_context():
        numbers = set(db.session.scalars(select(Certificate.number).where(
            Certificate.round_id == provincial.round_id)))
    assert "2 sản phẩm từ 1 tỉnh, thành phố." in page and "Thái Nguyên" in page
    assert all(number in page for number in numbers)
    sheet = openpyxl.load_workbook(BytesIO(download.data)).active
    values = {str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value is not None}
    assert numbers <= values
    assert "DANH SÁCH TRÍCH NGANG SẢN PHẨM ĐƯỢC ĐỀ CỬ" in values


def test_an_empty_list_says_how_entries_arrive(app, client, regional_round):
    target_id, regional_organiser = regional_round()
    login(client, regional_organiser.email)
    assert "Chưa có sản phẩm nào được đề cử vào đợt này." in text_of(
        client.get(f"/organiser/rounds/{target_id}/nominations"))


def test_other_organisers_get_not_found(app, client, make_user, provincial, regional_round):
    target_id, _ = regional_round()
    elsewhere = make_user(Role.ORGANISER, province_code="56")
    login(client, elsewhere.email)
    assert _page(client, provincial.round_id).status_code == 404
    assert client.get(f"/organiser/rounds/{target_id}/nominations").status_code == 404
    assert _post(client, provincial.round_id, target_id, provincial.application_ids[:1]).status_code == 404
    assert _count(app, Nomination) == 0


def test_the_screening_and_producer_pages_show_where_the_entry_came_from(app, client, provincial, regional_round):
    target_id, regional_organiser = regional_round()
    login(client, provincial.organiser.email)
    _post(client, provincial.round_id, target_id, provincial.application_ids[:1])
    with app.app_context():
        nomination = db.session.scalar(select(Nomination))
        entry_id, number = nomination.target_application_id, nomination.source_certificate.number
        source_title = db.session.get(Round, provincial.round_id).title
    region = app.test_client()
    login(region, regional_organiser.email)
    owner = app.test_client()
    login(owner, provincial.owners[0].email)

    for page in (text_of(region.get(f"/organiser/applications/{entry_id}")),
                 text_of(owner.get(f"/producer/applications/{entry_id}"))):
        assert "Được đề cử từ cấp dưới" in page
        assert source_title in page and number in page



def test_every_refusal_of_a_nomination_has_its_own_message_in_both_languages(app):
    """A code added to the rules without a message would reach the organiser as a bare code."""
    import inspect
    import re

    from flask_babel import force_locale

    from voting.rules import eligibility
    from voting.views.domain_messages import PROBLEM_MESSAGES

    codes = set(re.findall(r'problems\.append\("(\w+)"\)', inspect.getsource(eligibility.nomination_problems)))
    codes |= set(re.findall(r'missing\.append\("(\w+)"\)', inspect.getsource(eligibility.dossier_missing)))
    assert len(codes) >= 14 and codes <= set(PROBLEM_MESSAGES)
    with app.test_request_context():
        with force_locale("vi"):
            vietnamese = {str(PROBLEM_MESSAGES[code]) for code in codes}
        with force_locale("en"):
            english = {str(PROBLEM_MESSAGES[code]) for code in codes}
    assert len(vietnamese) == len(english) == len(codes)  # one distinct message each
    assert vietnamese.isdisjoint(english)
