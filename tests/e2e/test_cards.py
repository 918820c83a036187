"""Tables as cards on a phone (issue 19): at 360×640 a producer's certificates and dossiers, and the
registry's list of a product's certificates, are one card per row with every link on the screen; a
certificate number stays on one line; an organiser acts on a certificate from its own page, where the
reason starts unchosen. Wide tables that are not cards still scroll inside their box.
"""
import re

from playwright.sync_api import expect

from tests.e2e.conftest import SMALL_PHONE
from tests.e2e.demo_pages import ORGANISER, PRODUCER, assert_fits, sign_in

WIDTH = SMALL_PHONE["width"]

#: Every link and control in the content's card tables, with its box and whether it is an action.
BOXES = """selector => [...document.querySelectorAll(selector)].map(el => {
    const box = el.getBoundingClientRect();
    return {text: el.innerText.trim().replace(/\\s+/g, ' '), x: Math.round(box.left), right: Math.round(box.right),
            height: Math.round(box.height), action: !!el.closest('.card-actions')};
})"""


def boxes(page, selector):
    return page.evaluate(BOXES, selector)


def assert_within_screen(page, selector):
    found = boxes(page, selector)
    assert found, f"nothing matches {selector} on {page.url}"
    print(f"{page.url} at {WIDTH} px:", [(b["text"][:30], b["x"], b["right"], b["height"]) for b in found])
    outside = [b for b in found if b["x"] < 0 or b["right"] > WIDTH]
    assert outside == [], f"{page.url}: off the screen: {outside}"
    small = [b for b in found if b["action"] and b["height"] < 44]
    assert small == [], f"{page.url}: actions lower than 44 px: {small}"
    return found


def assert_numbers_on_one_line(page):
    """Each certificate number is one line box: it does not break at its hyphens or slashes."""
    lines = page.locator("main .cert-number").evaluate_all(
        "els => els.map(e => [e.innerText, e.getClientRects().length, Math.round(e.getBoundingClientRect().height)])")
    assert lines, f"no certificate number on {page.url}"
    assert all(count == 1 for _text, count, _height in lines), lines
    return lines


def assert_cards(page):
    """The card tables' header rows are hidden and each cell says which column it is."""
    table = page.locator("main table.cards").first
    expect(table.locator("thead")).to_have_css("position", "absolute")
    expect(table.locator("tbody tr").first).to_have_css("display", "block")
    label = table.locator("tbody td[data-label]").first.evaluate(
        "td => getComputedStyle(td, '::before').content")
    assert label.strip('"'), "a card's cell does not show its column's name"
    wrap = page.locator("main .table-wrap:has(> table.cards)").first
    expect(wrap).not_to_have_attribute("tabindex", "0")  # nothing to scroll: not a scroll box for the keyboard


def test_a_producers_certificates_are_cards_with_their_links_on_a_phone(browse, demo_server, screens):
    page = browse(viewport=SMALL_PHONE, server=demo_server)
    sign_in(page, PRODUCER)
    page.goto("/certificates/mine")
    assert_fits(page, WIDTH)
    assert_cards(page)
    found = assert_within_screen(page, "main table.cards a[href]")
    assert any("PDF" in b["text"] for b in found), found
    print("numbers:", assert_numbers_on_one_line(page))
    screens(page, "certificates-mine-phone")


def test_a_producers_dossiers_are_cards_with_the_round_named_in_full(browse, demo_server, screens):
    page = browse(viewport=SMALL_PHONE, server=demo_server)
    sign_in(page, PRODUCER)
    page.goto("/producer/")
    assert_fits(page, WIDTH)
    assert_cards(page)
    assert_within_screen(page, "main table.cards a[href]")
    rounds = page.locator("main table.cards td[data-label='Đợt bình chọn']")
    assert rounds.count()
    cut = rounds.evaluate_all("tds => tds.filter(td => td.scrollWidth > td.clientWidth + 1"
                              " || getComputedStyle(td).textOverflow === 'ellipsis').map(td => td.innerText)")
    assert cut == [], f"round names cut: {cut}"
    screens(page, "producer-dossiers-phone")
    page.locator("main table.cards .card-actions a").first.click()
    expect(page).to_have_url(re.compile(r"/producer/applications/\d+$"))


def test_the_registrys_certificates_of_a_product_are_cards_on_a_phone(browse, demo_server, screens):
    page = browse(viewport=SMALL_PHONE, server=demo_server)
    page.goto("/registry/?q=mien")
    page.locator(".registry-results > li a[href^='/registry/']").first.click()
    expect(page.locator("main table.cards")).to_be_visible()
    assert_fits(page, WIDTH)
    assert_cards(page)
    assert_within_screen(page, "main table.cards a[href]")
    assert_numbers_on_one_line(page)
    screens(page, "registry-product-phone")


def organisers_certificate(page):
    """The organiser's page of a certificate they may act on, reached from its round's list."""
    page.goto("/organiser/")
    hrefs = page.locator("main a[href^='/organiser/rounds/']").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    for href in dict.fromkeys(h for h in hrefs if re.fullmatch(r"/organiser/rounds/\d+", h)):
        page.goto(href.replace("/organiser/rounds/", "/certificates/rounds/"))
        act = page.locator("main tbody tr a", has_text="Xử lý")
        if act.count():
            # The round's list is a wide table (not cards): it scrolls within its box, reachable by keyboard, and the
            # page itself does not (its links' hidden words once made it 886 px wide).
            expect(page.locator("main .table-wrap").last).to_have_attribute("tabindex", "0")
            assert_fits(page, WIDTH)
            act.first.click()
            expect(page).to_have_url(re.compile(r"/certificates/\d+$"))
            return
    raise AssertionError("no round with certificates to act on in the demo data")


def test_an_organiser_acts_on_a_certificate_from_its_own_page_on_a_phone(browse, demo_server, screens):
    page = browse(viewport=SMALL_PHONE, server=demo_server)
    sign_in(page, ORGANISER)
    organisers_certificate(page)
    assert_fits(page, WIDTH)
    for select in page.locator("main select[name=category]").all():
        expect(select).to_have_value("")  # no reason preselected
    assert page.locator("main select[name=category]").count() >= 1
    found = boxes(page, "main :is(form button, select, textarea, input:not([type=hidden]))")
    print(f"{page.url} at {WIDTH} px:", [(b["text"][:30], b["x"], b["right"], b["height"]) for b in found])
    assert [b for b in found if b["x"] < 0 or b["right"] > WIDTH] == []
    assert_numbers_on_one_line(page)
    screens(page, "certificate-actions-phone")

    # Sent without a reason chosen (the browser's own check bypassed), the page says so and keeps the details.
    form = page.locator("form[action$='/suspend']")
    if form.count():
        form.evaluate("f => f.noValidate = true")
        form.locator("textarea[name=reason]").fill("Mẫu kiểm tra không đạt")
        form.get_by_role("button").click()
        expect(page.locator("#suspend-category-errors")).to_have_text("Hãy chọn lý do trong danh sách.")
        expect(page.locator("form[action$='/suspend'] textarea[name=reason]")).to_have_value("Mẫu kiểm tra không đạt")
        assert_fits(page, WIDTH)
        screens(page, "certificate-reason-missing-phone")
