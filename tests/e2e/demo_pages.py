"""The demo's accounts (``make run``'s data) and the steps the browser tests over the demo share."""
import re
import warnings

from playwright.sync_api import expect

from tests.e2e.conftest import AXE_JS

PRODUCER = ("coso.narimiendong@demo.cnnt.vn", "demo-coso-2026")
JUROR = ("giamkhao.lthnhung@demo.cnnt.vn", "demo-jury2-2026")  # half-way through Thái Nguyên, a draft open
JURY_HEAD = ("giamkhao.dqhuy@demo.cnnt.vn", "demo-jury3-2026")  # Trưởng Ban Giám khảo of the demo's rounds
ORGANISER = ("sct.thainguyen@demo.cnnt.vn", "demo-tinh19-2026")
ADMIN = ("quantri@demo.cnnt.vn", "demo-admin-2026")


def sign_in(page, account):
    email, password = account
    page.goto("/login")
    page.get_by_label("E-mail").fill(email)
    page.locator("input[name=password]").fill(password)
    page.locator("main form button[type=submit], main form input[type=submit]").first.click()
    expect(page.locator("form[action$='/logout']")).to_be_attached()


def assert_fits(page, width=360):
    # After a click the address changes before the stylesheets arrive; measured then, a page without
    # its CSS is as wide as its widest picture (CI once saw the verification page at 1,048 px).
    page.wait_for_load_state("load")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{page.url} scrolls sideways at {width} px: {scroll_width} px wide"


def confirm_dialog(page):
    """The page's own "are you sure?" (templates/base.html, static/js/app.js ``ask``)."""
    return page.locator("#confirm-dialog")


def answer(page, yes=True):
    """Wait for the page's question, answer it, and return its text."""
    dialog = confirm_dialog(page)
    expect(dialog).to_be_visible()
    question = dialog.locator("[data-confirm-text]").inner_text()
    dialog.locator("[data-confirm-yes]" if yes else "[data-confirm-no]").click()
    expect(dialog).to_be_hidden()
    return question


def always_say_yes(page):
    """Answer yes to every question the page asks, before each later action or expectation."""
    # The answer does not wait for the page the form leads to: the caller's next step waits for what it needs,
    # with its own timeout. CI saw the answer to "issue the certificates?" wait over 15 s for its page on a
    # loaded machine: a server's first background job starts the job runner's fork server, which imports the
    # app before the request returns (1.9 s on this machine when quiet).
    page.add_locator_handler(confirm_dialog(page),
                             lambda dialog: dialog.locator("[data-confirm-yes]").click(no_wait_after=True))
    # The browser's own confirm, which app.js falls back to when its dialog cannot open (Playwright would
    # otherwise dismiss it unseen, answering "no").
    page.on("dialog", lambda dialog: dialog.accept())


def press_submit(page, button, done):
    """Click ``button`` and wait for its question (the page's dialog), for ``done``, or for the form to be sent;
    click once more, saying so, when none of them comes. CI saw such a click land while the sheet's status line
    changed and send nothing (the bar is now laid out so that its buttons cannot move: app.css, .sheet-bar);
    a person would click again."""
    sent = []

    def record(request):
        if request.method == "POST" and request.headers.get("x-requested-with") != "fetch":
            sent.append(request.url)

    page.on("request", record)
    try:
        button.click()
        try:
            expect(done.or_(confirm_dialog(page))).to_be_visible(timeout=5_000)
        except AssertionError:
            if not sent:  # nothing asked, nothing sent: the click did not reach the button
                # A warning, not a print: pytest lists it in the run's summary even when the test passes.
                warnings.warn(f"E2E RETRY: a click on {button} at {page.url} showed no question and sent "
                              "nothing; clicked again", stacklevel=2)
                button.click()
    finally:
        page.remove_listener("request", record)


BLOCKING = ("serious", "critical")


def blocking_violations(page):
    """axe-core's violations of impact serious or critical on the page as it stands."""
    page.evaluate(AXE_JS.read_text())
    violations = page.evaluate("async () => (await axe.run()).violations")
    return [v for v in violations if v["impact"] in BLOCKING]


def juror_sheet(page, state="bản nháp"):
    """The juror's sheet of an entry in the given state, in the round Thái Nguyên is part-way through scoring."""
    page.goto("/jury/")
    page.locator("main").get_by_role("link", name=re.compile("Thái Nguyên năm 2026")).first.click()
    entry = page.locator("li.entry", has=page.locator(".sheet-state", has_text=state)).first
    entry.locator(".entry-name a").click()
    expect(page.locator("#score-sheet")).to_be_visible()
