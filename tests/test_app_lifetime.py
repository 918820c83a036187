"""An app that nothing uses any more is freed: no process-wide registry keeps it.

The tests make hundreds of apps in each process. A hook registered per app where the garbage collector
cannot see it (``atexit``: the scan counter's exit flush did so) kept every one of them alive, with its
templates, its engine and its pooled connections: the heap grew with the run and every full collection
walked all of it. (Extensions made once per process, such as the cache and Talisman, point at the app
they were last given: that one app stays until the next is made.)
"""
import gc
import weakref

from certificates.scans import init_scans
from voting import create_app


def _used_app(config):
    made = create_app(config)
    with made.test_client() as client:
        assert client.get("/api/v1/ping").status_code == 200
        assert client.get("/v/no-such-token").status_code == 200  # the page saying no certificate has it
    init_scans(made)  # the scan counter, as a verification's first scan sets it up
    return weakref.ref(made)


def test_apps_no_longer_used_are_freed(app):
    dropped = [_used_app(dict(app.config)) for _ in range(3)]
    last = create_app(dict(app.config))
    gc.collect()
    assert [ref() is None for ref in dropped] == [True, True, True]
    assert last is not None
