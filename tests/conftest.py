"""Fixtures: one migrated database per test session, cleaned after every test.

``DATABASE_URL`` chooses the database (CI runs the suite once on SQLite and
once on a fresh PostgreSQL database); without it, a SQLite file in a
temporary folder. Reference data is loaded once; everything else is deleted
after each test, and the admin-editable reference rows are put back.
"""
import csv
import os
import re
from pathlib import Path

import pytest
from sqlalchemy import select, text, update

os.environ["CNNT_CONFIG"] = "testing"

from voting import create_app  # noqa: E402
from voting.extensions import db, limiter  # noqa: E402
from voting.models import IssuingAuthority, Province, Region, Role  # noqa: E402
from voting.models.audit import APPEND_ONLY_TRIGGERS, CHECKPOINT_TRIGGERS  # noqa: E402
from voting.operations.accounts import create_staff_account, register_producer  # noqa: E402
from voting.operations.reference import DATA_DIR, load_authorities, load_reference_data  # noqa: E402
from voting.core.passwords import hash_password  # noqa: E402
from tests.support.template_database import session_template  # noqa: E402
from tests.support.world_cache import WORLD_COUNTS, WorldCache  # noqa: E402

# Fixtures shared by several modules, kept out of this file to keep it short.
pytest_plugins = ["tests.fixtures_nominations"]

REFERENCE_TABLES = {
    "alembic_version", "region", "province", "former_province", "commune", "level",
    "product_group", "producer_type", "scoring_sheet_template", "scoring_criterion_template",
}
PASSWORD = "mật khẩu đủ dài 2026"
_CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def _shared_root(tmp_path_factory, worker_id):
    """The session's temporary folder that every xdist worker sees (a worker's own is inside it)."""
    basetemp = tmp_path_factory.getbasetemp()
    return basetemp if worker_id == "master" else basetemp.parent


@pytest.fixture(scope="session")
def template_database(tmp_path_factory, worker_id):
    """The session's database at head with the reference data, copied for each worker (tests/support)."""
    return session_template(_shared_root(tmp_path_factory, worker_id))


@pytest.fixture(scope="session")
def database_url(tmp_path_factory, worker_id, template_database):
    """A copy of the session's template in a temporary folder, or, with ``DATABASE_URL``, a fresh database
    beside it for each xdist worker (dropped at the end); without xdist, ``DATABASE_URL`` itself, migrated
    by the ``app`` fixture."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        path = tmp_path_factory.mktemp("db") / "test.sqlite3"
        template_database.copy_to(path)
        yield f"sqlite:///{path}"
    elif worker_id == "master":
        yield url
    else:
        from tests.e2e.server import PostgresDatabase

        database = PostgresDatabase(url, suffix=worker_id)
        database.drop()
        template_database.copy_to(database.name)
        try:
            yield database.url
        finally:
            database.drop()


def pytest_sessionfinish(session):
    """The controller drops the server's template once every worker is done (nothing to do on SQLite);
    a worker hands its shared worlds' counts to the controller, for the run's summary."""
    if hasattr(session.config, "workeroutput"):
        session.config.workeroutput["worlds"] = dict(WORLD_COUNTS)
    if not hasattr(session.config, "workerinput") and os.environ.get("DATABASE_URL"):
        session_template(session.config._tmp_path_factory.getbasetemp()).drop()


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """xdist's controller adds up the workers' shared worlds."""
    WORLD_COUNTS.update(getattr(node, "workeroutput", {}).get("worlds", {}))


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    from flask_migrate import upgrade

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SERVER_NAME": "localhost",
                      "UPLOAD_DIR": str(tmp_path_factory.mktemp("uploads")),
                      "CERTIFICATE_DIR": str(tmp_path_factory.mktemp("certificates")),
                      "EXPORT_DIR": str(tmp_path_factory.mktemp("exports")),
                      "SIGNING_KEY_FILE": str(tmp_path_factory.mktemp("keys") / "signing-key.pem"),
                      "PUBLIC_BASE_URL": "https://cnnt.example.vn",
                      "AUDIT_CHECKPOINT_FILE": str(tmp_path_factory.mktemp("audit") / "checkpoints.log")})
    with app.app_context():
        if database_url == os.environ.get("DATABASE_URL"):
            upgrade()  # DATABASE_URL without xdist: the given database itself, not a copy of the template
            load_reference_data()
            db.session.commit()
        _delete_mutable_rows()  # start every test from an empty audit log
        _restore_editable_reference()
        db.session.commit()
        _PRISTINE["authorities"] = _authority_rows()
    writable = [t for t in db.metadata.sorted_tables if t.name not in REFERENCE_TABLES and t.name != "issuing_authority"]
    WorldCache(app, writable, empty=lambda: _delete_mutable_rows(keep=("issuing_authority",)),
               reference=_editable_reference).register()  # tests/support/world_cache.py
    return app


@pytest.fixture
def signer(app):
    """The platform's signing key: its file written once per session, its public key registered per test."""
    from pathlib import Path

    from certificates.operations.keys import register_key
    from certificates.rules.signing import generate_private_key, load_private_key, public_key_b64, write_private_key

    path = Path(app.config["SIGNING_KEY_FILE"])
    if not path.exists():
        write_private_key(generate_private_key(), path)
    with app.app_context():
        key = register_key(None, public_key_b64(load_private_key(path)))
        db.session.commit()
        return key.kid


