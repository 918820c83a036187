"""Counting scans of certificates: per certificate per day, no IP address, no database write per request.

Each answered verification (page or API, for a genuine certificate) adds one to
a counter: in this process's memory, or in Redis when ``REDIS_URL`` is set
(``HINCRBY`` on one hash per day, shared by every worker). The counts reach
the ``certificate_scan_day`` table in batches: at most once every
``SCAN_FLUSH_SECONDS`` (from a request that finds the flush due), at the exit of a
process holding counts in memory, and on demand (``flask certificates flush-scans``). Nothing about the
scanner is recorded: only the certificate, the day (Vietnam time) and a count.

The organiser sees the last days of each certificate and a *spike* mark on a
day whose scans exceed ``SCAN_SPIKE_FACTOR`` times the median of that
certificate's earlier days (zero-filled from its first scan, at least 1).
"""
import atexit
import statistics
import threading
import time
import weakref
from collections import Counter
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import func, select

from voting.extensions import db
from certificates.models import Certificate
from certificates.models.public import CertificateScanDay

EXTENSION = "cnnt_scans"
REDIS_PREFIX = "cnnt:scans:"
REDIS_DAYS = REDIS_PREFIX + "days"       # the set of days with counts not yet flushed
REDIS_FLUSH_LOCK = REDIS_PREFIX + "flushing"
HISTORY_DAYS = 30


class ScanBuffer:
    """The per-app counter: an in-memory Counter, or a Redis client when ``REDIS_URL`` is set."""

    def __init__(self, app):
        self.app = app
        self.lock = threading.Lock()
        self.counts = Counter()
        self.last_flush = time.monotonic()
        url = app.config.get("REDIS_URL")
        self.redis = None
        if url:
            import redis

            self.redis = redis.Redis.from_url(url, socket_timeout=2)

    def add(self, certificate_id, day):
        if self.redis is not None:
            key = REDIS_PREFIX + day.isoformat()
            pipe = self.redis.pipeline(transaction=False)
            pipe.hincrby(key, str(certificate_id), 1)
            pipe.sadd(REDIS_DAYS, day.isoformat())
            pipe.execute()
            return
        with self.lock:
            self.counts[(certificate_id, day)] += 1

    def due(self):
        return time.monotonic() - self.last_flush >= self.app.config.get("SCAN_FLUSH_SECONDS", 60)

    def drain(self):
        """Take every pending count out of the buffer: ``{(certificate_id, day): n}``."""
        self.last_flush = time.monotonic()
        if self.redis is None:
            with self.lock:
                taken, self.counts = self.counts, Counter()
            return taken
        taken = Counter()
        for raw_day in self.redis.smembers(REDIS_DAYS):
            day_text = raw_day.decode() if isinstance(raw_day, bytes) else raw_day
            key = REDIS_PREFIX + day_text
            # Read and delete in one transaction: an increment lands before or after, never lost.
            pipe = self.redis.pipeline(transaction=True)
            pipe.hgetall(key)
            pipe.delete(key)
            pipe.srem(REDIS_DAYS, day_text)
            values, _deleted, _removed = pipe.execute()
            for certificate_id, n in values.items():
                taken[(int(certificate_id), date.fromisoformat(day_text))] += int(n)
        return taken

    def give_back(self, counts):
        """Return counts a failed flush could not write, so that they are tried again."""
        for (certificate_id, day), n in counts.items():
            if self.redis is not None:
                self.redis.hincrby(REDIS_PREFIX + day.isoformat(), str(certificate_id), n)
                self.redis.sadd(REDIS_DAYS, day.isoformat())
            else:
                with self.lock:
                    self.counts[(certificate_id, day)] += n


#: The buffers of this process's apps, for the exit hook: weakly, so that an app dropped (the tests make
#: hundreds) is freed. A hook per app would keep every app alive, since atexit's list is not seen by the gc.
_LIVE_BUFFERS = weakref.WeakSet()


def init_scans(app):
    """Attach the buffer to ``app``; its counts are flushed when the process exits."""
    buffer = ScanBuffer(app)
    app.extensions[EXTENSION] = buffer
    _LIVE_BUFFERS.add(buffer)
    return buffer


@atexit.register
def _flush_at_exit():
    # Only counts held in this process's memory would be lost: counts in Redis wait for the next
    # flush (a worker's, or `certificates flush-scans`), and a process that counted nothing (any
    # command, `certificates verify --offline` among them) touches neither Redis nor the database.
    for buffer in list(_LIVE_BUFFERS):
        if buffer.redis is not None or not buffer.counts:
            continue
        try:
            with buffer.app.app_context():
                flush_scans()
        except Exception:  # noqa: BLE001 - at exit, a lost minute of counts is not worth a traceback
            pass


