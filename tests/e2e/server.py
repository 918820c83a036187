"""The app as a deployment serves it, for the browser tests: a fresh database migrated and loaded
with the reference data and a signing key by the same ``flask`` commands an operator runs, then
gunicorn with production's ``gunicorn.conf.py`` (two workers) on a free local port.

The database is a SQLite file of its own, or, when ``DATABASE_URL`` names a PostgreSQL server (the
CI leg), a fresh database on that server, dropped afterwards.

The app's calendar (``voting.core.clock.today_vn``) can be moved forward by whole days
(``move_calendar``), for a journey that has to get past a window counted in days; the wall clock,
sessions and tokens are untouched.
"""
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: Screenshots and traces of the browser tests.
ARTIFACTS = Path(os.environ.get("E2E_ARTIFACTS") or ROOT / "test-artifacts" / "e2e")
#: ``sitecustomize`` that makes the app's calendar movable (see ``LiveServer.move_calendar``).
CLOCK_DIR = Path(__file__).resolve().parent / "clock"
#: Sign-in and verification limits raised: one test signs in as many people from one address.
RAISED_LIMIT = "10000 per minute"


#: Debian's builds of Chromium, in the order the suite prefers them: ``chromium-headless-shell`` (from Debian's
#: ``chromium`` source, the same Blink and V8 release; Playwright's default headless browser) costs half the CPU
#: of the full browser in headless mode (tests/e2e measured 06/12/2026: 238 s → 124 s of Chromium CPU, same
#: 58 tests passing); ``chromium`` is the full browser, which CI's PostgreSQL leg drives (``CHROMIUM``).
CHROMIUM_BUILDS = ("chromium-headless-shell", "chromium")


def chromium_binary():
    """The Chromium the browser tests drive: ``CHROMIUM`` if set, else the first of :data:`CHROMIUM_BUILDS`."""
    if os.environ.get("CHROMIUM"):
        return os.environ["CHROMIUM"]
    return next(filter(None, map(shutil.which, CHROMIUM_BUILDS)), None)


