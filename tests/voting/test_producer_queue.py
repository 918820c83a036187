"""Việc cần làm of a producer (issue 19): dossiers returned for completion with the organiser's message, drafts
not yet sent while their round takes dossiers with its closing day and what they lack; the header counts them."""
import html
import re

import pytest

from tests.conftest import login
from tests.factories import DESCRIPTION, make_complete_product, make_producer, make_round
from voting.core.clock import today_vn
from voting.extensions import db
from voting.models import Role, User
from voting.operations.applications import return_application, start_application, submit_application
from voting.operations.products import save_product
from voting.rules.commitments import commitment_codes

MESSAGE = "Ảnh nhãn sản phẩm bị mờ, đề nghị chụp lại."


@pytest.fixture
def waiting(app, make_user):
    """A producer with a returned dossier, a draft without photos, and a submitted one (nothing to do there)."""
    organiser = make_user(Role.ORGANISER, province_code="19")
    owner = make_user(Role.PRODUCER)
    with app.app_context():
        user, acting = db.session.get(User, owner.id), db.session.get(User, organiser.id)
        producer = make_producer(user)
        round_ = make_round(acting)
        returned = start_application(user, producer, make_complete_product(user, producer, name="Miến dong"),
                                     round_, today_vn())
        submit_application(user, returned, today_vn(), commitment_codes())
        return_application(acting, returned, MESSAGE)
        bare = save_product(user, producer, None, {"name": "Mật ong hoa keo", "group_code": "2",
                                                   "description": DESCRIPTION, "gtin": None, "is_set": False}, [])
        draft = start_application(user, producer, bare, round_, today_vn())
        sent = start_application(user, producer, make_complete_product(user, producer, name="Giỏ mây"),
                                 round_, today_vn())
        submit_application(user, sent, today_vn(), commitment_codes())
        db.session.commit()
        ids = {"returned": returned.id, "draft": draft.id, "sent": sent.id,
               "closes": round_.registration_closes_on}
    client = app.test_client()
    assert login(client, owner.email).status_code == 302
    return client, ids


def test_the_dashboard_lists_what_waits_for_the_producer_with_links_and_the_deadline(waiting):
    client, ids = waiting
    page = html.unescape(client.get("/producer/").get_data(as_text=True))
    queue = re.search(r'<section class="panel work-queue".*?</section>', page, re.S)[0]
    assert f'href="/producer/applications/{ids["returned"]}">Hồ sơ Miến dong được trả lại để bổ sung' in queue
    assert f"“{MESSAGE}”" in queue
    assert f'href="/producer/applications/{ids["draft"]}">Hồ sơ Mật ong hoa keo chưa nộp' in queue
    assert "Còn thiếu:" in queue and "ảnh" in queue.lower()
    assert f"Hạn nộp hồ sơ: hết ngày {ids['closes']:%d/%m/%Y}" in queue
    assert f"/producer/applications/{ids['sent']}" not in queue  # submitted: the organiser's turn
    # The header's "Cơ sở của tôi" counts the same two.
    assert re.search(r"Cơ sở của tôi <span class=\"badge\" aria-hidden=\"true\">2</span>", page)


def test_another_producer_sees_nothing_of_it(app, waiting, make_user):
    other = make_user(Role.PRODUCER)
    with app.app_context():
        make_producer(db.session.get(User, other.id), name="Cơ sở khác", registration_number="4799999999")
        db.session.commit()
    client = app.test_client()
    assert login(client, other.email).status_code == 302
    page = client.get("/producer/").get_data(as_text=True)
    assert "work-queue" not in page and 'class="badge" aria-hidden="true"' not in page
