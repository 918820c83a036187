"""Product photos in a lightbox (issue 19): the juror's sheet and the organiser's dossier (the registry too: its
markup is checked by tests/certificates/test_registry_pages.py, no demo product page is published) open a thumbnail
full screen, fitted, with its caption and "n / N"; previous and next by button, arrow key and swipe; zoom
by button, double click, double tap and pinch, with panning; Escape gives focus back to the thumbnail. The swipe,
tap and pinch are pointer events as a touch screen sends them (pointerType "touch"), dispatched on the photo."""
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import AXE_JS, SMALL_PHONE
from tests.e2e.demo_pages import JUROR, ORGANISER, assert_fits, blocking_violations, juror_sheet, sign_in

LANDSCAPE_TABLET = {"width": 1024, "height": 768}

# Touch pointer events on the lightbox's photo, sent in one go (a double tap is two taps within 300 ms).
TOUCH = """([steps]) => {
  const stage = document.querySelector('#lightbox .lightbox-stage');
  const box = stage.getBoundingClientRect();
  const cx = box.left + box.width / 2, cy = box.top + box.height / 2;
  for (const [type, id, dx, dy] of steps) {
    stage.dispatchEvent(new PointerEvent(type, {pointerId: id, pointerType: 'touch', isPrimary: id === 1,
      clientX: cx + dx, clientY: cy + dy, bubbles: true, cancelable: true, button: type === 'pointermove' ? -1 : 0}));
  }
}"""


def lightbox(page):
    return page.locator("#lightbox")


def counter(page):
    return lightbox(page).locator(".lightbox-count")


SCALE_OF = "img => { const m = getComputedStyle(img).transform; return m === 'none' ? 1 : new DOMMatrix(m).a; }"


def scale_of(page):
    """The photo's zoom as the browser draws it (1 when not zoomed)."""
    return page.locator("#lightbox .lightbox-image").evaluate(SCALE_OF)


def shift_of(page):
    return page.locator("#lightbox .lightbox-image").evaluate(
        "img => { const m = getComputedStyle(img).transform; return m === 'none' ? [0, 0] : [new DOMMatrix(m).e, new DOMMatrix(m).f]; }")


def shot(screens, page, name):
    """The screen as the person sees it (the lightbox covers the viewport; a full-page picture would not show that)."""
    screens.count += 1
    page.screenshot(path=str(screens.folder / f"{screens.count:02d}-{name}.png"))


def assert_photo_fits(page, viewport):
    image = lightbox(page).locator(".lightbox-image")
    expect(image).to_have_js_property("complete", True)
    assert image.evaluate("img => img.naturalWidth") > 0, "the full photo did not load"
    box = image.bounding_box()
    assert box["x"] >= 0 and box["y"] >= 0, box
    assert box["x"] + box["width"] <= viewport["width"] + 0.5 and box["y"] + box["height"] <= viewport["height"] + 0.5, box
    for button in lightbox(page).locator("button:visible").all():
        b = button.bounding_box()
        assert b["x"] >= 0 and b["x"] + b["width"] <= viewport["width"] and b["y"] + b["height"] <= viewport["height"], (
            button.inner_text(), b)


def test_the_jurors_photos_open_full_screen_with_next_zoom_and_escape(browse, demo_server, screens):
    page = browse(viewport=LANDSCAPE_TABLET, server=demo_server)
    sign_in(page, JUROR)
    juror_sheet(page)
    page.wait_for_load_state()  # lightbox.js is wired
    thumbs = page.locator(".dossier-photos a")
    total = thumbs.count()
    assert total >= 2, "the demo entry needs two photos for this test"
    # Without the script the link opens the photo in a tab of its own; with it, the same link opens the dialog.
    expect(thumbs.first).to_have_attribute("target", "_blank")
    sheet_url = page.url
    thumbs.first.click()
    dialog = lightbox(page)
    expect(dialog).to_be_visible()
    expect(counter(page)).to_have_text(f"Ảnh 1 / {total}")
    expect(dialog.locator(".lightbox-caption")).to_have_text(thumbs.first.locator("img").get_attribute("alt"))
    assert page.url == sheet_url and len(page.context.pages) == 1, "the photo opened elsewhere"
    assert_photo_fits(page, LANDSCAPE_TABLET)
    expect(dialog.get_by_role("button", name="Đóng")).to_be_focused()
    for key in ["Tab"] * 5 + ["Shift+Tab"] * 5:  # the keyboard stays in the lightbox, round and round
        page.keyboard.press(key)
        assert dialog.evaluate("d => d.contains(document.activeElement)"), f"{key} left the lightbox"
    shot(screens, page, "lightbox-tablet")
    if AXE_JS.is_file():
        assert blocking_violations(page) == []

    dialog.get_by_role("button", name="Ảnh sau").click()
    expect(counter(page)).to_have_text(f"Ảnh 2 / {total}")
    page.keyboard.press("ArrowLeft")
    expect(counter(page)).to_have_text(f"Ảnh 1 / {total}")
    page.keyboard.press("ArrowLeft")  # from the first, round to the last
    expect(counter(page)).to_have_text(f"Ảnh {total} / {total}")
    page.keyboard.press("ArrowRight")
    expect(counter(page)).to_have_text(f"Ảnh 1 / {total}")

    # A swipe to the left with the mouse held down brings the next photo, as a finger would.
    stage = dialog.locator(".lightbox-stage").bounding_box()
    middle_x, middle_y = stage["x"] + stage["width"] / 2, stage["y"] + stage["height"] / 2
    page.mouse.move(middle_x + 100, middle_y)
    page.mouse.down()
    page.mouse.move(middle_x - 100, middle_y, steps=5)
    page.mouse.up()
    expect(counter(page)).to_have_text(f"Ảnh 2 / {total}")

    # Double click zooms 2× where clicked; dragging then moves the photo and stays on it.
    dialog.locator(".lightbox-image").dblclick()
    expect(dialog).to_have_class(re.compile(r"\bis-zoomed\b"))
    expect(dialog.get_by_role("button", name="Phóng to")).to_have_attribute("aria-pressed", "true")
    assert scale_of(page) == pytest.approx(2)
    before = shift_of(page)
    page.mouse.move(middle_x, middle_y)
    page.mouse.down()
    page.mouse.move(middle_x + 120, middle_y + 60, steps=5)
    page.mouse.up()
    assert shift_of(page) != before, "dragging a zoomed photo did not move it"
    expect(counter(page)).to_have_text(f"Ảnh 2 / {total}")
    shot(screens, page, "lightbox-zoomed")
    dialog.get_by_role("button", name="Phóng to").click()
    # Waited for: a click returns once the input is sent, before a loaded renderer may have handled it.
    page.wait_for_function(f"() => ({SCALE_OF})(document.querySelector('#lightbox .lightbox-image')) === 1")
    assert scale_of(page) == pytest.approx(1)

    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    assert thumbs.first.evaluate("link => document.activeElement === link"), "focus did not go back to the thumbnail"


