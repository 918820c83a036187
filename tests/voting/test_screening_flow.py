"""Screening as a flow (issue 19): previous and next between a round's dossiers, a decision moves on to the next
dossier still waiting, and a refused decision lists what to fix at the top of the page, each item linking to its field."""
import html
import re

import pytest
from sqlalchemy import select

from tests.conftest import csrf_from, login
from tests.factories import make_complete_product, make_producer, make_round
from voting.core.clock import today_vn
from voting.extensions import db
from voting.models import Application, ApplicationStatus, Role, User
from voting.operations.applications import start_application, submit_application
from voting.operations.rounds import close_registration
from voting.rules.commitments import commitment_codes


@pytest.fixture
def round_of_three(app, make_user):
    """A round closed for registration with three dossiers submitted in order A, B, C; the signed-in organiser."""
    organiser = make_user(Role.ORGANISER, province_code="19")
    owners = [make_user(Role.PRODUCER) for _ in range(3)]
    with app.app_context():
        round_ = make_round(db.session.get(User, organiser.id))
        ids = []
        for index, owner in enumerate(owners):
            user = db.session.get(User, owner.id)
            producer = make_producer(user, name=f"Cơ sở {'ABC'[index]}", registration_number=f"470000000{index}",
                                     phone=f"098765430{index}")
            product = make_complete_product(user, producer, name=f"Sản phẩm {'ABC'[index]}")
            application = start_application(user, producer, product, round_, today_vn())
            submit_application(user, application, today_vn(), commitment_codes())
            db.session.flush()
            ids.append(application.id)
        close_registration(db.session.get(User, organiser.id), round_)
        db.session.commit()
        round_id = round_.id
    client = app.test_client()
    assert login(client, organiser.email).status_code == 302
    return client, round_id, ids


def _page(client, application_id):
    response = client.get(f"/organiser/applications/{application_id}")
    assert response.status_code == 200
    return html.unescape(response.get_data(as_text=True))


def _decide(client, application_id, decision, message=""):
    url = f"/organiser/applications/{application_id}"
    return client.post(url, data={"decision": decision, "message": message,
                                  "csrf_token": csrf_from(client.get(url))})


def _steps(text):
    return (re.search(r'href="/organiser/applications/(\d+)" rel="prev"', text),
            re.search(r'href="/organiser/applications/(\d+)" rel="next"', text))


def test_each_dossier_links_to_the_one_before_and_after_in_the_lists_order(round_of_three):
    client, _, (a, b, c) = round_of_three
    previous, following = _steps(_page(client, a))
    assert previous is None and following[1] == str(b)
    previous, following = _steps(_page(client, b))
    assert (previous[1], following[1]) == (str(a), str(c))
    previous, following = _steps(_page(client, c))
    assert previous[1] == str(b) and following is None


def test_a_decision_moves_on_to_the_next_dossier_still_waiting_then_back_to_the_list(app, round_of_three):
    client, round_id, (a, b, c) = round_of_three
    response = _decide(client, b, "accept")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/organiser/applications/{a}")
    # B is accepted now and sorts after the waiting ones: A, then C.
    response = _decide(client, a, "return", "Bổ sung ảnh nhãn sản phẩm.")
    assert response.headers["Location"].endswith(f"/organiser/applications/{c}")
    flashed = html.unescape(client.get(response.headers["Location"]).get_data(as_text=True))
    assert "Đã trả lại hồ sơ Sản phẩm A của Cơ sở A để bổ sung" in flashed
    response = _decide(client, c, "reject", "Sản phẩm không thuộc nhóm đã chọn.")
    assert response.headers["Location"].endswith(f"/organiser/rounds/{round_id}")
    with app.app_context():
        statuses = dict(db.session.execute(select(Application.id, Application.status)
                                           .where(Application.id.in_((a, b, c)))).all())
    assert statuses == {a: ApplicationStatus.RETURNED, b: ApplicationStatus.ACCEPTED, c: ApplicationStatus.REJECTED}


def test_returning_without_a_message_lists_the_error_at_the_top_linked_to_the_field(app, round_of_three):
    client, _, (a, _, _) = round_of_three
    response = _decide(client, a, "return")
    assert response.status_code == 400
    text = html.unescape(response.get_data(as_text=True))
    summary = re.search(r'<div class="flash flash-error error-summary"[^>]*data-error-summary>(.*?)</div>', text, re.S)
    assert summary, "no error summary"
    assert text.index("data-error-summary") < text.index('id="message"')  # above the form, not 1,300 px below it
    assert re.search(r'<a href="#message">[^<]*Lời nhắn[^<]*:', summary[1])
    with app.app_context():
        assert db.session.get(Application, a).status == ApplicationStatus.SUBMITTED


def test_a_post_without_a_decision_names_the_buttons(round_of_three):
    client, _, (a, _, _) = round_of_three
    url = f"/organiser/applications/{a}"
    response = client.post(url, data={"message": "x", "csrf_token": csrf_from(client.get(url))})
    assert response.status_code == 400
    assert 'href="#screening-decisions"' in response.get_data(as_text=True)
