"""Signing in and out, registration, passwords and reset links, language choice."""
import re
import unicodedata
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from babel.support import Translations
from sqlalchemy import func, select

from tests.conftest import PASSWORD, csrf_from, csrf_token, login
from tests.helpers import confirm_through_link, free_port
from voting.extensions import db
from voting.models import AuditEvent, PasswordResetToken, Role, User
from voting.models.base import utcnow
from voting.operations.accounts import issue_password_token
from voting.core.passwords import password_problems

NEW_PASSWORD = "một cụm mật khẩu mới 2027"
WRONG_PASSWORD = "không phải mật khẩu này 99"
BAD_LOGIN = "E-mail hoặc mật khẩu không đúng."
CSRF_MESSAGE = "Biểu mẫu đã hết hạn hoặc thiếu mã bảo mật (CSRF)"
INVALID_LINK = "Liên kết không còn hiệu lực"
_LINK_RE = re.compile(r"https?://[^\s\"<>]+/reset-password/[A-Za-z0-9_\-]+")
TRANSLATIONS_DIR = Path(__file__).resolve().parents[2] / "voting" / "translations"


# --- helpers -----------------------------------------------------------------

def _user(app, email_address):
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email_address))
        return None if user is None else (user.id, user.role, user.active, user.phone, user.full_name)


def _user_count(app):
    with app.app_context():
        return db.session.scalar(select(func.count(User.id)))


def _events(app, action):
    with app.app_context():
        return [(e.object_id, e.reason, e.data_dict) for e in
                db.session.scalars(select(AuditEvent).where(AuditEvent.action == action))]


def _register(client, **overrides):
    data = {
        "full_name": "Nguyễn Văn An", "email": "an.nguyen@example.vn", "phone": "0987654321",
        "password": PASSWORD, "password2": PASSWORD, "csrf_token": csrf_token(client, "/register"),
    }
    data.update(overrides)
    return client.post("/register", data=data)


def _set_password(client, link, password=NEW_PASSWORD):
    path = urlsplit(link).path
    token = csrf_from(client.get(path))
    return client.post(path, data={"password": password, "password2": password, "csrf_token": token})


def _issue_link_as_admin(client, make_user, target_id):
    admin = make_user(Role.ADMIN)
    assert login(client, admin.email, admin.password).status_code == 302
    token = csrf_token(client, f"/admin/users/{target_id}")
    page = client.post(f"/admin/users/{target_id}/reset-link", data={"csrf_token": token})
    assert page.status_code == 200
    return _LINK_RE.search(page.get_data(as_text=True)).group(0)


def _is_on_site(location):
    parts = urlsplit(location)
    return (parts.scheme in ("", "http") and parts.netloc in ("", "localhost")
            and parts.path.startswith("/") and not parts.path.startswith("//") and "\\" not in location)


# --- a real SMTP server ---------------------------------------------------------



# --- registration --------------------------------------------------------------

def _confirm_from_log(client, caplog, response):
    """Follow the confirmation link that development mail (MAIL_TO_LOG) wrote to the log."""
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    (text,) = [r.getMessage() for r in caplog.records if "/register/confirm/" in r.getMessage()]
    return confirm_through_link(client, re.search(r"https://\S+/register/confirm/\S+", text).group(0))


def test_registration_creates_producer_with_normalised_email(app, client, caplog):
    typed = unicodedata.normalize("NFD", "Thu.Hà@Example.VN")
    response = _confirm_from_log(client, caplog, _register(client, email=typed))
    assert response.status_code == 302
    assert response.headers["Location"] == "/producer/"
    user = _user(app, unicodedata.normalize("NFC", "thu.hà@example.vn"))
    assert user is not None
    assert user[1] == Role.PRODUCER


def test_registration_signs_the_producer_in_once_confirmed(client, caplog):
    registered = _register(client)
    assert client.get("/producer/").headers["Location"].startswith("/login")
    _confirm_from_log(client, caplog, registered)
    response = client.get("/producer/")
    assert response.status_code == 200


def test_registration_is_audited(app, client, caplog):
    _confirm_from_log(client, caplog, _register(client))
    user_id = _user(app, "an.nguyen@example.vn")[0]
    assert [e[0] for e in _events(app, "account.register")] == [str(user_id)]


