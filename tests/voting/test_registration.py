"""Self-registration answers the same whether or not the address has an account; the account exists
once the owner of the address confirms it from the e-mail (issue 16, item 11)."""
import logging
import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from tests.conftest import PASSWORD, csrf_token, login
from tests.helpers import confirm_through_link, mail_text, mailed_link, register_producer_through_the_form
from voting.extensions import db
from voting.models import AuditEvent, PendingRegistration, Role, User
from voting.models.base import utcnow

OTHER_PASSWORD = "một mật khẩu khác hẳn 2027"
_CSRF = re.compile(r'name="csrf_token"[^>]*value="[^"]+"')


def _form(client, email_address, **overrides):
    data = {"full_name": "Nguyễn Văn An", "email": email_address, "phone": "0987654321",
            "password": PASSWORD, "password2": PASSWORD, "csrf_token": csrf_token(client, "/register")}
    data.update(overrides)
    return data


def _users(app):
    with app.app_context():
        return db.session.scalar(select(func.count(User.id)))


def _account(app, email_address):
    with app.app_context():
        return db.session.scalar(select(User).where(User.email == email_address))


def _observed(app, email_address):
    """Everything a stranger sees of one registration: status, target, the page it leads to (the typed
    address and the per-session CSRF token masked), the cookies set, and whether it signs in."""
    client = app.test_client()
    response = client.post("/register", data=_form(client, email_address))
    cookies = sorted(header.split("=", 1)[0] for header in response.headers.getlist("Set-Cookie"))
    page = client.get(response.headers.get("Location", "/register")).get_data(as_text=True)
    page = _CSRF.sub("csrf", page).replace(email_address.lower(), "<e-mail>")
    return (response.status_code, response.headers.get("Location"), cookies, page,
            client.get("/producer/").status_code)


@pytest.mark.parametrize("role", [Role.PRODUCER, Role.ORGANISER, Role.ADMIN])
def test_registration_answers_the_same_whether_or_not_the_email_has_an_account(app, make_user, smtp_inbox, role):
    taken = make_user(role, email="da.co@example.vn")
    users = _users(app)
    for_taken = _observed(app, "Da.Co@Example.VN")  # the case typed differs from the stored one
    for_new = _observed(app, "chua.co@example.vn")
    assert for_taken == for_new
    assert for_taken[:3] == (302, "/login", ["session"])
    assert for_taken[4] == 302  # nobody is signed in
    assert "Chúng tôi đã gửi thư tới <e-mail>" in for_taken[3]
    assert _users(app) == users
    assert _account(app, taken.email).role == role


def test_the_owner_of_a_taken_address_is_told_and_nothing_changes(app, make_user, smtp_inbox):
    owner = make_user(Role.ORGANISER, email="sct@example.vn")
    client = app.test_client()
    client.post("/register", data=_form(client, "SCT@example.vn", password=OTHER_PASSWORD, password2=OTHER_PASSWORD))
    (message,) = smtp_inbox.messages
    body = mail_text(message)
    assert message["To"] == "sct@example.vn"
    assert "Địa chỉ này đã có tài khoản" in body
    assert "https://cnnt.example.vn/login" in body and "https://cnnt.example.vn/forgot-password" in body
    assert "/register/confirm/" not in body
    assert login(app.test_client(), owner.email, owner.password).status_code == 302
    assert login(app.test_client(), owner.email, OTHER_PASSWORD).status_code == 200
    with app.app_context():
        assert db.session.scalar(select(func.count(PendingRegistration.id))) == 0


def test_a_new_address_gets_a_link_that_creates_the_account_and_signs_in(app, client, smtp_inbox):
    response = client.post("/register", data=_form(client, "An.Nguyen@Example.VN"))
    assert response.headers["Location"] == "/login"
    assert _account(app, "an.nguyen@example.vn") is None
    assert client.get("/producer/").headers["Location"].startswith("/login")
    link = mailed_link(smtp_inbox, "an.nguyen@example.vn")
    assert link.startswith("https://cnnt.example.vn/register/confirm/")
    confirmed = confirm_through_link(client, link)
    assert confirmed.headers["Location"] == "/producer/"
    assert client.get("/producer/").status_code == 200
    account = _account(app, "an.nguyen@example.vn")
    assert (account.role, account.full_name, account.phone) == (Role.PRODUCER, "Nguyễn Văn An", "0987654321")
    with app.app_context():
        assert db.session.scalar(select(AuditEvent.object_id).where(AuditEvent.action == "account.register")) \
            == str(account.id)
    assert login(app.test_client(), "an.nguyen@example.vn", PASSWORD).status_code == 302


def test_the_confirmation_link_works_once(app, client, smtp_inbox):
    client.post("/register", data=_form(client, "an@example.vn"))
    link = mailed_link(smtp_inbox, "an@example.vn")
    assert confirm_through_link(app.test_client(), link).status_code == 302
    again = app.test_client().get(urlsplit(link).path)
    assert again.status_code == 404
    assert "Liên kết xác nhận đăng ký này đã được dùng" in again.get_data(as_text=True)
    assert _users(app) == 1


def test_opening_the_link_alone_confirms_nothing(app, client, smtp_inbox):
    """Mail scanners open links: the account is made by the button on the page, a POST."""
    client.post("/register", data=_form(client, "an@example.vn"))
    page = app.test_client().get(urlsplit(mailed_link(smtp_inbox, "an@example.vn")).path)
    assert page.status_code == 200
    assert "Xác nhận đăng ký" in page.get_data(as_text=True)
    assert _account(app, "an@example.vn") is None


