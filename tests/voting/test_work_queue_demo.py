"""The done-when of issue 19 on the demo: the Thái Nguyên organiser's home lists the demo's waiting work, with
counts equal to what the database says when asked directly (through the operations the round pages use),
each linking to where the work is done."""
import re

import pytest
from flask import current_app
from sqlalchemy import func, select

from certificates.operations.issuance import pending_entries
from tests.conftest import login
from tests.support import demo_world
from voting.demo.seed import DEMO_ACCOUNTS
from voting.extensions import db
from voting.models import PENDING_STATUSES, Application, Complaint, ComplaintStatus, Round, RoundStatus, User
from voting.operations.council import entries_short_of_jurors
from voting.operations.scoring import progress
from voting.queries.organiser_queue import CERTIFY_STEPS, COUNCIL_STEPS, JURY_STEPS, UNDER_WAY, organiser_queue
from voting.rules.permissions import rounds_managed_by

pytestmark = pytest.mark.xdist_group(demo_world.GROUP)

#: The demo's provincial organiser of Thái Nguyên (tests/e2e/demo_pages.py ORGANISER).
ORGANISER = "sct.thainguyen@demo.cnnt.vn"


def _count(query):
    return db.session.scalar(query) or 0


def _direct(round_):
    """What waits in ``round_``, each asked of the database the way its own page asks it."""
    found = {
        "dossiers": _count(select(func.count(Application.id)).where(
            Application.round_id == round_.id, Application.status.in_(PENDING_STATUSES))),
        "complaints": _count(select(func.count(Complaint.id)).where(
            Complaint.round_id == round_.id, Complaint.status == ComplaintStatus.OPEN)),
    }
    if round_.status in (RoundStatus.SCORING, RoundStatus.SECOND_SCORING):
        found["sheets"] = sum(expected - done for done, expected in progress(round_).values())
    if round_.status in JURY_STEPS:
        found["short_of_jurors"] = len(entries_short_of_jurors(round_))
    if round_.status in COUNCIL_STEPS:
        found["council_below_quorum"] = max(0, round_.council_quorum - len(round_.council_members))
    if round_.status in CERTIFY_STEPS:
        found["certificates"] = len(pending_entries(round_)[1])
    return {kind: n for kind, n in found.items() if n}


def _page(email):
    """The organiser's home page as the demo account sees it."""
    password = next(a["password"] for a in DEMO_ACCOUNTS if a["email"] == email)
    client = current_app.test_client()
    assert login(client, email, password).status_code == 302
    return client.get("/organiser/").get_data(as_text=True)


@demo_world.takes_snapshot("work_queue")
def _work_queue_snapshot():
    organiser = db.session.scalar(select(User).where(User.email == ORGANISER))
    rounds = db.session.scalars(rounds_managed_by(organiser).where(Round.status.in_(UNDER_WAY))).all()
    direct = {(kind, r.id): n for r in rounds for kind, n in _direct(r).items()}
    with current_app.test_request_context():
        queue = organiser_queue(organiser)
        items = {(i.kind, i.round_id): (i.count, i.url) for i in queue}
        total = queue.total
    return {"direct": direct, "items": items, "total": total, "page": _page(ORGANISER),
            "statuses": sorted({str(r.status) for r in rounds})}


@pytest.fixture(scope="module")
def demo(app):
    return demo_world.snapshot(app, "work_queue")


def test_the_demo_organiser_has_waiting_work(demo):
    assert demo["total"] > 0
    assert {kind for kind, _ in demo["items"]} >= {"dossiers", "sheets"}, demo["items"]


def test_the_counts_match_the_database(demo):
    assert {key: count for key, (count, _url) in demo["items"].items()} == demo["direct"]
    assert demo["total"] == sum(demo["direct"].values())


def test_the_home_page_links_each_item_and_the_header_counts_them(demo):
    page = demo["page"]
    for (kind, _round_id), (count, url) in demo["items"].items():
        assert re.search(rf'<a href="{re.escape(url)}">\s*{count}\b', page) or kind == "council_below_quorum", kind
    assert f", {demo['total']} việc đang chờ" in page
