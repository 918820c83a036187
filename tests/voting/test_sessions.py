"""Server-side sessions: signing out ends this browser's session for good, copied cookies included;
a password change, a reset, "sign out everywhere" and disabling the account end them all; "remember
me" lasts at most 30 days (issue 16, item 2)."""
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

import pytest
from sqlalchemy import func, select

from config import ConfigError, DevelopmentConfig
from tests.conftest import csrf_from, csrf_token, login
from voting.extensions import db
from voting.models import AuditEvent, Role, User, UserSession
from voting.models.base import utcnow
from voting.operations.accounts import issue_password_token, set_account_active

NEW_PASSWORD = "một cụm mật khẩu mới 2027"
REMEMBER_COOKIE = "remember_token"
FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
ANDROID_CHROME = ("Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) "
                  "Chrome/131.0.0.0 Mobile Safari/537.36")


def _device(app, user_agent=FIREFOX, address="127.0.0.1"):
    client = app.test_client()
    client.environ_base.update(HTTP_USER_AGENT=user_agent, REMOTE_ADDR=address)
    return client


def _sign_in(client, user, remember=False):
    data = {"email": user.email, "password": user.password, "csrf_token": csrf_token(client, "/login")}
    if remember:
        data["remember"] = "y"
    response = client.post("/login", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return response


def _cookie(client, name):
    cookie = client.get_cookie(name)
    assert cookie is not None, f"no {name} cookie"
    return cookie.value


def _with_only(app, name, value):
    """A fresh browser holding nothing but one copied cookie."""
    browser = app.test_client()
    browser.set_cookie(name, value, domain="localhost")
    return browser


def _signed_in(client):
    response = client.get("/account/")
    return response.status_code == 302 and not response.headers["Location"].startswith("/login")


def _sessions(app, user_id):
    with app.app_context():
        return db.session.scalar(select(func.count(UserSession.id)).where(UserSession.user_id == user_id))


def _logout(client):
    return client.post("/logout", data={"csrf_token": csrf_token(client, "/account/password")})


# --- signing out ----------------------------------------------------------------------------------

def test_cookies_copied_before_logout_sign_nobody_in_after_it(app, make_user):
    user = make_user(Role.PRODUCER)
    browser = _device(app)
    _sign_in(browser, user, remember=True)
    session_cookie, remember_cookie = _cookie(browser, "session"), _cookie(browser, REMEMBER_COOKIE)
    assert _signed_in(_with_only(app, "session", session_cookie))
    assert _signed_in(_with_only(app, REMEMBER_COOKIE, remember_cookie))
    assert _logout(browser).status_code == 302
    for name, value in (("session", session_cookie), (REMEMBER_COOKIE, remember_cookie)):
        replay = _with_only(app, name, value)
        response = replay.get("/producer/")
        assert response.status_code == 302 and response.headers["Location"].startswith("/login"), name
    assert _sessions(app, user.id) == 0


def test_logout_leaves_the_other_devices_signed_in(app, make_user):
    user = make_user(Role.PRODUCER)
    laptop, phone = _device(app), _device(app, ANDROID_CHROME, "192.0.2.7")
    _sign_in(laptop, user)
    _sign_in(phone, user, remember=True)
    _logout(laptop)
    assert not _signed_in(laptop)
    assert phone.get("/producer/").status_code == 200
    assert _sessions(app, user.id) == 1


# --- ending every session -------------------------------------------------------------------------

def test_changing_the_password_ends_every_other_session_and_its_remember_cookie(app, make_user):
    user = make_user(Role.PRODUCER)
    here, elsewhere = _device(app), _device(app, ANDROID_CHROME, "192.0.2.7")
    _sign_in(here, user, remember=True)
    _sign_in(elsewhere, user, remember=True)
    remembered_elsewhere = _cookie(elsewhere, REMEMBER_COOKIE)
    old_here = _cookie(here, "session")
    response = here.post("/account/password", data={
        "current_password": user.password, "password": NEW_PASSWORD, "password2": NEW_PASSWORD,
        "csrf_token": csrf_token(here, "/account/password")})
    assert response.status_code == 302
    assert not _signed_in(elsewhere)
    assert not _signed_in(_with_only(app, REMEMBER_COOKIE, remembered_elsewhere))
    assert not _signed_in(_with_only(app, "session", old_here))
    assert here.get("/producer/").status_code == 200  # this browser has a new session, remembered again
    with app.app_context():
        (row,) = db.session.scalars(select(UserSession).where(UserSession.user_id == user.id)).all()
        assert row.remember is True
    assert _signed_in(_with_only(app, REMEMBER_COOKIE, _cookie(here, REMEMBER_COOKIE)))


def test_a_password_reset_ends_every_session(app, make_user):
    user = make_user(Role.PRODUCER)
    device = _device(app)
    _sign_in(device, user, remember=True)
    remembered = _cookie(device, REMEMBER_COOKIE)
    with app.app_context():
        raw = issue_password_token(None, db.session.get(User, user.id))
        db.session.commit()
    stranger = app.test_client()
    path = f"/reset-password/{raw}"
    stranger.post(path, data={"password": NEW_PASSWORD, "password2": NEW_PASSWORD,
                              "csrf_token": csrf_from(stranger.get(path))})
    assert not _signed_in(device)
    assert not _signed_in(_with_only(app, REMEMBER_COOKIE, remembered))
    assert _sessions(app, user.id) == 0


def test_sign_out_everywhere_ends_every_session_this_one_included(app, make_user):
    user = make_user(Role.ORGANISER)
    here, elsewhere = _device(app), _device(app, ANDROID_CHROME, "192.0.2.7")
    _sign_in(here, user)
    _sign_in(elsewhere, user, remember=True)
    remembered = _cookie(elsewhere, REMEMBER_COOKIE)
    page = here.get("/account/sessions")
    assert "Đăng xuất khỏi mọi thiết bị" in page.get_data(as_text=True)
    response = here.post("/account/sessions/end-all", data={"csrf_token": csrf_from(page)})
    assert response.headers["Location"] == "/login"
    assert not _signed_in(here) and not _signed_in(elsewhere)
    assert not _signed_in(_with_only(app, REMEMBER_COOKIE, remembered))
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "account.end_all_sessions"))
        assert (event.actor_id, event.object_id, event.data_dict) == (user.id, str(user.id), {"sessions": 2})


