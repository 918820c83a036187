"""gunicorn settings for production: ``gunicorn -c gunicorn.conf.py wsgi:app`` (README, "Deploying").

Every value can be changed from the environment without editing this file. Sizing: ``make bench``
measured about 600 verification requests/s on 2 cores with 2 sync workers; a worker per core
(plus one) keeps the CPUs busy while one worker waits on the database.
"""
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() + 1))
worker_class = "sync"
# Certificate PDFs for a whole round render in a background job, not in a request; 60 s is ample
# for the heaviest request (an Excel export of a national round).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, so that a slow leak in a library never grows without bound, but rarely: a new
# worker starts with empty per-worker caches (kept scan pages, compiled statements and templates), and the old one's
# exit and the new one's fork cost the server CPU too. At 5,000 requests (jitter 500) the workers of a loaded server
# recycled every few seconds: ``make bench`` on 20,000 rows, SQLite, two runs each way (issue 20, 07/12/2026), the scan
# page served 407 and 593 requests/s against 930 and 868 at 100,000 (jitter 20,000), 3.2-4.7 ms of CPU a request
# against 2.0-2.2. At a busy day's few requests a second that is a new worker every few hours.
max_requests = 100_000
max_requests_jitter = 20_000
# The app is imported once, in the master, and every worker is a fork of it: a recycled worker serves
# again at once instead of importing the whole app (2 s of CPU, 12 s on a loaded machine: the p99 of
# 1–1.5 s measured when both workers recycled in the same second, issue 20), and the workers share the
# imported code's memory. Nothing connects to the database or Redis while the app is created; the
# pool is still emptied in each new worker (post_fork) so that no connection is ever shared.
preload_app = True


def pre_fork(server, worker):
    # The preloaded app's objects (about 235,000) go to the garbage collector's permanent generation
    # before each fork: a worker's full collections no longer walk them (nor write to the memory pages they lie
    # on). Without it, /api/v1/ping's p99 was 703 and 329 ms at 32 connections on 2 workers that recycled 6
    # times in 27 s; with it 33 and 40 ms (wrk, 2026-12-07, PostgreSQL, two runs each way).
    import gc

    gc.freeze()


def post_fork(server, worker):
    app = server.app.callable  # the app the master preloaded
    if "sqlalchemy" not in getattr(app, "extensions", {}):
        return  # not this project's app (make bench serves a bare Flask route with this file too)
    from voting.extensions import db

    with app.app_context():
        db.engine.dispose(close=False)  # forget the master's pooled connections, if any, without closing them

# Behind the TLS-terminating proxy on the same machine (nginx): trust its X-Forwarded-* headers.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Refuse oversized request lines and headers early (a QR token is ~150 characters). The app itself
# answers a URL over 8,000 bytes with a 414 (JSON under /api/: voting/views/errors.py, MAX_URL_BYTES);
# gunicorn's own limit is set above that, at its maximum, so that its HTML 414 only meets longer lines.
limit_request_line = 8190
limit_request_fields = 100
accesslog = "-"
# The combined format, then the duration and the app's request id (as in the app's own log lines).
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms id=%({x-request-id}o)s'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
