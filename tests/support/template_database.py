"""One database migrated to head with the reference data loaded, built once per test session and copied.

Upgrading an empty database through every migration and loading the reference data costs about 7 s of
CPU; the suite did it for each xdist worker and for the demo's browser-test server. Now the first of them
builds a template under a file lock in the session's shared temporary folder, and each copies it: a
file copy on SQLite, ``CREATE DATABASE … TEMPLATE`` on PostgreSQL. The copy holds exactly what
``flask db upgrade`` and ``flask reference load`` leave. The migrations themselves are still run from
nothing by ``tests/test_migrations.py``, and the operator's commands by the journey's server.
"""
import hashlib
import os
import shutil
from pathlib import Path

from filelock import FileLock
from sqlalchemy.engine import make_url


class TemplateDatabase:
    """The session's template, in ``root`` (a folder every xdist worker of the session sees)."""

    def __init__(self, root, server_url=None):
        self.root = Path(root)
        self.server_url = server_url  # DATABASE_URL on the PostgreSQL leg; None on SQLite
        self._lock = FileLock(str(self.root / "template-database.lock"))
        self._built = self.root / "template-database.built"
        # One name per session on the server: derived from the session's folder, so every worker finds it.
        tag = hashlib.sha1(str(self.root.resolve()).encode()).hexdigest()[:10]
        self.name = f"{make_url(server_url).database}_tpl_{tag}" if server_url else None
        self.path = self.root / "template.sqlite3"

    @property
    def url(self):
        if self.server_url:
            return make_url(self.server_url).set(database=self.name).render_as_string(hide_password=False)
        return f"sqlite:///{self.path}"

    def copy_to(self, target):
        """Make ``target`` (a SQLite file path, or the name of a database that does not exist yet) a copy."""
        with self._lock:
            if not self._built.exists():
                self._build()
            if self.server_url:
                _admin(self.server_url, f'CREATE DATABASE "{target}" TEMPLATE "{self.name}"')
            else:
                shutil.copyfile(self.path, target)

    def _build(self):
        from flask_migrate import upgrade

        from voting import create_app
        from voting.extensions import db
        from voting.operations.reference import load_reference_data

        if self.server_url:
            _admin(self.server_url, f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            _admin(self.server_url, f'CREATE DATABASE "{self.name}"')
        folder = self.root / "template-app"
        app = create_app({"SQLALCHEMY_DATABASE_URI": self.url, "UPLOAD_DIR": str(folder / "uploads"),
                          "CERTIFICATE_DIR": str(folder / "certificates"), "EXPORT_DIR": str(folder / "exports"),
                          "SIGNING_KEY_FILE": str(folder / "keys" / "signing-key.pem"),
                          "AUDIT_CHECKPOINT_FILE": str(folder / "checkpoints.log")})
        with app.app_context():
            upgrade()
            load_reference_data()
            db.session.commit()
            db.session.remove()
            db.engine.dispose()  # PostgreSQL copies a template only while nobody is connected to it
        self._built.touch()

    def drop(self):
        """Drop the server's template (the session's controller does it once every worker is done)."""
        if self.server_url:
            _admin(self.server_url, f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def _admin(server_url, statement):
    import psycopg

    server = make_url(server_url)
    with psycopg.connect(host=server.host, port=server.port or 5432, user=server.username,
                         password=server.password, dbname="postgres", autocommit=True) as connection:
        connection.execute(statement)


def session_template(shared_root):
    """The template of the session whose shared temporary folder is ``shared_root``."""
    url = os.environ.get("DATABASE_URL", "")
    return TemplateDatabase(shared_root, url if url.startswith("postgresql") else None)
