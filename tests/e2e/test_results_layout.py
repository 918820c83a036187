"""The results at a desk and on a phone (issue 19): the table takes the screen's width, names get room, the strike
reason has its own column, and the entry's code stays in view while the table scrolls sideways."""
import re

from tests.e2e.conftest import SMALL_PHONE
from tests.e2e.demo_pages import ORGANISER, assert_fits, sign_in

DESK = {"width": 1280, "height": 800}


def open_results(page):
    """The results of the first of the organiser's rounds that has a ranked table."""
    page.goto("/organiser/rounds")
    hrefs = page.locator("main a[href]").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    for href in [h for h in hrefs if re.fullmatch(r"/organiser/rounds/\d+", h)]:
        page.goto(href.replace("/organiser", "") + "/results")
        if page.locator(".results-table tbody tr th.sticky-col").count():
            return
    raise AssertionError("no round of the demo has a results table")


def test_the_results_use_a_desks_width_and_give_names_room(browse, demo_server, screens):
    page = browse(viewport=DESK, server=demo_server)
    sign_in(page, ORGANISER)
    open_results(page)
    assert page.locator("main").bounding_box()["width"] >= 1200
    wrap = page.locator(".results-table").locator("xpath=..")
    assert wrap.bounding_box()["width"] >= 1180, "the table is held to the text pages' width (about 1,070 px)"
    for cell in page.locator(".results-table tbody tr td:nth-child(4)").all():
        assert cell.bounding_box()["width"] >= 160, "a producer's name is squeezed to a word a line"
    headers = page.locator(".results-table thead th").all_inner_texts()
    struck = page.locator(".results-table tbody tr.struck")
    assert ("Lý do loại" in headers) == (struck.count() > 0)
    screens(page, "results-desk")


def test_the_code_stays_in_view_as_the_results_scroll_on_a_phone(browse, demo_server, screens):
    page = browse(viewport=SMALL_PHONE, server=demo_server)
    sign_in(page, ORGANISER)
    open_results(page)
    assert_fits(page, SMALL_PHONE["width"])
    wrap = page.locator(".results-table").locator("xpath=..")
    code = page.locator(".results-table tbody tr th.sticky-col").first
    before = code.bounding_box()["x"]
    wrap.evaluate("w => { w.scrollLeft = 400; }")
    left = wrap.bounding_box()["x"]
    after = code.bounding_box()["x"]
    assert wrap.evaluate("w => w.scrollLeft") > 0
    assert abs(after - left) <= 2 and after <= before, (before, after, left)
    screens(page, "results-phone-scrolled")
