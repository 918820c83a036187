"""Background jobs: issuance, re-issuance and bulk exports, on Redis (RQ) and on the built-in runner.

Every job here goes through the real runner: a spawned process for the built-in one, the local
Redis server and an RQ worker (run in burst mode in the test) for the queue. Each test that uses
Redis has a queue of its own, so that parallel test processes never take each other's jobs.
"""
import io
import zipfile
from datetime import datetime, timezone

import pypdfium2
import pytest
from sqlalchemy import select

from tests.conftest import csrf_from, login
from tests.support.jobs import job_rows, wait_for_job
from tests.support.jobs import redis_queue as redis_queue  # noqa: PLC0414 (a fixture)
from tests.support.certificates import certify
from voting.core.clock import today_vn
from voting.extensions import db
from voting.models import BackgroundJob, Round, User
from certificates.models import Certificate, SigningKey


@pytest.fixture
def certified(app, make_user, signer, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "1000 per minute")
    return certify(app, make_user)


def _page(client, round_id):
    return client.get(f"/certificates/rounds/{round_id}")


def _post(client, round_id, action):
    page = _page(client, round_id)
    return client.post(f"/certificates/rounds/{round_id}/{action}", data={"csrf_token": csrf_from(page)})


def _work_queue(app):
    from voting.core.background import work

    with app.app_context():
        work(burst=True)


def test_without_redis_issuance_runs_in_a_process_of_its_own_with_progress(app, client, certified):
    login(client, certified.organiser.email)
    page = _page(client, certified.round_id).get_data(as_text=True)
    assert "3 sản phẩm được công nhận chưa có giấy chứng nhận" in page
    assert _post(client, certified.round_id, "issue").status_code == 302
    [job] = job_rows(app)
    assert (job.kind, job.runner) == ("issue_round", "process")
    assert wait_for_job(client, job.id) == {"status": "done", "kind": "issue_round", "done": 3, "total": 3,
                                         "error": ""}
    with app.app_context():
        assert len(db.session.scalars(select(Certificate)).all()) == 3
        assert db.session.get(Round, certified.round_id).status == "certifying"
    assert "Cấp giấy chứng nhận: xong lúc" in _page(client, certified.round_id).get_data(as_text=True)


def test_with_redis_issuance_waits_on_the_queue_until_a_worker_takes_it(app, client, certified, redis_queue):
    login(client, certified.organiser.email)
    assert _post(client, certified.round_id, "issue").status_code == 302
    [job] = job_rows(app)
    assert (job.runner, job.status) == ("rq", "queued")
    page = _page(client, certified.round_id).get_data(as_text=True)
    assert "Cấp giấy chứng nhận: đang chờ đến lượt" in page
    with app.app_context():
        from voting.core.background import job_queue

        assert job_queue().count == 1
        assert not db.session.scalars(select(Certificate)).all()  # nothing happens without a worker

    _work_queue(app)
    status = client.get(f"/certificates/jobs/{job.id}.json").get_json()
    assert status == {"status": "done", "kind": "issue_round", "done": 3, "total": 3, "error": ""}
    with app.app_context():
        assert len(db.session.scalars(select(Certificate)).all()) == 3


def test_the_worker_command_serves_the_queue(app, client, certified, redis_queue):
    login(client, certified.organiser.email)
    _post(client, certified.round_id, "issue")
    result = app.test_cli_runner().invoke(args=["jobs", "worker", "--burst"])
    assert result.exit_code == 0, result.output
    [job] = job_rows(app)
    assert (job.status, job.done) == ("done", 3)


def test_the_worker_command_explains_itself_without_redis(app):
    result = app.test_cli_runner().invoke(args=["jobs", "worker", "--burst"])
    assert result.exit_code != 0 and "REDIS_URL is not set" in result.output


def test_when_redis_does_not_answer_the_built_in_runner_takes_the_job(app, client, certified, monkeypatch):
    monkeypatch.setitem(app.config, "REDIS_URL", "redis://127.0.0.1:1/0")  # nothing listens there
    login(client, certified.organiser.email)
    _post(client, certified.round_id, "issue")
    [job] = job_rows(app)
    assert job.runner == "process"
    assert wait_for_job(client, job.id)["status"] == "done"


