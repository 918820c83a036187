"""Every endpoint × every role: the expected outcome, declared in one table.

A new endpoint that is not in ``MATRIX`` fails ``test_matrix_covers_every_endpoint``;
every later issue extends the table.
"""
import pytest
from sqlalchemy import select

from tests.conftest import csrf_token, login
from voting.extensions import db
from voting.models import IssuingAuthority

ROLES = ("anonymous", "producer", "juror", "organiser", "admin")
LOGIN = (302, "/login")            # anonymous users are sent to sign in
OK, FORBIDDEN, NOT_FOUND = 200, 403, 404
HOME = (302, "/account/")          # signed-in users leave the sign-in pages


def only(role, outcome=OK):
    """``outcome`` for ``role``, 403 for the other signed-in roles, LOGIN for anonymous."""
    return {r: (outcome if r == role else (LOGIN if r == "anonymous" else FORBIDDEN)) for r in ROLES}


def everyone(outcome=OK):
    return {r: outcome for r in ROLES}


def signed_in(outcome=OK):
    return {"anonymous": LOGIN, **{r: outcome for r in ROLES[1:]}}


# endpoint: (method, url template, {role: expected})
MATRIX = {
    "public.index": ("GET", "/", everyone()),
    "public.set_language": ("GET", "/lang/en?next=/", everyone((302, "/"))),
    "public.health": ("GET", "/healthz", everyone()),
    "public.communes_of_province": ("GET", "/reference/provinces/19/communes.json", everyone()),
    "registry.index": ("GET", "/registry/", everyone()),
    "auth.login": ("GET", "/login", {"anonymous": OK, **{r: HOME for r in ROLES[1:]}}),
    "auth.register": ("GET", "/register", {"anonymous": OK, **{r: HOME for r in ROLES[1:]}}),
    "auth.forgot_password": ("GET", "/forgot-password", everyone()),
    "auth.reset_password": ("GET", "/reset-password/not-a-token", everyone(NOT_FOUND)),
    "auth.logout": ("POST", "/logout", {"anonymous": LOGIN, **{r: (302, "/") for r in ROLES[1:]}}),
    "account.dashboard": ("GET", "/account/", {
        "anonymous": LOGIN, "producer": (302, "/producer/"), "juror": (302, "/jury/"),
        "organiser": (302, "/organiser/"), "admin": (302, "/admin/")}),
    "account.password": ("GET", "/account/password", signed_in()),
    "producer.dashboard": ("GET", "/producer/", only("producer")),
    "jury.dashboard": ("GET", "/jury/", only("juror")),
    "organiser.dashboard": ("GET", "/organiser/", only("organiser")),
    "admin.index": ("GET", "/admin/", only("admin")),
    "admin.users": ("GET", "/admin/users", only("admin")),
    "admin.user_new": ("GET", "/admin/users/new", only("admin")),
    "admin.user_edit": ("GET", "/admin/users/{target_user}", only("admin")),
    "admin.user_reset_link": ("POST", "/admin/users/{target_user}/reset-link", only("admin")),
    "admin.user_set_active": ("POST", "/admin/users/{target_user}/active", only("admin", (302, "/admin/users/"))),
    "admin.authorities": ("GET", "/admin/authorities", only("admin")),
    "admin.authority_new": ("GET", "/admin/authorities/new", only("admin")),
    "admin.authority_edit": ("GET", "/admin/authorities/{authority}", only("admin")),
    "admin.regions": ("GET", "/admin/regions", only("admin")),
    "admin.audit": ("GET", "/admin/audit", only("admin")),
}


def test_matrix_covers_every_endpoint(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()} - {"static"}
    missing = endpoints - set(MATRIX)
    stale = set(MATRIX) - endpoints
    assert not missing, f"endpoints missing from the access matrix: {sorted(missing)}"
    assert not stale, f"matrix names endpoints that no longer exist: {sorted(stale)}"


def test_every_view_declares_an_access_rule(app):
    undeclared = [
        endpoint for endpoint, view in app.view_functions.items()
        if endpoint != "static" and getattr(view, "access_rule", None) is None
    ]
    assert undeclared == []


def test_view_without_rule_is_refused(app):
    """The before-request guard fails closed for an endpoint nobody declared."""
    from flask import Flask

    from voting import create_app

    probe = create_app({"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})
    probe.add_url_rule("/undeclared", "undeclared", lambda: "secret")
    assert isinstance(probe, Flask)
    response = probe.test_client().get("/undeclared")
    assert response.status_code == 403
    assert b"secret" not in response.data


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", sorted(MATRIX))
def test_access(app, client, make_user, endpoint, role):
    method, template, expected_by_role = MATRIX[endpoint]
    expected = expected_by_role[role]
    target = make_user("juror")
    with app.app_context():
        authority_id = db.session.scalar(select(IssuingAuthority.id).order_by(IssuingAuthority.id).limit(1))
    if role != "anonymous":
        user = make_user(role)
        assert login(client, user.email, user.password).status_code == 302
    url = template.format(target_user=target.id, authority=authority_id)
    if method == "POST":
        token = csrf_token(client, "/login" if role == "anonymous" else "/account/password")
        response = client.post(url, data={"csrf_token": token})
    else:
        response = client.get(url)
    status, location = expected if isinstance(expected, tuple) else (expected, None)
    assert response.status_code == status, f"{role} {method} {url}"
    if location is not None:
        assert response.headers["Location"].startswith(location), response.headers["Location"]
