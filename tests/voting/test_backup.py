"""``flask backup create`` and ``restore``: a restored backup verifies (audit chain, checkpoints,
certificates and their PDFs, uploaded files), on SQLite and on PostgreSQL alike; a damaged archive
or a non-empty target is refused."""
import io
import os
import stat
import tarfile
from pathlib import Path

import pytest
from sqlalchemy import select

from certificates.operations.issuance import stored_pdf
from certificates.rules.verification import verify
from tests.e2e.server import PostgresDatabase
from tests.support.certificates import certify, issue_certificates
from voting import create_app
from voting.core.backup import create_backup
from voting.core.clock import today_vn
from voting.extensions import db
from voting.models import AuditEvent, ProductFile
from certificates.models import Certificate
from voting.operations.audit import publish_checkpoint, verify_chain
from voting.core.storage import storage
from voting.core.uploads import read_stored


@pytest.fixture
def fresh_instance(app, tmp_path):
    """A second, empty instance (database and folders) to restore into, like a new server."""
    postgres = None
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        postgres = PostgresDatabase(app.config["SQLALCHEMY_DATABASE_URI"])
        postgres.create()
        url = postgres.url
    else:
        url = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    instance = create_app({"SQLALCHEMY_DATABASE_URI": url, "SERVER_NAME": "localhost",
                           "UPLOAD_DIR": str(tmp_path / "uploads"), "CERTIFICATE_DIR": str(tmp_path / "certificates"),
                           "AUDIT_CHECKPOINT_FILE": str(tmp_path / "checkpoints.log"),
                           "PUBLIC_BASE_URL": "https://cnnt.example.vn"})
    yield instance
    with instance.app_context():
        db.engine.dispose()
    if postgres:
        postgres.drop()


@pytest.fixture
def backed_up(app, make_user, signer, runner, tmp_path, monkeypatch):
    """Certificates issued (with PDFs), a checkpoint published, and a backup of it all."""
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "1000 per minute")
    hall = certify(app, make_user)
    issued = issue_certificates(app, hall)
    with app.app_context():
        publish_checkpoint("manual")
        db.session.commit()
        head = db.session.scalar(select(AuditEvent.hash).order_by(AuditEvent.seq.desc()))
        tokens = dict(db.session.execute(select(Certificate.number, Certificate.token)).all())
        photos = db.session.scalars(select(ProductFile.storage_name)).all()
    result = runner.invoke(args=["backup", "create", "--out", str(tmp_path / "backups")])
    assert result.exit_code == 0, result.output
    assert "The signing key's private file is not in it" in result.output
    (archive,) = (tmp_path / "backups").glob("cnnt-backup-*.tar.gz")
    return archive, head, tokens, photos, issued


def test_a_restored_backup_verifies(backed_up, fresh_instance, app):
    archive, head, tokens, photos, issued = backed_up
    with tarfile.open(archive) as opened:
        names = opened.getnames()
    assert "manifest.json" in names and any(n.startswith("certificates/") for n in names)
    assert not any("signing-key" in n or n.endswith(".pem") for n in names)  # never the private key
    result = fresh_instance.test_cli_runner().invoke(args=["backup", "restore", str(archive)])
    assert result.exit_code == 0, result.output
    assert f"{len(issued)} certificates with their PDFs" in result.output
    with fresh_instance.app_context():
        report = verify_chain()
        assert report.ok and report.head_hash == head
        for number, token in tokens.items():
            verification = verify(token, today_vn())
            assert verification.status == "valid", number
            assert stored_pdf(verification.certificate).startswith(b"%PDF")
        for name in photos:
            assert len(read_stored(storage("uploads"), name)) > 0
        db.session.remove()


def test_restore_refuses_a_database_that_is_not_empty(backed_up, app):
    archive = backed_up[0]
    result = app.test_cli_runner().invoke(args=["backup", "restore", str(archive)])
    assert result.exit_code == 1 and "not empty" in result.output


def test_restore_refuses_a_damaged_archive_and_writes_nothing(backed_up, fresh_instance, tmp_path):
    archive = backed_up[0]
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name.startswith("certificates/"):
                data = data.replace(b"%PDF", b"%PDX", 1)  # one altered certificate file
            member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    result = fresh_instance.test_cli_runner().invoke(args=["backup", "restore", str(damaged)])
    assert result.exit_code == 1 and "differs from the manifest" in result.output
    with fresh_instance.app_context():
        from sqlalchemy import inspect

        assert inspect(db.engine).get_table_names() == []
    assert list(Path(fresh_instance.config["CERTIFICATE_DIR"]).glob("**/*.pdf")) == []


@pytest.mark.parametrize("umask", [0o000])
def test_the_archive_is_readable_by_its_owner_only_whatever_the_umask(app, tmp_path, umask):
    """It holds password hashes and personal data: 0600 from its first byte, in a folder made 0700.

    Under the most permissive umask (0o000: a plain open() would give 0666); the usual 0o022 asks less.
    """
    folder = tmp_path / "backups"
    previous = os.umask(umask)
    try:
        with app.app_context():
            archive, _manifest = create_backup(folder)
    finally:
        os.umask(previous)
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    with tarfile.open(archive) as opened:
        assert "manifest.json" in opened.getnames()