@pytest.mark.parametrize(("email_address", "password", "message"), [
    ("an.nguyen@example.vn", "ngắn quá", "Mật khẩu cần ít nhất 10 ký tự."),
    ("an.nguyen@example.vn", "2026202720282029", "Mật khẩu không được chỉ gồm chữ số."),
    ("nguyenvanan@example.vn", "NguyenVanAn rất dài 2026", "Mật khẩu không được chứa tên trong địa chỉ e-mail."),
    ("an.nguyen@example.vn", "Password1234", "Mật khẩu này quá phổ biến"),
    ("an.nguyen@example.vn", "qwertyuiop", "Mật khẩu này quá phổ biến"),
    ("an.nguyen@example.vn", "Anh yêu em 2026!", "Mật khẩu này quá phổ biến"),
], ids=["too-short", "only-digits", "contains-email", "common", "common-keyboard", "common-vietnamese"])
def test_registration_rejects_weak_password(app, client, email_address, password, message):
    response = _register(client, email=email_address, password=password, password2=password)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert _user(app, email_address) is None


@pytest.mark.parametrize("password", ["basketball", "1q2w3e4r5t", "MATKHAU-123", "mật khẩu 2026",
                                      "Tiêu Biểu 2026"])
def test_common_passwords_are_refused_whatever_the_case_diacritics_and_suffix(password):
    assert "common" in password_problems(password)


@pytest.mark.parametrize("password", ["mật khẩu đủ dài 2026", "bếp củi nhà bà ngoại", "basketball đêm thứ bảy"])
def test_long_uncommon_phrases_pass(password):
    assert password_problems(password) == []


def test_registration_rejects_password_mismatch(app, client):
    response = _register(client, password2=PASSWORD + "x")
    assert "Hai mật khẩu không khớp nhau." in response.get_data(as_text=True)
    assert _user(app, "an.nguyen@example.vn") is None


def test_registration_rejects_bad_phone(app, client):
    response = _register(client, phone="12345")
    assert "Số điện thoại gồm 10 chữ số, bắt đầu bằng 0" in response.get_data(as_text=True)
    assert _user(app, "an.nguyen@example.vn") is None


@pytest.mark.parametrize("url", ["/login", "/register"])
def test_post_without_csrf_token_is_refused(client, url):
    response = client.post(url, data={"email": "an.nguyen@example.vn", "password": PASSWORD})
    assert response.status_code == 400
    assert CSRF_MESSAGE in response.get_data(as_text=True)


# --- signing in and out --------------------------------------------------------

def test_wrong_password_keeps_email_and_drops_password(client, make_user):
    user = make_user(Role.PRODUCER)
    response = login(client, user.email, WRONG_PASSWORD)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert BAD_LOGIN in body
    assert f'value="{user.email}"' in body
    assert WRONG_PASSWORD not in body


def test_unknown_email_gets_the_same_message(client):
    response = login(client, "nobody@example.vn", PASSWORD)
    assert response.status_code == 200
    assert BAD_LOGIN in response.get_data(as_text=True)


def test_disabled_account_cannot_sign_in(app, client, make_user):
    user = make_user(Role.PRODUCER)
    with app.app_context():
        db.session.get(User, user.id).active = False
        db.session.commit()
    response = login(client, user.email, user.password)
    assert BAD_LOGIN in response.get_data(as_text=True)
    assert client.get("/account/").headers["Location"].startswith("/login")


