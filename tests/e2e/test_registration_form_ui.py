"""The registration form's commitments on a 360 px phone: a returned application resubmitted by a demo producer."""
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE
from tests.e2e.demo_pages import PRODUCER, answer, assert_fits, confirm_dialog, sign_in
from voting.rules.commitments import CURRENT_VERSION, VERSIONS


def test_the_commitments_fit_a_phone_and_each_missing_tick_is_named(browse, demo_server, screens):
    page = browse(viewport=PHONE, server=demo_server)
    sign_in(page, PRODUCER)
    page.goto("/producer/")
    page.locator("main tr", has=page.locator(".status-returned")).first.locator("a").first.click()
    page.wait_for_load_state()
    boxes = page.locator("#commitments input[type=checkbox]")
    expect(boxes).to_have_count(len(VERSIONS[CURRENT_VERSION]))
    assert_fits(page)
    screens(page, "commitments-phone")

    boxes.nth(0).check()
    page.get_by_role("button", name="Nộp lại hồ sơ").click()
    expect(confirm_dialog(page)).to_be_visible()
    expect(confirm_dialog(page).get_by_role("button", name="Hủy")).to_be_focused()  # the safe answer first
    assert_fits(page)
    screens(page, "confirm-dialog-phone")
    answer(page)
    expect(page.locator("#commitments .errors")).to_have_count(len(VERSIONS[CURRENT_VERSION]) - 1)
    expect(page.locator("#commitments input[type=checkbox]").nth(0)).to_be_checked()
    assert_fits(page)
    screens(page, "commitments-missing-phone")
