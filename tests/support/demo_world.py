"""The demo seeded once per worker for the modules that read it, instead of once per module.

Seeding the demo takes 12–25 s of CPU. ``test_demo`` reads it live (pages, files) while the modules that
check its results and its nominations only need plain snapshots taken from it. Those modules register
their snapshot here at import (``@takes_snapshot("name")``); whichever module seeds first takes every
registered snapshot from the same freshly seeded database. All these modules share the xdist group
:data:`GROUP`, so they run on one worker and one seed serves them all.

The seed is the operator's command, ``flask seed-demo --if-empty`` on the empty database: what it printed
is the snapshot ``cli_output``, for the tests of the command itself (test_demo.py), which no longer seed
the demo a second time.
"""
import json

from sqlalchemy import select

from tests.support.world_cache import WorldCache
from voting.core.clock import today_vn
from voting.extensions import db
from voting.models import AuditEvent

GROUP = "demo"

_TAKERS = {}
_SNAPSHOTS = {}
_KEPT = {}  # the seed's starting point and the state it left (rows, files)


def takes_snapshot(name):
    """Register ``function()`` (run in an app context over the seeded demo) as the snapshot ``name``."""
    def register(function):
        _TAKERS[name] = function
        return function
    return register


def seed(app):
    """Seed the demo into the empty test database and take every registered snapshot; return the seed's counts.

    The rows stay: the caller empties the database (``module_rows``, or the next test's clean-up). The
    seed's rows and files are kept (tests/support/world_cache.py, on SQLite): a module that asks again
    on the same worker, on the empty database again, gets them written back rather than a second seed.
    """
    worlds = WorldCache.of(app)
    start = (today_vn(), worlds.starting_point()) if worlds is not None and worlds.enabled else None
    if start is not None and _KEPT.get("start") == start and _KEPT["state"] is not None:
        worlds.put_back(_KEPT["state"])
        return _SNAPSHOTS["counts"]
    files_before = worlds.files() if start is not None else None
    result = app.test_cli_runner().invoke(args=["seed-demo", "--if-empty"])
    assert result.exit_code == 0 and "Demo data loaded:" in result.output, result.output
    if start is not None:  # kept before the snapshots are taken, should one of them write
        _KEPT.update(start=start, state=worlds.keep(files_before))
    with app.app_context():
        # seed_demo()'s counts, as the seed recorded them in the audit log.
        counts = json.loads(db.session.scalar(select(AuditEvent.data).where(AuditEvent.action == "demo.seed")))
        _SNAPSHOTS.update({name: take() for name, take in _TAKERS.items()}, counts=counts, cli_output=result.output)
        db.session.remove()
    return counts


def snapshot(app, name):
    """The snapshot ``name`` of a seeded demo: taken when another module seeded it, or seeded now for it."""
    if name not in _SNAPSHOTS:
        seed(app)
    return _SNAPSHOTS[name]
