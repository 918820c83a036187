"""Worlds built once per worker and copied into every later test that asks for the same one (SQLite).

A round taken to deliberation (``make_deliberating_round``) or through to a published decision
(``certify``) costs about half a second of CPU, and about 300 tests build one; most of them build the
same world as a test before them on the same worker. The first build runs the real operations; the
database's rows (every table a test may write), the audit checkpoints' file and the files the build
stored are then kept, and a later request for the same world, from the same starting point, gets them
back instead: the rows as the build left them, written again with their ids, and the same return value.

The same world means: the same builder and arguments, the same day (``today_vn``), the same app
configuration and environment variables, the same ``make_user`` counter, and a database in the same state before the build
(each writable table's row count and highest rowid, which on SQLite, where an emptied table starts its
ids again from 1, repeat from test to test). Anything else builds afresh, and so does:

- a test that has replaced an attribute with ``monkeypatch`` (a function the build may call), or an
  item of a mapping other than the app's configuration and the environment (which the key holds);
- PostgreSQL, whose ids never repeat (CI's second leg builds every world with the operations);
- ``TEST_WORLD_CACHE=0``.

What a build does outside the database and the storage folders (e-mail sent, log lines, in-memory
counters) is not repeated by a copy; a test that checks such effects of the build itself must not
share it (it may monkeypatch, or build with arguments of its own).
"""
import copy
import functools
import os
from collections import Counter
from pathlib import Path

from sqlalchemy import text

from voting.core.clock import today_vn
from voting.extensions import db

_AREAS = ("UPLOAD_DIR", "CERTIFICATE_DIR", "EXPORT_DIR")

#: This process's worlds: "built" and kept, "copied", and "not shared" (built for one test only); the
#: run's summary adds up the workers' counts.
WORLD_COUNTS = Counter()


class WorldCache:
    """The worlds built on one worker: ``tables`` are the tables a test may write; ``empty()`` deletes
    their rows (the suite's clean-up, which knows how to get past the append-only triggers);
    ``pristine()`` says whether the editable reference rows are as loaded."""

    def __init__(self, app, tables, empty, pristine):
        self.app, self.tables, self.empty, self.pristine = app, tables, empty, pristine
        self.worlds = {}
        self.enabled = (os.environ.get("TEST_WORLD_CACHE", "1") != "0"
                        and app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")
                        and app.config.get("FILE_STORAGE", "local") == "local")

    def get(self, builder, args, kwargs, make_user, build):
        key = self._key(builder, args, kwargs, make_user)
        if key is None:
            WORLD_COUNTS["not shared"] += 1
            return build()
        if key in self.worlds:
            return self._copy(self.worlds[key], make_user)
        files_before = self._files()
        counter_before = make_user.counter["n"]
        value = build()
        world = self._keep(value, files_before, make_user.counter["n"] - counter_before)
        if world is not None:
            self.worlds[key] = world
        WORLD_COUNTS["built" if world is not None else "not shared"] += 1
        return value

    def _key(self, builder, args, kwargs, make_user):
        if not self.enabled or self._code_replaced(make_user.monkeypatch):
            return None
        with self.app.app_context():
            if not self.pristine():
                return None
            state = self._state()
            db.session.remove()
        config = tuple(sorted((name, repr(value)) for name, value in self.app.config.items()))
        environment = tuple(sorted(item for item in os.environ.items() if item[0] != "PYTEST_CURRENT_TEST"))
        return (builder, repr(args), repr(sorted(kwargs.items())), make_user.counter["n"], today_vn(), config,
                environment, state)

    def _code_replaced(self, monkeypatch):
        """Whether the test has replaced an attribute (a function the build may call) or an item of a
        mapping other than the app's configuration and the environment, which the key holds.

        pytest's MonkeyPatch keeps what it changed in ``_setattr`` and ``_setitem`` (private, but the
        same since pytest 3); should they go, nothing is shared rather than something wrongly.
        """
        attributes, items = getattr(monkeypatch, "_setattr", None), getattr(monkeypatch, "_setitem", None)
        if attributes is None or items is None:
            return True
        return bool(attributes) or any(mapping is not self.app.config and mapping is not os.environ
                                       for mapping, _, _ in items)

    def _state(self):
        probe = " UNION ALL ".join(f"SELECT '{t.name}', count(*), max(rowid) FROM {_quote(t.name)}" for t in self.tables)
        return tuple(tuple(row) for row in db.session.execute(text(probe)) if row[1])

    def _keep(self, value, files_before, users_made):
        with self.app.app_context():
            if not self.pristine():
                return None
            rows = {t.name: [dict(r) for r in db.session.execute(t.select()).mappings()] for t in self.tables}
            db.session.remove()
        checkpoints = Path(self.app.config["AUDIT_CHECKPOINT_FILE"])
        files = {path: path.read_bytes() for path in self._files() - files_before}
        return {"value": copy.deepcopy(value), "rows": rows, "users_made": users_made, "files": files,
                "checkpoints": checkpoints.read_bytes() if checkpoints.exists() else None}

    def _copy(self, world, make_user):
        with self.app.app_context():
            self.empty()
            db.session.execute(text("PRAGMA defer_foreign_keys = ON"))  # this transaction's rows, checked at commit
            for table in self.tables:
                if world["rows"][table.name]:
                    db.session.execute(table.insert(), world["rows"][table.name])
            db.session.commit()
            db.session.remove()
        checkpoints = Path(self.app.config["AUDIT_CHECKPOINT_FILE"])
        if world["checkpoints"] is None:
            checkpoints.unlink(missing_ok=True)
        else:
            checkpoints.write_bytes(world["checkpoints"])
        for path, data in world["files"].items():
            if not path.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
        make_user.counter["n"] += world["users_made"]
        WORLD_COUNTS["copied"] += 1
        return copy.deepcopy(world["value"])

    def _files(self):
        found = set()
        for name in _AREAS:
            root = Path(self.app.config[name])
            if root.is_dir():
                found.update(path for path in root.rglob("*") if path.is_file())
        return found


def _quote(name):
    return db.engine.dialect.identifier_preparer.quote(name)


def shared_world(builder):
    """Decorate ``builder(app, make_user, *args, **kwargs)`` so that it goes through ``make_user``'s
    :class:`WorldCache` (``make_user.worlds``); a ``make_user`` without one builds every time."""
    @functools.wraps(builder)
    def build_or_copy(app, make_user, *args, **kwargs):
        cache = getattr(make_user, "worlds", None)
        run = functools.partial(builder, app, make_user, *args, **kwargs)
        if cache is None:
            return run()
        return cache.get(builder.__qualname__, args, kwargs, make_user, run)
    return build_or_copy
