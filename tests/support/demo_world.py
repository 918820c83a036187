"""The demo seeded once per worker for the modules that read it, instead of once per module.

Seeding the demo takes 12–25 s of CPU. ``test_demo`` reads it live (pages, files) while the modules that
check its results and its nominations only need plain snapshots taken from it. Those modules register
their snapshot here at import (``@takes_snapshot("name")``); whichever module seeds first takes every
registered snapshot from the same freshly seeded database. All these modules share the xdist group
:data:`GROUP`, so they run on one worker and one seed serves them all.
"""
from voting.demo.seed import seed_demo
from voting.extensions import db

GROUP = "demo"

_TAKERS = {}
_SNAPSHOTS = {}


def takes_snapshot(name):
    """Register ``function()`` (run in an app context over the seeded demo) as the snapshot ``name``."""
    def register(function):
        _TAKERS[name] = function
        return function
    return register


def seed(app):
    """Seed the demo into the empty test database and take every registered snapshot; return the seed's counts.

    The rows stay: the caller empties the database (``module_rows``, or the next test's clean-up).
    """
    with app.app_context():
        counts = seed_demo()
        db.session.commit()
        _SNAPSHOTS.update({name: take() for name, take in _TAKERS.items()}, counts=counts)
        db.session.remove()
    return counts


def snapshot(app, name):
    """The snapshot ``name`` of a seeded demo: taken when another module seeded it, or seeded now for it."""
    if name not in _SNAPSHOTS:
        seed(app)
    return _SNAPSHOTS[name]