def test_sign_out_everywhere_needs_the_form_token(app, make_user):
    user = make_user(Role.PRODUCER)
    device = _device(app)
    _sign_in(device, user)
    assert device.post("/account/sessions/end-all").status_code == 400
    assert _signed_in(device)


def test_disabling_an_account_ends_its_sessions_for_good(app, make_user):
    """Enabled again later, the account's old cookies still sign nobody in."""
    user = make_user(Role.JUROR)
    device = _device(app)
    _sign_in(device, user, remember=True)
    remembered = _cookie(device, REMEMBER_COOKIE)
    with app.app_context():
        account = db.session.get(User, user.id)
        set_account_active(None, account, False, "thử")
        set_account_active(None, account, True)
        db.session.commit()
    assert _sessions(app, user.id) == 0
    assert not _signed_in(device)
    assert not _signed_in(_with_only(app, REMEMBER_COOKIE, remembered))


# --- the list of sessions -------------------------------------------------------------------------

def test_the_sessions_page_lists_each_device_and_marks_this_one(app, make_user):
    user = make_user(Role.PRODUCER)
    laptop, phone = _device(app), _device(app, ANDROID_CHROME, "192.0.2.7")
    _sign_in(laptop, user)
    _sign_in(phone, user, remember=True)
    body = laptop.get("/account/sessions").get_data(as_text=True)
    assert "Firefox · Windows" in body and "Chrome · Android" in body and "192.0.2.7" in body
    current_row = body.split('class="current-session"', 1)[1].split("</tr>", 1)[0]
    assert "Firefox · Windows" in current_row and "Thiết bị này" in current_row
    assert body.count("Thiết bị này") == 1


def test_a_user_sees_only_their_own_sessions(app, make_user):
    mine, theirs = make_user(Role.PRODUCER), make_user(Role.PRODUCER)
    browser, other = _device(app), _device(app, ANDROID_CHROME, "192.0.2.99")
    _sign_in(browser, mine)
    _sign_in(other, theirs)
    body = browser.get("/account/sessions").get_data(as_text=True)
    assert "192.0.2.99" not in body and "Android" not in body


# --- how long a session lasts ---------------------------------------------------------------------

def test_the_remember_cookie_lasts_at_most_30_days(app, make_user):
    user = make_user(Role.PRODUCER)
    response = _sign_in(_device(app), user, remember=True)
    (header,) = [h for h in response.headers.getlist("Set-Cookie") if h.startswith(f"{REMEMBER_COOKIE}=")]
    attributes = dict(part.strip().split("=", 1) for part in header.split(";")[1:] if "=" in part)
    expires = parsedate_to_datetime(attributes["Expires"])
    now = datetime.now(timezone.utc)
    assert now + timedelta(days=29) < expires <= now + timedelta(days=30, minutes=1)
    assert int(attributes.get("Max-Age", 30 * 86400)) <= 30 * 86400


