"""Issuance in the background: a worker process the app starts, never work inside a request.

The web request records an :class:`IssuanceJob` and starts a fresh Python
process (``spawn``: nothing of the server's state is shared) that builds its
own app from the same settings, runs :func:`certificates.issuance.issue_round`
and writes its progress into the job row, which the page polls. Issuance is
idempotent, so a job that dies half-way is simply started again.
"""
import multiprocessing
import traceback
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from voting.extensions import db
from voting.models import IssuanceJob, Round, User
from voting.models.base import utcnow

#: Settings the worker needs to reach the same database, keys and storage as the app.
WORKER_SETTINGS = ("SQLALCHEMY_DATABASE_URI", "SECRET_KEY", "PUBLIC_BASE_URL", "SIGNING_KEY_FILE",
                   "CERTIFICATE_DIR", "UPLOAD_DIR", "TESTING", "PASSWORD_HASH_FAST")
ACTIVE = ("queued", "running")


class JobRunning(Exception):
    """A job for this round is already queued or running."""


#: A job that has reported nothing for this long is taken for dead (its process was killed);
#: issuance is idempotent, so a new job simply finishes what it left.
STALE_AFTER = timedelta(minutes=10)


def active_job(round_id):
    """The round's queued or running job, unless it has gone silent (then it is marked failed)."""
    job = db.session.scalar(select(IssuanceJob).where(IssuanceJob.round_id == round_id,
                                                      IssuanceJob.status.in_(ACTIVE))
                            .order_by(IssuanceJob.id.desc()).limit(1))
    if job is not None and utcnow() - job.updated_at > STALE_AFTER:
        job.status, job.error, job.finished_at = "failed", "stopped reporting progress", utcnow()
        return None
    return job


def mark_failed(job_id, error):
    job = db.session.get(IssuanceJob, job_id)
    job.status, job.error, job.finished_at = "failed", error, utcnow()
    db.session.commit()


def latest_job(round_id):
    return db.session.scalar(select(IssuanceJob).where(IssuanceJob.round_id == round_id)
                             .order_by(IssuanceJob.id.desc()).limit(1))


def queue_issuance(actor, round_):
    """Record a job for the round (committed by the caller), refusing a second one while one runs."""
    if active_job(round_.id) is not None:
        raise JobRunning()
    job = IssuanceJob(round_id=round_.id, requested_by_id=actor.id, status="queued")
    db.session.add(job)
    db.session.flush()
    return job


def start_worker(job_id):
    """Start the worker process for a committed job; returns the process (not waited for)."""
    settings = {name: current_app.config.get(name) for name in WORKER_SETTINGS}
    settings["CNNT_CONFIG_NAME"] = current_app.config.get("ENV_NAME", "")
    process = multiprocessing.get_context("spawn").Process(target=_work, args=(settings, job_id), daemon=False,
                                                            name=f"cnnt-issuance-{job_id}")
    process.start()
    multiprocessing.active_children()  # reap earlier workers that have finished
    return process


def _work(settings, job_id):
    """The worker's entry point, in its own process."""
    from voting import create_app

    app = create_app({name: value for name, value in settings.items()
                      if name != "CNNT_CONFIG_NAME" and value is not None})
    with app.app_context():
        run_job(job_id)


def run_job(job_id):
    """Run one job to its end, recording progress; also used by the CLI and tests."""
    from certificates.issuance import issue_round
    from voting.clock import today_vn

    job = db.session.get(IssuanceJob, job_id)
    job.status, job.started_at = "running", utcnow()
    db.session.commit()
    round_ = db.session.get(Round, job.round_id)
    actor = db.session.get(User, job.requested_by_id) if job.requested_by_id else None

    def progress(done, total):
        job.done, job.total = done, total
        db.session.commit()

    try:
        issue_round(actor, round_, today_vn(), progress=progress)
    except Exception as error:  # the job records why it stopped; the next run resumes
        db.session.rollback()
        job = db.session.get(IssuanceJob, job_id)
        job.status, job.error, job.finished_at = "failed", f"{type(error).__name__}: {error}", utcnow()
        db.session.commit()
        current_app.logger.error("issuance job %s failed:\n%s", job_id, traceback.format_exc())
        return job
    job = db.session.get(IssuanceJob, job_id)
    job.status, job.finished_at = "done", utcnow()
    if job.total == 0:
        job.total = job.done
    db.session.commit()
    return job
