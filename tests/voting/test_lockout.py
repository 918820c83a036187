"""Wrong passwords hold off the client address that typed them, not the account: a stranger cannot
lock the owner out (issue 16, item 11)."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.conftest import csrf_token
from tests.support.concurrency import run_together
from voting.extensions import db
from voting.models import AuditEvent, LoginFailure, Notification, Role, User
from voting.models.base import utcnow
from voting.operations.accounts import authenticate
from voting.operations.lockout import client_key

WRONG_PASSWORD = "không phải mật khẩu này 99"
BAD_LOGIN = "E-mail hoặc mật khẩu không đúng."
HELD_OFF = "Đăng nhập từ địa chỉ mạng này đang tạm bị chặn"
ATTACKER, OWNER = "203.0.113.66", "198.51.100.20"


def _client(app, address):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def _try(client, email_address, password):
    return client.post("/login", data={"email": email_address, "password": password,
                                       "csrf_token": csrf_token(client, "/login")})


@pytest.fixture
def threshold(app, monkeypatch):
    monkeypatch.setitem(app.config, "LOCKOUT_THRESHOLD", 3)
    return 3


def test_a_locked_out_address_does_not_lock_the_owner_out(app, make_user, threshold):
    user = make_user(Role.PRODUCER)
    attacker = _client(app, ATTACKER)
    for _ in range(threshold):
        assert BAD_LOGIN in _try(attacker, user.email, WRONG_PASSWORD).get_data(as_text=True)
    # The attacker's address is held off, even with the right password ...
    held = _try(attacker, user.email, user.password)
    assert held.status_code == 200 and HELD_OFF in held.get_data(as_text=True)
    # ... and learns nothing of it from a wrong one.
    guess = _try(attacker, user.email, WRONG_PASSWORD).get_data(as_text=True)
    assert BAD_LOGIN in guess and HELD_OFF not in guess
    # The owner, elsewhere, signs in.
    owner = _client(app, OWNER)
    assert _try(owner, user.email, user.password).status_code == 302
    assert owner.get("/producer/").status_code == 200
    # The owner's success does not lift the attacker's lock.
    assert HELD_OFF in _try(_client(app, ATTACKER), user.email, user.password).get_data(as_text=True)


def test_the_lock_ends_after_lockout_minutes(app, make_user, threshold):
    user = make_user(Role.PRODUCER)
    attacker = _client(app, ATTACKER)
    for _ in range(threshold):
        _try(attacker, user.email, WRONG_PASSWORD)
    with app.app_context():
        failure = db.session.scalar(select(LoginFailure).where(LoginFailure.user_id == user.id))
        assert failure.client == ATTACKER
        assert utcnow() + timedelta(minutes=14) < failure.locked_until <= utcnow() + timedelta(minutes=15)
        failure.locked_until = utcnow() - timedelta(seconds=1)
        db.session.commit()
    assert _try(attacker, user.email, user.password).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count(LoginFailure.id))) == 0


def test_counts_are_per_account(app, make_user, threshold):
    first, second = make_user(Role.PRODUCER), make_user(Role.PRODUCER)
    client = _client(app, ATTACKER)
    for _ in range(threshold):
        _try(client, first.email, WRONG_PASSWORD)
    assert _try(client, second.email, second.password).status_code == 302


def test_an_ipv6_attacker_cannot_dodge_the_count_within_its_64(app, make_user, threshold):
    user = make_user(Role.PRODUCER)
    for n in range(threshold):
        _try(_client(app, f"2001:db8:5:7::{n + 1:x}"), user.email, WRONG_PASSWORD)
    held = _try(_client(app, "2001:db8:5:7:abcd::1"), user.email, user.password)
    assert HELD_OFF in held.get_data(as_text=True)
    assert _try(_client(app, "2001:db8:5:8::1"), user.email, user.password).status_code == 302


@pytest.mark.parametrize(("address", "key"), [
    ("203.0.113.9", "203.0.113.9"), ("::ffff:203.0.113.9", "203.0.113.9"),
    ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"), ("", "unknown"), (None, "unknown"),
])
def test_client_key(address, key):
    assert client_key(address) == key


def test_the_owner_is_told_once_however_many_addresses_are_held_off(app, make_user, smtp_inbox, threshold):
    user = make_user(Role.PRODUCER)
    for attacker in ("203.0.113.1", "203.0.113.2", "203.0.113.3"):
        client = _client(app, attacker)
        for _ in range(threshold):
            _try(client, user.email, WRONG_PASSWORD)
    with app.app_context():
        assert db.session.scalar(select(func.count(AuditEvent.seq)).where(AuditEvent.action == "account.lock")) == 3
        (note,) = db.session.scalars(select(Notification).where(Notification.user_id == user.id)).all()
        assert (note.kind, note.emailed_at is not None) == ("account_locked", True)
    (message,) = smtp_inbox.messages
    body = message.get_body(("plain",)).get_content()
    assert "từ địa chỉ mạng 203.0.113.1" in body and "bị chặn đăng nhập 15 phút" in body
    assert "Bạn vẫn đăng nhập được từ nơi khác" in body


def test_a_right_password_starts_that_address_count_again(app, make_user, threshold):
    user = make_user(Role.PRODUCER)
    client = _client(app, OWNER)
    for password in (WRONG_PASSWORD, WRONG_PASSWORD, user.password):
        _try(client, user.email, password)
    with app.app_context():
        assert db.session.scalar(select(func.count(LoginFailure.id))) == 0


def test_parallel_wrong_passwords_all_count(app, make_user, monkeypatch):
    """One upsert per wrong password: attempts at the same moment are never lost (both databases)."""
    monkeypatch.setitem(app.config, "LOCKOUT_THRESHOLD", 100)
    user = make_user(Role.PRODUCER)
    attempts = 6
    outcomes = run_together(app, *[lambda: authenticate(user.email, WRONG_PASSWORD, client=ATTACKER)] * attempts)
    assert outcomes == [None] * attempts
    with app.app_context():
        assert db.session.scalar(select(LoginFailure.wrong_passwords).where(
            LoginFailure.user_id == user.id, LoginFailure.client == ATTACKER)) == attempts


def test_parallel_wrong_passwords_reaching_the_threshold_lock_once(app, make_user, monkeypatch):
    monkeypatch.setitem(app.config, "LOCKOUT_THRESHOLD", 4)
    user = make_user(Role.PRODUCER)
    run_together(app, *[lambda: authenticate(user.email, WRONG_PASSWORD, client=ATTACKER)] * 4)
    with app.app_context():
        failure = db.session.scalar(select(LoginFailure).where(LoginFailure.user_id == user.id))
        assert failure.locked_until is not None and failure.locked_until > utcnow()
        assert db.session.scalar(select(func.count(AuditEvent.seq)).where(AuditEvent.action == "account.lock")) == 1
        assert db.session.get(User, user.id).active is True
