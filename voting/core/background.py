"""Background jobs: long work runs outside the request, and its row says how far it has got.

A request records a :class:`~voting.models.BackgroundJob` (``submit``), commits, then hands its id to
a runner (``dispatch``):

* with ``REDIS_URL`` set, an RQ queue in Redis; ``flask --app wsgi jobs worker`` processes, on this
  machine or others, take jobs from it;
* otherwise, or when Redis does not answer, the built-in runner: a process per job that builds its
  own app. It is forked from a server process (``forkserver``) that started as a fresh interpreter
  and imported the app's modules once (:data:`PRELOADED`), so nothing of the web server's state is
  shared, and a job is under way in about 0.5 s of CPU instead of the 2.1 s a fresh interpreter
  takes to import everything (measured 06/12/2026). The process is started from a thread beside the
  request (:func:`start_in_background`), which does not wait for the fork server to come up.

Either way the job function writes its progress into the row, which the page polls, so the user
sees the same thing whichever runner did the work. While a job runs, a thread of its runner touches
the row at a fixed interval (its heartbeat), however long a step takes. The work itself must be
idempotent: a running job whose heartbeat has stopped for ``JOB_HEARTBEAT_TIMEOUT`` seconds (its
process was killed) is marked failed the next time anyone looks at it (the page, its progress poll, a
new press of the button), and pressing the button again resumes it.
"""
import multiprocessing
import threading
import traceback
from datetime import timedelta

from flask import current_app, has_app_context
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from voting.extensions import db
from voting.models import ACTIVE_STATUSES, BackgroundJob, JobRunner, JobStatus, User
from voting.models.base import utcnow

#: kind -> function(job, actor, progress) doing the work; registered with :func:`task`. An export returns
#: ``(result_key, result_name)``: its file in the "exports" storage area and the name it downloads under.
TASKS = {}
#: Where :func:`init_app` keeps the app factory in ``app.extensions``.
FACTORY = "cnnt.app_factory"
#: A queued job that no worker has taken for this long is taken for dead (no worker serves the queue).
#: A running job is judged by its heartbeat instead (``JOB_HEARTBEAT_TIMEOUT``).
STALE_AFTER = timedelta(minutes=10)
#: Heartbeats per timeout: a runner may miss a few (a busy database) before it is taken for dead.
BEATS_PER_TIMEOUT = 6
#: RQ gives up on a job (and its worker kills it) after this long; issuing a national round takes minutes.
JOB_TIMEOUT_SECONDS = 3 * 3600
#: A job's error when the OS gave the built-in runner no process (the page says it in the user's language).
NOT_STARTED = "worker did not start"


class JobRunning(Exception):
    """A job of this kind is already queued or running for this round."""


def task(kind):
    """Register the function that does the work of ``kind``."""
    def register(function):
        TASKS[str(kind)] = function
        return function
    return register


def heartbeat_timeout():
    """How long a running job's heartbeat may stop before the job is taken for dead."""
    return timedelta(seconds=current_app.config.get("JOB_HEARTBEAT_TIMEOUT", 60))


def expire_if_silent(job):
    """Mark ``job`` failed (flushed; the caller commits) if it is active and its runner has gone silent.

    Running: no heartbeat for ``JOB_HEARTBEAT_TIMEOUT`` (its process or worker was killed). Queued:
    untaken for ``STALE_AFTER``. Returns the job.
    """
    if job is None or job.status not in ACTIVE_STATUSES:
        return job
    running = job.status == JobStatus.RUNNING
    if utcnow() - job.updated_at > (heartbeat_timeout() if running else STALE_AFTER):
        job.status, job.finished_at = JobStatus.FAILED, utcnow()
        job.error = "stopped reporting progress" if running else "no worker took the job"
        db.session.flush()
    return job


def active_job(kind, round_id):
    """The queued or running job of ``kind`` for the round, unless it has gone silent (then marked failed)."""
    job = expire_if_silent(db.session.scalar(select(BackgroundJob).where(
        BackgroundJob.kind == str(kind), BackgroundJob.round_id == round_id,
        BackgroundJob.status.in_(ACTIVE_STATUSES)).limit(1)))
    return job if job is not None and job.active else None


def latest_job(kind, round_id):
    """The round's latest job of ``kind`` (marked failed if it has gone silent; the caller commits)."""
    return expire_if_silent(db.session.scalar(select(BackgroundJob).where(
        BackgroundJob.kind == str(kind), BackgroundJob.round_id == round_id)
        .order_by(BackgroundJob.id.desc()).limit(1)))


