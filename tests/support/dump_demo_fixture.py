"""Seed the demo into a fresh SQLite database and dump every row as a dialect-neutral fixture.

Written for ``tests/data/demo_at_0018.json.gz``, the demo as it stood at migration
``0018_decision_entry_names`` (used by ``tests/test_migration_demo_0018.py`` to test the upgrade
of a real database to head). That fixture was produced from commit 9d71585 (9d7158505ae3…, the
newest commit whose head migration is 0018; ``3300c20^``, a merge, already holds 0019e) like this::

    git -C /work/main worktree add --detach /tmp/demo0018 9d71585
    ln -s /work/main/.venv /tmp/demo0018/.venv
    cd /tmp/demo0018 && CNNT_CONFIG=testing PYTHONPATH=/tmp/demo0018 \\
        .venv/bin/python <this worktree>/tests/support/dump_demo_fixture.py <this worktree>/tests/data/demo_at_0018.json.gz

The script imports whatever ``voting`` package is on the path (the old commit's), migrates a
database in a temporary folder to that code's head, loads the reference data, runs
``seed_demo()`` exactly as ``flask seed-demo`` does, and writes::

    {"revision": ..., "commit": ..., "checkpoint_file": [lines of AUDIT_CHECKPOINT_FILE],
     "tables": {table: {"columns": [...], "rows": [[...], ...]}}}

Tables are in foreign-key order and rows in primary-key order. Values JSON cannot carry are
tagged: ``{"$dt": iso}`` (datetime, naive UTC as SQLite stores it), ``{"$d": iso}`` (date),
``{"$t": iso}`` (time), ``{"$dec": str}`` (decimal), ``{"$b": base64}`` (bytes). Left out: the
uploaded files themselves (photos, papers, certificate PDFs: the database names them by storage
name only, and no migration reads them) and SQLite's full-text index (``registry_entry_fts*``:
rebuilt by its triggers as the registry rows are loaded, absent on PostgreSQL). The seed uses
today's date, so dates and hashes differ between runs; the counts do not.
"""
import base64
import datetime as dt
import decimal
import gzip
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import MetaData, select, text

from voting import create_app
from voting.demo.seed import seed_demo
from voting.extensions import db
from voting.operations.reference import load_reference_data


#: SQLite's full-text indexes of the registry (FTS5 and shadow tables, migrations 0011, 0021b): rebuilt by
#: its triggers as ``registry_entry`` rows are inserted, and absent on PostgreSQL.
SQLITE_SEARCH_INDEX = ("registry_entry_fts", "registry_entry_words")


def encode(value):
    if isinstance(value, dt.datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$d": value.isoformat()}
    if isinstance(value, dt.time):
        return {"$t": value.isoformat()}
    if isinstance(value, decimal.Decimal):
        return {"$dec": str(value)}
    if isinstance(value, (bytes, memoryview)):
        return {"$b": base64.b64encode(bytes(value)).decode()}
    return value


def dump(connection):
    metadata = MetaData()
    metadata.reflect(connection)
    tables = {}
    for table in metadata.sorted_tables:
        if table.name == "alembic_version" or table.name.startswith(SQLITE_SEARCH_INDEX):
            continue
        order = list(table.primary_key.columns) or list(table.columns)
        rows = connection.execute(select(table).order_by(*order)).all()
        tables[table.name] = {"columns": [c.name for c in table.columns],
                              "rows": [[encode(v) for v in row] for row in rows]}
    return tables


def main(target):
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        checkpoints = folder / "checkpoints.log"
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'demo.sqlite3'}",
                          "UPLOAD_DIR": str(folder / "uploads"), "CERTIFICATE_DIR": str(folder / "certificates"),
                          "EXPORT_DIR": str(folder / "exports"), "SIGNING_KEY_FILE": str(folder / "signing-key.pem"),
                          "PUBLIC_BASE_URL": "https://cnnt.example.vn", "AUDIT_CHECKPOINT_FILE": str(checkpoints)})
        with app.app_context():
            upgrade()
            load_reference_data()
            db.session.commit()
            counts = seed_demo()
            db.session.commit()
            with db.engine.connect() as connection:
                revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
                tables = dump(connection)
            db.engine.dispose()
        lines = checkpoints.read_text(encoding="utf-8").splitlines() if checkpoints.exists() else []
    commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    fixture = {"revision": revision, "commit": commit, "seeded": counts, "checkpoint_file": lines, "tables": tables}
    data = json.dumps(fixture, ensure_ascii=False, separators=(",", ":"), default=str).encode()
    Path(target).write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    print(f"{target}: revision {revision}, {sum(len(t['rows']) for t in tables.values())} rows "
          f"in {len(tables)} tables, {len(lines)} checkpoint lines")


if __name__ == "__main__":
    main(sys.argv[1])
