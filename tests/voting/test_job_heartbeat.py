"""A background job's heartbeat: a killed runner is found out within JOB_HEARTBEAT_TIMEOUT, a slow one is not.

The runner here is the real one: a spawned process killed with SIGKILL half-way through an issuance
(certificates numbered, some PDFs not yet written), and the page is read and the button pressed as
an organiser would. The long step is a task that reports no progress for several timeouts, run the
way the RQ worker and the built-in runner run every job (``run_job``).
"""
import os
import signal
import threading
import time

import pytest
from sqlalchemy import select

from tests.conftest import csrf_from, login
from tests.support.jobs import job_rows, wait_for_job
from tests.support.jobs import redis_queue as redis_queue  # noqa: PLC0414 (a fixture)
from tests.support.certificates import certify
from voting.extensions import db
from voting.models import BackgroundJob, Round, User
from certificates.models import Certificate

TIMEOUT = 2  # seconds without a heartbeat before a running job is taken for dead (60 by default)


@pytest.fixture
def certified(app, make_user, signer, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "1000 per minute")
    monkeypatch.setitem(app.config, "JOB_HEARTBEAT_TIMEOUT", TIMEOUT)
    return certify(app, make_user, entries=8, failing=0)


def _job(app, job_id):
    with app.app_context():
        job = db.session.get(BackgroundJob, job_id)
        db.session.expunge(job)
        return job


def _certificates(app):
    with app.app_context():
        rows = db.session.scalars(select(Certificate).order_by(Certificate.sequence)).all()
        db.session.expunge_all()
        return rows


def _press_issue(client, round_id):
    page = client.get(f"/certificates/rounds/{round_id}")
    return client.post(f"/certificates/rounds/{round_id}/issue", data={"csrf_token": csrf_from(page)})


def _kill_mid_issuance(app, process, seconds=120):
    """SIGKILL the runner as soon as a certificate is numbered but its PDF not yet written."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        certificates = _certificates(app)
        if any(c.pdf_storage_name is None for c in certificates):
            os.kill(process.pid, signal.SIGKILL)
            process.join(10)
            return
        assert process.is_alive(), "the runner ended before it could be killed"
        time.sleep(0.02)
    raise AssertionError("the issuance never got under way")


def test_a_killed_runner_is_marked_failed_within_the_timeout_and_the_issuance_resumes(app, client, certified,
                                                                                      monkeypatch):
    from voting.core.background import start_process, submit

    monkeypatch.setitem(app.config, "ISSUE_BATCH_SIZE", 1)  # many steps: the kill lands between two
    with app.app_context():
        job = submit(db.session.get(User, certified.organiser.id), "issue_round",
                     db.session.get(Round, certified.round_id))
        job.runner = "process"
        db.session.commit()
        job_id = job.id
        process = start_process(job_id)
    _kill_mid_issuance(app, process)
    killed_at = time.monotonic()
    assert process.exitcode == -signal.SIGKILL
    halfway = _certificates(app)
    unrendered = [c for c in halfway if c.pdf_storage_name is None]
    assert unrendered  # numbered, signed, and without their PDF
    assert _job(app, job_id).status == "running"  # nothing said otherwise: the runner died without a word

    # Until its PDF exists, a numbered certificate's verification says so, and its PDF is "being prepared".
    waiting = unrendered[0]
    verify_page = client.get(f"/v/{waiting.token}").get_data(as_text=True)
    assert "đang được chuẩn bị" in verify_page and f"/v/{waiting.token}/certificate.pdf" not in verify_page
    assert client.get(f"/api/v1/verify/{waiting.token}").get_json()["certificate"]["document_ready"] is False
    pdf = client.get(f"/v/{waiting.token}/certificate.pdf")
    # Retry-After: at least our minute, or later if the rate limiter's window resets later (it merges the two).
    assert pdf.status_code == 503 and int(pdf.headers["Retry-After"]) >= 59
    assert "đang được chuẩn bị" in pdf.get_data(as_text=True)

    login(client, certified.organiser.email)
    assert client.get(f"/certificates/{waiting.id}.pdf").status_code == 503  # the organiser's link too
    status = wait_for_job(client, job_id, seconds=TIMEOUT + 10)  # polled as the page polls it
    assert status["status"] == "failed"
    assert time.monotonic() - killed_at < TIMEOUT + 3, "a dead runner was noticed late"
    page = client.get(f"/certificates/rounds/{certified.round_id}").get_data(as_text=True)
    assert "tiến trình chạy nền đã ngừng hoạt động" in page and "Tiếp tục cấp giấy chứng nhận" in page

    # The resumed run is judged by the default timeout: on a loaded machine its new process may miss 2 s of
    # beats while it starts, and being taken for dead then is not what this test is about.
    monkeypatch.setitem(app.config, "JOB_HEARTBEAT_TIMEOUT", 60)
    assert _press_issue(client, certified.round_id).status_code == 302  # no longer blocked: it resumes
    resumed = job_rows(app, "issue_round")[-1]
    assert resumed.id != job_id and wait_for_job(client, resumed.id)["status"] == "done"
    certificates = _certificates(app)
    assert [c.sequence for c in certificates] == list(range(1, 9))  # every number once, no gap
    assert len({c.application_id for c in certificates}) == 8 and all(c.pdf_storage_name for c in certificates)
    assert client.get(f"/v/{waiting.token}/certificate.pdf").status_code == 200
    assert f"/v/{waiting.token}/certificate.pdf" in client.get(f"/v/{waiting.token}").get_data(as_text=True)
    assert client.get(f"/api/v1/verify/{waiting.token}").get_json()["certificate"]["document_ready"] is True


def _slow_task(seconds):
    def work(job, actor, progress):
        time.sleep(seconds)  # one long step, no progress reported
    return work


@pytest.mark.parametrize("runner", ["rq", "run_job"])
def test_a_long_step_without_progress_is_not_taken_for_dead(app, client, certified, monkeypatch, runner, request):
    """The heartbeat, not the progress, keeps a job alive: a step of 1.5 timeouts passes."""
    from voting.core import background

    monkeypatch.setitem(background.TASKS, "certificates_zip", _slow_task(1.5 * TIMEOUT))
    if runner == "rq":
        request.getfixturevalue("redis_queue")
    with app.app_context():
        job = background.submit(db.session.get(User, certified.organiser.id), "certificates_zip",
                                db.session.get(Round, certified.round_id))
        db.session.commit()
        job_id = job.id
        if runner == "rq":
            background.enqueue(job_id)

    # The worker runs in this thread (RQ installs signal handlers); the page polls from another.
    login(client, certified.organiser.email)
    seen, finished = [], threading.Event()

    def poll():
        while not finished.is_set():
            seen.append(client.get(f"/certificates/jobs/{job_id}.json").get_json()["status"])
            time.sleep(0.2)

    poller = threading.Thread(target=poll)
    poller.start()
    try:
        with app.app_context():
            background.work(burst=True) if runner == "rq" else background.run_job(job_id)
    finally:
        finished.set()
        poller.join()
    assert "running" in seen and "failed" not in seen
    assert _job(app, job_id).status == "done"