def submit(actor, kind, round_):
    """Record a queued job (committed by the caller); JobRunning while one of its kind runs for the round.

    The check is a courtesy; the partial unique index ``uq_background_job_active`` is what makes two
    simultaneous clicks produce one job.
    """
    if str(kind) not in TASKS:
        raise ValueError(f"no task registered for {kind!r}")
    if active_job(kind, round_.id) is not None:
        raise JobRunning()
    job = BackgroundJob(kind=str(kind), round_id=round_.id, requested_by_id=actor.id if actor else None,
                        status=JobStatus.QUEUED)
    try:
        with db.session.begin_nested():
            db.session.add(job)
    except IntegrityError:
        raise JobRunning() from None
    return job


def dispatch(job):
    """Hand a committed job to Redis (RQ) or, failing that, to the built-in runner; commits its runner.

    The built-in runner is started from a thread (:func:`start_in_background`): the request answers
    once the job is recorded, and whatever keeps the runner from starting is recorded on the job.
    """
    job.runner = JobRunner.PROCESS
    if current_app.config.get("REDIS_URL") and current_app.config.get("JOBS_RUNNER", "auto") != JobRunner.PROCESS:
        try:
            enqueue(job.id)
            job.runner = JobRunner.RQ
        except Exception as error:  # Redis is down: the work must still get done
            current_app.logger.warning("job %s: Redis queue unavailable (%s); using the built-in runner",
                                       job.id, error)
    db.session.commit()
    if job.runner == JobRunner.PROCESS:
        start_in_background(job.id)
    return job.runner


def job_queue():
    """The RQ queue jobs go to; its name is ``JOBS_QUEUE`` (tests use their own)."""
    import redis
    from rq import Queue

    connection = redis.Redis.from_url(current_app.config["REDIS_URL"], socket_timeout=5, socket_connect_timeout=2)
    return Queue(current_app.config.get("JOBS_QUEUE", "cnnt"), connection=connection)


def init_app(app, app_factory):
    """Remember the factory that built ``app``: a runner outside this process builds its app with it.

    The factory is handed in, not imported, so that nothing but the entry points imports it.
    """
    app.extensions[FACTORY] = app_factory


def _app_factory():
    return current_app.extensions[FACTORY]


def enqueue(job_id):
    job_queue().enqueue(perform, job_id, _app_factory(), job_id=f"cnnt-job-{job_id}",
                        job_timeout=JOB_TIMEOUT_SECONDS, result_ttl=86400, failure_ttl=7 * 86400)


def perform(job_id, app_factory):
    """RQ's entry point. The worker command runs it inside the app; anywhere else, build one."""
    if has_app_context():
        return run_job(job_id).status
    with app_factory().app_context():
        return run_job(job_id).status


def work(burst=False):
    """Serve the queue until stopped (``burst``: until it is empty). Runs inside the app context.

    A SimpleWorker runs each job in this process: the app, its connection pool and the PDF renderer
    are built once, and a failing job is recorded in its row without taking the worker down. Run
    several workers for parallelism (docs/deploy.md).
    """
    from rq import SimpleWorker

    # Jobs render PDFs and cut them into one per certificate: load both engines once, before the first job.
    import pikepdf  # noqa: F401

    import voting.core.pdf_engine  # noqa: F401

    queue = job_queue()
    worker = SimpleWorker([queue], connection=queue.connection)
    return worker.work(burst=burst, logging_level=current_app.config.get("LOG_LEVEL", "INFO"))


def _process_settings():
    """What the spawned process needs to build the same app: every plain setting of this one."""
    return {name: value for name, value in current_app.config.items()
            if isinstance(value, (str, int, float, bool)) and name.isupper()}


#: The modules the app factory imports (its blueprints, commands, tasks and models); the built-in runner's
#: fork server imports them once. The factory itself is not called there: each job builds its app.
PRELOADED = (
    "voting.models", "voting.cli", "voting.views.account", "voting.views.admin", "voting.views.api",
    "voting.views.auth", "voting.views.council", "voting.views.jury", "voting.views.organiser",
    "voting.views.producer", "voting.views.public", "voting.views.results", "certificates.cli",
    "certificates.jobs", "voting.core.pdf_engine", "pikepdf",
)


def _runner_context():
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(list(PRELOADED))  # read when the server starts, with the first job
    return context