@pytest.fixture(autouse=True)
def _clean_database(app, request):
    yield
    with app.app_context():
        db.session.rollback()
        if "module_rows" not in request.fixturenames:
            _empty_database(app)
        db.session.remove()
    # Scans counted but not yet flushed belong to this test's certificates: drop them, or a later
    # test's certificate that reuses an id would inherit them.
    if "cnnt_scans" in app.extensions:
        app.extensions["cnnt_scans"].drain()
    limiter.reset()


#: The editable reference rows as a test starts (issuing authorities): put back only when a test changed
#: them, since deleting and re-inserting them after each of ~3,000 tests cost about 10 ms a test.
_PRISTINE = {}


def _authority_rows():
    table = IssuingAuthority.__table__
    return db.session.execute(table.select().order_by(table.c.id)).all()


def _empty_database(app):
    untouched = _authority_rows() == _PRISTINE.get("authorities")
    _delete_mutable_rows(keep=("issuing_authority",) if untouched else ())
    _restore_editable_reference(authorities=not untouched)
    db.session.commit()
    if not untouched:
        _PRISTINE["authorities"] = _authority_rows()
    # The checkpoint file is the audit log's second copy: it starts empty with the database.
    Path(app.config["AUDIT_CHECKPOINT_FILE"]).unlink(missing_ok=True)


@pytest.fixture(scope="module")
def module_rows(app):
    """Rows that the tests of one module share: emptied when the module ends, not after each test.

    For read-only tests over a world that is slow to build (the demo: ~12 s). Such a module must be
    an xdist group (``pytestmark = pytest.mark.xdist_group(...)``) so that its tests run one after
    another on one worker, with no other module's test (which expects an empty database) in between.
    """
    yield
    with app.app_context():
        db.session.rollback()
        _empty_database(app)
        db.session.remove()


def _delete_mutable_rows(keep=()):
    """Empty every table a test may write (all but the reference tables and ``keep``).

    One query finds the tables holding rows, so that a test which wrote to three tables costs three
    deletes rather than seventy; the append-only audit tables are opened only when they hold rows.
    """
    tables = [t for t in reversed(db.metadata.sorted_tables) if t.name not in REFERENCE_TABLES and t.name not in keep]
    quote = db.engine.dialect.identifier_preparer.quote
    probe = " UNION ALL ".join(f"SELECT '{t.name}' WHERE EXISTS (SELECT 1 FROM {quote(t.name)})" for t in tables)
    filled = set(db.session.execute(text(probe)).scalars())
    if not filled:
        return
    audit = bool(filled & {"audit_event", "audit_checkpoint"})
    dialect = db.engine.dialect.name
    if dialect == "postgresql":
        db.session.execute(text("SET LOCAL session_replication_role = replica"))
    elif audit:
        for name in ("audit_event_no_update", "audit_event_no_delete", "audit_checkpoint_no_update",
                     "audit_checkpoint_no_delete"):
            db.session.execute(text(f"DROP TRIGGER IF EXISTS {name}"))
    for table in tables:
        if table.name in filled:
            db.session.execute(table.delete())
    if dialect == "sqlite" and audit:
        for statement in APPEND_ONLY_TRIGGERS["sqlite"] + CHECKPOINT_TRIGGERS["sqlite"]:
            db.session.execute(text(statement))


def _restore_editable_reference(authorities=True):
    """The authorities (when asked) and each province's region as loaded; an administrator may edit both."""
    if authorities:
        load_authorities()
    if "home_regions" not in _PRISTINE:
        regions = {r.code: r.id for r in db.session.scalars(select(Region))}
        with open(DATA_DIR / "provinces.csv", encoding="utf-8") as handle:
            _PRISTINE["home_regions"] = {row["code"]: regions[row["region"]] for row in csv.DictReader(handle)}
    home = _PRISTINE["home_regions"]
    for code, region_id in db.session.execute(select(Province.code, Province.region_id)).all():
        if region_id != home[code]:
            db.session.execute(update(Province).where(Province.code == code).values(region_id=home[code]))


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def app_ctx(app):
    with app.app_context():
        yield


def csrf_from(response):
    """Return the CSRF token rendered into a page."""
    match = _CSRF_RE.search(response.get_data(as_text=True))
    assert match, "page has no CSRF token"
    return match.group(1)


def csrf_token(client, url="/login"):
    return csrf_from(client.get(url))


def login(client, email, password=PASSWORD):
    token = csrf_token(client, "/login")
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token})