def organiser_dossier_with_photos(page):
    """A dossier of the organiser's rounds whose product has two photos or more."""
    page.goto("/organiser/rounds")
    rounds = page.locator("main a[href]").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    for href in [h for h in rounds if re.fullmatch(r"/organiser/rounds/\d+", h)]:
        page.goto(href)
        dossiers = page.locator("main a[href^='/organiser/applications/']")
        if dossiers.count():
            dossiers.first.click()
            if page.locator("[data-lightbox] a").count() >= 2:
                return
    pytest.fail("no dossier of the demo organiser shows two photos")


def test_a_phone_swipes_double_taps_and_pinches_a_dossiers_photos(browse, demo_server, screens):
    page = browse(viewport=SMALL_PHONE, server=demo_server)
    sign_in(page, ORGANISER)
    organiser_dossier_with_photos(page)
    page.wait_for_load_state()
    thumbs = page.locator("[data-lightbox] a")
    total = thumbs.count()
    thumbs.nth(1).click()
    dialog = lightbox(page)
    expect(counter(page)).to_have_text(f"Ảnh 2 / {total}")
    assert_photo_fits(page, SMALL_PHONE)
    assert_fits(page, SMALL_PHONE["width"])
    shot(screens, page, "lightbox-phone")

    page.evaluate(TOUCH, [[["pointerdown", 1, 80, 0], ["pointermove", 1, 0, 5], ["pointermove", 1, -80, 10],
                           ["pointerup", 1, -80, 10]]])
    expect(counter(page)).to_have_text(f"Ảnh 3 / {total}" if total > 2 else f"Ảnh 1 / {total}")
    page.evaluate(TOUCH, [[["pointerdown", 1, -80, 0], ["pointermove", 1, 80, 0], ["pointerup", 1, 80, 0]]])
    expect(counter(page)).to_have_text(f"Ảnh 2 / {total}")

    # A double tap zooms 2×, another goes back.
    tap = [["pointerdown", 1, 10, 10], ["pointerup", 1, 10, 10]]
    page.evaluate(TOUCH, [tap + tap])
    assert scale_of(page) == pytest.approx(2)
    page.evaluate(TOUCH, [tap + tap])
    assert scale_of(page) == pytest.approx(1)

    # Two fingers moving apart from 60 to 150 px zoom 2.5×; a swipe while zoomed pans and stays on the photo.
    page.evaluate(TOUCH, [[["pointerdown", 1, -30, 0], ["pointerdown", 2, 30, 0],
                           ["pointermove", 1, -75, 0], ["pointermove", 2, 75, 0],
                           ["pointerup", 1, -75, 0], ["pointerup", 2, 75, 0]]])
    assert scale_of(page) == pytest.approx(2.5)
    page.evaluate(TOUCH, [[["pointerdown", 1, 0, 0], ["pointermove", 1, -100, 0], ["pointerup", 1, -100, 0]]])
    expect(counter(page)).to_have_text(f"Ảnh 2 / {total}")
    assert shift_of(page)[0] < 0
    shot(screens, page, "lightbox-phone-pinched")

    dialog.get_by_role("button", name="Đóng").click()
    expect(dialog).to_be_hidden()
    assert thumbs.nth(1).evaluate("link => document.activeElement === link")