def test_a_remembered_session_ends_on_the_server_when_its_time_is_up(app, make_user):
    """The cookie's own expiry is only advice to the browser: a copy kept past it is refused."""
    user = make_user(Role.PRODUCER)
    device = _device(app)
    _sign_in(device, user, remember=True)
    remembered = _cookie(device, REMEMBER_COOKIE)
    with app.app_context():
        row = db.session.scalar(select(UserSession).where(UserSession.user_id == user.id))
        assert row.expires_at - row.created_at == timedelta(days=30)
        row.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    assert not _signed_in(_with_only(app, REMEMBER_COOKIE, remembered))
    assert not _signed_in(device)


def test_a_session_not_remembered_lasts_the_session_hours(app, make_user):
    user = make_user(Role.PRODUCER)
    _sign_in(_device(app), user)
    with app.app_context():
        row = db.session.scalar(select(UserSession).where(UserSession.user_id == user.id))
        assert (row.remember, row.expires_at - row.created_at) == (False, app.config["PERMANENT_SESSION_LIFETIME"])


@pytest.mark.parametrize(("days", "refused"), [("30", False), ("7", False), ("31", True), ("365", True), ("0", True)])
def test_remember_days_above_30_are_refused(monkeypatch, days, refused):
    monkeypatch.setenv("REMEMBER_DAYS", days)
    settings = DevelopmentConfig()
    if refused:
        with pytest.raises(ConfigError, match="REMEMBER_DAYS"):
            settings.check()
    else:
        settings.check()
        assert settings.REMEMBER_COOKIE_DURATION == timedelta(days=int(days))


def test_last_seen_moves_forward_now_and_then(app, make_user):
    user = make_user(Role.PRODUCER)
    device = _device(app)
    _sign_in(device, user)
    with app.app_context():
        row = db.session.scalar(select(UserSession).where(UserSession.user_id == user.id))
        signed_in_at = row.last_seen_at
        row.last_seen_at = signed_in_at - timedelta(minutes=10)
        db.session.commit()
    device.get("/producer/")
    with app.app_context():
        assert db.session.scalar(select(UserSession.last_seen_at).where(UserSession.user_id == user.id)) >= signed_in_at


def test_a_forged_login_id_signs_nobody_in(app, make_user):
    """This session's token under another account's id, or a made-up token: nobody."""
    owner, other = make_user(Role.PRODUCER), make_user(Role.ADMIN)
    device = _device(app)
    _sign_in(device, owner)
    login_id = app.session_interface.get_signing_serializer(app).loads(_cookie(device, "session"))["_user_id"]
    user_id, _, token = login_id.partition(":")
    assert user_id == str(owner.id)
    with app.test_request_context():
        from voting.core.login_sessions import load_user

        assert load_user(login_id).id == owner.id
        assert load_user(f"{other.id}:{token}") is None
        assert load_user(f"{owner.id}:not-{token}") is None
        assert load_user("") is None and load_user(token) is None


def test_a_request_without_cookies_never_looks_up_a_session(app, make_user, monkeypatch):
    """A verifier's scan or an API call carries no cookie: Flask-Login is not asked about it (issue 20),
    while a signed-in browser's request still is, and a remember-me cookie alone still signs in."""
    looked_up = []
    real = app.login_manager._load_user
    monkeypatch.setattr(app.login_manager, "_load_user", lambda: looked_up.append(1) or real())
    assert app.test_client().get("/api/v1/ping").status_code == 200
    assert looked_up == []
    user = make_user(Role.PRODUCER)
    browser = _device(app)
    _sign_in(browser, user, remember=True)
    browser.get("/api/v1/ping")
    assert looked_up
    remembered = _with_only(app, "remember_token", _cookie(browser, "remember_token"))
    assert _signed_in(remembered)


def test_a_request_without_the_session_cookie_builds_no_signer_and_one_with_it_is_read(app, client, make_user):
    """Issue 20: the cookie's signer is built only when there is a cookie to read; signing in still works."""
    from voting.core.login_sessions import CookieSessions

    interface = app.session_interface
    assert isinstance(interface, CookieSessions)
    built = []
    original = interface.get_signing_serializer

    def counting(app_):
        built.append(1)
        return original(app_)

    interface.get_signing_serializer = counting
    try:
        assert client.get("/api/v1/ping").status_code == 200
        assert built == []
        user = make_user()
        login(client, user.email)
        built.clear()
        assert client.get("/account/sessions").status_code == 200  # read from the signed cookie
        assert built
    finally:
        del interface.get_signing_serializer
