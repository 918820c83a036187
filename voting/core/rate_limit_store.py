"""The rate limiter's in-process store, without a thread started for every request.

``limits``' ``MemoryStorage`` (Flask-Limiter's ``memory://``) frees expired counters from a timer
thread of 10 ms, started again by each count once the previous one has run: with requests more
than 10 ms apart in a worker, one new thread per request. A thread start is costly where system
calls are (about a sixth of ``/api/v1/ping``'s CPU on this machine, issue 20). Counters expire
when read whatever the timer does (``get`` drops an expired one), so the timer only frees memory:
here one daemon thread per process sweeps every ``SWEEP_SECONDS`` instead.

Select it with ``RATELIMIT_STORAGE_URI=swept-memory://`` (the default without Redis); the class
registers that scheme with ``limits`` when this module is imported (``init_rate_limits`` does).
It replaces one private method of ``MemoryStorage`` by its mangled name, the name the class's own
methods call it by; ``tests/voting/test_rate_limit_store.py`` fails if a ``limits`` release renames it.
"""
import functools
import os
import threading
import time
import weakref

import flask_limiter._limits as limit_definitions
from limits.storage import MemoryStorage

SWEEP_SECONDS = 1.0


class SweptMemoryStorage(MemoryStorage):
    """``memory://`` with one sweeping thread per process instead of a timer thread per count."""

    STORAGE_SCHEME = ["swept-memory"]

    def __init__(self, uri=None, wrap_exceptions=False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.timer.cancel()  # the parent's first timer: the sweeper does its work
        self._sweeper_pid = None
        self._sweeper_lock = threading.Lock()

    def _sweep_from_a_thread_of_this_process(self):
        # A forked worker inherits the store but not its thread: each process starts its own, once.
        if self._sweeper_pid == os.getpid():
            return
        with self._sweeper_lock:
            if self._sweeper_pid != os.getpid():
                self._sweeper_pid = os.getpid()
                threading.Thread(target=_sweep, args=(weakref.ref(self), self._sweeper_pid),
                                 name="rate-limit-sweeper", daemon=True).start()

    # What MemoryStorage's counting methods call after each count (its private ``__schedule_expiry``).
    _MemoryStorage__schedule_expiry = _sweep_from_a_thread_of_this_process


def _sweep(store_ref, pid):
    """Sweep the store every ``SWEEP_SECONDS`` while it exists: its app may be dropped (the tests make hundreds)."""
    while True:
        time.sleep(SWEEP_SECONDS)
        store = store_ref()
        if store is None or store._sweeper_pid != pid:
            return
        store._MemoryStorage__expire_events()
        del store  # not held while sleeping


def cache_parsed_limits():
    """Parse each limit string once per process instead of on every limited request.

    Our limits come from the configuration through callables (``VERIFY_RATE_LIMIT`` and the others), and
    Flask-Limiter 4.1.1 parses the string they return on every request (``parse_many``: about 45 us,
    some 7 % of ``/api/v1/ping``'s CPU, issue 20). The parse is a pure function of the string and its
    result is only iterated, so a cache of a few dozen strings changes nothing else; a test fails if a
    Flask-Limiter release no longer looks it up there.
    """
    if not hasattr(limit_definitions.parse_many, "cache_info"):
        limit_definitions.parse_many = functools.lru_cache(maxsize=64)(limit_definitions.parse_many)