@pytest.mark.parametrize("target", [
    "https://evil.example/", "//evil.example", "/\\evil.example", "\\\\evil.example", "javascript:alert(1)",
    "http:/evil", "///evil.example", " //evil.example", "/\r\nLocation: https://evil.example",
])
def test_hostile_next_falls_back_to_home(client, make_user, target):
    user = make_user(Role.PRODUCER)
    token = csrf_token(client, "/login")
    response = client.post("/login", data={"email": user.email, "password": user.password,
                                           "next": target, "csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/"


def test_encoded_line_break_in_next_stays_a_path(client, make_user):
    """``%0d%0a`` is not decoded into the header: the target is a harmless path on this site."""
    user = make_user(Role.PRODUCER)
    token = csrf_token(client, "/login")
    response = client.post("/login", data={"email": user.email, "password": user.password,
                                           "next": "/%0d%0aevil", "csrf_token": token})
    location = response.headers["Location"]
    assert _is_on_site(location), location
    assert "\r" not in location and "\n" not in location


def test_next_on_site_is_honoured(client, make_user):
    user = make_user(Role.PRODUCER)
    page = client.get("/login?next=/account/password")
    response = client.post("/login", data={"email": user.email, "password": user.password,
                                           "next": "/account/password", "csrf_token": csrf_from(page)})
    assert response.headers["Location"] == "/account/password"


def test_login_next_from_query_is_kept_in_form(client):
    body = client.get("/login?next=/account/password").get_data(as_text=True)
    assert re.search(r'name="next"[^>]*value="/account/password"', body)


def test_login_is_rate_limited(client):
    token = csrf_token(client, "/login")
    data = {"email": "nobody@example.vn", "password": WRONG_PASSWORD, "csrf_token": token}
    statuses = [client.post("/login", data=data).status_code for _ in range(10)]
    assert statuses == [200] * 10
    response = client.post("/login", data=data)
    body = response.get_data(as_text=True)
    assert response.status_code == 429
    assert "Bạn đã thử quá nhiều lần" in body
    # The form comes back with the e-mail typed, not a bare error page.
    assert 'value="nobody@example.vn"' in body
    assert WRONG_PASSWORD not in body


def _try(client, email_address, password):
    return client.post("/login", data={"email": email_address, "password": password,
                                       "csrf_token": csrf_token(client, "/login")})


def test_wrong_passwords_in_a_row_lock_the_account_and_tell_its_owner(app, client, make_user, smtp_inbox,
                                                                       monkeypatch):
    from voting.models import LoginFailure, Notification

    monkeypatch.setitem(app.config, "LOCKOUT_THRESHOLD", 3)
    user = make_user(Role.PRODUCER)
    for _ in range(3):
        assert "E-mail hoặc mật khẩu không đúng." in _try(client, user.email, WRONG_PASSWORD).get_data(as_text=True)
    locked = _try(client, user.email, user.password)
    assert locked.status_code == 200 and "Đăng nhập từ địa chỉ mạng này đang tạm bị chặn" in locked.get_data(as_text=True)
    # A stranger's wrong guess learns nothing of the lock.
    guess = _try(client, user.email, WRONG_PASSWORD).get_data(as_text=True)
    assert "E-mail hoặc mật khẩu không đúng." in guess and "tạm bị chặn" not in guess
    with app.app_context():
        failure = db.session.scalar(select(LoginFailure).where(LoginFailure.user_id == user.id))
        assert failure.locked_until > utcnow() + timedelta(minutes=14)
        assert db.session.scalar(select(AuditEvent.action).order_by(AuditEvent.seq.desc())) == "account.lock"
        note = db.session.scalar(select(Notification).where(Notification.user_id == user.id))
        assert note.kind == "account_locked" and note.emailed_at is not None
        failure.locked_until = utcnow() - timedelta(seconds=1)  # the quarter of an hour has passed
        db.session.commit()
    assert len(smtp_inbox.messages) == 1
    assert "địa chỉ đó bị chặn đăng nhập 15 phút" in smtp_inbox.messages[0].get_body(("plain",)).get_content()
    assert _try(client, user.email, user.password).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count(LoginFailure.id))) == 0


def test_a_reset_link_opens_a_locked_account(app, client, make_user, monkeypatch):
    monkeypatch.setitem(app.config, "LOCKOUT_THRESHOLD", 2)
    user = make_user(Role.PRODUCER)
    for _ in range(2):
        _try(client, user.email, WRONG_PASSWORD)
    with app.app_context():
        raw = issue_password_token(None, db.session.get(User, user.id))
        db.session.commit()
    assert _set_password(client, f"/reset-password/{raw}").headers["Location"] == "/login"
    assert _try(client, user.email, NEW_PASSWORD).status_code == 302