def create_user(app, role, email, password=PASSWORD, jurisdiction=None, province_code=None, full_name="Cán bộ"):
    """Create one user with a known password, committed; returns a :class:`UserRef`."""
    with app.app_context():
        if role == Role.PRODUCER:
            user = register_producer(email, password, "0912345678", "Người Thử")
        else:
            level = jurisdiction or ("tinh" if role == Role.ORGANISER else None)
            province = db.session.scalar(select(Province).where(Province.code == (province_code or "19")))
            user, _ = create_staff_account(
                None, email=email, full_name=full_name, role=role,
                jurisdiction_level=level, province=province if level == "tinh" else None,
            )
            user.password_hash = hash_password(password)
        db.session.commit()
        return UserRef(user.id, user.email, password, str(role))


@pytest.fixture
def make_user(app, world_cache, monkeypatch):
    """Create a user with a known password; returns the user's id and e-mail.

    It also carries what the shared worlds (tests/support/world_cache.py) need: its counter, the worker's
    cache, and the test's ``monkeypatch`` (a world is not shared once code has been replaced).
    """
    counter = {"n": 0}

    def create(role=Role.PRODUCER, email=None, password=PASSWORD, jurisdiction=None, province_code=None):
        counter["n"] += 1
        return create_user(app, role, email or f"{role}{counter['n']}@example.vn", password, jurisdiction,
                           province_code, full_name=f"Cán bộ {counter['n']}")

    create.counter, create.worlds, create.monkeypatch = counter, world_cache, monkeypatch
    return create


@pytest.fixture(scope="session")
def world_cache(app):
    """The worlds this worker built, for tests that ask for the same one again (tests/support/world_cache.py)."""
    return WorldCache.of(app)


def _editable_reference():
    """The rows an administrator may edit (authorities, provinces' regions) if they are as loaded; else None."""
    regions = dict(db.session.execute(select(Province.code, Province.region_id)).all())
    authorities = _authority_rows()
    if authorities != _PRISTINE.get("authorities") or regions != _PRISTINE.get("home_regions"):
        return None
    return tuple(tuple(row) for row in authorities)


class UserRef:
    """What tests need of a user outside an app context."""

    def __init__(self, id, email, password, role):
        self.id, self.email, self.password, self.role = id, email, password, role

    def __repr__(self):
        return f"<UserRef {self.role} {self.email}>"


@pytest.fixture
def logged_in(client, make_user):
    """Return a function that signs ``client`` in as a new user of a role."""

    def sign_in(role, **kwargs):
        user = make_user(role, **kwargs)
        response = login(client, user.email, user.password)
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return user

    return sign_in


@pytest.fixture
def smtp_inbox(app, monkeypatch):
    """Run a real SMTP server on localhost and point the app's mail settings at it."""
    from aiosmtpd.controller import Controller

    from tests.helpers import SmtpInbox, free_port

    inbox = SmtpInbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", controller.port)
    monkeypatch.setitem(app.config, "MAIL_USE_TLS", False)
    monkeypatch.setitem(app.config, "MAIL_USERNAME", "")
    yield inbox
    controller.stop()


def pytest_terminal_summary(terminalreporter):
    """One line per reason the browser or accessibility tests (tests/e2e) or the LibreOffice print
    checks (tests/support/office.py: the exports and the .docx documents) did not run, with their number;
    or the list of the browser tests' screenshots.

    Here, not in tests/e2e/conftest.py: xdist's controller, which writes the summary, reads only
    this file; the skips are counted from the reports the workers send.
    """
    from collections import Counter

    from tests.e2e.server import ARTIFACTS, chromium_binary
    from tests.support.office import NOT_RUN

    reasons, printing = Counter(), Counter()
    for report in terminalreporter.stats.get("skipped", []):
        if not isinstance(report.longrepr, tuple):
            continue
        why = str(report.longrepr[2]).removeprefix("Skipped: ")
        if report.nodeid.startswith("tests/e2e/"):
            reasons[why] += 1
        elif why.startswith(NOT_RUN):
            printing[why] += 1
    for why, count in sorted(printing.items()):
        terminalreporter.write_line(f"PRINT CHECKS NOT RUN: {count} test(s) skipped: {why}", yellow=True, bold=True)
    for why, count in sorted(reasons.items()):
        label = "ACCESSIBILITY CHECKS NOT RUN" if "axe" in why else "BROWSER TESTS NOT RUN"
        terminalreporter.write_line(f"{label}: {count} test(s) in tests/e2e skipped: {why}", yellow=True, bold=True)
    if WORLD_COUNTS:
        terminalreporter.write_line(f"shared worlds (tests/support/world_cache.py): {WORLD_COUNTS['built']} built "
                                    f"and kept, {WORLD_COUNTS['copied']} copied, {WORLD_COUNTS['not shared']} "
                                    "built for one test only" + ("" if WORLD_COUNTS["built"] else
                                                                 " (kept on SQLite only, unless TEST_WORLD_CACHE=0)"))
    if not reasons and ARTIFACTS.is_dir():
        shots = sorted(ARTIFACTS.rglob("*.png"))
        if shots:
            terminalreporter.write_line(f"browser tests: driven by {chromium_binary()}; "
                                        f"{len(shots)} screenshot(s) in {ARTIFACTS}:")
            for shot in shots:
                terminalreporter.write_line(f"  {shot.relative_to(ARTIFACTS)} ({shot.stat().st_size:,} bytes)")
