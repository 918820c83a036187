"""Background jobs in the tests: the jobs table, polling a job until it ends, and a Redis queue of a test's own."""
import time
import uuid

import pytest
from sqlalchemy import select

from tests.support.services import LOCAL_REDIS, require_redis
from voting.extensions import db
from voting.models import BackgroundJob


@pytest.fixture
def redis_queue(app, monkeypatch):
    """Jobs go to the local Redis, onto a queue of this test's own (emptied afterwards)."""
    require_redis(LOCAL_REDIS)
    monkeypatch.setitem(app.config, "REDIS_URL", LOCAL_REDIS)
    monkeypatch.setitem(app.config, "JOBS_QUEUE", f"cnnt-test-{uuid.uuid4().hex[:12]}")
    yield app.config["JOBS_QUEUE"]
    with app.app_context():
        from voting.core.background import job_queue

        job_queue().empty()


def job_rows(app, kind=None):
    with app.app_context():
        query = select(BackgroundJob).order_by(BackgroundJob.id)
        if kind:
            query = query.where(BackgroundJob.kind == kind)
        jobs = db.session.scalars(query).all()
        db.session.expunge_all()
        return jobs


def wait_for_job(client, job_id, seconds=90):
    """Poll the job's JSON as the page does, until it ends."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        status = client.get(f"/certificates/jobs/{job_id}.json").get_json()
        if status["status"] in ("done", "failed"):
            return status
        time.sleep(0.3)
    raise AssertionError(f"job {job_id} did not end in {seconds} s: {status}")