def test_a_right_password_starts_the_count_again(app, client, make_user, monkeypatch):
    monkeypatch.setitem(app.config, "LOCKOUT_THRESHOLD", 3)
    user = make_user(Role.PRODUCER)
    for password in (WRONG_PASSWORD, WRONG_PASSWORD, user.password):
        _try(client, user.email, password)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/account/password")})
    for _ in range(2):
        _try(client, user.email, WRONG_PASSWORD)
    assert _try(client, user.email, user.password).status_code == 302
    with app.app_context():
        from voting.models import LoginFailure

        assert db.session.scalar(select(func.count(LoginFailure.id))) == 0


def test_rate_limited_registration_keeps_what_was_typed(client):
    token = csrf_token(client, "/register")
    data = {"full_name": "Nguyễn Thị Hoa", "email": "hoa@example.vn", "phone": "0912345678",
            "password": "ngắn", "password2": "ngắn", "csrf_token": token}
    for _ in range(10):
        client.post("/register", data=data)
    response = client.post("/register", data=data)
    body = response.get_data(as_text=True)
    assert response.status_code == 429
    assert 'value="Nguyễn Thị Hoa"' in body and 'value="0912345678"' in body


def test_rate_limit_without_a_form_to_keep_is_an_error_page(client):
    token = csrf_token(client, "/login")
    for _ in range(10):
        assert client.post("/reset-password/no-such-token", data={"csrf_token": token}).status_code == 404
    response = client.post("/reset-password/no-such-token", data={"csrf_token": token})
    assert response.status_code == 429
    assert "Quá nhiều lần thử" in response.get_data(as_text=True)


def test_logout_refuses_get(logged_in, client):
    logged_in(Role.PRODUCER)
    assert client.get("/logout").status_code == 405
    assert client.get("/producer/").status_code == 200


def test_logout_by_post_ends_the_session(logged_in, client):
    logged_in(Role.PRODUCER)
    token = csrf_token(client, "/account/password")
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/producer/").headers["Location"].startswith("/login")


# --- changing the password -----------------------------------------------------

def _change_password(client, current, new=NEW_PASSWORD):
    token = csrf_token(client, "/account/password")
    return client.post("/account/password", data={
        "current_password": current, "password": new, "password2": new, "csrf_token": token})


def test_change_password_needs_current_password(logged_in, client):
    user = logged_in(Role.PRODUCER)
    response = _change_password(client, WRONG_PASSWORD)
    assert response.status_code == 200
    assert "Mật khẩu hiện tại không đúng." in response.get_data(as_text=True)
    assert login(client.application.test_client(), user.email, user.password).status_code == 302


def test_changed_password_replaces_the_old_one(app, logged_in, client):
    user = logged_in(Role.PRODUCER)
    assert _change_password(client, user.password).status_code == 302
    assert BAD_LOGIN in login(app.test_client(), user.email, user.password).get_data(as_text=True)
    assert login(app.test_client(), user.email, NEW_PASSWORD).status_code == 302


def test_changing_password_ends_other_sessions(app, logged_in, client):
    user = logged_in(Role.PRODUCER)
    other = app.test_client()
    assert login(other, user.email, user.password).status_code == 302
    assert other.get("/producer/").status_code == 200
    _change_password(client, user.password)
    assert other.get("/producer/").headers["Location"].startswith("/login")
    assert client.get("/producer/").status_code == 200


# --- one-time links ------------------------------------------------------------

def test_admin_reset_link_sets_a_new_password(app, client, make_user):
    target = make_user(Role.PRODUCER)
    link = _issue_link_as_admin(client, make_user, target.id)
    assert _set_password(app.test_client(), link).headers["Location"] == "/login"
    assert login(app.test_client(), target.email, NEW_PASSWORD).status_code == 302


def test_reset_link_works_only_once(app, client, make_user):
    target = make_user(Role.PRODUCER)
    link = _issue_link_as_admin(client, make_user, target.id)
    browser = app.test_client()
    _set_password(browser, link)
    response = browser.get(urlsplit(link).path)
    assert response.status_code == 404
    assert INVALID_LINK in response.get_data(as_text=True)


def test_expired_reset_link_is_refused(app, client, make_user):
    target = make_user(Role.PRODUCER)
    with app.app_context():
        raw = issue_password_token(None, db.session.get(User, target.id))
        token = db.session.scalar(select(PasswordResetToken).where(PasswordResetToken.user_id == target.id))
        token.expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    response = client.get(f"/reset-password/{raw}")
    assert response.status_code == 404
    assert INVALID_LINK in response.get_data(as_text=True)


