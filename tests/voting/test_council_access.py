"""Council and jury routes × the roles a round gives: the per-round part of the access matrix.

``tests/test_access_matrix.py`` covers every endpoint for global roles (a juror
or organiser with no part in the round). Here the round is in scoring and the
roles are the round's own: chair, secretary, plain council member, the Trưởng Ban
Giám khảo, a member of the tổ giúp việc with an account, a juror of the round, a
juror of the round in conflict with the entry, and an outsider.
"""
import pytest
from sqlalchemy import select

from tests.conftest import csrf_token, login
from tests.factories import make_entries, make_round
from tests.support.world_cache import shared_world
from voting.extensions import db
from voting.models import Conflict, User
from voting.operations.council import (
    Person,
    add_support_member,
    appoint_jury_head,
    assign_juror,
    declare_conflict,
    detect_conflicts,
    set_council_member,
)
from voting.operations.rounds import open_scoring
from voting.operations.scoring import open_sheet, save_draft, submit_sheet

ROUND_ROLES = ("chair", "secretary", "member", "jury_head", "support", "juror", "conflicted_juror", "outsider")
OK, BACK, FORBIDDEN, NOT_FOUND = 200, 302, 403, 404


def _only(default, **roles):
    """``default`` for every role but those named."""
    return {role: roles.get(role, default) for role in ROUND_ROLES}


#: The jury's roles on the jury's own pages (the Trưởng ban scores like any juror).
JURY = {"jury_head": OK, "juror": OK}

# endpoint: (method, url template, {role: expected}); POSTs carry only a CSRF token.
ROUND_MATRIX = {
    "council.index": ("GET", "/council/", dict.fromkeys(ROUND_ROLES, OK)),
    "council.round_view": ("GET", "/council/rounds/{round}", _only(
        NOT_FOUND, chair=OK, secretary=OK, member=OK, jury_head=OK, support=OK)),
    # The jury's housekeeping is the Trưởng ban's: sent back with "Hãy ghi lý do." (no reason given).
    "council.conflict_dismiss": ("POST", "/council/conflicts/{flag}/dismiss", _only(NOT_FOUND, jury_head=BACK)),
    "council.sheet_reopen": ("POST", "/council/sheets/{sheet}/reopen", _only(NOT_FOUND, jury_head=BACK)),
    "council.remind_jurors": ("POST", "/council/rounds/{round}/remind", _only(NOT_FOUND, jury_head=BACK)),
    "council.paper_sheet": ("GET", "/council/rounds/{round}/paper", _only(NOT_FOUND, secretary=OK, support=OK)),
    "jury.round_view": ("GET", "/jury/rounds/{round}", _only(NOT_FOUND, **JURY, conflicted_juror=OK)),
    "jury.sheet": ("GET", "/jury/rounds/{round}/entries/{entry}", _only(
        NOT_FOUND, **JURY, conflicted_juror=FORBIDDEN)),
    "jury.entry_file": ("GET", "/jury/rounds/{round}/entries/{entry}/files/{photo}", _only(NOT_FOUND, **JURY)),
    # A juror's own sheet as PDF: the Trưởng ban has not opened one for the entry.
    "jury.sheet_pdf": ("GET", "/jury/rounds/{round}/entries/{entry}/sheet.pdf", _only(NOT_FOUND, juror=OK)),
    # A juror of the round is sent back with the form's message.
    "jury.conflict_declare": ("POST", "/jury/rounds/{round}/conflicts", _only(
        NOT_FOUND, jury_head=BACK, juror=BACK, conflicted_juror=BACK)),
}