def start_process(job_id):
    """The built-in runner: start a process for a committed job; returns it (not waited for)."""
    return _start_runner(_app_factory(), _process_settings(), job_id)


def _start_runner(app_factory, settings, job_id):
    process = _runner_context().Process(target=_process_main, args=(app_factory, settings, job_id), daemon=False,
                                        name=f"cnnt-job-{job_id}")
    process.start()
    multiprocessing.active_children()  # reap earlier runners that have finished
    return process


def start_in_background(job_id):
    """Start the built-in runner for a committed job from a thread of this process; returns the thread.

    A web worker's first job starts the fork server, which imports the app and the PDF engine: the
    request waited 1.4 s for it on an idle machine, and more than the browser's 15 s on a loaded one
    (CI, 07/12/2026). The thread is no daemon, so a worker that is stopping finishes starting the
    runner first. When the OS gives no process (no memory, no process slots), the job's row says so
    (:data:`NOT_STARTED`); its page shows that, and the button starts it again.
    """
    app, app_factory, settings = current_app._get_current_object(), _app_factory(), _process_settings()

    def start():
        try:
            _start_runner(app_factory, settings, job_id)
        except Exception as error:  # nothing may leave the job queued for ever without a word
            with app.app_context():
                app.logger.error("job %s: the built-in runner did not start (%s: %s)", job_id,
                                 type(error).__name__, error)
                mark_failed(job_id, NOT_STARTED)

    thread = threading.Thread(target=start, name=f"cnnt-job-{job_id}-start")
    thread.start()
    return thread


def _process_main(app_factory, settings, job_id):
    with app_factory(settings).app_context():
        run_job(job_id)


class Heartbeat:
    """While the block runs, a thread touches the running job's ``updated_at`` every ``interval`` seconds.

    The thread writes on a connection of its own (a session is not shared between threads) and
    only while the row says "running", so a job already marked dead is not brought back. A beat that
    fails (the database busy or away) is logged and the next one tried; when the process is killed,
    the beats stop with it, which is what the page detects.
    """

    def __init__(self, job_id, interval):
        self.job_id, self.interval = job_id, interval
        self.engine, self.logger = db.engine, current_app.logger
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._beat, name=f"cnnt-job-{job_id}-heartbeat", daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc_info):
        self.stopped.set()
        self.thread.join()

    def _beat(self):
        table = BackgroundJob.__table__
        while not self.stopped.wait(self.interval):
            try:
                with self.engine.begin() as connection:
                    connection.execute(update(table)
                                       .where(table.c.id == self.job_id, table.c.status == JobStatus.RUNNING)
                                       .values(updated_at=utcnow()))
            except Exception as error:  # the next beat may get through; a run of misses shows on the page
                self.logger.warning("job %s: heartbeat not recorded (%s)", self.job_id, error)


def run_job(job_id):
    """Run one job to its end, recording progress and the outcome in its row; returns the job."""
    job = db.session.get(BackgroundJob, job_id)
    if job is None or job.status not in ACTIVE_STATUSES:
        return job  # already finished (or marked dead and run again elsewhere): nothing to do
    job.status, job.started_at = JobStatus.RUNNING, utcnow()
    db.session.commit()
    actor = db.session.get(User, job.requested_by_id) if job.requested_by_id else None

    def progress(done, total):
        job.done, job.total = done, max(total, done)
        db.session.commit()

    try:
        with Heartbeat(job_id, heartbeat_timeout().total_seconds() / BEATS_PER_TIMEOUT):
            result = TASKS[job.kind](job, actor, progress)
    except Exception as error:  # the row records why it stopped; running it again resumes
        db.session.rollback()
        job = mark_failed(job_id, f"{type(error).__name__}: {error}")
        current_app.logger.error("job %s (%s) failed:\n%s", job_id, job.kind, traceback.format_exc())
        return job
    job = db.session.get(BackgroundJob, job_id)
    job.status, job.finished_at = JobStatus.DONE, utcnow()
    job.total = max(job.total, job.done)
    if result:
        job.result_key, job.result_name = result
    db.session.commit()
    return job


def mark_failed(job_id, error):
    """Record why a job stopped (its own failure, or a runner that did not start); returns the job."""
    job = db.session.get(BackgroundJob, job_id)
    job.status, job.error, job.finished_at = JobStatus.FAILED, error, utcnow()
    db.session.commit()
    return job