def test_each_link_confirms_its_own_registration(app, smtp_inbox):
    """A stranger who registered the address first does not choose the owner's password."""
    stranger, owner = app.test_client(), app.test_client()
    stranger.post("/register", data=_form(stranger, "an@example.vn", password=OTHER_PASSWORD,
                                          password2=OTHER_PASSWORD, full_name="Kẻ Lạ"))
    stranger_link = mailed_link(smtp_inbox, "an@example.vn")
    owner.post("/register", data=_form(owner, "an@example.vn"))
    owner_link = mailed_link(smtp_inbox, "an@example.vn")
    assert owner_link != stranger_link
    assert confirm_through_link(owner, owner_link).headers["Location"] == "/producer/"
    assert _account(app, "an@example.vn").full_name == "Nguyễn Văn An"
    assert login(app.test_client(), "an@example.vn", OTHER_PASSWORD).status_code == 200
    assert confirm_through_link(app.test_client(), stranger_link).status_code == 404


def test_an_expired_confirmation_link_is_refused(app, client, smtp_inbox):
    client.post("/register", data=_form(client, "an@example.vn"))
    with app.app_context():
        pending = db.session.scalar(select(PendingRegistration))
        pending.expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    assert confirm_through_link(client, mailed_link(smtp_inbox, "an@example.vn")).status_code == 404
    assert _users(app) == 0


def test_a_link_for_an_address_taken_meanwhile_is_refused(app, client, make_user, smtp_inbox):
    client.post("/register", data=_form(client, "an@example.vn"))
    make_user(Role.JUROR, email="an@example.vn")  # an administrator made a staff account with it
    assert confirm_through_link(client, mailed_link(smtp_inbox, "an@example.vn")).status_code == 404
    assert _account(app, "an@example.vn").role == Role.JUROR


def test_a_refused_form_keeps_what_was_typed_but_never_the_password(app, client, smtp_inbox):
    response = client.post("/register", data=_form(client, "an@example.vn", full_name="Trần Thị Bình",
                                                   phone="0911222333", password2=PASSWORD + "x"))
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "Hai mật khẩu không khớp nhau." in body
    assert 'value="Trần Thị Bình"' in body and 'value="0911222333"' in body and 'value="an@example.vn"' in body
    assert PASSWORD not in body
    assert smtp_inbox.messages == []


def test_one_address_gets_a_limited_number_of_registration_mails(app, make_user, smtp_inbox, monkeypatch):
    """Whoever asks, from however many addresses: a mailbox cannot be flooded through the form."""
    monkeypatch.setitem(app.config, "REGISTRATION_MAIL_LIMIT", "2 per hour")
    make_user(Role.PRODUCER, email="da.co@example.vn")
    answers = set()
    for number, address in enumerate(["da.co@example.vn", "chua.co@example.vn"] * 3):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"198.51.100.{number}"
        response = client.post("/register", data=_form(client, address))
        answers.add((response.status_code, response.headers["Location"]))
    assert answers == {(302, "/login")}
    assert sorted(m["To"] for m in smtp_inbox.messages) == ["chua.co@example.vn"] * 2 + ["da.co@example.vn"] * 2


def test_without_a_way_to_send_mail_registration_is_closed(app, client, monkeypatch):
    """Production without MAIL_SERVER: nobody could confirm, so the page says whom to ask instead."""
    monkeypatch.setitem(app.config, "MAIL_TO_LOG", False)
    page = client.get("/register").get_data(as_text=True)
    assert "chưa được cấu hình gửi e-mail" in page and 'name="email"' not in page
    response = client.post("/register", data={
        "full_name": "Nguyễn Văn An", "email": "an@example.vn", "phone": "0987654321", "password": PASSWORD,
        "password2": PASSWORD, "csrf_token": csrf_token(client, "/login")})
    assert response.status_code == 200
    with app.app_context():
        assert db.session.scalar(select(func.count(PendingRegistration.id))) == 0


def test_in_development_the_mail_is_written_to_the_log(app, client, caplog):
    """``make run`` has no mail server: the confirmation link is in the server's output, and works."""
    with caplog.at_level(logging.WARNING, logger="voting"):
        response = client.post("/register", data=_form(client, "an@example.vn"))
    assert "ghi vào nhật ký" in client.get(response.headers["Location"]).get_data(as_text=True)
    (record,) = [r for r in caplog.records if "MAIL_SERVER is not set" in r.getMessage()]
    text = record.getMessage()
    assert "To: an@example.vn" in text
    link = re.search(r"https://cnnt\.example\.vn/register/confirm/\S+", text).group(0)
    assert confirm_through_link(client, link).headers["Location"] == "/producer/"


@pytest.mark.parametrize("by", ["smtp", "log"])
def test_the_helper_other_modules_use_signs_a_producer_in(app, client, smtp_inbox, monkeypatch, by):
    if by == "log":
        monkeypatch.setitem(app.config, "MAIL_SERVER", "")
    register_producer_through_the_form(client, "htx@example.vn", PASSWORD, smtp_inbox if by == "smtp" else None)
    assert client.get("/producer/").status_code == 200