def test_exports_are_prepared_in_the_background_and_downloaded_by_the_organiser_only(
        app, client, certified, make_user, redis_queue):
    from certificates.jobs import issue_round

    with app.app_context():
        issue_round(db.session.get(User, certified.organiser.id), db.session.get(Round, certified.round_id),
                    today_vn())
    login(client, certified.organiser.email)
    assert _post(client, certified.round_id, "exports/zip").status_code == 302
    assert _post(client, certified.round_id, "exports/pdf").status_code == 302
    _work_queue(app)
    zip_job, pdf_job = job_rows(app, "certificates_zip")[0], job_rows(app, "certificates_pdf")[0]
    assert zip_job.status == pdf_job.status == "done"
    assert (zip_job.done, zip_job.total) == (3, 3)
    status = client.get(f"/certificates/jobs/{zip_job.id}.json").get_json()
    assert status["download_url"] == f"/certificates/jobs/{zip_job.id}/download"
    page = _page(client, certified.round_id).get_data(as_text=True)
    assert status["download_url"] in page and f"/certificates/jobs/{pdf_job.id}/download" in page

    archive = client.get(status["download_url"])
    assert archive.status_code == 200 and archive.mimetype == "application/zip"
    assert "giay-chung-nhan-dot-" in archive.headers["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(archive.data)) as opened:
        assert len(opened.namelist()) == 3 and all(name.endswith(".pdf") for name in opened.namelist())
    combined = client.get(f"/certificates/jobs/{pdf_job.id}/download")
    assert combined.status_code == 200 and len(pypdfium2.PdfDocument(combined.data)) == 3

    # Prepared again: the new file replaces the old one, which is no longer offered or kept.
    _post(client, certified.round_id, "exports/zip")
    _work_queue(app)
    newer = job_rows(app, "certificates_zip")[-1]
    assert newer.id != zip_job.id and newer.status == "done"
    assert client.get(status["download_url"]).status_code == 404
    with app.app_context():
        from voting.core.storage import storage

        kept = set(storage("exports").keys(f"round-{certified.round_id}/"))
    assert {newer.result_key, pdf_job.result_key} <= kept and zip_job.result_key not in kept
    status = client.get(f"/certificates/jobs/{newer.id}.json").get_json()

    elsewhere = make_user("organiser", province_code="56")
    with client.session_transaction() as session:
        session.clear()
    login(client, elsewhere.email)
    assert client.get(status["download_url"]).status_code == 404
    assert client.get(f"/certificates/jobs/{zip_job.id}.json").status_code == 404


def test_an_export_of_a_round_without_certificates_is_refused_with_a_message(app, client, certified):
    login(client, certified.organiser.email)
    response = _post(client, certified.round_id, "exports/zip")
    assert response.status_code == 302 and not job_rows(app)
    assert "Đợt này chưa có giấy chứng nhận nào." in _page(client, certified.round_id).get_data(as_text=True)


def test_a_compromised_key_is_answered_by_a_reissue_job_from_the_round_page(app, client, certified, tmp_path,
                                                                          monkeypatch):
    from certificates.jobs import issue_round
    from certificates.operations.keys import mark_compromised, register_key
    from certificates.rules.signing import generate_private_key, public_key_b64, write_private_key

    with app.app_context():
        issue_round(db.session.get(User, certified.organiser.id), db.session.get(Round, certified.round_id),
                    today_vn())
        old_key = db.session.scalar(select(SigningKey).where(SigningKey.status == "active"))
        new_file = tmp_path / "new-key.pem"
        new_key = generate_private_key()
        write_private_key(new_key, new_file)
        register_key(None, public_key_b64(new_key))
        mark_compromised(None, db.session.get(SigningKey, old_key.id), today_vn())
        db.session.commit()
    monkeypatch.setitem(app.config, "SIGNING_KEY_FILE", str(new_file))
    login(client, certified.organiser.email)
    assert "Cấp lại 3 giấy chứng nhận" in _page(client, certified.round_id).get_data(as_text=True)
    _post(client, certified.round_id, "reissue")
    [job] = job_rows(app, "reissue_round")
    assert wait_for_job(client, job.id) == {"status": "done", "kind": "reissue_round", "done": 3, "total": 3,
                                         "error": ""}
    with app.app_context():
        statuses = sorted(str(c.status) for c in db.session.scalars(select(Certificate)))
    assert statuses == ["superseded"] * 3 + ["valid"] * 3
    assert "Cấp lại 3 giấy chứng nhận" not in _page(client, certified.round_id).get_data(as_text=True)
    _post(client, certified.round_id, "reissue")  # nothing left: a message, no job
    assert len(job_rows(app, "reissue_round")) == 1


def test_a_second_job_waits_for_a_running_one_but_not_for_a_dead_one(app, client, certified):
    from voting.core.background import JobRunning, submit

    with app.app_context():
        organiser, round_ = db.session.get(User, certified.organiser.id), db.session.get(Round, certified.round_id)
        running = submit(organiser, "issue_round", round_)
        running.status = "running"
        running.started_at = running.created_at
        db.session.commit()
        with pytest.raises(JobRunning):
            submit(organiser, "issue_round", round_)
        db.session.rollback()
        submit(organiser, "certificates_zip", round_)  # another kind is another job
        # Its worker was killed: nothing reported for an hour.
        db.session.execute(BackgroundJob.__table__.update().where(BackgroundJob.id == running.id).values(
            updated_at=datetime(2000, 1, 1, tzinfo=timezone.utc)))
        db.session.commit()
        fresh = submit(organiser, "issue_round", round_)
        db.session.commit()
        dead = db.session.get(BackgroundJob, running.id)
        assert fresh.id != running.id and (dead.status, dead.error) == ("failed", "stopped reporting progress")
    login(client, certified.organiser.email)
    _post(client, certified.round_id, "issue")  # the fresh one is still queued: refused, with a message
    page = _page(client, certified.round_id).get_data(as_text=True)
    assert "Đang cấp giấy chứng nhận cho đợt này; hãy chờ lượt đang chạy kết thúc." in page


def test_a_queued_job_no_worker_took_is_reported_as_such(app, certified):
    from voting.core.background import active_job, submit

    with app.app_context():
        round_ = db.session.get(Round, certified.round_id)
        job = submit(db.session.get(User, certified.organiser.id), "issue_round", round_)
        db.session.commit()
        db.session.execute(BackgroundJob.__table__.update().values(
            updated_at=datetime(2000, 1, 1, tzinfo=timezone.utc)))
        db.session.commit()
        assert active_job("issue_round", round_.id) is None
        assert db.session.get(BackgroundJob, job.id).error == "no worker took the job"


def test_the_schema_allows_one_active_job_per_kind_and_round(app, certified):
    """The unique index, not the check in Python, is what holds when two requests race."""
    from sqlalchemy.exc import IntegrityError

    with app.app_context():
        for _ in range(2):
            db.session.add(BackgroundJob(kind="issue_round", round_id=certified.round_id, status="queued"))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()
        db.session.add_all([BackgroundJob(kind="issue_round", round_id=certified.round_id, status="done"),
                            BackgroundJob(kind="issue_round", round_id=certified.round_id, status="failed"),
                            BackgroundJob(kind="issue_round", round_id=certified.round_id, status="queued")])
        db.session.commit()
        with pytest.raises(IntegrityError):
            db.session.add(BackgroundJob(kind="certificates_zip", round_id=certified.round_id, status="running",
                                         result_key="round-1/x.zip"))
            db.session.commit()


def test_a_job_run_twice_does_its_work_once(app, certified):
    """A worker that picks up a job another runner already finished leaves it alone."""
    from voting.core.background import run_job, submit

    with app.app_context():
        round_ = db.session.get(Round, certified.round_id)
        job = submit(db.session.get(User, certified.organiser.id), "issue_round", round_)
        db.session.commit()
        assert run_job(job.id).status == "done"
        finished = db.session.get(BackgroundJob, job.id).finished_at
        assert run_job(job.id).finished_at == finished
        assert len(db.session.scalars(select(Certificate)).all()) == 3


def test_a_failing_job_records_why_and_a_new_one_resumes(app, certified, monkeypatch):
    import certificates.operations.issuance as issuance
    from voting.core.background import run_job, submit

    real_render, calls = issuance.render_certificates_for_signing, []

    def render_then_fail(documents):
        calls.append(len(documents))
        if len(calls) == 1:  # numbered and signed, not yet rendered: the worst place to stop
            raise OSError("disk full")
        return real_render(documents)

    monkeypatch.setattr(issuance, "render_certificates_for_signing", render_then_fail)
    with app.app_context():
        round_ = db.session.get(Round, certified.round_id)
        organiser = db.session.get(User, certified.organiser.id)
        first = submit(organiser, "issue_round", round_)
        db.session.commit()
        failed = run_job(first.id)
        assert (failed.status, failed.error) == ("failed", "OSError: disk full")
        assert not [c for c in db.session.scalars(select(Certificate)) if c.pdf_storage_name]
        second = submit(organiser, "issue_round", round_)
        db.session.commit()
        assert run_job(second.id).status == "done"
        certificates = db.session.scalars(select(Certificate)).all()
        assert len(certificates) == 3 and all(c.pdf_storage_name for c in certificates)


def test_two_organisers_pressing_issue_at_once_start_one_job(app, certified, make_user):
    """Real threads, each in its own transaction: one job is recorded, the other press is told so."""
    from tests.support.concurrency import run_together
    from voting.core.background import JobRunning, submit

    with app.app_context():
        colleague = make_user("organiser", province_code="19")
        ids = (certified.organiser.id, colleague.id)

    def press(user_id):
        return lambda: submit(db.session.get(User, user_id), "issue_round",
                              db.session.get(Round, certified.round_id)).id

    outcomes = run_together(app, press(ids[0]), press(ids[1]))
    assert sorted(type(o).__name__ for o in outcomes) == ["JobRunning", "int"], outcomes
    assert any(isinstance(o, JobRunning) for o in outcomes)
    assert [(j.kind, j.status) for j in job_rows(app)] == [("issue_round", "queued")]
