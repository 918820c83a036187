"""Accessibility and UI quality in the browser (issue 9): axe-core on the main pages, forms completed
with the keyboard alone, no horizontal scrolling at 360 px, empty states that say what to do next,
and confirmations before irreversible actions.

axe-core comes from npm (``node_modules/axe-core``, installed by ``make test``); without it the
tests marked ``axe`` are a counted skip (an error under CI), see ``conftest.py``. It is evaluated
through the DevTools protocol, which the app's strict Content-Security-Policy (no inline scripts)
does not block, so the pages are checked exactly as served.
"""
import re
import secrets
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE, TABLET
from tests.e2e.demo_pages import (
    ADMIN,
    JUROR,
    JURY_HEAD,
    ORGANISER,
    PRODUCER,
    answer,
    assert_fits,
    blocking_violations,
    juror_sheet,
    press_submit,
    sign_in,
)


# ---------- helpers ----------


def describe(url, violations):
    lines = [f"{len(violations)} serious/critical axe violation(s) on {url}:"]
    for v in violations:
        lines.append(f"  [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:8]:
            lines.append(f"      at {' '.join(map(str, node['target']))}: {node['failureSummary'].splitlines()[-1].strip()}")
    return "\n".join(lines)


def assert_accessible(page):
    violations = blocking_violations(page)
    assert not violations, describe(page.url, violations)


def product_page(page):
    """The public page of the demo producer's certified product, reached from the registry."""
    page.goto("/registry/?q=Miến dong Na Rì")
    page.locator("main a[href^='/registry/']:not([href*='certificates']):not([href*='?'])").first.click()
    expect(page.locator("main a[href^='/v/']").first).to_be_attached()


def verification_page(page):
    product_page(page)
    page.locator("main a[href^='/v/']").first.click()
    expect(page).to_have_url(re.compile(r"/v/"))


def published_results(page):
    page.goto("/results/")
    page.locator("main .link-list a").first.click()
    expect(page).to_have_url(re.compile(r"/results/\d+$"))


def follow(page, start, pattern):
    """From ``start``, go to the first link in the main content whose address matches ``pattern``."""
    page.goto(start)
    hrefs = page.locator("main a[href]").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    href = next((h for h in hrefs if re.fullmatch(pattern, h)), None)
    assert href, f"no link like {pattern} on {start}"
    page.goto(href)


def goto(path):
    return lambda page: page.goto(path)


def click_through(*texts):
    """Navigate by following links with these names, from the page the previous step left."""
    def steps(page):
        for text in texts:
            page.locator("main").get_by_role("link", name=text).first.click()
    return steps


# ---------- 1. axe-core: no serious or critical violation ----------

PUBLIC_PAGES = {
    "home": goto("/"),
    "registry": goto("/registry/"),
    "product": product_page,
    "verification": verification_page,
    "login": goto("/login"),
    "registration": goto("/register"),
    "results": published_results,
    "statistics": goto("/registry/statistics?year_from=2019"),
    "document-check": goto("/verify/document"),
}

def english(page):
    page.goto("/lang/en")


#: Per account, the pages it sees, each reached from the previous step (``english`` switches language).
SIGNED_IN_PAGES = {
    "producer": (PRODUCER, {
        "producer-dashboard": goto("/producer/"),
        "product-form": goto("/producer/products/new"),
        "application": lambda page: follow(page, "/producer/", r"/producer/applications/\d+"),
        "certificates": goto("/certificates/mine"),
        "sessions": goto("/account/sessions"),
    }),
    "juror": (JUROR, {
        "score-sheet": juror_sheet,
        "score-sheet-en": lambda page: (english(page), juror_sheet(page, state="draft")),
    }),
    "jury_head": (JURY_HEAD, {
        "council-round": lambda page: follow(page, "/council/", r"/council/rounds/\d+"),
    }),
    # The organiser is the council's secretary (Ủy viên kiêm Thư ký), who records its acts.
    "organiser": (ORGANISER, {
        "organiser-round": lambda page: follow(page, "/organiser/", r"/organiser/rounds/\d+"),
        "organiser-application": lambda page: follow(page, page.url, r"/organiser/applications/\d+"),
        "council-round": lambda page: follow(page, "/council/", r"/council/rounds/\d+"),
        "council-results": lambda page: follow(page, page.url, r"/rounds/\d+/results"),
        "certificate": lambda page: (certificates_page_with_actions(page),
                                     follow(page, page.url, r"/certificates/\d+")),
        "reports": goto("/reports/?year_from=2019"),
    }),
}


def check_pages(page, pages):
    """Reach each page in turn and run axe-core on it; one failure lists every page's violations."""
    found = []
    for name, reach in pages.items():
        reach(page)
        violations = blocking_violations(page)
        if violations:
            found.append(f"{name}: " + describe(page.url, violations))
    assert not found, "\n".join(found)


@pytest.mark.axe
def test_public_pages_have_no_serious_violation(browse, demo_server):
    check_pages(browse(server=demo_server), PUBLIC_PAGES)


@pytest.mark.axe
def test_public_pages_in_english_have_no_serious_violation(browse, demo_server):
    page = browse(server=demo_server, locale="en-GB")
    english(page)
    check_pages(page, {name: PUBLIC_PAGES[name] for name in ("home", "product", "verification", "registration",
                                                            "results")})
    assert page.locator("html").get_attribute("lang") == "en"


@pytest.mark.axe
@pytest.mark.parametrize("role", SIGNED_IN_PAGES)
def test_signed_in_pages_have_no_serious_violation(role, browse, demo_server):
    account, pages = SIGNED_IN_PAGES[role]
    page = browse(server=demo_server)
    sign_in(page, account)
    check_pages(page, pages)


@pytest.mark.axe
def test_wide_tables_on_a_phone_scroll_by_keyboard(browse, demo_server, screens):
    """A table wider than a phone scrolls in its own box, which the keyboard can reach and scroll."""
    page = browse(viewport=PHONE, server=demo_server)
    published_results(page)
    assert_accessible(page)
    box = page.locator(".table-wrap[tabindex='0']").first
    assert box.evaluate("el => el.scrollWidth > el.clientWidth")
    box.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(box).not_to_have_js_property("scrollLeft", 0)
    screens(page, "results-table-scrolled")


# ---------- 2. The keyboard alone ----------

def tab_to(page, selector, limit=80, backwards=False):
    """Press Tab (Shift+Tab backwards) until the focused element matches ``selector``."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            assert_focus_visible(page)
            return
    raise AssertionError(f"{selector} not reached with {limit} presses of Tab on {page.url}")


def assert_focus_visible(page):
    style = page.evaluate("""() => {
        const el = document.activeElement, s = getComputedStyle(el);
        return {visible: el.matches(':focus-visible'), outline: s.outlineStyle, width: s.outlineWidth,
                shadow: s.boxShadow, what: el.outerHTML.slice(0, 120)};
    }""")
    assert style["visible"], f"focus not :focus-visible on {style['what']}"
    drawn = (style["outline"] != "none" and style["width"] != "0px") or style["shadow"] != "none"
    assert drawn, f"no visible focus indicator on {style['what']}: {style}"


def test_sign_in_with_the_keyboard_alone(browse, demo_server):
    page = browse(server=demo_server)
    page.goto("/login")
    tab_to(page, "a.skip-link")
    page.keyboard.press("Enter")  # skip link: focus goes to main, past the navigation
    tab_to(page, "input[name=email]")
    page.keyboard.type(PRODUCER[0])
    tab_to(page, "input[name=password]")
    page.keyboard.type(PRODUCER[1])
    tab_to(page, "input[name=remember]")
    page.keyboard.press("Space")
    expect(page.locator("input[name=remember]")).to_be_checked()
    tab_to(page, "input[name=password]", backwards=True)  # back up to correct nothing, then submit from the field
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/producer/"))
    expect(page.locator("form[action$='/logout']")).to_be_attached()


def open_confirmation_link(page, server, address):
    """Registration is confirmed from the e-mail, which the development server writes to its log."""
    expect(page.locator(".flash-info").first).to_contain_text(address)
    page.goto(urlsplit(server.mailed_link(address)).path)


def test_register_with_the_keyboard_alone(browse, demo_server, screens):
    page = browse(server=demo_server)
    page.goto("/register")
    password = f"Kq7-{secrets.token_hex(8)}"
    address = f"ban.{secrets.token_hex(4)}@example.vn"
    for name, text in [("full_name", "Lò Thị Bàn"), ("email", address),
                       ("phone", "0912 345 678"), ("password", password), ("password2", password)]:
        tab_to(page, f"input[name={name}]")
        page.keyboard.type(text)
    tab_to(page, "main form [type=submit]")
    screens(page, "register-filled")
    page.keyboard.press("Enter")
    open_confirmation_link(page, demo_server, address)
    tab_to(page, "main form [type=submit]")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/producer/$"))
    expect(page.locator(".flash-success")).to_be_visible()


def test_product_form_with_the_keyboard_alone(browse, demo_server, screens):
    page = browse(server=demo_server)
    sign_in(page, PRODUCER)
    page.goto("/producer/products/new")
    name = f"Miến dong bàn phím {secrets.token_hex(3)}"
    tab_to(page, "input[name=name]")
    page.keyboard.type(name)
    tab_to(page, "select[name=group_code]")
    first = page.locator("select[name=group_code]").input_value()
    page.keyboard.press("ArrowDown")
    chosen = page.locator("select[name=group_code]").input_value()
    assert chosen != first
    tab_to(page, "textarea[name=description]")
    page.keyboard.type("Làm từ củ dong riềng trồng tại Na Rì, phơi nắng tự nhiên.")
    tab_to(page, "input[name=is_set]")
    page.keyboard.press("Space")
    page.keyboard.press("Space")  # on, then off again: not a set
    expect(page.locator("input[name=is_set]")).not_to_be_checked()
    tab_to(page, "main form [type=submit]")
    screens(page, "product-filled")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text(name)
    expect(page.locator(".flash-success")).to_be_visible()


# ---------- 3. No horizontal scrolling at 360 px ----------

PHONE_PAGES = {
    None: ["/", "/registry/", "/results/", "/login", "/register", "/registry/?q=mật ong", "/registry/statistics"],
    PRODUCER: ["/producer/", "/producer/products/new", "/producer/profile", "/certificates/mine", "/account/inbox"],
    JUROR: ["/jury/", "/council/"],
    ORGANISER: ["/organiser/", "/organiser/rounds", "/organiser/rounds/new", "/reports/"],
    ADMIN: ["/admin/", "/admin/users", "/admin/audit", "/reports/"],
}


@pytest.mark.parametrize("account", PHONE_PAGES, ids=lambda a: a[0].split("@")[0] if a else "public")
def test_main_pages_fit_a_360_px_phone(account, browse, demo_server):
    page = browse(viewport=PHONE, server=demo_server)
    if account:
        sign_in(page, account)
    for path in PHONE_PAGES[account]:
        page.goto(path)
        assert_fits(page)
    # The pages reached by following links: one of each kind the role has.
    followed = {
        None: [product_page, verification_page, published_results],
        PRODUCER: [lambda p: follow(p, "/producer/", r"/producer/products/\d+"),
                   lambda p: follow(p, "/producer/", r"/producer/applications/\d+")],
        JUROR: [juror_sheet, lambda p: follow(p, "/jury/", r"/jury/rounds/\d+")],
        ORGANISER: [lambda p: follow(p, "/organiser/", r"/organiser/rounds/\d+"),
                    lambda p: (follow(p, "/organiser/", r"/organiser/rounds/\d+"),
                               follow(p, p.url, r"/organiser/applications/\d+"))],
        ADMIN: [],
    }[account]
    for reach in followed:
        reach(page)
        assert_fits(page)


def test_council_pages_fit_a_360_px_phone(browse, demo_server):
    head = browse(viewport=PHONE, server=demo_server)
    sign_in(head, JURY_HEAD)
    follow(head, "/council/", r"/council/rounds/\d+")
    assert_fits(head)
    page = browse(viewport=PHONE, server=demo_server)
    sign_in(page, ORGANISER)  # the council's secretary
    follow(page, "/council/", r"/council/rounds/\d+")
    assert_fits(page)
    follow(page, page.url, r"/rounds/\d+/results")
    assert_fits(page)
    page.goto(page.url + "/analysis")
    assert_fits(page)


# ---------- 4. Empty states and confirmations ----------

def test_new_producer_sees_what_to_do_next(browse, demo_server, screens):
    """With no profile, then no product: each empty state says what to do and links to it."""
    page = browse(server=demo_server)
    page.goto("/register")
    password = f"Kq7-{secrets.token_hex(8)}"
    page.get_by_label("Họ và tên người đăng ký").fill("Hoàng Văn Thắng")
    address = f"thang.{secrets.token_hex(4)}@example.vn"
    page.get_by_label("E-mail").fill(address)
    page.get_by_label("Số điện thoại").fill("0987 654 321")
    page.locator("input[name=password]").fill(password)
    page.locator("input[name=password2]").fill(password)
    page.locator("main form [type=submit]").click()
    open_confirmation_link(page, demo_server, address)
    page.locator("main form [type=submit]").click()
    expect(page.locator("main")).to_contain_text("Bước tiếp theo: hồ sơ cơ sở")
    page.locator("main").get_by_role("link", name="Điền hồ sơ cơ sở").click()

    page.get_by_label("Tên cơ sở (tên đầy đủ theo đăng ký)").fill("Tổ hợp tác mây tre đan Phú Vinh")
    page.get_by_label("Loại hình").select_option(label="Tổ hợp tác")
    page.get_by_label("Tỉnh, thành phố").select_option(label="Thái Nguyên")
    page.get_by_label("Xã, phường (mã 5 chữ số)").fill("05443")
    page.get_by_label("Địa chỉ (số nhà, thôn, xóm, đường)").fill("Xóm Phú Vinh")
    page.get_by_label("Người đại diện").fill("Hoàng Văn Thắng")
    page.locator("main input[name=phone]").fill("0987 654 321")
    page.locator("main form [type=submit]").click()
    expect(page.locator(".flash-success")).to_be_visible()

    page.goto("/producer/")
    empty = page.locator("main .empty-state")
    expect(empty.first).to_be_visible()
    expect(page.locator("main")).to_contain_text("Chưa có hồ sơ nào — tạo sản phẩm đầu tiên")
    screens(page, "producer-empty")
    empty.get_by_role("link", name=re.compile("sản phẩm đầu tiên")).first.click()
    expect(page).to_have_url(re.compile(r"/producer/products/new$"))


def test_withdrawing_an_application_asks_first(browse, demo_server):
    page = browse(server=demo_server)
    sign_in(page, PRODUCER)
    page.goto("/producer/")
    row = page.locator("main tr", has=page.locator(".status-returned")).first
    status = row.locator(".status").inner_text()
    row.locator("a").first.click()
    application_url = page.url

    page.wait_for_load_state()  # the confirmation is wired when the page has loaded
    page.get_by_role("button", name="Rút hồ sơ").click()
    assert "Rút hồ sơ" in answer(page, yes=False)
    expect(page).to_have_url(application_url)
    page.reload()
    expect(page.locator("main")).to_contain_text(status)
    expect(page.get_by_role("button", name="Rút hồ sơ")).to_be_visible()


def test_submitting_a_returned_application_asks_first(browse, demo_server):
    page = browse(server=demo_server)
    sign_in(page, PRODUCER)
    page.goto("/producer/")
    page.locator("main tr", has=page.locator(".status-returned")).first.locator("a").first.click()
    page.wait_for_load_state()  # the confirmation is wired when the page has loaded
    page.get_by_role("button", name="Nộp lại hồ sơ").click()
    assert "Nộp" in answer(page, yes=False)
    page.reload()
    expect(page.get_by_role("button", name="Nộp lại hồ sơ")).to_be_visible()


def test_submitting_a_score_sheet_asks_first(browse, demo_server):
    page = browse(server=demo_server)
    sign_in(page, JUROR)
    juror_sheet(page)
    sheet_url = page.url
    page.wait_for_load_state()  # the confirmation is wired when the page has loaded
    press_submit(page, page.locator("#submit-sheet"), page.get_by_text("✓ Đã nộp"))
    assert "Nộp phiếu chấm cho" in answer(page, yes=False)
    expect(page).to_have_url(sheet_url)
    page.reload()
    expect(page.locator("#submit-sheet")).to_be_visible()  # still a draft: the button is still offered


def test_a_score_the_server_would_refuse_is_named_beside_its_field_as_it_is_typed(browse, demo_server, screens):
    """41 of 40 or 32,3 on a 0,5 step used to count as 0 in the total without a word (issue 19)."""
    page = browse(viewport=TABLET, server=demo_server)
    sign_in(page, JUROR)
    juror_sheet(page)
    page.wait_for_load_state()  # scoring.js is wired
    first = page.locator("input.points-input").first
    key = first.get_attribute("id").removeprefix("points-")
    message = page.locator(f"#error-{key}")
    # Said at once, not after the background save two seconds later (AUTOSAVE_DELAY) answers the same.
    first.fill("41")
    expect(message).to_have_text("Điểm vượt quá mức tối đa của tiêu chí (40).", timeout=1000)
    expect(first).to_have_attribute("aria-invalid", "true", timeout=1000)
    screens(page, "sheet-inline-above-max")
    first.fill("32.3")
    expect(message).to_contain_text("Điểm phải chia hết cho bước chấm 0,5", timeout=1000)
    first.fill("32.5")
    expect(message).to_be_hidden()
    expect(first).not_to_have_attribute("aria-invalid", "true")


def test_submitting_while_the_first_background_save_runs_waits_for_it(browse, demo_server):
    """Opening a sheet writes nothing, so the first save creates the draft and changes its version; a
    submission sent meanwhile would name the old version. The page holds it back until the save is answered."""
    page = browse(server=demo_server)
    sign_in(page, JUROR)
    juror_sheet(page, "chưa chấm")
    page.wait_for_load_state()  # scoring.js is wired
    points = page.locator("input.points-input")
    criteria = points.count()
    for index in range(criteria):
        points.nth(index).fill("1")
    page.get_by_label("Nhận xét").fill("Chấm thử khi mạng chậm.")
    sent = []
    page.on("request", lambda request: sent.append((request.method, request.headers.get("x-requested-with"))))
    points.first.press("Enter")  # Enter saves in the background at once
    press_submit(page, page.locator("#submit-sheet"), page.get_by_text("✓ Đã nộp"))
    answer(page)
    expect(page.get_by_text("✓ Đã nộp")).to_be_visible()
    assert sent[:2] == [("POST", "fetch"), ("POST", None)], sent  # the save, then the submission after it
    expect(page.get_by_role("status").filter(has_text="Đã nộp phiếu chấm")).to_contain_text(f"tổng {criteria} điểm")


def certificates_page_with_actions(page):
    """The organiser's certificates page of a round that holds certificates one can act on."""
    page.goto("/organiser/")
    hrefs = page.locator("main a[href^='/organiser/rounds/']").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    for href in dict.fromkeys(h for h in hrefs if re.fullmatch(r"/organiser/rounds/\d+", h)):
        page.goto(href.replace("/organiser/rounds/", "/certificates/rounds/"))
        if page.locator("main tbody tr a[href]", has_text="Xử lý").count():
            return
    raise AssertionError("no round with certificates to act on in the demo data")


def test_each_certificate_status_has_its_own_colour_and_icon(browse, demo_server, screens):
    """Issue 19: valid, suspended, revoked and superseded shared one neutral badge."""
    page = browse(server=demo_server)
    sign_in(page, ORGANISER)
    certificates_page_with_actions(page)
    looks = page.locator("main .status[class*='status-cert-']").evaluate_all("""els => els.map(e => {
        const kind = [...e.classList].find(c => c.startsWith('status-cert-')).slice('status-cert-'.length);
        const style = getComputedStyle(e), icon = getComputedStyle(e, '::before').content;
        return [kind, style.backgroundColor + ' ' + style.color + ' ' + icon];
    })""")
    by_status = dict(looks)
    assert {"valid", "suspended", "revoked", "superseded"} <= set(by_status), by_status
    assert all('"' in look for look in by_status.values()), by_status  # each has an icon before its word
    assert len(set(by_status.values())) == len(by_status), by_status  # no two states look alike
    screens(page, "certificate-statuses")


def test_revoking_a_certificate_asks_first(browse, demo_server):
    page = browse(server=demo_server)
    sign_in(page, ORGANISER)
    certificates_page_with_actions(page)
    row = page.locator("main tbody tr", has=page.locator("a", has_text="Xử lý")).first
    number = row.locator("td").first.inner_text()
    row.locator("a", has_text="Xử lý").click()
    expect(page.locator("main h1")).to_contain_text(number)
    status = page.locator("main .facts .status").inner_text()
    form = page.locator("form[action$='/revoke']")
    form.get_by_label("Lý do").select_option("other")
    form.get_by_label("Chi tiết").fill("Thử hộp xác nhận")
    page.wait_for_load_state()  # the confirmation is wired when the page has loaded
    form.get_by_role("button").click()
    asked = answer(page, yes=False)
    assert number in asked and "Không hoàn tác được" in asked
    page.reload()
    expect(page.locator("main .facts .status")).to_have_text(status)


# A 1×1 PNG: enough for the upload form (the server checks the type by content).
#: The smallest PDF the upload check takes: one blank page.
PDF_1PAGE = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
             b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
PNG_1PX = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                        "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201e5270ede0000000049454e44ae426082")


