"""The command-line interface: demo data (refused in production; the seed itself: test_demo.py), audit check,
reference data, first admin."""
import re
from urllib.parse import urlsplit

from sqlalchemy import delete, func, select

from voting import create_app
from voting.extensions import db
from voting.models import IssuingAuthority, Role, User

_LINK_RE = re.compile(r"https?://\S+/reset-password/[A-Za-z0-9_\-]+")


def _user_count(app):
    with app.app_context():
        return db.session.scalar(select(func.count(User.id)))


def test_seed_demo_refuses_under_production(app, monkeypatch):
    monkeypatch.setenv("CNNT_CONFIG", "production")
    monkeypatch.setenv("SECRET_KEY", "a-production-secret-of-more-than-32-chars")
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://cnnt.example.vn")
    monkeypatch.setenv("SIGNING_KEY_FILE", "/srv/cnnt/signing-key.pem")
    production = create_app({"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})
    assert production.config["ENV_NAME"] == "production"
    result = production.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code != 0
    assert "refuses to run under the production configuration" in result.output
    assert _user_count(app) == 0


def test_audit_verify_reports_ok(runner, make_user):
    make_user(Role.PRODUCER)
    make_user(Role.JUROR)
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "Audit chain OK: 3 events" in result.output


def test_reference_load_adds_what_is_missing(app, runner):
    with app.app_context():
        db.session.execute(delete(IssuingAuthority).where(IssuingAuthority.code == "UBND-19"))
        db.session.commit()
    result = runner.invoke(args=["reference", "load"])
    assert result.exit_code == 0, result.output
    assert "issuing_authority +1" in result.output
    with app.app_context():
        assert db.session.scalar(select(IssuingAuthority).where(IssuingAuthority.code == "UBND-19")) is not None


def test_reference_load_twice_has_nothing_new(app, runner):
    with app.app_context():
        db.session.execute(delete(IssuingAuthority).where(IssuingAuthority.code == "UBND-19"))
        db.session.commit()
    runner.invoke(args=["reference", "load"])
    result = runner.invoke(args=["reference", "load"])
    assert result.exit_code == 0, result.output
    assert "Reference data loaded: nothing new." in result.output


def test_create_admin_prints_a_working_link(app, runner):
    result = runner.invoke(args=["users", "create-admin", "--email", "Quan.Tri@Example.VN", "--name", "Quản trị"])
    assert result.exit_code == 0, result.output
    link = _LINK_RE.search(result.output).group(0)
    page = app.test_client().get(urlsplit(link).path)
    assert page.status_code == 200
    assert "Tài khoản: quan.tri@example.vn" in page.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(User.role).where(User.email == "quan.tri@example.vn")) == Role.ADMIN


def test_create_admin_refuses_a_taken_email(app, runner):
    runner.invoke(args=["users", "create-admin", "--email", "quan.tri@example.vn", "--name", "Quản trị"])
    result = runner.invoke(args=["users", "create-admin", "--email", "QUAN.TRI@example.vn", "--name", "Khác"])
    assert result.exit_code == 1
    assert "already has an account" in result.output
    assert _user_count(app) == 1

