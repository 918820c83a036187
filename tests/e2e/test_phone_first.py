"""Phone first (issue 19): on a 360×640 screen a page's heading and its first action, and the registry's
first result, lie on the first screen; the header is one row whose navigation folds behind a "Menu"
button that opens with a tap, with the keyboard and without JavaScript; wide screens keep it inline.
"""
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, SMALL_PHONE, TABLET
from tests.e2e.demo_pages import PRODUCER, assert_fits, sign_in

HEADER_MAX = 140
FIRST_SCREEN = 640
#: What one can act on in the content; the first visible one is the page's "first action".
ACTIONS = "main :is(a[href], button, input:not([type=hidden]), select, textarea, summary)"
#: A query that matches the demo's certificates (Miến dong Na Rì, Sơn Dương, ...).
QUERY = "mien"

PAGES = {
    None: ["/", "/registry/", f"/registry/?q={QUERY}", "/login", "/register"],
    PRODUCER: ["/producer/", "/producer/products/new", "/producer/profile", "/certificates/mine", "/account/inbox"],
}


# ---------- helpers ----------

def header(page):
    return page.locator("header.site-header")


def menu_button(page):
    return page.locator("details.nav-menu > summary")


def nav_links(page):
    return page.locator("nav.main-nav a")


def top(locator):
    box = locator.bounding_box()
    assert box, f"{locator} is not rendered"
    return box["y"]


def scroll_to(page, y):
    # "instant": the stylesheet asks for smooth scrolling, which would still be moving when measured.
    page.evaluate("y => window.scrollTo({top: y, behavior: 'instant'})", y)


def first_action_top(page):
    """The top of the first visible control or link in the main content (None when there is none)."""
    return page.evaluate("""selector => {
        for (const el of document.querySelectorAll(selector)) {
            const box = el.getBoundingClientRect();
            if (box.width && box.height) return box.top;
        }
        return null;
    }""", ACTIONS)


def measure(page):
    """Header height, the heading's top, the first action's or result's top, at the page's first screen."""
    assert_fits(page, SMALL_PHONE["width"])
    scroll_to(page, 0)
    results = page.locator(".registry-results > li")
    return {
        "header": header(page).bounding_box()["height"],
        "h1": top(page.locator("main h1").first),
        "first": top(results.first) if results.count() else first_action_top(page),
    }


def assert_first_screen(page, path):
    found = measure(page)
    print(f"{SMALL_PHONE['width']}×{SMALL_PHONE['height']} {path}: {found}")
    assert found["header"] <= HEADER_MAX, f"{path}: the header is {found['header']} px high"
    assert found["h1"] < FIRST_SCREEN, f"{path}: the heading starts at {found['h1']} px"
    assert found["first"] is not None and found["first"] < FIRST_SCREEN, \
        f"{path}: the first result or action starts at {found['first']} px"
    return found


def assert_focus_visible(page):
    style = page.evaluate("""() => {
        const el = document.activeElement, s = getComputedStyle(el);
        return {visible: el.matches(':focus-visible'), outline: s.outlineStyle, width: s.outlineWidth,
                shadow: s.boxShadow};
    }""")
    assert style["visible"], "the focused element is not :focus-visible"
    assert (style["outline"] != "none" and style["width"] != "0px") or style["shadow"] != "none", style


def tab_until(page, selector, limit=20):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} not reached with {limit} presses of Tab on {page.url}")


# ---------- 1. The first screen ----------

@pytest.mark.parametrize("account", PAGES, ids=lambda a: a[0].split("@")[0] if a else "public")
def test_pages_start_on_the_first_screen_of_a_phone(account, browse, demo_server, screens):
    page = browse(viewport=SMALL_PHONE, server=demo_server)
    if account:
        sign_in(page, account)
    for path in PAGES[account]:
        page.goto(path)
        assert_first_screen(page, path)
        expect(nav_links(page).first).to_be_hidden()  # folded: the content starts under one row
        screens(page, re.sub(r"\W+", "-", path).strip("-") or "home")


def _open_first(page, selector):
    link = page.locator(selector).first
    href = link.get_attribute("href")
    page.goto(href)
    return href


