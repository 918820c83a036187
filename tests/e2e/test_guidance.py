"""Guidance under each criterion of the juror's sheet (issue 19): open at a desk, a long one folded behind
"Hướng dẫn" on a phone so that the points come first, markup shown as text."""
import contextlib

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, SMALL_PHONE
from tests.e2e.demo_pages import assert_fits, sign_in
from tests.e2e.server import LiveServer
from tests.support.server_rounds import HOSTILE_GUIDANCE, SHORT_GUIDANCE, guided_scoring_round


@pytest.fixture(scope="module")
def guided(tmp_path_factory, template_database):
    """A server of its own with a round in scoring whose criteria carry guidance."""
    with LiveServer(tmp_path_factory.mktemp("e2e-guidance"), template=template_database) as server:
        yield server, guided_scoring_round(server)

# How far below the top of the first element the second one starts, read in one go.
GAP_BELOW = """([above, below]) =>
  document.getElementById(below).getBoundingClientRect().top - document.getElementById(above).getBoundingClientRect().top"""


def open_sheet(browse, guided, viewport):
    server, round_ = guided
    page = browse(viewport=viewport, server=server)
    sign_in(page, (round_.juror.email, round_.juror.password))
    page.goto(f"/jury/rounds/{round_.round_id}/entries/{round_.application_id}")
    return page, {code: page.locator(f"#guidance-{criterion_id}") for code, criterion_id in round_.criteria.items()}


def test_guidance_is_open_under_its_criterion_at_a_desk(browse, guided, screens):
    page, boxes = open_sheet(browse, guided, DESKTOP)
    assert [boxes[code].evaluate("d => d.open") for code in "123"] == [True, True, True]
    assert boxes["4"].count() == 0  # no guidance written: no empty disclosure
    assert boxes["2"].locator("p").inner_text() == SHORT_GUIDANCE
    # Written as text: the markup neither runs nor formats.
    assert boxes["3"].locator("p").inner_text() == HOSTILE_GUIDANCE
    assert boxes["3"].locator("b, script").count() == 0 and page.title() != "x"
    # The entry's files beside the sheet: every thumbnail the server sends (it lost none of them).
    page.wait_for_load_state("load")
    shown = page.evaluate("[...document.images].filter(i => i.getAttribute('src'))"  # not the empty lightbox
                          ".map(i => [i.getAttribute('src'), i.complete && i.naturalWidth > 0])")
    assert any("/files/" in src for src, _ in shown) and all(loaded for _src, loaded in shown), shown
    assert_fits(page, DESKTOP["width"])
    screens(page, "guidance-desk")


def test_long_guidance_folds_on_a_phone(browse, guided, screens):
    page, boxes = open_sheet(browse, guided, SMALL_PHONE)
    assert boxes["1"].evaluate("d => d.open") is False and boxes["2"].evaluate("d => d.open") is True
    # Both boxes from one layout, given until the page settles: two separate bounding_box calls read 143 px once
    # under CI's load, a layout or scroll that moved between them. Unfolded, the guidance's lines keep it far above.
    pair = [f"guidance-{guided[1].criteria['1']}", f"points-{guided[1].criteria['1']}"]
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_function(f"pair => ({GAP_BELOW})(pair) < 120", arg=pair, timeout=5_000)
    gap = page.evaluate(GAP_BELOW, pair)
    assert gap < 120, f"the points come right after the folded guidance, not {gap:.0f} px below it"
    boxes["1"].locator("summary").click()
    # Waited for: a click returns once the input is sent, and a loaded renderer may open the box a moment later
    # (make test, 07/12/2026: an immediate is_visible() read False once).
    expect(boxes["1"].locator("p")).to_be_visible()
    assert_fits(page, SMALL_PHONE["width"])
    screens(page, "guidance-phone-opened")
