"""Việc cần làm of a juror (issue 19): sheets still to score with their drafts and deadline, the council's
requests to justify, and the Trưởng ban's conflict flags; the header's "Chấm điểm" counts them."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.conftest import login
from tests.support.work_queue import scoring_round
from voting.core.clock import today_vn
from voting.extensions import db
from voting.models import Application, Conflict, Role, Round, ScoreSheet, User
from voting.models.base import utcnow
from voting.operations.council import appoint_jury_head
from voting.operations.scoring import open_sheet, progress
from voting.queries.jury_queue import jury_queue


@pytest.fixture
def jury(app, make_user):
    """The scoring round of test_work_queue: the first juror heads the jury, scored all and has one detected
    flag to decide; the second scored one entry of three, keeps a draft of another and is asked to justify."""
    organiser = make_user(Role.ORGANISER)
    owners = [make_user() for _ in range(3)]
    people = [make_user(Role.JUROR) for _ in range(5)]
    with app.app_context():
        acting = db.session.get(User, organiser.id)
        round_ = scoring_round(acting, [db.session.get(User, o.id) for o in owners],
                               [db.session.get(User, p.id) for p in people])
        round_.scoring_ends_on = today_vn() + timedelta(days=2)
        head, second, third = round_.jurors
        appoint_jury_head(acting, head)
        entries = db.session.scalars(select(Application).where(Application.round_id == round_.id)
                                     .order_by(Application.entry_code)).all()
        scored = set(db.session.scalars(select(ScoreSheet.application_id).where(
            ScoreSheet.juror_user_id == second.user_id)))
        open_sheet(second.user, next(a for a in entries if a.id not in scored), second.user)  # a draft, not submitted
        asked = db.session.scalar(select(ScoreSheet).where(ScoreSheet.juror_user_id == second.user_id,
                                                           ScoreSheet.status == "submitted"))
        asked.justification_request, asked.justification_requested_at = "Vì sao điểm thấp?", utcnow()
        asked.justification_requested_by_id = head.user_id
        # A detected flag on the head, with a producer they declared no conflict with: theirs to decide.
        flagged = next(a for a in entries if not db.session.scalar(select(Conflict.id).where(
            Conflict.juror_user_id == head.user_id, Conflict.producer_id == a.producer_id)))
        db.session.add(Conflict(round_id=round_.id, juror_user_id=head.user_id, producer_id=flagged.producer_id,
                                source="same_contact", reason="same phone"))
        db.session.commit()
        return {"round": round_.id, "head": people[2], "second": people[3], "third": people[4]}


def _items(app, user):
    with app.test_request_context():
        return {item.kind: item for item in jury_queue(db.session.get(User, user.id))}


def test_a_juror_sees_the_sheets_left_with_drafts_and_the_request(app, jury):
    items = _items(app, jury["second"])
    assert {kind: item.count for kind, item in items.items()} == {"to_score": 2, "justify": 1}
    assert items["to_score"].details == {"drafts": 1}
    assert items["to_score"].deadline == today_vn() + timedelta(days=2)
    assert items["to_score"].urgency(today_vn()) == "soon"
    with app.app_context():
        done, expected = progress(db.session.get(Round, jury["round"]))[jury["second"].id]
    assert expected - done == 2


def test_the_head_sees_the_flags_to_decide(app, jury):
    assert {kind: item.count for kind, item in _items(app, jury["head"]).items()} == {"flags": 1}
    assert "flags" not in _items(app, jury["third"])


def test_the_jury_home_lists_the_work_and_the_header_counts_it(client, jury):
    login(client, jury["second"].email, jury["second"].password)
    page = client.get("/jury/").get_data(as_text=True)
    round_id = jury["round"]
    assert re.search(rf'<a href="/jury/rounds/{round_id}">\s*2 phiếu chấm cần hoàn thành', page)
    assert re.search(rf'<a href="/jury/rounds/{round_id}#justifications">\s*1 đề nghị giải trình', page)
    assert "trong đó 1 phiếu đang lưu nháp, chưa nộp" in page
    assert ", 3 việc đang chờ" in page


def test_a_juror_with_nothing_left_sees_an_empty_queue(client, make_user):
    juror = make_user(Role.JUROR)
    login(client, juror.email, juror.password)
    page = client.get("/jury/").get_data(as_text=True)
    assert "Không có việc nào đang chờ." in page and "việc đang chờ</span>" not in page
