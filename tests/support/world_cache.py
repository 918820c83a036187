"""Worlds built once per worker and copied into every later test that asks for the same one (SQLite).

A round taken to scoring, to deliberation (``make_deliberating_round``), to a published decision
(``certify``) or to issued certificates costs half a second of CPU or more, and about 450 tests build one
(the builders decorated with :func:`shared_world`); most of them build the same world as a test before
them on the same worker. The demo group's seed is kept the same way (tests/support/demo_world.py). The first build runs the real operations; the
database's rows (every table a test may write), the audit checkpoints' file and the files the build
stored are then kept, and a later request for the same world, from the same starting point, gets them
back instead: the rows as the build left them, written again with their ids, and the same return value.

The same world means: the same builder and arguments, the same day (``today_vn``), the same app
configuration and environment variables, the same ``make_user`` counter, and a database in the same
state before the build (the editable reference rows as loaded, and each writable table's row count and
highest rowid, which on SQLite, where an emptied table starts its ids again from 1, repeat from test to
test). Anything else builds afresh, and so does:

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
import weakref
from collections import Counter
from pathlib import Path

from sqlalchemy import text

from voting.core.clock import today_vn
from voting.extensions import db

_AREAS = ("UPLOAD_DIR", "CERTIFICATE_DIR", "EXPORT_DIR")

#: This process's worlds: "built" and kept, "copied", and "not shared" (built for one test only); the
#: run's summary adds up the workers' counts.
WORLD_COUNTS = Counter()

_CACHES = weakref.WeakKeyDictionary()  # app -> its WorldCache


class WorldCache:
    """The worlds built on one worker: ``tables`` are the tables a test may write; ``empty()`` deletes
    their rows (the suite's clean-up, which knows how to get past the append-only triggers);
    ``reference()`` is the editable reference rows as loaded (the rows copied point at them), or None
    when a test has changed them."""

    def __init__(self, app, tables, empty, reference):
        self.app, self.tables, self.empty, self.reference = app, tables, empty, reference
        self.worlds = {}
        self.enabled = (os.environ.get("TEST_WORLD_CACHE", "1") != "0"
                        and app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")
                        and app.config.get("FILE_STORAGE", "local") == "local")

    @staticmethod
    def of(app):
        """The cache :meth:`register`-ed for ``app`` (by the suite's ``app`` fixture), or None."""
        return _CACHES.get(app)

    def register(self):
        _CACHES[self.app] = self
        return self

    def get(self, builder, args, kwargs, make_user, build):
        key = self._key(builder, args, kwargs, make_user)
        if key is None:
            WORLD_COUNTS["not shared"] += 1
            return build()
        if key in self.worlds:
            world = self.worlds[key]
            self.put_back(world["state"])
            make_user.counter["n"] += world["users_made"]
            return copy.deepcopy(world["value"])
        files_before = self.files()
        counter_before = make_user.counter["n"]
        value = build()
        state = self.keep(files_before)
        if state is not None:
            self.worlds[key] = {"value": copy.deepcopy(value), "state": state,
                                "users_made": make_user.counter["n"] - counter_before}
        else:
            WORLD_COUNTS["not shared"] += 1
        return value

    def _key(self, builder, args, kwargs, make_user):
        if not self.enabled or self._code_replaced(make_user.monkeypatch):
            return None
        start = self.starting_point()
        if start is None:
            return None
        config = tuple(sorted((name, repr(value)) for name, value in self.app.config.items()))
        environment = tuple(sorted(item for item in os.environ.items() if item[0] != "PYTEST_CURRENT_TEST"))
        return (builder, repr(args), repr(sorted(kwargs.items())), make_user.counter["n"], today_vn(), config,
                environment, start)

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

    def starting_point(self):
        """Where the database stands: the editable reference rows and each writable table's row count
        and highest rowid; None when the reference rows were changed."""
        with self.app.app_context():
            reference, state = self.reference(), self._state()
            db.session.remove()
        return None if reference is None else (reference, state)

    def keep(self, files_before):
        """The state to :meth:`put_back` later: every writable table's rows, the audit checkpoints' file
        and the files stored since ``files_before`` (:meth:`files`); None if the reference rows changed."""
        with self.app.app_context():
            if self.reference() is None:
                return None
            rows = {t.name: [dict(r) for r in db.session.execute(t.select()).mappings()] for t in self.tables}
            db.session.remove()
        checkpoints = Path(self.app.config["AUDIT_CHECKPOINT_FILE"])
        WORLD_COUNTS["built"] += 1
        return {"rows": rows, "files": {path: path.read_bytes() for path in self.files() - files_before},
                "checkpoints": checkpoints.read_bytes() if checkpoints.exists() else None}

    def put_back(self, state):
        """Make the database and the files what they were when ``state`` was kept."""
        with self.app.app_context():
            self.empty()
            db.session.execute(text("PRAGMA defer_foreign_keys = ON"))  # this transaction's rows, checked at commit
            for table in self.tables:
                if state["rows"][table.name]:
                    db.session.execute(table.insert(), state["rows"][table.name])
            db.session.commit()
            db.session.remove()
        checkpoints = Path(self.app.config["AUDIT_CHECKPOINT_FILE"])
        if state["checkpoints"] is None:
            checkpoints.unlink(missing_ok=True)
        else:
            checkpoints.write_bytes(state["checkpoints"])
        for path, data in state["files"].items():
            if not path.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
        WORLD_COUNTS["copied"] += 1

    def files(self):
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
