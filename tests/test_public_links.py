"""Every absolute link comes from PUBLIC_BASE_URL, never from the request (issue 16, items 1 and 15).

A client chooses the Host header it sends: a reset link built on it would hand the account's token
to whatever host the attacker names. These tests send ``Host: evil.example`` and read the links
where users receive them: a real SMTP conversation, the administrator's page, a command's output,
the QR codes of a certificate's documents.
"""
import re
from urllib.parse import urlsplit

from config import DevelopmentConfig
from tests.conftest import csrf_from
from tests.support.certificates import certify, decode_qr, issue_certificates
from voting.extensions import db
from voting.models import Role, User
from certificates.models import Certificate

PUBLIC = "https://cnnt.example.vn"  # the tests' PUBLIC_BASE_URL (tests/conftest.py)
EVIL = "http://evil.example"
_LINK_RE = re.compile(r"https?://[^\s\"<>]+/reset-password/[A-Za-z0-9_\-]+")


def _mailed_text(message):
    return message.get_body(preferencelist=("plain",)).get_content()


def test_a_reset_mail_asked_for_under_a_forged_host_links_to_the_public_address(app, make_user, smtp_inbox):
    user = make_user(Role.PRODUCER)
    client = app.test_client()
    token = csrf_from(client.get("/forgot-password", base_url=EVIL))
    response = client.post("/forgot-password", data={"email": user.email, "csrf_token": token}, base_url=EVIL)
    assert response.status_code == 302
    [message] = smtp_inbox.messages
    links = _LINK_RE.findall(_mailed_text(message))
    assert links and all(link.startswith(PUBLIC + "/reset-password/") for link in links), links
    assert "evil.example" not in _mailed_text(message)


def test_a_notification_mail_links_to_the_public_inbox(app, make_user, smtp_inbox):
    from voting.core.mail import deliver_emails
    from voting.operations.notifications import notify_user

    user = make_user(Role.JUROR)
    with app.test_request_context("/", base_url=EVIL):
        note = notify_user(db.session.get(User, user.id), "account_locked", wrong_passwords=10, minutes=15)
        db.session.commit()
        assert deliver_emails([note]) == 1
    body = _mailed_text(smtp_inbox.messages[0])
    assert PUBLIC + "/account/inbox" in body, body
    assert "evil.example" not in body


def test_the_administrators_one_time_links_use_the_public_address(app, make_user):
    target = make_user(Role.PRODUCER)
    admin = make_user(Role.ADMIN)
    client = app.test_client()
    token = csrf_from(client.get("/login", base_url=EVIL))
    assert client.post("/login", base_url=EVIL, data={"email": admin.email, "password": admin.password,
                                                      "csrf_token": token}).status_code == 302
    page = client.post(f"/admin/users/{target.id}/reset-link", base_url=EVIL,
                       data={"csrf_token": csrf_from(client.get(f"/admin/users/{target.id}", base_url=EVIL))})
    assert page.status_code == 200
    [link] = set(_LINK_RE.findall(page.get_data(as_text=True)))
    assert link.startswith(PUBLIC + "/reset-password/")

    page = client.post("/admin/users/new", base_url=EVIL, data={
        "email": "moi.canbo@example.vn", "full_name": "Cán bộ Mới", "title": "", "phone": "", "role": "juror",
        "jurisdiction_level": "", "region": "", "province": "", "commune": "",
        "csrf_token": csrf_from(client.get("/admin/users/new", base_url=EVIL))})
    assert page.status_code == 200, page.get_data(as_text=True)[:400]
    [link] = set(_LINK_RE.findall(page.get_data(as_text=True)))
    assert link.startswith(PUBLIC + "/reset-password/")


def test_create_admin_prints_a_link_on_the_public_address(app, runner):
    result = runner.invoke(args=["users", "create-admin", "--email", "quantri2@example.vn", "--name", "Quản Trị"])
    assert result.exit_code == 0, result.output
    [link] = _LINK_RE.findall(result.output)
    assert link.startswith(PUBLIC + "/reset-password/")


def test_development_defaults_the_public_address_to_the_port_served(monkeypatch):
    monkeypatch.delenv("PUBLIC_BASE_URL", raising=False)
    monkeypatch.setenv("PORT", "8000")
    assert DevelopmentConfig().PUBLIC_BASE_URL == "http://127.0.0.1:8000"
    monkeypatch.delenv("PORT")
    assert DevelopmentConfig().PUBLIC_BASE_URL == "http://127.0.0.1:5000"


def test_every_document_of_a_certificate_issued_outside_a_request_carries_the_configured_address(
        app, client, make_user, signer, monkeypatch):
    """`PORT=8000 make run`: the demo's certificates are issued by a command, with no request at all."""
    from certificates.operations.issuance import document_for, stored_pdf
    from certificates.documents.label_sheets import label_sheet

    monkeypatch.delenv("PUBLIC_BASE_URL", raising=False)
    monkeypatch.setenv("PORT", "8000")
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", DevelopmentConfig().PUBLIC_BASE_URL)
    hall = certify(app, make_user, entries=1, failing=0)
    [(certificate_id, _number)] = issue_certificates(app, hall)
    with app.app_context():
        certificate = db.session.get(Certificate, certificate_id)
        expected = "http://127.0.0.1:8000/v/" + certificate.token
        assert decode_qr(stored_pdf(certificate)) == [expected]
        assert set(decode_qr(label_sheet(document_for(certificate)))) == {expected}
    # The verification page answers the decoded address, whatever Host the phone's request names.
    assert client.get(urlsplit(expected).path, base_url=EVIL).status_code == 200


def test_no_absolute_link_is_built_from_the_request():
    """A guard for new code: ``_external=True`` builds on the Host header; use voting.core.security.public_url."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    built_on_request = re.compile(r"url_for\([^)]*_external=True|request\.(host_url|url_root|host)\b")
    checks_the_host = {"voting/core/hosts.py"}  # reads the Host to refuse foreign ones, never to build on it
    offenders = [str(path.relative_to(root)) for folder in ("voting", "certificates") for path in
                 (root / folder).rglob("*.py") if built_on_request.search(path.read_text(encoding="utf-8"))]
    assert sorted(set(offenders) - checks_the_host) == []
