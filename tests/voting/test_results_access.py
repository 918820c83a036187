"""Results routes × the roles a round gives: the per-round part of the access matrix for deliberation.

The round decides first (``StepOrder.DECIDE_FIRST``) and has a carried vote and a recorded decision, not
yet published. Roles:
the council's chair, its secretary (the round's organiser), a plain member,
a juror of the round, the producer of an entry, an organiser of another
province, and anonymous visitors. POSTs carry only a CSRF token, so an allowed
role meets the form's own refusal (400, or a redirect with a message).
"""
import pytest
from sqlalchemy import select

from tests.conftest import csrf_token, login
from tests.factories import make_deliberating_round
from tests.support.results_access import LOGIN, ROLES, ROUND_MATRIX
from voting.rules.signer import SignerBlock
from voting.core.clock import today_vn
from voting.extensions import db
from voting.models import Application, ScoreSheet, StepOrder, User
from voting.operations.deliberation import record_decision, record_vote, strike_entry


@pytest.fixture(scope="module")
def table():
    return [[[34, 32, 8, 8], [35, 31, 8, 8], [30, 30, 7, 7]], [[20, 20, 5, 5], [21, 20, 5, 5], [22, 20, 5, 5]],
            [[30, 30, 8, 8]] * 3]


@pytest.fixture
def decided(app, make_user, table, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "1000 per minute")
    hall = make_deliberating_round(app, make_user, table, round_settings={"step_order": StepOrder.DECIDE_FIRST})
    outsider = make_user("organiser", province_code="56")
    with app.app_context():
        from voting.models import Round

        round_ = db.session.get(Round, hall.round_id)
        chair = db.session.get(User, hall.chair.id)
        strike = strike_entry(chair, round_, db.session.get(Application, hall.application_ids[2]), "Thiếu hồ sơ")
        db.session.flush()
        decision = record_vote(chair, round_, today_vn(), 4, 4, 0, 0, "", today_vn())
        record_decision(db.session.get(User, hall.organiser.id), decision, "12/QĐ-UBND", today_vn(),
                        SignerBlock(title="Phó Chủ tịch", name="Lê Văn A"), today_vn())
        sheet = db.session.scalar(select(ScoreSheet.id).where(ScoreSheet.juror_user_id == hall.jurors[0].id))
        db.session.commit()
        ids = {"round": hall.round_id, "decision": decision.id, "strike": strike.id, "entry": hall.application_ids[0], "sheet": sheet}
    people = {"chair": hall.chair, "secretary": hall.organiser, "member": hall.members[0], "juror": hall.jurors[0],
              "owner": hall.owners[0], "outsider": outsider}
    return ids, people


def test_every_results_endpoint_is_in_the_round_matrix(app):
    endpoints = {r.endpoint for r in app.url_map.iter_rules() if r.endpoint.startswith("results.")}
    assert endpoints <= set(ROUND_MATRIX)


def test_round_matrix_names_every_role():
    for endpoint, (_, _, expected) in ROUND_MATRIX.items():
        assert set(expected) == set(ROLES), endpoint


@pytest.mark.parametrize("role", ROLES)
def test_results_access_by_round_role(app, client, decided, role):
    ids, people = decided
    if role != "anonymous":
        assert login(client, people[role].email).status_code == 302
    for endpoint, (method, template, expected_by_role) in ROUND_MATRIX.items():
        expected = expected_by_role[role]
        url = template.format(**ids)
        if method == "POST":
            token = csrf_token(client, "/login" if role == "anonymous" else "/account/password")
            response = client.post(url, data={"csrf_token": token})
        else:
            response = client.get(url)
        if expected == LOGIN:
            assert response.status_code == 302 and "/login" in response.headers["Location"], f"{role} {endpoint}"
        else:
            assert response.status_code == expected, f"{role} {method} {endpoint}"