def missing_requirement():
    """Why the browser tests cannot run here (naming the package to install), or None."""
    chromium = chromium_binary()
    if not chromium or not Path(chromium).exists():
        return ("neither Debian package 'chromium-headless-shell' nor 'chromium' is installed "
                "(apt-get install chromium-headless-shell chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the PyPI package 'playwright' is not installed (make install)"
    return None


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PostgresDatabase:
    """A database of its own on the server ``DATABASE_URL`` names."""

    def __init__(self, url, suffix="e2e"):
        from sqlalchemy.engine import make_url

        self.server = make_url(url)
        self.name = f"{self.server.database}_{suffix}_{os.getpid()}_{secrets.token_hex(3)}"
        self.url = self.server.set(database=self.name).render_as_string(hide_password=False)

    def _admin(self, statement):
        import psycopg

        with psycopg.connect(host=self.server.host, port=self.server.port or 5432, user=self.server.username,
                             password=self.server.password, dbname="postgres", autocommit=True) as connection:
            connection.execute(statement)

    def create(self):
        self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        self._admin(f'CREATE DATABASE "{self.name}"')

    def drop(self):
        self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


class LiveServer:
    """``with LiveServer(folder) as server``: ``server.url``, ``server.cli(...)`` on the same database.

    ``demo=True`` loads the demo dataset (``flask seed-demo``, as ``make run`` does) instead of
    starting empty: pages in every state, for the checks that look at many pages.

    ``template`` (a :class:`tests.support.template_database.TemplateDatabase`): start from a copy of
    the session's migrated database instead of running ``flask db upgrade`` and ``flask reference load``.
    """

    def __init__(self, folder, demo=False, template=None):
        self.folder = Path(folder)
        self.demo = demo
        self.template = template
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        database_url = os.environ.get("DATABASE_URL", "")
        self.postgres = PostgresDatabase(database_url) if database_url.startswith("postgresql") else None
        self.database_url = self.postgres.url if self.postgres else f"sqlite:///{self.folder / 'cnnt.sqlite3'}"
        self.log_path = self.folder / "server.log"
        self.clock_file = self.folder / "clock-days"
        self.process = None

    def environment(self):
        env = {name: value for name, value in os.environ.items() if not name.startswith(("CNNT_", "DATABASE_"))}
        env.update(CNNT_CONFIG="development", DATABASE_URL=self.database_url, SECRET_KEY=secrets.token_hex(32),
                   PUBLIC_BASE_URL=self.url, SIGNING_KEY_FILE=str(self.folder / "keys" / "signing-key.pem"),
                   UPLOAD_DIR=str(self.folder / "uploads"), CERTIFICATE_DIR=str(self.folder / "certificates"),
                   EXPORT_DIR=str(self.folder / "exports"),
                   AUDIT_CHECKPOINT_FILE=str(self.folder / "audit-checkpoints.log"),
                   LOGIN_RATE_LIMIT=RAISED_LIMIT, VERIFY_RATE_LIMIT=RAISED_LIMIT, MAIL_SERVER="",
                   LOG_LEVEL="WARNING", PYTHONUNBUFFERED="1", E2E_CLOCK_FILE=str(self.clock_file),
                   PASSWORD_HASH_FAST="1",  # argon2id at the suite's cost (config.DevelopmentConfig)
                   PYTHONPATH=os.pathsep.join(filter(None, [str(CLOCK_DIR), str(ROOT), os.environ.get("PYTHONPATH")])))
        return env

    def move_calendar(self, days):
        """Move the served app's calendar (``voting.core.clock.today_vn``) ``days`` after today; 0 puts it back."""
        self.clock_file.write_text(str(days))

    def cli(self, *args, check=True):
        """Run ``flask --app wsgi <args>`` against the server's database; the completed process."""
        return subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT,
                              env=self.environment(), capture_output=True, text=True, check=check, timeout=300)

    def __enter__(self):
        if self.template:
            if self.postgres:
                self.postgres.drop()
            self.template.copy_to(self.postgres.name if self.postgres else self.folder / "cnnt.sqlite3")
        else:
            if self.postgres:
                self.postgres.create()
            self.cli("db", "upgrade")
            self.cli("reference", "load")
        if self.demo:
            self.cli("seed-demo")  # makes and registers its own signing key
        else:
            self.cli("certificates", "keygen")
        self._env = self.environment()
        self.log = open(self.log_path, "w")  # noqa: SIM115 - closed in __exit__
        # Production's gunicorn configuration (the app imported once and forked, not once per worker), two workers.
        served = {**self._env, "GUNICORN_BIND": f"127.0.0.1:{self.port}", "WEB_CONCURRENCY": "2",
                  "GUNICORN_TIMEOUT": "120"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", str(ROOT / "gunicorn.conf.py"), "wsgi:app"],
            cwd=ROOT, env=served, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        self._wait_until_up()
        return self

    def _wait_until_up(self, seconds=60):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited ({self.process.returncode}): {self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/api/v1/ping", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"the server did not answer within {seconds} s: {self.log_tail()}")

    def mailed_link(self, to, path_part="/register/confirm/", seconds=10):
        """The last link containing ``path_part`` in an e-mail to ``to`` that the server wrote to its log.

        The server runs the development configuration without ``MAIL_SERVER``: e-mail goes to the log
        (``MAIL_TO_LOG``), which is how a developer running ``make run`` follows the link too.
        """
        import re

        pattern = re.compile(r"https?://\S+" + re.escape(path_part) + r"[A-Za-z0-9_\-]+")
        deadline = time.monotonic() + seconds
        while True:
            self.log.flush()
            mails = self.log_path.read_text(errors="replace").split("MAIL_SERVER is not set")[1:]
            links = [link for mail in mails if f"To: {to}\n" in mail for link in pattern.findall(mail)]
            if links:
                return links[-1]
            if time.monotonic() > deadline:
                raise AssertionError(f"no e-mail to {to} with a {path_part} link in the log: {self.log_tail()}")
            time.sleep(0.2)

    def log_tail(self, lines=40):
        self.log.flush()
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def __exit__(self, *exc):
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
        self.log.close()
        if self.postgres:
            self.postgres.drop()
