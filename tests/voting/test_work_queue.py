"""Việc cần làm (issue 19): the organiser's home lists the waiting work of their rounds, with counts that match
the database and links to where each is done; the header counts the same items; another province sees none."""
import re

import pytest
from sqlalchemy import select

from tests.conftest import login
from tests.support.certificates import certify
from tests.support.work_queue import scoring_round, submitted_dossiers
from voting.extensions import db
from voting.models import Complaint, Role, Round, User
from voting.models.base import utcnow
from voting.queries.organiser_queue import organiser_queue


@pytest.fixture
def world(app, make_user):
    """Province 19's waiting work: 3 dossiers to screen; a round in scoring with 2 + 1 sheets missing, an entry
    short of jurors and a council below quorum; a decided round with 1 unanswered complaint and 2 entries
    still without a certificate."""
    organiser = make_user(Role.ORGANISER)
    dossier_owners = [make_user() for _ in range(3)]
    entry_owners = [make_user() for _ in range(3)]
    people = [make_user(Role.JUROR) for _ in range(5)]
    decided = certify(app, make_user, entries=2, failing=1)
    with app.app_context():
        acting = db.session.get(User, organiser.id)
        registration = submitted_dossiers(acting, [db.session.get(User, o.id) for o in dossier_owners])
        scoring = scoring_round(acting, [db.session.get(User, o.id) for o in entry_owners],
                                 [db.session.get(User, p.id) for p in people])
        complained = decided.application_ids[0]
        owner = db.session.get(Round, decided.round_id).applications[0].producer.accounts[0]
        db.session.add(Complaint(round_id=decided.round_id, application_id=complained, filed_by_id=owner.id,
                                 text="Điểm chưa phản ánh đúng chất lượng."))
        db.session.commit()
        names = [db.session.get(User, p.id).display_name for p in people[2:]]
        return {"organiser": organiser, "registration": registration.id, "scoring": scoring.id,
                "decided": decided.round_id, "jurors": names}


def _kinds(queue):
    return {(item.kind, item.round_id): item for item in queue}


def test_the_queue_counts_each_kind_of_waiting_work(app, world):
    with app.test_request_context():
        queue = organiser_queue(db.session.get(User, world["organiser"].id))
        items = _kinds(queue)
        counts = {key: item.count for key, item in items.items()}
        assert counts == {("dossiers", world["registration"]): 3,
                          ("sheets", world["scoring"]): 3,
                          ("short_of_jurors", world["scoring"]): 1,
                          ("council_below_quorum", world["scoring"]): 1,
                          ("complaints", world["decided"]): 1,
                          ("certificates", world["decided"]): 2}
        assert queue.total == 11
        first, second, third = world["jurors"]
        assert items["sheets", world["scoring"]].details["jurors"] == ((second, 2), (third, 1))
        assert items["dossiers", world["registration"]].deadline == \
            db.session.get(Round, world["registration"]).registration_closes_on
        assert items["council_below_quorum", world["scoring"]].details == {"members": 3, "quorum": 4}


def test_the_home_page_lists_the_work_with_links_and_the_header_counts_it(client, world):
    organiser = world["organiser"]
    login(client, organiser.email, organiser.password)
    page = client.get("/organiser/").get_data(as_text=True)
    queue = page[page.index('id="work-queue-title"'):page.index("</section>", page.index('id="work-queue-title"'))]
    registration, scoring, decided = world["registration"], world["scoring"], world["decided"]
    for href, text in [
        (f"/organiser/rounds/{registration}", "3 hồ sơ đang chờ tiếp nhận, thẩm định"),
        (f"/organiser/rounds/{scoring}/progress", "3 phiếu chấm chưa nộp"),
        (f"/organiser/rounds/{scoring}/council#juror", "1 sản phẩm chưa đủ 3 giám khảo có thể chấm"),
        (f"/organiser/rounds/{scoring}/council#member", "Hội đồng bình chọn mới có 3 thành viên, chưa đủ túc số 4"),
        (f"/rounds/{decided}/results#complaints", "1 khiếu nại chưa được trả lời"),
        (f"/certificates/rounds/{decided}", "2 sản phẩm được công nhận chưa được cấp giấy chứng nhận"),
    ]:
        assert re.search(rf'<a href="{re.escape(href)}">\s*{re.escape(text)}', queue), (href, text)
    assert f"{world['jurors'][1]} (2), {world['jurors'][2]} (1)" in queue
    assert "Hết hạn nhận hồ sơ:" in queue
    assert ", 11 việc đang chờ" in page  # the header's badge, read out
    for path in ("/organiser/", f"/organiser/rounds/{scoring}/progress", f"/certificates/rounds/{decided}"):
        assert client.get(path).status_code == 200


def test_another_province_sees_none_of_it(client, world, make_user):
    other = make_user(Role.ORGANISER, province_code="01")
    login(client, other.email, other.password)
    page = client.get("/organiser/").get_data(as_text=True)
    assert "Không có việc nào đang chờ." in page
    assert "việc đang chờ" not in page


def test_an_empty_queue_says_so(client, make_user):
    organiser = make_user(Role.ORGANISER)
    login(client, organiser.email, organiser.password)
    page = client.get("/organiser/").get_data(as_text=True)
    assert "Không có việc nào đang chờ." in page and "việc đang chờ</span>" not in page


def test_an_answered_complaint_leaves_the_queue(app, world):
    with app.test_request_context():
        complaint = db.session.scalar(select(Complaint))
        complaint.status, complaint.answer, complaint.answered_at = "dismissed", "Giữ nguyên.", utcnow()
        db.session.flush()
        queue = organiser_queue(db.session.get(User, world["organiser"].id))
        assert ("complaints", world["decided"]) not in _kinds(queue)
        assert queue.total == 10
