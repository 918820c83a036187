"""A pooled database connection is tested before use only when it has lain idle, not on every checkout.

SQLAlchemy's ``pool_pre_ping`` sends a round trip before every checkout, so that a connection the server
closed while it lay in the pool (a restart, a failover, a firewall dropping idle connections) is replaced
instead of failing a request. On PostgreSQL that round trip was a third of the verification API's CPU
in-process (20,000 rows: 1.28-1.45 -> 0.97-1.01 ms a request without it, issue 20), and a request that reads
from two connections paid it twice.

Here a connection is pinged only when ``DATABASE_PING_AFTER_IDLE_SECONDS`` (default 5; 0: always, as
``pool_pre_ping``) have passed since it went back to the pool. A connection in steady use is not pinged;
one that waited through a quiet spell is, exactly as ``pool_pre_ping`` would (a failed ping empties the
pool and the checkout takes a new connection). What is given up: when the server goes away while the
connections are busy, the first request of each worker that meets a dead connection fails (503, the pool
is then emptied), where a ping might have caught it a few seconds earlier.

SQLite (a file, nothing to ping) keeps no listener.
"""
import time

from sqlalchemy import event, exc

DEFAULT_IDLE_SECONDS = 5.0
_RETURNED_AT = "cnnt_returned_at"


def init_idle_ping(app, engine):
    """Ping ``engine``'s pooled connections on checkout once they have been idle a while (see the module)."""
    if engine.dialect.name == "sqlite":
        return
    idle_seconds = float(app.config.get("DATABASE_PING_AFTER_IDLE_SECONDS", DEFAULT_IDLE_SECONDS))

    @event.listens_for(engine, "connect")
    def _new(_dbapi_connection, record):
        record.info[_RETURNED_AT] = time.monotonic()  # just opened: nothing to test

    @event.listens_for(engine, "checkin")
    def _returned(_dbapi_connection, record):
        record.info[_RETURNED_AT] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _test_if_idle(dbapi_connection, record, _proxy):
        if time.monotonic() - record.info.get(_RETURNED_AT, 0.0) < idle_seconds:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            if engine.dialect.is_disconnect(error, dbapi_connection, None):
                # As pool_pre_ping does: every pooled connection older than now is stale; take a new one.
                raise exc.InvalidatePoolError() from error
            raise