def test_forgot_password_without_mail_server_points_to_administrator(client):
    body = client.get("/forgot-password").get_data(as_text=True)
    assert "Hãy liên hệ quản trị viên" in body
    assert 'name="email"' not in body


def test_forgot_password_without_mail_server_issues_no_link(app, client, make_user):
    user = make_user(Role.PRODUCER)
    token = csrf_token(client, "/login")  # the page has no form to take one from
    response = client.post("/forgot-password", data={"email": user.email, "csrf_token": token})
    assert response.status_code == 200
    assert "Hãy liên hệ quản trị viên" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(PasswordResetToken.id))) == 0


def _forgot(client, email_address):
    token = csrf_token(client, "/forgot-password")
    return client.post("/forgot-password", data={"email": email_address, "csrf_token": token})


def test_forgot_password_mails_a_working_link(app, client, make_user, smtp_inbox):
    user = make_user(Role.PRODUCER)
    assert _forgot(client, user.email.upper()).headers["Location"] == "/login"
    assert len(smtp_inbox.messages) == 1
    message = smtp_inbox.messages[0]
    assert message["To"] == user.email
    link = _LINK_RE.search(message.get_body(preferencelist=("plain",)).get_content()).group(0)
    assert _set_password(app.test_client(), link).headers["Location"] == "/login"
    assert login(app.test_client(), user.email, NEW_PASSWORD).status_code == 302


def test_forgot_password_link_in_mail_is_one_time(app, client, make_user, smtp_inbox):
    user = make_user(Role.PRODUCER)
    _forgot(client, user.email)
    link = _LINK_RE.search(smtp_inbox.messages[0].get_body(preferencelist=("plain",)).get_content()).group(0)
    browser = app.test_client()
    _set_password(browser, link)
    assert browser.get(urlsplit(link).path).status_code == 404


def test_forgot_password_answers_the_same_for_unknown_email(app, make_user, smtp_inbox):
    user = make_user(Role.PRODUCER)
    known, unknown = app.test_client(), app.test_client()
    answers = []
    for browser, address in ((known, user.email), (unknown, "nobody@example.vn")):
        response = _forgot(browser, address)
        page = browser.get(response.headers["Location"]).get_data(as_text=True)
        answers.append((response.status_code, response.headers["Location"],
                        "Nếu e-mail này có tài khoản, chúng tôi đã gửi liên kết" in page))
    assert answers[0] == answers[1] == (302, "/login", True)
    assert [m["To"] for m in smtp_inbox.messages] == [user.email]


def test_forgot_password_survives_an_unreachable_mail_server(app, client, make_user, monkeypatch):
    """A mail server that is down must not turn into a 500 that reveals the account."""
    user = make_user(Role.PRODUCER)
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", free_port())
    monkeypatch.setitem(app.config, "MAIL_USE_TLS", False)
    response = _forgot(client, user.email)
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"


# --- language --------------------------------------------------------------------

def _english(msgid):
    """The English catalogue's translation of ``msgid``, or None when it has none yet."""
    translated = Translations.load(str(TRANSLATIONS_DIR), ["en"]).gettext(msgid)
    return translated if translated != msgid else None


def test_english_can_be_chosen(client):
    response = client.get("/lang/en?next=/login")
    assert response.headers["Location"] == "/login"
    body = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in body
    heading = _english("Đăng nhập")
    if heading is not None:
        assert f"<h1>{heading}</h1>" in body


def test_unknown_language_keeps_vietnamese(client):
    assert client.get("/lang/xx?next=/login").headers["Location"] == "/login"
    body = client.get("/login").get_data(as_text=True)
    assert '<html lang="vi">' in body
    assert "<h1>Đăng nhập</h1>" in body


def test_language_switch_refuses_off_site_next(client):
    location = client.get("/lang/en?next=//evil.example/").headers["Location"]
    assert location == "/"


def test_unknown_language_sets_no_cookie(client):
    response = client.get("/lang/xx?next=/login")
    assert not any(h.startswith("lang=") for h in response.headers.getlist("Set-Cookie"))