@shared_world  # copied when ``create`` is the test's make_user (tests/support/world_cache.py)
def _build_scoring_round(app, create):
    """A round in scoring with its council, jury, a declared and a detected conflict and a submitted sheet."""
    people = {
        "organiser": create("organiser", province_code="19"),
        "chair": create("juror"), "member": create("juror"), "outsider": create("juror"),
        "jury_head": create("juror"), "support": create("organiser", province_code="19"),
        "juror": create("juror"), "conflicted_juror": create("juror"),
        "owners": [create("producer") for _ in range(3)], "extra": [create("juror") for _ in range(2)],
    }
    with app.app_context():
        load = lambda ref: db.session.get(User, ref.id)  # noqa: E731
        organiser = load(people["organiser"])
        round_ = make_round(organiser)
        entries = make_entries(organiser, [load(o) for o in people["owners"]], round_)
        set_council_member(organiser, round_, load(people["chair"]), "chair")
        set_council_member(organiser, round_, organiser, "secretary")
        set_council_member(organiser, round_, load(people["member"]), "member")
        add_support_member(organiser, round_, Person("Người Giúp Việc"), user=load(people["support"]))
        for ref in (people["juror"], people["conflicted_juror"], *people["extra"]):
            assign_juror(organiser, round_, load(ref))
        appoint_jury_head(organiser, assign_juror(organiser, round_, load(people["jury_head"])))
        conflicted = load(people["conflicted_juror"])
        declare_conflict(conflicted, round_, entries[0].producer, "Họ hàng")
        load(people["extra"][0]).phone = entries[1].producer.phone
        detect_conflicts(organiser, round_)
        open_scoring(organiser, round_)
        juror = load(people["juror"])
        sheet = open_sheet(juror, entries[0], juror)
        save_draft(juror, sheet, {str(c.id): "5" for c in round_.leaf_criteria}, comment="Đạt")
        submit_sheet(juror, sheet, sheet.version)
        db.session.commit()
        ids = {"round": round_.id, "entry": entries[0].id, "photo": entries[0].product.photos[0].id,
               "sheet": sheet.id, "flag": db.session.scalar(select(Conflict.id).where(
                   Conflict.round_id == round_.id, Conflict.source == "same_contact"))}
    people["secretary"] = people["organiser"]
    return people, ids


@pytest.fixture
def scoring_round(app, make_user, monkeypatch):
    """A round of this test's own: a POST may change it."""
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "100 per minute")
    return _build_scoring_round(app, make_user)


@pytest.fixture(scope="module")
def shared_round(app, module_rows):
    """One round, and a client signed in per role, for every GET (a GET changes nothing the others read)."""
    from tests.conftest import create_user

    serial = iter(range(1, 100))

    def create(role, province_code=None):
        return create_user(app, role, f"council.{role}{next(serial)}@example.vn", province_code=province_code)

    people, ids = _build_scoring_round(app, create)
    clients = {}
    for role in ROUND_ROLES:
        clients[role] = app.test_client()
        assert login(clients[role], people[role].email, people[role].password).status_code == 302
    return clients, ids


def test_round_matrix_names_every_role():
    for endpoint, (_, _, expected) in ROUND_MATRIX.items():
        assert set(expected) == set(ROUND_ROLES), endpoint


def test_every_council_and_jury_endpoint_is_in_a_matrix(app):
    from tests.support.results_access import ROUND_MATRIX as RESULTS_MATRIX

    endpoints = {r.endpoint for r in app.url_map.iter_rules() if r.endpoint.split(".")[0] in ("council", "jury")}
    # The juror's answer to a justification request belongs to deliberation: it is in the results matrix.
    assert endpoints - {"jury.dashboard"} <= set(ROUND_MATRIX) | set(RESULTS_MATRIX)


GETS = sorted(endpoint for endpoint, (method, _, _) in ROUND_MATRIX.items() if method == "GET")
POSTS = sorted(endpoint for endpoint, (method, _, _) in ROUND_MATRIX.items() if method == "POST")


@pytest.mark.xdist_group("council_access_get")
@pytest.mark.parametrize("role", ROUND_ROLES)
@pytest.mark.parametrize("endpoint", GETS)
def test_round_access(app, module_rows, shared_round, endpoint, role):
    clients, ids = shared_round
    _, template, expected = ROUND_MATRIX[endpoint]
    url = template.format(**ids)
    assert clients[role].get(url).status_code == expected[role], f"{role} GET {url}"


@pytest.mark.parametrize("role", ROUND_ROLES)
@pytest.mark.parametrize("endpoint", POSTS)
def test_round_access_post(app, client, scoring_round, endpoint, role):
    people, ids = scoring_round
    _, template, expected = ROUND_MATRIX[endpoint]
    user = people[role]
    assert login(client, user.email, user.password).status_code == 302
    url = template.format(**ids)
    response = client.post(url, data={"csrf_token": csrf_token(client, "/account/password")})
    assert response.status_code == expected[role], f"{role} POST {url}"
