"""Browser tests: the app served as a user meets it (gunicorn on a free port, a fresh database),
driven by Playwright in Debian's headless Chromium.

What a run needs: Debian's ``chromium-headless-shell`` or ``chromium`` (the first found; ``CHROMIUM``
names another binary, as CI's PostgreSQL leg names the full ``/usr/bin/chromium``), the PyPI package
``playwright`` (a dev dependency; never ``playwright install``: the browser is the system's) and, for
the accessibility checks, ``axe-core`` from npm (``node_modules/axe-core``, installed by ``make test``).
Without Chromium these tests do not run and the run says so in one line with their number; under ``CI``
a missing browser fails the run.

Screenshots of every step go to ``test-artifacts/e2e/`` (``E2E_ARTIFACTS`` moves them); a failing
test also leaves its Playwright trace there (open it with ``playwright show-trace``).
"""
import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.server import ARTIFACTS, LiveServer, chromium_binary, missing_requirement

ROOT = Path(__file__).resolve().parents[2]
# The screenshots' folder; the run's summary (tests/conftest.py, read by xdist's controller too) lists them.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]
DESKTOP = {"width": 1280, "height": 860}
TABLET = {"width": 820, "height": 1180}
PHONE = {"width": 360, "height": 740}
#: A small phone's first screen (issue 19's measure): what must show before any scrolling.
SMALL_PHONE = {"width": 360, "height": 640}
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# Actions wait up to 15 s (``browse``); an expectation gets as long, not Playwright's 5 s: under CI's load a
# step such as submitting a score sheet behind its background save is several server round trips.
expect.set_options(timeout=15_000)


def _in_e2e(item):
    return Path(str(item.fspath)).resolve().is_relative_to(Path(__file__).parent)


def pytest_configure(config):
    config.addinivalue_line("markers", "axe: needs axe-core from npm (node_modules/axe-core, installed by make test)")


def _skip_axe_checks(items):
    """Without axe-core the accessibility checks do not run: a counted skip, an error under CI."""
    axe_tests = [item for item in items if item.get_closest_marker("axe")]
    if not axe_tests or AXE_JS.is_file():
        return
    why = f"axe-core is not installed ({AXE_JS.relative_to(ROOT)} missing: npm ci, or make test)"
    if os.environ.get("CI"):
        raise pytest.UsageError(f"accessibility checks cannot run in CI: {why}")
    for item in axe_tests:
        item.add_marker(pytest.mark.skip(reason=why))


# First: xdist names a test by its group in its own hook, which runs before this one when pytest is given
# tests/e2e's paths (this file is then loaded at start).
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    browser_tests = [item for item in items if _in_e2e(item)]
    # With xdist, two groups, each on one worker, so that each server is started once: the modules over the
    # demo's server, and the others (the journey's empty server, servers of their own). One group took
    # 384 s of the run's wall time (12/2026), the longest chain of the run; each half takes one browser.
    over_the_demo = {item.path for item in browser_tests if "demo_server" in item.fixturenames}
    for item in browser_tests:
        item.add_marker(pytest.mark.xdist_group("browser-demo" if item.path in over_the_demo else "browser"))
    missing = missing_requirement() if browser_tests else None
    if not missing:
        _skip_axe_checks(browser_tests)
        return
    if os.environ.get("CI"):
        raise pytest.UsageError(f"browser tests cannot run in CI: {missing}")
    for item in browser_tests:
        item.add_marker(pytest.mark.skip(reason=missing))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.e2e_failed = report.failed
    return report


@pytest.fixture(scope="package")
def live_server(tmp_path_factory):
    """The app under gunicorn on a free port, on a database of its own, stopped after the session."""
    with LiveServer(tmp_path_factory.mktemp("e2e")) as server:
        yield server


@pytest.fixture(scope="package")
def demo_server(tmp_path_factory, template_database):
    """The app under gunicorn with the demo dataset (``make run``'s data), for checks across many pages;
    its database starts as a copy of the session's migrated one (the journey's server runs the commands)."""
    with LiveServer(tmp_path_factory.mktemp("e2e-demo"), demo=True, template=template_database) as server:
        yield server


@pytest.fixture(scope="package")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_binary(), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Screens:
    """Numbered screenshots of one test's steps, in ``test-artifacts/e2e/<test>/``."""

    def __init__(self, folder):
        self.folder = folder
        self.count = 0
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)

    def __call__(self, page, name):
        self.count += 1
        path = self.folder / f"{self.count:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def screens(request):
    return Screens(ARTIFACTS / request.node.name)


@pytest.fixture
def browse(request, chromium):
    """``browse(viewport=DESKTOP, server=..., javascript=True)``: a new browser context (a person at
    their own device) with a page, on ``live_server`` (the empty one) unless another server is given;
    ``javascript=False`` for a browser that runs no script (the pages must work without app.js).

    With ``E2E_TRACE=1`` every context is traced (DOM snapshots); a failing test keeps the traces, a passing
    one drops them. Off by default: tracing costs the browser tests about an eighth of their CPU (the
    accessibility module, 07/12/2026, two runs each: 104–108 s of machine CPU without, 119–123 s with), and
    a failing step locally is re-run with it on. CI's PostgreSQL leg traces, since its failures are the ones
    nobody can watch again.
    """
    tracing = os.environ.get("E2E_TRACE", "") not in ("", "0")
    contexts = []

    def open_page(viewport=DESKTOP, locale="vi-VN", server=None, javascript=True):
        server = server or request.getfixturevalue("live_server")
        context = chromium.new_context(viewport=viewport, locale=locale, base_url=server.url,
                                       accept_downloads=True, java_script_enabled=javascript)
        context.set_default_timeout(15_000)
        if tracing:
            # DOM snapshots only: the trace's screencast costs every browser test CPU (accessibility module:
            # 88 s with it, 77 s without, measured 05/12/2026), and a failing step is read from its snapshot.
            context.tracing.start(screenshots=False, snapshots=True, sources=False)
        contexts.append(context)
        page = context.new_page()
        # A script error is printed with the test's output (shown when it fails): a button that does nothing
        # was once all a failing journey showed.
        page.on("pageerror", lambda error: print(f"page error at {page.url}: {error}"))
        page.on("console", lambda message: message.type == "error" and print(f"console error at {page.url}: {message.text}"))
        return page

    yield open_page
    failed = getattr(request.node, "e2e_failed", True)
    for number, context in enumerate(contexts, 1):
        if tracing and failed:
            folder = ARTIFACTS / request.node.name
            folder.mkdir(parents=True, exist_ok=True)
            context.tracing.stop(path=str(folder / f"trace-{number}.zip"))
        elif tracing:
            context.tracing.stop()
        context.close()