def test_the_pages_reached_by_links_start_on_the_first_screen_too(browse, demo_server, screens):
    """The issue's other pages: the registry's product and certificate, the scan page and its report form,
    the password reset request, and the producer's own product and application."""
    page = browse(viewport=SMALL_PHONE, server=demo_server)
    page.goto(f"/registry/?q={QUERY}")
    reached = [_open_first(page, ".registry-results > li a[href^='/registry/']")]
    assert_first_screen(page, reached[-1])
    product = page.url
    reached.append(_open_first(page, "main a[href^='/registry/certificates/']"))
    assert_first_screen(page, reached[-1])
    page.goto(product)
    reached.append(_open_first(page, "main a[href^='/v/']"))
    assert_first_screen(page, "/v/<token>")
    screens(page, "scan-page")
    reached.append(_open_first(page, "main a[href*='/report']"))
    assert_first_screen(page, "/v/<token>/report")
    page.goto("/forgot-password")
    assert_first_screen(page, "/forgot-password")
    sign_in(page, PRODUCER)
    page.goto("/producer/")
    reached.append(_open_first(page, "main a[href^='/producer/products/']:not([href$='/new'])"))
    assert_first_screen(page, reached[-1])
    page.goto("/producer/")
    reached.append(_open_first(page, "main a[href^='/producer/applications/']"))
    assert_first_screen(page, reached[-1])
    screens(page, "producer-application")


def test_producer_tabs_are_one_row_that_scrolls_within_itself(browse, demo_server, screens):
    page = browse(viewport=SMALL_PHONE, server=demo_server)
    sign_in(page, PRODUCER)
    page.goto("/producer/products/new")
    tabs = page.locator("nav.subnav")
    assert tabs.bounding_box()["height"] <= 60, "the producer's tabs wrap onto several rows"
    assert top(page.locator("main h1")) < 250
    current = tabs.locator("[aria-current=page]")
    box, shown = current.bounding_box(), tabs.bounding_box()
    assert shown["x"] <= box["x"] and box["x"] + box["width"] <= shown["x"] + shown["width"] + 1, \
        "the current tab is scrolled out of view"
    page.goto("/account/inbox")  # the last tab, scrolled into view
    expect(page.locator("nav.subnav [aria-current=page]")).to_be_in_viewport()
    assert_fits(page, SMALL_PHONE["width"])
    screens(page, "inbox-tabs")


# ---------- 2. The header's menu ----------

def test_the_menu_opens_with_a_tap_on_a_phone(browse, demo_server, screens):
    page = browse(viewport=SMALL_PHONE, server=demo_server)
    page.goto("/")
    button = menu_button(page)
    expect(button).to_be_visible()
    expect(button).to_have_attribute("aria-label", "Mở menu")
    assert button.bounding_box()["height"] >= 44
    expect(nav_links(page).first).to_be_hidden()
    expect(page.locator(".lang-switch")).to_be_hidden()
    button.click()
    for link in nav_links(page).all():
        expect(link).to_be_visible()
        box = link.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 300, f"not a full-width row: {box}"
    expect(page.locator(".lang-switch a[hreflang=en]")).to_be_visible()
    screens(page, "menu-open")
    nav_links(page).first.click()  # Tra cứu sản phẩm
    expect(page).to_have_url(re.compile(r"/registry/"))
    expect(nav_links(page).first).to_be_hidden()  # a new page starts folded


def test_the_menu_opens_with_the_keyboard(browse, demo_server):
    page = browse(viewport=SMALL_PHONE, server=demo_server)
    page.goto("/login")
    tab_until(page, "details.nav-menu > summary")
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    expect(nav_links(page).first).to_be_visible()
    page.keyboard.press("Tab")  # on into the menu's links
    assert page.evaluate("document.activeElement.closest('nav.main-nav') !== null")
    assert_focus_visible(page)


def test_the_menu_opens_without_javascript(browse, demo_server, screens):
    page = browse(viewport=SMALL_PHONE, server=demo_server, javascript=False)
    page.goto("/")
    expect(nav_links(page).first).to_be_hidden()
    menu_button(page).click()
    expect(nav_links(page).first).to_be_visible()
    expect(page.locator("nav.main-nav").get_by_role("link", name="Đăng nhập")).to_be_visible()
    screens(page, "menu-open-without-javascript")


