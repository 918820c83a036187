"""An id too large for an INTEGER column names nothing: every route with an ``<int:…>`` answers 404 for it,
GET and POST, never a 500 from the database (issue 16, item 9).

SQLite's driver refuses integers past 2⁶³ (OverflowError) and PostgreSQL an INTEGER compared with a
number past 2³¹-1; the routes walked here are read from the app's URL map, so a new route is covered
without being listed.
"""
import re

import pytest

from tests.conftest import csrf_token, login
from voting.core.routing import MAX_ID

HUGE = (str(MAX_ID + 1), "99999999999999999999")
_ARGUMENT = re.compile(r"<(?:(?P<converter>\w+)(?:\((?P<options>[^)]*)\))?:)?(?P<name>\w+)>")


def _id_rules(app):
    return [rule for rule in app.url_map.iter_rules()
            if any(m["converter"] == "int" for m in _ARGUMENT.finditer(rule.rule))]


def _url(rule, value):
    """The rule's URL with ``value`` for every id, the first choice of an ``any(…)``, a word elsewhere."""
    def fill(match):
        if match["converter"] == "int":
            return value
        if match["converter"] == "any":
            return match["options"].split(",")[0].strip()
        return "x"

    return _ARGUMENT.sub(fill, rule.rule)


def _role_reaching(view):
    """A role the view's access rule lets in, so that the request would reach the view itself."""
    rule = getattr(view, "access_rule", "public")
    if rule == "public":
        return None
    if rule == "login":
        return "admin"
    return rule.removeprefix("roles:").split(",")[0]


@pytest.fixture
def visitors(app, make_user):
    """A signed-in client and its CSRF token per role (``None``: anonymous)."""
    made = {}

    def visitor(role):
        if role not in made:
            client = app.test_client()
            if role is not None:
                user = make_user(role)
                assert login(client, user.email, user.password).status_code == 302
            made[role] = (client, csrf_token(client, "/login" if role is None else "/account/password"))
        return made[role]

    return visitor


@pytest.mark.parametrize("value", HUGE)
def test_every_id_route_answers_404_for_an_id_no_integer_column_holds(app, visitors, value):
    rules = _id_rules(app)
    assert len(rules) > 50, "the walk found too few routes with an id: did the URL map change?"
    answers = {}
    for rule in rules:
        role = _role_reaching(app.view_functions[rule.endpoint])
        client, token = visitors(role)
        url = _url(rule, value)
        for method in sorted({"GET", "POST"} & rule.methods):
            if method == "GET":
                response = client.get(url)
            else:
                response = client.post(url, data={"csrf_token": token})
            answers[f"{method} {url} as {role or 'anonymous'}"] = response.status_code
    wrong = {request: status for request, status in answers.items() if status != 404}
    assert not wrong, f"{len(wrong)} of {len(answers)} requests did not answer 404: {wrong}"


def test_the_largest_id_still_reaches_its_route(app):
    adapter = app.url_map.bind("localhost")
    assert adapter.match(f"/results/{MAX_ID}") == ("public.results_round", {"round_id": MAX_ID})
    assert adapter.match("/rounds/7/results/decisions/12/minutes.pdf") == (
        "results.minutes_pdf", {"round_id": 7, "decision_id": 12})