def test_uploading_says_the_file_is_on_its_way_and_deleting_asks_first(browse, demo_server, screens):
    page = browse(server=demo_server)
    sign_in(page, PRODUCER)
    page.goto("/producer/products/new")
    page.get_by_label("Tên sản phẩm").fill(f"Miến dong tải ảnh {secrets.token_hex(3)}")
    page.locator("main form [type=submit]").click()
    expect(page.locator(".flash-success")).to_be_visible()

    # A document goes up as a plain form (photos have their own script: tests/e2e/test_photo_uploads.py).
    form = page.locator("form.upload-form[action$='/documents']")
    form.locator("input[type=file]").set_input_files(
        {"name": "dang-ky.pdf", "mimeType": "application/pdf", "buffer": PDF_1PAGE})
    # Hold this first sending in the page (a listener after the app's) to look at the form meanwhile.
    page.evaluate("window.addEventListener('submit', event => event.preventDefault(), {once: true})")
    form.locator("[type=submit]").click()
    expect(form.locator(".busy-status")).to_have_text("Đang gửi tệp lên, xin chờ trong giây lát…")
    expect(form.locator(".busy-status")).to_have_attribute("role", "status")
    expect(form).to_have_attribute("aria-busy", "true")
    expect(form.locator("[type=submit]")).to_be_disabled()
    screens(page, "upload-on-its-way")

    page.reload()
    page.locator("form.upload-form[action$='/photos'] input[type=file]").set_input_files(
        {"name": "mien-dong.png", "mimeType": "image/png", "buffer": PNG_1PX})
    photo = page.locator("main .gallery img")
    expect(photo).to_have_count(1)

    page.wait_for_load_state()  # the confirmation is wired when the page has loaded
    page.locator("main .gallery form button").click()
    assert answer(page, yes=False) == "Xóa ảnh này?"
    page.reload()
    expect(photo).to_have_count(1)
