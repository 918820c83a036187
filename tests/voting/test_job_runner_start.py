"""The built-in runner is started beside the request, not in it.

A web worker's first job starts the fork server (a fresh interpreter importing the app and the PDF
engine); the organiser's click must not wait for it, and a runner the OS refuses must not leave the
job waiting for ever. The OS's process creation is the edge faked here (``ForkServerProcess._Popen``,
the standard library's call that forks): held back, or refused as ``fork`` refuses when no process
slot is left. Everything else is the real runner.
"""
import errno
import multiprocessing.context
import threading
import time

import pytest

from tests.conftest import csrf_from, login
from tests.support.certificates import certify
from tests.support.jobs import job_rows, wait_for_job

ORIGINAL_POPEN = multiprocessing.context.ForkServerProcess._Popen


@pytest.fixture
def certified(app, make_user, signer, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "1000 per minute")
    return certify(app, make_user)


def _issue(client, round_id):
    page = client.get(f"/certificates/rounds/{round_id}")
    return client.post(f"/certificates/rounds/{round_id}/issue", data={"csrf_token": csrf_from(page)})


def test_the_click_answers_before_the_runner_has_started(app, client, certified, monkeypatch):
    gate, entered, forked = threading.Event(), threading.Event(), threading.Event()

    def slow_fork(process):  # the fork server still importing the app, as on a loaded machine
        entered.set()
        gate.wait(5)
        forked.set()
        return ORIGINAL_POPEN(process)

    monkeypatch.setattr(multiprocessing.context.ForkServerProcess, "_Popen", staticmethod(slow_fork))
    login(client, certified.organiser.email)
    started = time.monotonic()
    answer = _issue(client, certified.round_id)
    answered_in = time.monotonic() - started
    held = not forked.is_set()
    gate.set()
    assert answer.status_code == 302 and held, f"the request waited {answered_in:.1f} s for the runner"
    assert entered.wait(10), "no runner was asked for"
    [job] = job_rows(app)
    assert wait_for_job(client, job.id)["status"] == "done"


def test_a_runner_the_os_refuses_is_said_on_the_job_and_the_button_starts_it_again(app, client, certified,
                                                                                   monkeypatch, caplog):
    def refused(process):
        raise OSError(errno.EAGAIN, "Resource temporarily unavailable")

    monkeypatch.setattr(multiprocessing.context.ForkServerProcess, "_Popen", staticmethod(refused))
    login(client, certified.organiser.email)
    answer = _issue(client, certified.round_id)
    assert answer.status_code == 302
    [job] = job_rows(app)
    status = wait_for_job(client, job.id, seconds=20)
    assert (status["status"], status["error"]) == ("failed", "worker did not start")
    assert "Resource temporarily unavailable" in caplog.text  # the operator's log says why
    page = client.get(f"/certificates/rounds/{certified.round_id}").get_data(as_text=True)
    assert "Cấp giấy chứng nhận: lượt gần nhất bị dừng (không khởi động được tiến trình chạy nền)" in page
    client.set_cookie("lang", "en")
    english = client.get(f"/certificates/rounds/{certified.round_id}").get_data(as_text=True)
    assert "the background process could not be started" in english
    client.delete_cookie("lang")

    monkeypatch.setattr(multiprocessing.context.ForkServerProcess, "_Popen", staticmethod(ORIGINAL_POPEN))
    assert _issue(client, certified.round_id).status_code == 302
    again = job_rows(app)[-1]
    assert again.id != job.id and wait_for_job(client, again.id)["status"] == "done"
