"""The order of a round's last steps (``Round.step_order``) and its migration.

The UI walk through the rules' order is in test_results_ui.py; here: an upheld complaint against the
announced list, the settings form, and revision 0019e on a database holding rounds from before it.
"""
from datetime import timedelta

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from certificates.operations.issuance import issuance_problems
from tests.factories import make_deliberating_round
from tests.support.certificates import FAILING, PASSING
from tests.support.databases import ROWS_AT_0002, ROWS_AT_0018, fresh_database  # noqa: F401  (a fixture)
from voting import create_app
from voting.core.clock import today_vn
from voting.core.errors import DomainError
from voting.extensions import db
from voting.models import Application, Complaint, Round, RoundStatus, StepOrder, User, ValidityFrom
from voting.rules.signer import SignerBlock
from voting.operations.complaints import answer_complaint, file_complaint
from voting.operations.deliberation import publish_results, record_decision, record_vote, restore_entry, strike_entry

SIGNER = SignerBlock(title="Phó Chủ tịch", name="Nguyễn Văn Bình")


def test_an_upheld_complaint_against_the_announced_list_sends_it_back_to_the_council(app, make_user):
    hall = make_deliberating_round(app, make_user, [PASSING, PASSING, FAILING])
    today = today_vn()
    with app.app_context():
        round_ = db.session.get(Round, hall.round_id)
        chair, organiser = db.session.get(User, hall.chair.id), db.session.get(User, hall.organiser.id)
        second = db.session.get(Application, hall.application_ids[1])
        struck = strike_entry(chair, round_, second, "Thiếu giấy chứng nhận an toàn thực phẩm.")
        first_vote = record_vote(chair, round_, today, 4, 4, 0, 0, "", today)
        publish_results(organiser, round_, today)
        assert round_.status == RoundStatus.ANNOUNCED
        closes_on = first_vote.complaints_close_on
        assert closes_on == today + timedelta(days=round_.complaint_window_days)
        with pytest.raises(DomainError, match="invalid_transition"):  # the announced list is not edited in place
            strike_entry(chair, round_, db.session.get(Application, hall.application_ids[0]), "Thử")
        # Certificates wait for the decision, and the organiser is told why in those words.
        assert issuance_problems(round_, today) == [("not_decided_yet", {"closes_on": closes_on.strftime("%d/%m/%Y")})]

        file_complaint(db.session.get(User, hall.owners[1].id), second, "Cơ sở đã có giấy chứng nhận.", today)
        complaint = db.session.scalar(select(Complaint).where(Complaint.round_id == round_.id))
        answer_complaint(chair, complaint, True, "Hội đồng xét lại.", True)
        assert round_.status == RoundStatus.DELIBERATION
        restore_entry(chair, struck)
        second_vote = record_vote(chair, round_, today, 4, 4, 0, 0, "", today)
        with pytest.raises(DomainError, match="results_not_announced"):
            record_decision(organiser, second_vote, "9/QĐ-UBND", today, SIGNER, today)
        publish_results(organiser, round_, today + timedelta(days=3))
        assert second_vote.complaints_close_on == closes_on  # the window keeps the end it was announced with
        with pytest.raises(DomainError, match="not_latest_vote"):
            record_decision(organiser, first_vote, "9/QĐ-UBND", closes_on + timedelta(days=1), SIGNER,
                            closes_on + timedelta(days=1))
        after = closes_on + timedelta(days=1)
        record_decision(organiser, second_vote, "9/QĐ-UBND", after, SIGNER, after)
        assert round_.status == RoundStatus.DECIDED and len(second_vote.entries) == 2
        db.session.rollback()


def test_the_order_and_the_dating_are_round_settings_fixed_once_deliberation_starts(app, client, make_user):
    from tests.conftest import login
    from tests.factories import make_round
    from voting.core.errors import InvalidTransition
    from voting.models import Role
    from voting.operations.rounds import SETTING_FIELDS, update_scoring_settings

    hall = make_deliberating_round(app, make_user, [PASSING])
    assert login(client, hall.organiser.email).status_code == 302
    page = client.get(f"/organiser/rounds/{hall.round_id}/scoring-settings")
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and "Thứ tự công bố kết quả và quyết định công nhận" in body
    assert '<option selected value="announce_first">' in body and '<option selected value="decision">' in body

    other = make_user(Role.ORGANISER)
    with app.app_context():
        deliberating = db.session.get(Round, hall.round_id)
        organiser = db.session.get(User, hall.organiser.id)
        fields = {name: getattr(deliberating, name) for name in SETTING_FIELDS}
        with pytest.raises(InvalidTransition):
            update_scoring_settings(organiser, deliberating, {**fields, "step_order": StepOrder.DECIDE_FIRST})
        db.session.rollback()
        draft = make_round(db.session.get(User, other.id))
        update_scoring_settings(db.session.get(User, other.id), draft,
                                {**fields, "step_order": StepOrder.DECIDE_FIRST, "validity_from": ValidityFrom.ISSUE})
        db.session.commit()
        assert (draft.step_order, draft.validity_from) == (StepOrder.DECIDE_FIRST, ValidityFrom.ISSUE)


def test_rounds_from_before_0019e_keep_the_order_they_ran_in(fresh_database):  # noqa: F811
    app = create_app({"SQLALCHEMY_DATABASE_URI": fresh_database})
    with app.app_context():
        upgrade(revision="0002_producers_rounds")
        with db.engine.begin() as conn:
            for statement in ROWS_AT_0002:
                conn.execute(text(statement))
        upgrade(revision="0018_decision_entry_names")
        with db.engine.begin() as conn:
            for statement in ROWS_AT_0018:
                conn.execute(text(statement))
        upgrade(revision="0019e_step_order")
        with db.engine.connect() as conn:
            rounds = conn.execute(text("SELECT id, status, step_order, validity_from FROM round ORDER BY id")).all()
            assert [tuple(r) for r in rounds] == [(1, "decided", "decide_first", "issue"),
                                                  (2, "deliberation", "decide_first", "issue")]
            assert conn.execute(text("SELECT count(*) FROM decision")).scalar() == 2
        with db.engine.begin() as conn:  # what the rules' order needs is now allowed …
            conn.execute(text("UPDATE round SET status = 'announced', step_order = 'announce_first' WHERE id = 2"))
            conn.execute(text("UPDATE decision SET published_at = '2026-03-02 00:00:00', "
                              "complaints_close_on = '2026-03-17' WHERE id = 2"))
        with pytest.raises(IntegrityError), db.engine.begin() as conn:  # … and only a known order
            conn.execute(text("UPDATE round SET step_order = 'whenever' WHERE id = 2"))
        with pytest.raises(IntegrityError), db.engine.begin() as conn:  # a failed vote is never published
            conn.execute(text("UPDATE decision SET carried = false WHERE id = 2"))

        downgrade(revision="0018_decision_entry_names")  # an announced round goes back to deliberation
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT status FROM round WHERE id = 2")).scalar() == "deliberation"
            assert conn.execute(text("SELECT published_at FROM decision WHERE id = 2")).scalar() is None
            assert conn.execute(text("SELECT decision_number FROM decision WHERE id = 1")).scalar() == "12/QĐ-UBND"
        upgrade()
        db.engine.dispose()