def _buffer():
    buffer = current_app.extensions.get(EXTENSION)
    if buffer is None:
        buffer = init_scans(current_app._get_current_object())
    return buffer


def record_scan(certificate, day):
    """Count one scan of ``certificate`` on ``day``; flush the batch when it is due. Never raises."""
    buffer = _buffer()
    try:
        buffer.add(certificate.id, day)
        if buffer.due() and _take_flush_turn(buffer):
            flush_scans()
    except Exception as error:  # noqa: BLE001 - a lost count never fails a verification
        current_app.logger.warning("scan not counted: %s", error)


def _take_flush_turn(buffer):
    """With Redis, one worker flushes per period; in memory, each process flushes its own counts."""
    if buffer.redis is None:
        return True
    seconds = max(1, int(current_app.config.get("SCAN_FLUSH_SECONDS", 60)))
    return bool(buffer.redis.set(REDIS_FLUSH_LOCK, "1", nx=True, ex=seconds))


def _upsert(connection, rows):
    dialect = connection.dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:  # pragma: no cover - the platform runs on SQLite or PostgreSQL
        raise RuntimeError(f"no upsert for {dialect}")
    table = CertificateScanDay.__table__
    statement = insert(table).values(rows)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.certificate_id, table.c.day],
        set_={"scans": table.c.scans + statement.excluded.scans})
    connection.execute(statement)


def flush_scans():
    """Write the pending counts to ``certificate_scan_day`` (adding to today's row); return how many scans.

    Runs on a connection of its own, so it never commits a request's unfinished work. Counts for a
    certificate that no longer exists are dropped; counts a failed write could not store are kept.
    """
    buffer = _buffer()
    counts = buffer.drain()
    if not counts:
        return 0
    try:
        with db.engine.begin() as connection:
            ids = {certificate_id for certificate_id, _day in counts}
            existing = set(connection.scalars(select(Certificate.id).where(Certificate.id.in_(ids))))
            rows = [{"certificate_id": certificate_id, "day": day, "scans": n}
                    for (certificate_id, day), n in sorted(counts.items()) if certificate_id in existing]
            if rows:
                _upsert(connection, rows)
    except Exception:
        buffer.give_back(counts)
        raise
    return sum(row["scans"] for row in rows)


# What the organiser sees --------------------------------------------------------------------------

def scan_totals(certificate_ids, today, days=HISTORY_DAYS):
    """``{certificate_id: scans in the last ``days`` days}`` for the given certificates (flushed counts)."""
    if not certificate_ids:
        return {}
    since = today - timedelta(days=days - 1)
    rows = db.session.execute(
        select(CertificateScanDay.certificate_id, func.sum(CertificateScanDay.scans))
        .where(CertificateScanDay.certificate_id.in_(list(certificate_ids)), CertificateScanDay.day >= since)
        .group_by(CertificateScanDay.certificate_id))
    return {certificate_id: int(total) for certificate_id, total in rows}


def spike_days(certificate_ids, today, factor):
    """The certificates among ``certificate_ids`` with a spike in the last 30 days."""
    return {certificate_id for certificate_id in certificate_ids
            if any(day["spike"] for day in scan_history(certificate_id, today, factor))}


def scan_history(certificate_id, today, factor, days=HISTORY_DAYS):
    """The last ``days`` days, oldest first: ``{"day", "scans", "median", "spike"}`` each.

    A day is a spike when its scans exceed ``factor`` × the median of the certificate's earlier days
    (every day from its first recorded scan, days without scans counting 0; a median under 1
    counts as 1, so a first handful of scans is not a spike). The first day with scans has no
    history and is never a spike.
    """
    rows = dict(db.session.execute(
        select(CertificateScanDay.day, CertificateScanDay.scans)
        .where(CertificateScanDay.certificate_id == certificate_id, CertificateScanDay.day <= today)).all())
    if not rows:
        first = today
    else:
        first = min(rows)
    start = today - timedelta(days=days - 1)
    history, result = [], []
    day = min(first, start)
    while day <= today:
        scans = rows.get(day, 0)
        if day >= first:
            median = statistics.median(history) if history else None
            spike = median is not None and scans > factor * max(median, 1)
        else:
            median, spike = None, False
        if day >= start:
            result.append({"day": day, "scans": scans, "median": median, "spike": spike})
        if day >= first:
            history.append(scans)
        day += timedelta(days=1)
    return result
