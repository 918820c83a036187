"""Backups: the database, the uploaded files, the certificate PDFs, the audit checkpoint file and the
signing keys' public halves in one archive; and its restore into an empty instance, verified.

``flask backup create`` writes ``cnnt-backup-<UTC time>.tar.gz``::

    manifest.json          what is inside, with the SHA-256 of every member, the audit chain's
                           head, the certificate count and the signing keys (public keys and the
                           *path* of the private key file: never the private key itself)
    database.sqlite3       SQLite: a consistent copy made with SQLite's online backup API
    database.pgdump        PostgreSQL: ``pg_dump --format=custom`` (restored with ``pg_restore``)
    uploads/…              photos and documents, under their storage names
    certificates/…         issued certificate PDFs
    audit-checkpoints.log  the published heads of the audit chain (when the file exists)

The files are read from and restored into the app's storage (``voting.core.storage``: local folders or an
S3 bucket alike); exports are not kept, they can be made again.

``flask backup restore ARCHIVE`` refuses a database that already has tables and storage areas that
already hold files, checks every member against the manifest, restores, then verifies what a restore must
prove: the audit chain is whole and ends at the manifest's head, published checkpoints match it,
every certificate is there and every stored PDF has its recorded SHA-256, the signing keys are the
same. The private key is restored by the operator from its own offline backup (README).
"""
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app
from sqlalchemy import func, inspect, select, text

from voting.extensions import db
from voting.models import AuditEvent
from voting.models.base import utcnow
from voting.core.storage import storage

FORMAT = 1
MANIFEST = "manifest.json"
CHECKPOINTS = "audit-checkpoints.log"


class BackupError(Exception):
    """The backup cannot be made or restored; the message says why."""


@dataclass
class RestoreReport:
    events: int = 0
    certificates: int = 0
    files: int = 0
    problems: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.problems


FILE_AREAS = ("uploads", "certificates")


def _copy_checkpoint_file(target):
    from voting.operations.audit import copy_checkpoint_file

    return copy_checkpoint_file(target)


def _checkpoint_file():
    from voting.operations.audit import checkpoint_file

    return checkpoint_file()


def _digest(path):
    sha = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            sha.update(chunk)
    return sha.hexdigest()


def _libpq(url):
    """``(dbname URL without the password, environment with PGPASSWORD)`` for pg_dump/pg_restore."""
    environment = dict(os.environ)
    if url.password:
        environment["PGPASSWORD"] = url.password
    return url.set(drivername="postgresql", password=None).render_as_string(hide_password=False), environment


def _dump_database(folder):
    url = db.engine.url
    if url.get_backend_name() == "sqlite":
        target = folder / "database.sqlite3"
        copy = sqlite3.connect(target)
        try:
            raw = db.engine.raw_connection()
            try:
                raw.driver_connection.backup(copy)  # consistent, even while others write
            finally:
                raw.close()
        finally:
            copy.close()
        return target
    if url.get_backend_name() == "postgresql":
        target = folder / "database.pgdump"
        dbname, environment = _libpq(url)
        result = subprocess.run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={target}",
                                 f"--dbname={dbname}"], env=environment, capture_output=True, text=True)
        if result.returncode:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
        return target
    raise BackupError(f"no backup for a {url.get_backend_name()} database")


def _facts():
    """What a restore must find again: the chain's head, and the certificates and signing keys (the
    certification port's facts, kept at the manifest's top level as before)."""
    from voting.rules.certification import certification

    head = db.session.execute(select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)).first()
    facts = {"audit": {"events": db.session.scalar(select(func.count(AuditEvent.id))),
                       "head_seq": head.seq if head else 0, "head_hash": head.hash if head else None}}
    facts.update(certification().backup_facts())
    return facts


def create_backup(out_dir):
    """Write a backup archive into ``out_dir``; return its path and manifest."""
    out_dir = Path(out_dir)
    out_dir.mkdir(mode=0o700, parents=True, exist_ok=True)  # the mode applies when it is made here
    created = utcnow()
    name = f"cnnt-backup-{created.strftime('%Y%m%d-%H%M%S')}.tar.gz"
    with tempfile.TemporaryDirectory(prefix="cnnt-backup-") as scratch:
        scratch = Path(scratch)
        database = _dump_database(scratch)
        members = {database.name: database}
        for label in FILE_AREAS:
            # Each file is fetched once into the scratch folder (from a bucket, a network round trip),
            # then hashed and archived from there. Keys are checked by the storage: none climbs out.
            files = storage(label)
            for key in files.keys():
                copy = scratch.joinpath("files", label, *key.split("/"))
                copy.parent.mkdir(parents=True, exist_ok=True)
                with files.open(key) as source, open(copy, "wb") as out:
                    shutil.copyfileobj(source, out, 1 << 20)
                members[f"{label}/{key}"] = copy
        if _copy_checkpoint_file(scratch / CHECKPOINTS):  # a snapshot: the app appends to it at any time
            members[CHECKPOINTS] = scratch / CHECKPOINTS
        revision = db.session.scalar(text("SELECT version_num FROM alembic_version"))
        manifest = {"format": FORMAT, "created_at": created.isoformat(timespec="seconds"),
                    "database": db.engine.url.get_backend_name(), "alembic_revision": revision,
                    "signing_key_file": current_app.config.get("SIGNING_KEY_FILE") or None,
                    **_facts(), "members": {member: _digest(path) for member, path in members.items()}}
        partial = out_dir / (name + ".part")
        with _private_file(partial) as handle, tarfile.open(fileobj=handle, mode="w:gz") as archive:
            data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(data), int(created.timestamp())
            archive.addfile(info, io.BytesIO(data))
            for member, path in members.items():
                archive.add(path, arcname=member, recursive=False)
        os.replace(partial, out_dir / name)  # a half-written archive never carries the final name
    return out_dir / name, manifest


