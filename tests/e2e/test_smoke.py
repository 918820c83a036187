"""The browser set-up itself: the served app answers in Vietnamese and switches to English."""
from tests.e2e.conftest import PHONE


def test_home_page_in_vietnamese_then_english(browse, screens):
    page = browse()
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "vi"
    screens(page, "home-vi")
    page.goto("/lang/en")
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "en"
    screens(page, "home-en")


def test_home_page_fits_a_360_px_phone(browse):
    page = browse(viewport=PHONE)
    page.goto("/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
