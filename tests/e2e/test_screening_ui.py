"""Screening in the browser (issue 19): returning a dossier without a message names the missing message at
once, before any "are you sure?", and the page's previous/next links fit a phone."""
import re

from playwright.sync_api import expect

from tests.e2e.conftest import SMALL_PHONE
from tests.e2e.demo_pages import ORGANISER, assert_fits, confirm_dialog, sign_in



def first_dossier(page):
    """The first dossier of the organiser's first round: one waiting for screening, the list puts them first."""
    page.goto("/organiser/rounds")
    rounds = page.locator("main a[href]").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    for href in [h for h in rounds if re.fullmatch(r"/organiser/rounds/\d+", h)]:
        page.goto(href)
        dossiers = page.locator("main a[href^='/organiser/applications/']")
        if dossiers.count():
            dossiers.first.click()
            # count() does not wait: on a loaded machine it once read the page before the dossier's had come.
            expect(page).to_have_url(re.compile(r"/organiser/applications/\d+$"))
            expect(page.locator("main h1")).to_be_visible()
            if page.get_by_role("button", name="Trả lại để bổ sung").count():
                return
    raise AssertionError("the demo has no dossier waiting for screening")


def test_returning_without_a_message_says_so_before_asking(browse, demo_server, screens):
    page = browse(viewport=SMALL_PHONE, server=demo_server)
    sign_in(page, ORGANISER)
    first_dossier(page)
    assert_fits(page)
    page.locator("#message").fill("")
    page.get_by_role("button", name="Trả lại để bổ sung").click()
    note = page.locator("#message-required")
    expect(note).to_have_text("Hãy viết lời nhắn cho cơ sở trước khi trả lại hồ sơ.")
    expect(confirm_dialog(page)).to_be_hidden()
    expect(page.locator("#message")).to_be_focused()
    expect(page.locator("#message")).to_have_attribute("aria-invalid", "true")
    screens(page, "screening-message-missing")
    # Typing the message clears the note; the question then comes (answered "no": the demo stays as it is).
    page.locator("#message").fill("Bổ sung ảnh nhãn sản phẩm.")
    expect(note).to_have_text("")
    page.get_by_role("button", name="Trả lại để bổ sung").click()
    expect(confirm_dialog(page)).to_be_visible()
    confirm_dialog(page).locator("[data-confirm-no]").click()
    expect(confirm_dialog(page)).to_be_hidden()


def test_a_refused_decision_opens_on_its_list_of_what_to_fix(browse, demo_server):
    """Without JavaScript the server refuses it; the page then shows the summary first, linked to the field."""
    page = browse(viewport=SMALL_PHONE, server=demo_server, javascript=False)
    sign_in(page, ORGANISER)
    first_dossier(page)
    page.get_by_role("button", name="Trả lại để bổ sung").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_visible()
    assert summary.bounding_box()["y"] < SMALL_PHONE["height"], "the list of what to fix is below the first screen"
    expect(summary.locator("a[href='#message']")).to_contain_text("Lời nhắn")
    assert_fits(page)