def _private_file(path):
    """``path`` opened for writing, created with mode 0600 whatever the umask.

    The archive holds password hashes and personal data: it is made owner-only from its first byte
    (not chmod-ed after a moment of being world-readable), and a leftover from an interrupted run is
    replaced, never reused with its mode.
    """
    path.unlink(missing_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    try:
        os.fchmod(descriptor, 0o600)  # a umask such as 0277 would have taken the owner's write bit
    except BaseException:
        os.close(descriptor)
        raise
    return os.fdopen(descriptor, "wb")


# Restore -------------------------------------------------------------------------------------------

def _refuse_unless_empty():
    tables = inspect(db.engine).get_table_names()
    if tables:
        raise BackupError(f"the database is not empty ({len(tables)} tables): restore into a new, empty one")
    for label in FILE_AREAS:
        files = storage(label)
        if next(files.keys(), None) is not None:
            raise BackupError(f"the {label} storage ({files!r}) already holds files: restore into empty storage")


def _restore_database(path):
    url = db.engine.url
    if url.get_backend_name() == "sqlite":
        if not url.database or url.database == ":memory:":
            raise BackupError("restore needs a SQLite file (DATABASE_URL=sqlite:///path), not an in-memory database")
        db.engine.dispose()
        for leftover in (url.database + "-wal", url.database + "-shm"):  # the empty database's journal
            Path(leftover).unlink(missing_ok=True)
        shutil.copyfile(path, url.database)
        return
    dbname, environment = _libpq(url)
    db.engine.dispose()
    result = subprocess.run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", f"--dbname={dbname}",
                             str(path)], env=environment, capture_output=True, text=True)
    if result.returncode:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()}")


def restore_backup(archive_path):
    """Restore ``archive_path`` into this (empty) instance and verify it; return a :class:`RestoreReport`."""
    checkpoints = _checkpoint_file()
    _refuse_unless_empty()
    with tempfile.TemporaryDirectory(prefix="cnnt-restore-") as scratch:
        scratch = Path(scratch)
        try:
            with tarfile.open(archive_path, "r:gz") as archive:
                archive.extractall(scratch, filter="data")  # refuses absolute paths, "..", links out
        except (tarfile.TarError, OSError) as error:
            raise BackupError(f"not a readable backup archive: {error}") from None
        try:
            manifest = json.loads((scratch / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise BackupError(f"the archive has no readable manifest: {error}") from None
        if manifest.get("format") != FORMAT:
            raise BackupError(f"unknown backup format {manifest.get('format')!r}")
        database_member = "database.sqlite3" if db.engine.url.get_backend_name() == "sqlite" else "database.pgdump"
        if database_member not in manifest["members"]:
            raise BackupError(f"this backup holds a {manifest['database']} database; this instance runs "
                              f"{db.engine.url.get_backend_name()}")
        for member, digest in manifest["members"].items():
            if not (scratch / member).is_file() or _digest(scratch / member) != digest:
                raise BackupError(f"{member} is missing or differs from the manifest: the archive is damaged")
        _restore_database(scratch / database_member)
        files = 0
        for member in manifest["members"]:
            label, _, rest = member.partition("/")
            if label in FILE_AREAS and rest:
                with open(scratch / member, "rb") as source:
                    storage(label).save(rest, source)
                files += 1
        if CHECKPOINTS in manifest["members"] and not checkpoints.exists():
            checkpoints.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(scratch / CHECKPOINTS, checkpoints)
    report = verify_restored(manifest)
    report.files = files
    return report


def verify_restored(manifest):
    """What a restore must prove; each problem is a sentence (empty: verified)."""
    from voting.operations.audit import verify_chain, verify_checkpoints
    from voting.rules.certification import certification

    db.session.remove()
    report = RestoreReport()
    chain = verify_chain()
    report.events = chain.checked
    if not chain.ok:
        report.problems.append(f"audit chain broken at event #{chain.broken_seq}: {chain.problem}")
    elif chain.head_hash != (manifest["audit"]["head_hash"] or chain.head_hash):
        report.problems.append("the audit chain does not end at the head recorded in the backup")
    report.problems += [str(mismatch) for mismatch in verify_checkpoints()]
    facts = _facts()
    if facts["audit"]["events"] != manifest["audit"]["events"]:
        report.problems.append(f"{facts['audit']['events']} audit events, the backup recorded "
                               f"{manifest['audit']['events']}")
    if facts["signing_keys"] != manifest["signing_keys"]:
        report.problems.append("the signing keys differ from the backup's")
    report.certificates, problems = certification().check_restored(manifest)
    report.problems += problems
    return report
