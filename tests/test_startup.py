"""What a process pays before it serves: the web app does not load the PDF engine until it makes a PDF."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROBE = """
import sys
from wsgi import app
print("after start:", "weasyprint" in sys.modules)
with app.app_context():
    from voting.core.pdf import render_pdf
    data = render_pdf("pdf/_official.html", {})
print("after a PDF:", "weasyprint" in sys.modules, data[:5])
from PIL import ImageFile
print("truncated images:", ImageFile.LOAD_TRUNCATED_IMAGES)
"""


def test_the_web_app_loads_weasyprint_with_its_first_pdf_only():
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=120,
                            env={"PATH": "/usr/bin:/bin", "CNNT_CONFIG": "testing"})
    assert result.returncode == 0, result.stderr[-3000:]
    assert "after start: False" in result.stdout
    assert "after a PDF: True b'%PDF-'" in result.stdout
    # WeasyPrint's import turns Pillow's truncated-image tolerance on; the engine module turns it off again.
    assert "truncated images: False" in result.stdout


def _children(pid):
    """The process ids whose parent is ``pid`` (Linux /proc)."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process ended while we looked
        if int(fields[1]) == pid:
            children.append(int(stat.parent.name))
    return children


def test_gunicorn_forks_ready_workers_from_the_imported_app(tmp_path, template_database):
    """gunicorn.conf.py preloads the app: a worker killed mid-service is replaced by a fork that reads the
    database at once, on a pool of its own (post_fork), while the other worker keeps answering."""
    import os
    import signal
    import time
    import urllib.request

    from tests.e2e.server import LiveServer

    with LiveServer(tmp_path, template=template_database) as server:
        def fetch(path):
            with urllib.request.urlopen(server.url + path, timeout=10) as response:
                return response.status

        assert {fetch("/registry/") for _ in range(10)} == {200}
        # The master itself imported the app: Pillow's C library (imported by the upload checks) is mapped in it.
        assert "PIL/_imaging" in Path(f"/proc/{server.process.pid}/maps").read_text()
        workers = _children(server.process.pid)
        assert len(workers) == 2, workers
        os.kill(workers[0], signal.SIGKILL)
        deadline = time.monotonic() + 30
        while not set(_children(server.process.pid)) - set(workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert set(_children(server.process.pid)) - set(workers), "the master did not start a new worker"
        assert {fetch("/registry/") for _ in range(20)} == {200}
        assert "Traceback" not in server.log_tail()


def test_gunicorn_freezes_the_preloaded_app_before_each_fork():
    """A worker's full garbage collections leave the master's objects alone (gc.freeze, gunicorn.conf.py's
    pre_fork): without it, the ping's p99 at 32 connections was 0.3-0.7 s in runs where the workers recycled."""
    import gc
    import runpy

    settings = runpy.run_path(str(Path(__file__).resolve().parent.parent / "gunicorn.conf.py"))
    gc.unfreeze()
    try:
        settings["pre_fork"](None, None)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_gunicorn_recycles_a_worker_only_after_many_requests():
    """A recycled worker loses its kept scan pages and compiled statements and templates: at 5,000 requests a worker
    of a loaded server recycled every few seconds and the scan page served half the requests (make bench, issue 20).
    The jitter spreads the workers' recycling so that they never all restart in the same second."""
    import runpy

    settings = runpy.run_path(str(Path(__file__).resolve().parent.parent / "gunicorn.conf.py"))
    assert settings["max_requests"] - settings["max_requests_jitter"] >= 50_000
    assert settings["max_requests_jitter"] >= settings["max_requests"] // 10