@pytest.mark.parametrize("javascript", [True, False], ids=["script", "no-script"])
def test_the_menu_is_inline_on_wide_screens(javascript, browse, demo_server):
    for viewport in (DESKTOP, TABLET):
        page = browse(viewport=viewport, server=demo_server, javascript=javascript)
        page.goto("/")
        if not javascript:  # the stylesheet alone shows the folded content (::details-content)
            expect(page.locator("details.nav-menu")).not_to_have_attribute("open", re.compile(".*"))
        expect(menu_button(page)).to_be_hidden()
        for link in nav_links(page).all():
            expect(link).to_be_visible()
        expect(page.locator(".lang-switch a[hreflang=en]")).to_be_visible()
        expect(page.locator(".brand small")).to_be_visible()


def test_the_unread_count_shows_on_the_folded_menu(browse, demo_server):
    page = browse(viewport=SMALL_PHONE, server=demo_server)
    sign_in(page, PRODUCER)  # the demo producer has unread messages
    page.goto("/producer/")
    inbox_badge = page.locator("nav.main-nav a[href$='/account/inbox'] .badge")
    expect(inbox_badge).to_be_attached()
    count = inbox_badge.text_content().strip()  # folded: in the page, not on screen
    badge = menu_button(page).locator(".badge")
    expect(badge).to_be_visible()
    expect(badge).to_have_text(count)
    expect(menu_button(page)).to_have_attribute("aria-label", re.compile(rf"^Mở menu, {count} "))
    assert page.locator("form[action$='/logout']").count() == 1  # the navigation is rendered once


# ---------- 3. The registry on a phone ----------

def test_registry_filters_fold_on_a_phone_and_the_search_stays_in_view(browse, demo_server, screens):
    page = browse(viewport=SMALL_PHONE, server=demo_server)
    page.goto("/registry/")
    fold = page.locator("details.filters-fold")
    expect(fold).not_to_have_attribute("open", re.compile(".*"))
    expect(page.locator("#f-province")).to_be_hidden()
    expect(page.locator("main [role=status]")).to_contain_text(re.compile(r"\d+ sản phẩm"))
    # A search: the results start on the first screen, the count is announced.
    page.locator("#q").fill(QUERY)
    page.locator("#q").press("Enter")
    expect(page).to_have_url(re.compile(rf"q={QUERY}"))
    expect(page.locator("main [role=status]")).to_contain_text("sản phẩm phù hợp")
    assert top(page.locator(".registry-results > li").first) < FIRST_SCREEN
    screens(page, "registry-searched")
    # Scrolled down, the search box is still at the top.
    scroll_to(page, 1500)
    assert page.evaluate("window.scrollY") > 500
    box = page.locator("#q").bounding_box()
    assert 0 <= box["y"] < 80, f"the search box left the screen: {box}"
    screens(page, "registry-scrolled")
    # The filters open with one tap; a filter in use keeps them open and counted on the next page.
    scroll_to(page, 0)
    fold.locator("summary").click()
    province = page.locator("#f-province")
    expect(province).to_be_visible()
    province.select_option(label="Thái Nguyên")
    page.get_by_role("button", name="Áp dụng bộ lọc").click()
    expect(page).to_have_url(re.compile(r"province=\d+"))
    expect(page).to_have_url(re.compile(rf"q={QUERY}"))  # the query is kept with the filters
    expect(fold).to_have_attribute("open", re.compile(".*"))
    expect(fold.locator("summary .badge")).to_have_text("1")
    assert_fits(page, SMALL_PHONE["width"])
    screens(page, "registry-filtered")


def test_registry_filters_show_on_a_wide_screen(browse, demo_server):
    page = browse(viewport=DESKTOP, server=demo_server)
    page.goto("/registry/")
    expect(page.locator("details.filters-fold > summary")).to_be_hidden()
    for field in ("#f-province", "#f-region", "#f-group", "#f-level", "#f-year", "#f-status", "#f-sort"):
        expect(page.locator(field)).to_be_visible()
    expect(page.locator("#q")).to_be_visible()
    expect(page.locator("main [role=status]")).to_contain_text(re.compile(r"\d+"))
