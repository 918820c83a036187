"""A score sheet survives a dropped connection on a tablet (issue 19): what is typed while the saves cannot reach the
server is kept on the device (localStorage), survives a reload, is sent when the network returns, and the page says
so at each step; "Nộp phiếu" while offline submits nothing and loses nothing; a copy older than the server's draft
never overwrites it by itself.

Two ways the network drops, as a tablet in a hall meets them: Wi-Fi that still says "connected" while nothing gets
through (the page's saves are aborted with ``route``, pages still load, so the tab can be reloaded), and the browser
knowing it is offline (``context.set_offline``: ``navigator.onLine`` false, every request fails, the ``online`` event
when it ends). A reload while truly offline cannot load the page at all (the app has no service worker), which is why
the reload happens in the first way. The server's side is read back from the page after the local copy is gone."""
import json
import re
import secrets

from playwright.sync_api import expect

from tests.e2e.conftest import TABLET
from tests.e2e.demo_pages import JUROR, answer, confirm_dialog, juror_sheet, sign_in

OFFLINE = "Mất kết nối: bản nháp giữ trên máy này"


def status(page):
    return page.locator("#autosave-status")


def local_copies(page):
    """The sheet drafts this browser keeps, as stored."""
    return page.evaluate("""() => Object.keys(localStorage).filter(k => k.startsWith('cnnt-sheet-draft:'))
                                   .map(k => [k, localStorage.getItem(k)])""")


def other_value(current):
    return "1.5" if current.strip() not in ("1.5", "1,5") else "2"


def abort_saves(page, sheet_url):
    """The sheet's POSTs fail as on a dead network; its pages still load."""
    def handle(route):
        if route.request.method == "POST":
            route.abort("internetdisconnected")
        else:
            route.continue_()

    page.route(sheet_url, handle)
    return handle


def test_a_draft_typed_while_the_network_is_down_survives_a_reload_and_is_sent_when_it_returns(browse, demo_server, screens):
    page = browse(viewport=TABLET, server=demo_server)
    sign_in(page, JUROR)
    juror_sheet(page)
    page.wait_for_load_state()  # scoring.js is wired
    sheet_url = page.url
    points = page.locator("input.points-input").first
    typed = other_value(points.input_value())
    comment = f"Chấm khi mất mạng {secrets.token_hex(3)}"

    handler = abort_saves(page, sheet_url)
    points.fill(typed)
    page.get_by_label("Nhận xét").fill(comment)
    expect(status(page)).to_contain_text(OFFLINE)  # the background save ~2 s later could not leave
    [(key, stored)] = local_copies(page)
    record = json.loads(stored)
    assert record["fields"]["comment"] == comment and "csrf_token" not in record["fields"] and "version" not in record["fields"]
    assert re.fullmatch(r"cnnt-sheet-draft:\d+:\d+:\d+", key)

    page.reload()  # the page itself still loads; the copy is put back and tried again (and fails again)
    expect(page.get_by_label("Nhận xét")).to_have_value(comment)
    expect(points).to_have_value(typed)
    expect(status(page)).to_contain_text(re.compile("Đã khôi phục bản nháp chưa gửi được|" + OFFLINE))
    screens(page, "sheet-restored-offline")

    page.context.set_offline(True)
    expect(status(page)).to_contain_text(OFFLINE)
    page.locator("#submit-sheet").click()
    expect(status(page)).to_contain_text("Mất kết nối: chưa nộp được")
    expect(confirm_dialog(page)).to_be_hidden()
    expect(page).to_have_url(sheet_url)
    screens(page, "sheet-submit-offline")

    page.unroute(sheet_url, handler)
    page.context.set_offline(False)  # the "online" event sends the copy
    expect(status(page)).to_contain_text("Đã gửi bản nháp giữ trên máy này")
    assert local_copies(page) == []
    page.reload()  # what the server now holds
    expect(page.get_by_label("Nhận xét")).to_have_value(comment)
    expect(points).to_have_value(typed)
    expect(status(page)).not_to_contain_text("khôi phục")


def test_a_copy_older_than_the_servers_draft_is_not_sent_unless_the_juror_chooses_it(browse, demo_server):
    tablet = browse(viewport=TABLET, server=demo_server)
    sign_in(tablet, JUROR)
    juror_sheet(tablet)
    tablet.wait_for_load_state()
    sheet_url = tablet.url
    tablet.context.set_offline(True)
    kept = f"Bản trên máy tính bảng {secrets.token_hex(3)}"
    tablet.get_by_label("Nhận xét").fill(kept)
    expect(status(tablet)).to_contain_text(OFFLINE)
    tablet.close()  # the tablet runs flat before the network returns

    laptop = browse(server=demo_server)  # meanwhile the juror goes on on another device
    sign_in(laptop, JUROR)
    laptop.goto(sheet_url)
    laptop.wait_for_load_state()
    newer = f"Bản trên máy tính xách tay {secrets.token_hex(3)}"
    with laptop.expect_response(lambda response: response.request.method == "POST") as saved:
        laptop.get_by_label("Nhận xét").fill(newer)  # saved in the background ~2 s later
    assert saved.value.json()["ok"]

    context = tablet.context
    context.set_offline(False)
    tablet = context.new_page()
    tablet.goto(sheet_url)
    question = answer(tablet, yes=False)  # keep what the server has
    assert "đã được lưu sau đó" in question
    expect(tablet.get_by_label("Nhận xét")).to_have_value(newer)
    assert local_copies(tablet) == []
    tablet.reload()
    expect(tablet.get_by_label("Nhận xét")).to_have_value(newer)
    expect(confirm_dialog(tablet)).to_be_hidden()
