"""One selection from the first administrator to a revoked certificate, through the browser only.

Every person works in their own browser context (their own device): the administrator creates the
staff accounts and hands each one-time link to its owner; a producer registers and applies; the
provincial organiser opens a round for it, screens and accepts, records the UBND's decision founding the
council and seats its members, most of whom never sign in (the chair is a Phó Chủ tịch UBND; the organiser
is the secretary who records the council's acts), and the jury with its Trưởng ban, appointed by the council's
numbered document; three jurors score on a
tablet (one declares a conflict, so the secretary types in a fourth juror's paper sheet); the Trưởng ban
reopens a sheet and it is submitted again; the council meets (one member absent) and votes, and the
organiser announces the results (the rules' order: the decision comes after the complaint window); the
producer complains and the council answers; after the window the organiser records the
decision and issues the certificate, dated on the decision; every document of the round (the founding
decision, the jury's appointment, the minutes, the recognition decision with its annex, the annex alone, the
registration form) downloads from its page as PDF and as .docx, and LibreOffice opens each .docx; the producer downloads
it and a label sheet, the QR read back from the PDF opens the verification page (valid), the
organiser revokes the certificate, the same QR then says revoked, and the public registry finds
the product typed without diacritics.

The only steps outside the browser: ``flask users create-admin`` (the operator's way to create the
first administrator) and moving the served app's calendar past the 15-day complaint window
(``LiveServer.move_calendar``), which a real round waits out.
"""
import io
import os
import re
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pypdfium2
import zxingcpp
from PIL import Image
from playwright.sync_api import expect

from tests.e2e.conftest import TABLET
from tests.e2e.demo_pages import always_say_yes, press_submit
from tests.factories import jpeg_bytes, pdf_bytes
from tests.support.layout import text
from tests.support.office import convert_to_pdf, missing_tools, pages_of
from voting.core.clock import today_vn

PASSWORD = "Mien-dong-Na-Ri-an-toan-2026"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TODAY = today_vn()  # the served app's today before any calendar move
PRODUCT = "Miến dong Na Rì"
PRODUCER = "Hợp tác xã Miến dong Na Rì"
NA_RI_COMMUNE = "02155"  # Xã Na Rì, Thái Nguyên (formerly Bắc Kạn)
#: The council as the founding decision names it: (name, position, agency, seat, account e-mail or "").
COUNCIL = (
    ("Phạm Hoàng Sơn", "Phó Chủ tịch Ủy ban nhân dân tỉnh", "Ủy ban nhân dân tỉnh Thái Nguyên", "Chủ tịch Hội đồng", ""),
    ("Đỗ Thị Minh Hằng", "Giám đốc", "Sở Công Thương tỉnh Thái Nguyên", "Phó Chủ tịch Hội đồng", ""),
    ("Hoàng Thị Lan", "Phó Giám đốc", "Sở Tài chính tỉnh Thái Nguyên", "Ủy viên", ""),
    ("Triệu Thu Hà", "Phó Tổng Biên tập", "Báo Thái Nguyên", "Ủy viên", ""),
    ("Nguyễn Thị Thu Hà", "Chuyên viên", "Sở Công Thương tỉnh Thái Nguyên", "Ủy viên kiêm Thư ký",
     "sct.thainguyen@journey.example.vn"),
)
STAFF = {
    "organiser": ("sct.thainguyen@journey.example.vn", "Nguyễn Thị Thu Hà"),
    "head": ("giamkhao.a@journey.example.vn", "Trần Văn An"),
    "juror_b": ("giamkhao.b@journey.example.vn", "Lê Thị Bích"),
    "juror_c": ("giamkhao.c@journey.example.vn", "Phạm Quốc Cường"),
    "juror_d": ("giamkhao.d@journey.example.vn", "Đỗ Minh Đức"),
}


class Journey:
    """What the steps share: the server, the browser, the screenshots, and what earlier steps made."""

    def __init__(self, server, browse, screens):
        self.server, self.browse, self.screens = server, browse, screens
        self.pages = {}
        self.links = {}

    def person(self, who, viewport=None):
        """The page of one person's own device (a new browser context), opened once."""
        if who not in self.pages:
            page = self.browse(viewport=viewport) if viewport else self.browse()
            always_say_yes(page)  # "are you sure?" in the page's own dialog
            self.pages[who] = page
        return self.pages[who]

    def shot(self, who, step):
        self.screens(self.person(who), step)


def flash(page, kind="success"):
    return page.locator(f".flash-{kind}")


def sign_in(page, email, password=PASSWORD):
    page.goto("/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Mật khẩu", exact=True).fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()


def set_password(page, link):
    page.goto(urlsplit(link).path)
    page.get_by_label("Mật khẩu mới", exact=True).fill(PASSWORD)
    page.get_by_label("Nhập lại mật khẩu mới").fill(PASSWORD)
    page.get_by_role("button", name="Lưu mật khẩu").click()
    expect(page).to_have_url(re.compile(r"/login"))


def file_payload(name, mime, data):
    return {"name": name, "mimeType": mime, "buffer": data}


def png_bytes(colour):
    out = io.BytesIO()
    Image.new("RGB", (320, 240), colour).save(out, "PNG")
    return out.getvalue()


def choose_option(select, text):
    """Select the option labelled ``text``, or else the one option whose label starts with or contains it."""
    # Reading the options does not wait: after a click the page holding the list may still be loading (CI saw
    # an empty list once, with two browser workers side by side).
    select.wait_for()
    labels = [label.strip() for label in select.locator("option").all_inner_texts()]
    matching = ([label for label in labels if label == text] or [label for label in labels if label.startswith(text)]
                or [label for label in labels if text in label])
    assert len(matching) == 1, (text, labels)
    select.select_option(label=matching[0])


def decode_qr_codes(pdf):
    """Rasterise page 1 as a phone camera would see it and read every QR code on it."""
    image = pypdfium2.PdfDocument(pdf)[0].render(scale=150 / 72).to_pil().convert("RGB")
    return [result.text for result in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]


def download(page, link):
    with page.expect_download() as info:
        link.click()
    return info.value.path().read_bytes()


# Steps --------------------------------------------------------------------------------------------

def first_administrator_sets_password(j):
    done = j.server.cli("users", "create-admin", "--email", "quantri@journey.example.vn",
                        "--name", "Quản trị viên Sở Công Thương")
    link = re.search(r"https?://\S+", done.stdout).group(0)
    page = j.person("admin")
    set_password(page, link)
    sign_in(page, "quantri@journey.example.vn")
    j.shot("admin", "admin-signed-in")


def admin_creates_staff_accounts(j):
    page = j.person("admin")
    for who, (email, name) in STAFF.items():
        page.goto("/admin/users")
        page.get_by_role("link", name="Tạo tài khoản").click()
        page.get_by_label("E-mail").fill(email)
        page.get_by_label("Họ và tên").fill(name)
        if who == "organiser":
            page.get_by_label("Chức vụ, học hàm").fill("Chuyên viên Sở Công Thương")
            choose_option(page.get_by_label("Vai trò"), "Cán bộ tổ chức")
            choose_option(page.get_by_label("Cấp / địa bàn"), "Cấp tỉnh")
            choose_option(page.get_by_label("Tỉnh, thành phố"), "Thái Nguyên")
        else:
            page.get_by_label("Chức vụ, học hàm").fill("Chuyên gia")
            choose_option(page.get_by_label("Vai trò"), "Ban Giám khảo")
        page.get_by_role("button", name="Lưu").click()
        link = page.get_by_label("Liên kết")
        expect(link).to_have_value(re.compile(r"/reset-password/"))
        j.links[who] = link.input_value()
        if who == "organiser":
            j.shot("admin", "admin-organiser-link")
    page.goto("/admin/users")
    for email, _ in STAFF.values():
        expect(page.get_by_role("link", name=email)).to_be_visible()
    j.shot("admin", "admin-accounts")


def staff_set_passwords(j):
    """Each person opens their one-time link on their own device (the paper juror never signs in)."""
    for who, viewport in (("organiser", None), ("head", TABLET), ("juror_b", TABLET), ("juror_c", TABLET)):
        page = j.person(who, viewport)
        set_password(page, j.links[who])
        sign_in(page, STAFF[who][0])
    j.shot("organiser", "organiser-signed-in")


def organiser_creates_round(j):
    page = j.person("organiser")
    page.goto("/organiser/")
    page.get_by_role("link", name="Tạo đợt mới").click()
    page.get_by_label("Tên đợt bình chọn").fill(f"Bình chọn sản phẩm CNNT tiêu biểu tỉnh Thái Nguyên năm {TODAY.year}")
    page.get_by_label("Năm").fill(str(TODAY.year))
    page.get_by_label("Ngày bắt đầu nhận hồ sơ").fill(TODAY.replace(day=1).isoformat())
    page.get_by_label("Ngày kết thúc nhận hồ sơ").fill((TODAY + timedelta(days=30)).isoformat())
    choose_option(page.get_by_label("Cơ quan cấp giấy chứng nhận"), "Thái Nguyên")
    page.get_by_role("button", name="Lưu đợt bình chọn").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Thái Nguyên")
    j.round_url = urlsplit(page.url).path
    j.round_id = int(re.search(r"/rounds/(\d+)", j.round_url).group(1))
    # The round's rules: the official sheet as it is, the certificate's signer.
    page.get_by_role("link", name="Thiết lập").click()
    # Signed as a provincial decision is: TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH / name.
    choose_option(page.get_by_label("Thẩm quyền ký"), "KT.")
    page.get_by_label("Tên tập thể (khi ký TM.)").fill("Ủy ban nhân dân")
    page.get_by_label("Chức danh người đứng đầu (khi ký KT., TL., TUQ., Q.)").fill("Chủ tịch")
    page.get_by_label("Chức vụ của người ký").fill("Phó Chủ tịch")
    page.get_by_label("Họ tên người ký").fill("Nguyễn Văn Bình")
    page.get_by_role("button", name="Lưu thiết lập").click()
    expect(flash(page)).to_be_visible()
    j.shot("organiser", "organiser-round-settings")
    page.goto(j.round_url)
    page.get_by_role("button", name="Mở nhận hồ sơ").click()
    expect(page.get_by_role("button", name="Kết thúc nhận hồ sơ")).to_be_visible()
    j.shot("organiser", "organiser-registration-open")


def producer_registers(j):
    page = j.person("producer")
    page.goto("/")
    page.get_by_role("link", name="Đăng ký cơ sở").click()
    page.get_by_label("Họ và tên người đăng ký").fill("Hoàng Văn Thắng")
    page.get_by_label("E-mail").fill("htx.miendong@journey.example.vn")
    page.get_by_label("Số điện thoại").fill("0912 345 678")
    page.get_by_label("Mật khẩu", exact=True).fill(PASSWORD)
    page.get_by_label("Nhập lại mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng ký").click()
    expect(flash(page, "info").first).to_contain_text("Chúng tôi đã gửi thư tới htx.miendong@journey.example.vn")
    # The confirmation link from the e-mail (the development server writes its mail to the log).
    page.goto(urlsplit(j.server.mailed_link("htx.miendong@journey.example.vn")).path)
    page.get_by_role("button", name="Xác nhận đăng ký").click()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()
    j.shot("producer", "producer-registered")


def producer_fills_profile(j):
    page = j.person("producer")
    page.get_by_role("navigation", name="Cơ sở của tôi").get_by_role("link", name="Hồ sơ cơ sở").click()
    page.get_by_label("Tên cơ sở (tên đầy đủ theo đăng ký)").fill(PRODUCER)
    choose_option(page.get_by_label("Loại hình"), "Hợp tác xã")
    page.get_by_label("Mã số đăng ký").fill("4700123456")
    choose_option(page.get_by_label("Tỉnh, thành phố"), "Thái Nguyên")
    page.get_by_label("Xã, phường (mã 5 chữ số)").fill(NA_RI_COMMUNE)
    page.get_by_label("Địa chỉ (số nhà, thôn, xóm, đường)").fill("Thôn Nà Làng")
    page.get_by_label("Người đại diện").fill("Hoàng Văn Thắng")
    page.get_by_role("textbox", name="Số điện thoại").fill("0912345678")
    page.get_by_label("E-mail liên hệ").fill("htx.miendong@journey.example.vn")
    page.get_by_label("Cho phép công khai địa chỉ").check()
    page.get_by_role("button", name="Lưu hồ sơ cơ sở").click()
    expect(flash(page)).to_be_visible()
    j.shot("producer", "producer-profile")


def producer_creates_product(j):
    page = j.person("producer")
    page.get_by_role("navigation", name="Cơ sở của tôi").get_by_role("link", name="Thêm sản phẩm").click()
    page.get_by_label("Tên sản phẩm").fill(PRODUCT)
    choose_option(page.get_by_label("Nhóm sản phẩm"), "chế biến nông, lâm, thủy sản")
    page.get_by_label("Bản thuyết minh, mô tả giới thiệu sản phẩm").fill(
        "Miến làm từ củ dong riềng trồng tại Na Rì, phơi nắng tự nhiên, không chất tẩy trắng; "
        "sợi dai, trong, đóng gói 500 g; bán tại các tỉnh phía Bắc.")
    page.get_by_role("button", name="Lưu sản phẩm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(PRODUCT)
    j.product_url = urlsplit(page.url).path
    j.shot("producer", "producer-product-created")
    photos = [file_payload("mien-1.jpg", "image/jpeg", jpeg_bytes("teal")),
              file_payload("mien-2.jpg", "image/jpeg", jpeg_bytes("orange")),
              file_payload("mien-3.png", "image/png", png_bytes("navy"))]
    for count, photo in enumerate(photos, 1):
        page.get_by_label("Ảnh sản phẩm (JPEG, PNG hoặc WebP)").set_input_files(photo)
        page.get_by_role("button", name="Tải ảnh lên").click()
        expect(page.get_by_role("heading", name=f"Ảnh sản phẩm ({count})")).to_be_visible()
    choose_option(page.get_by_label("Loại tài liệu"), "đăng ký")
    page.get_by_label("Tệp (PDF hoặc ảnh)").set_input_files(file_payload("giay-dkkd.pdf", "application/pdf", pdf_bytes()))
    page.get_by_role("button", name="Tải tài liệu lên").click()
    expect(page.get_by_role("heading", name="Tài liệu kèm theo (1)")).to_be_visible()
    expect(page.get_by_text("Hồ sơ sản phẩm đã đủ để nộp.")).to_be_visible()
    j.shot("producer", "producer-product-files")


def producer_applies(j):
    page = j.person("producer")
    page.goto(j.product_url)
    choose_option(page.get_by_label("Đợt bình chọn"), "Thái Nguyên")
    page.get_by_role("button", name="Tạo hồ sơ đăng ký").click()
    commitments = page.locator("#commitments input[type=checkbox]")
    # all() does not wait: on a loaded CI leg it once read the product's page, found no box and submitted none.
    expect(commitments.first).to_be_visible()
    for box in commitments.all():
        box.check()
    page.get_by_role("button", name="Nộp hồ sơ").click()
    expect(page.locator(".status-submitted")).to_be_visible()
    j.application_url = urlsplit(page.url).path
    # The round (the form's default) accepts the dossier only with the signed registration form.
    form_pdf = page.request.get(page.get_by_role("link", name="Tải về phiếu đăng ký (PDF) để in và ký").get_attribute("href"))
    assert form_pdf.ok and form_pdf.body().startswith(b"%PDF-")
    page.get_by_label("Phiếu đăng ký đã ký (PDF, JPEG hoặc PNG)").set_input_files(
        file_payload("phieu-dang-ky-da-ky.pdf", "application/pdf", pdf_bytes()))
    page.get_by_role("button", name="Tải phiếu đã ký lên").click()
    expect(page.get_by_text("Đã tải lên phiếu đăng ký đã ký.")).to_be_visible()
    j.shot("producer", "producer-applied")


def organiser_screens_and_accepts(j):
    page = j.person("organiser")
    page.goto(j.round_url)
    page.get_by_role("button", name="Kết thúc nhận hồ sơ").click()
    expect(page.get_by_role("button", name="Kết thúc nhận hồ sơ")).to_have_count(0)
    page.get_by_label("Tìm (tên sản phẩm, cơ sở, mã số)").fill("mien dong")
    page.get_by_role("button", name="Lọc").click()
    page.get_by_role("link", name=PRODUCT).click()
    expect(page.get_by_role("img", name=f"Ảnh 3 của {PRODUCT}")).to_be_visible()
    expect(page.locator("#commitments-status")).to_contain_text("Đã đánh dấu đủ 5 cam kết")
    expect(page.locator("#signed-form-status").get_by_role("link")).to_be_visible()
    page.get_by_role("button", name="Chấp nhận hồ sơ").click()
    expect(flash(page)).to_contain_text(f"Đã chấp nhận hồ sơ {PRODUCT} của {PRODUCER}, mã số bình chọn")
    expect(page.locator(".status-accepted")).to_be_visible()
    j.shot("organiser", "organiser-accepted")


def organiser_seats_council_and_jury(j):
    page = j.person("organiser")
    page.goto(j.round_url)
    page.get_by_role("link", name="Hội đồng và giám khảo").click()
    # The UBND tỉnh's founding decision: its signer starts as the round's.
    founding = page.locator("form").filter(has=page.get_by_role("button", name="Lưu quyết định thành lập"))
    founding.get_by_label("Số quyết định thành lập").fill("1870/QĐ-UBND")
    founding.get_by_label("Ngày ký").fill((TODAY - timedelta(days=20)).isoformat())
    expect(founding.get_by_label("Họ tên người ký")).to_have_value("Nguyễn Văn Bình")
    founding.get_by_role("button", name="Lưu quyết định thành lập").click()
    expect(page.get_by_text("Quyết định số 1870/QĐ-UBND ngày")).to_be_visible()
    # Members are people named in the decision: only the secretary has an account.
    council = page.locator("form").filter(has=page.get_by_role("button", name="Thêm vào Hội đồng"))
    for name, position, agency, role, email in COUNCIL:
        council.get_by_label("Họ và tên").fill(name)
        council.get_by_label("Chức vụ").fill(position)
        council.get_by_label("Cơ quan, đơn vị").fill(agency)
        choose_option(council.get_by_label("Vai trò trong Hội đồng"), role)
        council.get_by_label(re.compile("^E-mail tài khoản")).fill(email)
        council.get_by_role("button", name="Thêm vào Hội đồng").click()
        expect(flash(page)).to_contain_text(f"Đã thêm {name} vào Hội đồng")
    jury = page.locator("form").filter(has=page.get_by_role("button", name="Thêm vào Ban Giám khảo"))
    for who in ("head", "juror_b", "juror_c", "juror_d"):
        jury.get_by_label("E-mail tài khoản").fill(STAFF[who][0])
        if who == "head":
            jury.get_by_label("Trưởng Ban Giám khảo").check()
        jury.get_by_role("button", name="Thêm vào Ban Giám khảo").click()
        expect(page.get_by_text(f"{STAFF[who][1]}").first).to_be_visible()
    expect(page.locator("#juror li").filter(has_text=STAFF["head"][1])).to_contain_text("Trưởng Ban Giám khảo")
    # The council appoints its jury by a numbered document, signed by its chair.
    appointment = page.locator("form").filter(has=page.get_by_role("button", name="Lưu văn bản"))
    appointment.get_by_label("Số văn bản thành lập Ban Giám khảo và Tổ giúp việc").fill("01/QĐ-HĐBC")
    appointment.get_by_label("Ngày ký").fill((TODAY - timedelta(days=15)).isoformat())
    appointment.get_by_role("button", name="Lưu văn bản").click()
    expect(page.get_by_text("Thành lập theo văn bản số 01/QĐ-HĐBC")).to_be_visible()
    page.get_by_role("button", name="Rà soát xung đột lợi ích").click()
    expect(flash(page, "info")).to_be_visible()
    page.get_by_role("button", name="Mở chấm điểm").click()
    expect(page.get_by_role("button", name="Kết thúc chấm, chuyển Hội đồng họp")).to_be_visible()
    j.shot("organiser", "organiser-scoring-open")


def score(page, points, comment):
    for code, value in zip("1234", points, strict=True):
        page.get_by_label(f"Điểm tiêu chí {code}", exact=True).fill(value)
    page.get_by_label("Nhận xét").fill(comment)
    expect(page.locator("#sheet-total")).to_have_text(re.compile(r"\d"))
    submit, submitted = page.get_by_role("button", name="Nộp phiếu"), page.get_by_text("✓ Đã nộp")
    press_submit(page, submit, submitted)  # the question is answered by always_say_yes
    expect(submitted).to_be_visible()


def open_entry(page, round_id):
    page.goto("/jury/")
    page.get_by_role("link", name=re.compile("Thái Nguyên")).first.click()
    expect(page).to_have_url(re.compile(rf"/jury/rounds/{round_id}$"))


def jurors_score_on_tablets(j):
    juror_c = j.person("juror_c")
    open_entry(juror_c, j.round_id)
    juror_c.get_by_text("Khai báo xung đột lợi ích").first.click()
    juror_c.get_by_label("Lý do").fill("Em gái tôi là thành viên hợp tác xã")
    juror_c.get_by_role("button", name="Khai báo xung đột lợi ích").click()
    expect(juror_c.get_by_role("link", name=PRODUCT)).to_have_count(0)
    j.shot("juror_c", "juror-declares-conflict")
    for who, points in (("head", ("34", "32", "8.5", "8")), ("juror_b", ("33", "30", "8", "8"))):
        page = j.person(who)
        open_entry(page, j.round_id)
        page.get_by_role("link", name=PRODUCT).click()
        score(page, points, "Sản phẩm truyền thống, quy trình sạch, thị trường ổn định.")
        j.shot(who, f"{who}-scored")


def secretary_enters_paper_sheet(j):
    page = j.person("organiser")
    page.goto(f"/council/rounds/{j.round_id}")
    page.get_by_role("link", name="Nhập phiếu chấm giấy").click()
    choose_option(page.get_by_label("Sản phẩm"), PRODUCT)
    choose_option(page.get_by_label("Giám khảo"), STAFF["juror_d"][1])
    for code, value in zip("1234", ("35", "31", "9", "8.5"), strict=True):
        page.get_by_label(re.compile(rf"^{code}\. ")).fill(value)
    page.get_by_label("Nhận xét (như trên phiếu)").fill("Đạt yêu cầu (phiếu giấy).")
    page.get_by_label("Bản quét phiếu giấy (PDF hoặc ảnh)").set_input_files(
        file_payload("phieu-giay.pdf", "application/pdf", pdf_bytes()))
    page.get_by_role("button", name="Ghi nhận phiếu").click()
    expect(page.get_by_text(f"Phiếu giấy, nhập bởi {STAFF['organiser'][1]}")).to_be_visible()
    j.shot("organiser", "secretary-paper-sheet")


def head_reopens_a_sheet(j):
    """The Trưởng Ban Giám khảo holds the jury's housekeeping (not the council's chair, who has no account)."""
    chair = j.person("head")
    chair.goto("/council/")
    chair.get_by_role("link", name=re.compile("Thái Nguyên")).first.click()
    row = chair.get_by_role("row").filter(has_text=STAFF["juror_b"][1])
    row.get_by_label("Lý do mở lại").fill("Tiêu chí 2 cộng nhầm, đề nghị chấm lại")
    row.get_by_role("button", name="Mở lại phiếu").click()
    expect(chair.get_by_role("row").filter(has_text=STAFF["juror_b"][1])).to_contain_text("Bản nháp")
    j.shot("head", "head-reopened-sheet")
    juror_b = j.person("juror_b")
    open_entry(juror_b, j.round_id)
    juror_b.get_by_role("link", name=PRODUCT).click()
    score(juror_b, ("33", "32", "8", "8"), "Sản phẩm truyền thống, quy trình sạch, thị trường ổn định.")
    j.shot("juror_b", "juror-b-submitted-again")


def council_decides(j):
    organiser = j.person("organiser")
    organiser.goto(j.round_url)
    organiser.get_by_role("link", name="Hội đồng và giám khảo").click()
    organiser.get_by_role("button", name="Kết thúc chấm, chuyển Hội đồng họp").click()
    expect(flash(organiser)).to_be_visible()
    # The secretary records the meeting: its minutes' number and hours, who attended (one member away), the vote.
    secretary = organiser
    secretary.goto(f"/council/rounds/{j.round_id}")
    secretary.get_by_role("link", name="Kết quả và họp Hội đồng").click()
    secretary.get_by_label("Số biên bản (không bắt buộc)").fill("02/BB-HĐBC")
    secretary.get_by_label("Ngày họp").fill(TODAY.isoformat())
    secretary.get_by_label("Giờ bắt đầu").fill("08:30")
    secretary.get_by_label("Giờ kết thúc").fill("11:00")
    secretary.get_by_label("Địa điểm họp").fill("Phòng họp tầng 3, Sở Công Thương tỉnh Thái Nguyên")
    secretary.get_by_label("Triệu Thu Hà").uncheck()
    secretary.get_by_label("Tán thành", exact=True).fill("4")
    secretary.get_by_label("Không tán thành", exact=True).fill("0")
    secretary.get_by_label("Không biểu quyết", exact=True).fill("0")
    secretary.wait_for_load_state()
    secretary.get_by_role("button", name="Ghi kết quả biểu quyết").click()
    expect(flash(secretary)).to_contain_text("thông qua")
    j.shot("organiser", "council-vote")
    # The rules' order: the council's list is announced first; the decision follows the complaint window.
    organiser.goto(f"/rounds/{j.round_id}/results")
    organiser.wait_for_load_state()  # the confirmation is wired when the page has loaded
    organiser.get_by_role("button", name="Công bố kết quả").click()
    expect(flash(organiser)).to_contain_text("Đã công bố kết quả")
    expect(organiser.get_by_text("Quyết định công nhận được ghi sau khi hết thời hạn khiếu nại")).to_be_visible()
    j.shot("organiser", "organiser-published")


def producer_complains_before_the_decision(j):
    """Within the window the producer asks the council to look again; the council answers (dismissed, the
    product being on the proposed list already). The decision waits for that answer."""
    producer = j.person("producer")
    producer.goto(j.application_url)
    expect(producer.locator("main")).to_contain_text("Hội đồng bình chọn đề nghị công nhận")
    producer.get_by_label("Nội dung khiếu nại").fill("Đề nghị Hội đồng xem lại điểm tiêu chí 3 (bao bì mới).")
    producer.get_by_role("button", name="Gửi khiếu nại").click()
    expect(flash(producer).filter(has_text="Đã gửi khiếu nại")).to_be_visible()
    secretary = j.person("organiser")  # the council's secretary records its answer
    secretary.goto(f"/rounds/{j.round_id}/results")
    choose_option(secretary.get_by_label("Kết luận"), "Không chấp nhận khiếu nại")
    secretary.get_by_label("Trả lời của Hội đồng").fill(
        "Điểm tiêu chí 3 đã tính bao bì mới; sản phẩm vẫn trong danh sách.")
    secretary.get_by_role("button", name="Ghi trả lời").click()
    expect(flash(secretary)).to_contain_text("Đã ghi trả lời khiếu nại")
    j.shot("organiser", "council-answers-complaint")


def organiser_decides_and_issues_certificates(j):
    """Sixteen days later the complaint window has closed with no complaint: the authority decides, and the
    certificates are dated on the decision."""
    j.server.move_calendar(16)
    # Today read again, not TODAY: a run that crossed midnight in Vietnam (17:00 UTC) published the results a day
    # after TODAY, and TODAY + 16 was then the complaint window's last day, which the app rightly refused.
    decided_on = today_vn() + timedelta(days=16)
    page = j.person("organiser")
    page.goto(f"/rounds/{j.round_id}/results")
    page.get_by_label("Số quyết định").fill("2871/QĐ-UBND")
    page.get_by_label("Ngày ký quyết định").fill(decided_on.isoformat())
    # The decision's signer starts as the round's.
    expect(page.get_by_label("Thẩm quyền ký")).to_have_value("kt")
    expect(page.get_by_label("Chức danh người đứng đầu (khi ký KT., TL., TUQ., Q.)")).to_have_value("Chủ tịch")
    expect(page.get_by_label("Họ tên người ký")).to_have_value("Nguyễn Văn Bình")
    page.wait_for_load_state()
    page.get_by_role("button", name="Ghi quyết định").click()
    expect(flash(page)).to_contain_text("2871/QĐ-UBND")
    page.goto(f"/certificates/rounds/{j.round_id}")
    page.get_by_role("button", name="Cấp giấy chứng nhận").click()
    number = page.get_by_role("link", name=re.compile(r"^\d+\/GCN-UBND$"))  # the official form, "15/GCN-UBND"
    expect(number).to_be_visible(timeout=60_000)
    j.certificate_number = number.inner_text()
    j.shot("organiser", "organiser-certificates-issued")


#: Each document of the round as its page offers it: (who, page, section or None, link name, what it must say).
DOCUMENTS = (
    ("organiser", "council", "#founding-documents", "Tải về quyết định (PDF)", "QUYẾT ĐỊNH"),
    ("organiser", "council", "#founding-documents", "Tải về bản Word (.docx)", "QUYẾT ĐỊNH"),
    ("organiser", "council", "#jury-documents", "Tải về quyết định (PDF)", "Ban Giám khảo"),
    ("organiser", "council", "#jury-documents", "Tải về bản Word (.docx)", "Ban Giám khảo"),
    ("organiser", "results", None, "Tải về Biên bản họp Hội đồng (Word)", "BIÊN BẢN HỌP HỘI ĐỒNG BÌNH CHỌN"),
    ("organiser", "results", None, "Biên bản họp Hội đồng (PDF)", "BIÊN BẢN HỌP HỘI ĐỒNG BÌNH CHỌN"),
    ("organiser", "results", None, "Tải về Quyết định công nhận kèm danh sách (PDF)", "Kèm theo Quyết định số 2871/QĐ-UBND"),
    ("organiser", "results", None, "Tải về Quyết định công nhận kèm danh sách (Word, để chỉnh sửa)",
     "Kèm theo Quyết định số 2871/QĐ-UBND"),
    ("organiser", "results", None, "Danh sách kèm theo Quyết định (PDF)", "Kèm theo Quyết định số 2871/QĐ-UBND"),
    ("organiser", "results", None, "Tải về Danh sách kèm theo Quyết định (Word)", "Kèm theo Quyết định số 2871/QĐ-UBND"),
    ("producer", "application", "#registration-form", "Tải về phiếu đăng ký (PDF) để in và ký", "PHIẾU ĐĂNG KÝ"),
    ("producer", "application", "#registration-form", "Tải về bản Word (.docx)", "PHIẾU ĐĂNG KÝ"),
)


def every_document_downloads_as_pdf_and_docx_and_opens_in_libreoffice(j):
    """Issue 18's documents of the round just run, from the links their pages offer: the council's founding
    decision and the jury's appointment, the minutes, the recognition decision with its annex, the annex alone and
    the registration form, each as PDF and as .docx; LibreOffice opens every .docx (headless, one run)."""
    pages = {"council": f"/organiser/rounds/{j.round_id}/council", "results": f"/rounds/{j.round_id}/results",
             "application": j.application_url}
    files = {}
    for index, (who, where, section, name, says) in enumerate(DOCUMENTS):
        page = j.person(who)
        if urlsplit(page.url).path != pages[where]:
            page.goto(pages[where])
        scope = page.locator(section) if section else page.locator("main")
        answer = page.request.get(scope.get_by_role("link", name=name, exact=True).get_attribute("href"))
        body = answer.body()
        assert answer.ok, (name, answer.status)
        if ".docx" in name or "(Word" in name:
            assert answer.headers["content-type"].startswith(DOCX) and body.startswith(b"PK"), name
            files[f"document-{index}.docx"] = (body, says)
        else:
            assert answer.headers["content-type"] == "application/pdf" and body.startswith(b"%PDF-"), name
            printed = " ".join(" ".join(p.get_textpage().get_text_range().split()) for p in pypdfium2.PdfDocument(body))
            assert says in printed, (name, says)
    missing = missing_tools("soffice", "pdftotext")
    assert not (missing and os.environ.get("CI")), missing
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        for file_name, (body, _says) in files.items():
            (folder / file_name).write_bytes(body)
        if missing:
            print(f"\n{missing}")  # the downloads were checked; LibreOffice's opening of them was not
            files = {}
        else:
            convert_to_pdf(folder, list(files))
        for file_name, (_body, says) in files.items():
            words = " ".join(text(page) for page in pages_of(folder / file_name.replace(".docx", ".pdf")))
            assert says in words, (file_name, says)
    j.person("organiser").goto(f"/certificates/rounds/{j.round_id}")  # where the next step prints the certificates


def organiser_prepares_print_file(j):
    """The print-ready PDF is prepared in the background; the page follows it and offers the file."""
    page = j.person("organiser")
    page.get_by_role("button", name="Chuẩn bị một tệp PDF để in").click()
    expect(flash(page)).to_contain_text("Đang chuẩn bị tệp")
    line = page.locator("#job-certificates_pdf")
    link = line.get_by_role("link", name="Tải về")
    expect(link).to_be_visible(timeout=60_000)  # the page polled the job and reloaded when it ended
    expect(line).to_contain_text("Tệp PDF để in: xong lúc")
    printed = download(page, link)
    assert printed.startswith(b"%PDF-") and decode_qr_codes(printed), "no certificate with a QR in the print file"
    j.shot("organiser", "organiser-print-file-ready")


def producer_downloads_certificate(j):
    page = j.person("producer")
    page.goto(j.application_url)
    expect(page.get_by_text("2871/QĐ-UBND")).to_be_visible()
    page.get_by_role("link", name="Giấy chứng nhận", exact=True).click()
    row = page.get_by_role("row").filter(has_text=j.certificate_number)
    certificate = download(page, row.get_by_role("link", name="Giấy chứng nhận (PDF)"))
    labels = download(page, row.get_by_role("link", name="Tờ nhãn dán bao bì (PDF)"))
    j.shot("producer", "producer-certificates")
    urls = decode_qr_codes(certificate)
    assert len(urls) == 1 and urls[0].startswith(j.server.url + "/v/"), urls
    label_urls = decode_qr_codes(labels)
    assert label_urls and set(label_urls) == set(urls), label_urls
    j.verify_url = urls[0]


def scanned_qr_shows(j, status, step):
    page = j.person("scanner")
    page.goto(j.verify_url)
    banner = page.locator(".verify-banner")
    expect(banner).to_have_attribute("data-status", status)
    expect(page.get_by_text(j.certificate_number).first).to_be_visible()
    j.shot("scanner", step)
    return page


def scan_shows_valid(j):
    scanned_qr_shows(j, "valid", "scan-valid")


def scan_shows_revoked(j):
    scanned_qr_shows(j, "revoked", "scan-revoked")


def organiser_revokes(j):
    page = j.person("organiser")
    page.goto(f"/certificates/rounds/{j.round_id}")
    row = page.get_by_role("row").filter(has_text=j.certificate_number)
    row.get_by_role("link", name=re.compile("^Xử lý")).click()
    revoke = page.locator("form").filter(has=page.get_by_role("button", name="Thu hồi"))
    expect(revoke.get_by_label("Lý do")).to_have_value("")  # nothing preselected
    revoke.get_by_label("Lý do").select_option(label="Kê khai không trung thực")
    revoke.get_by_label("Chi tiết").fill("Cơ sở kê khai không trung thực về nguồn nguyên liệu.")
    revoke.get_by_role("button", name="Thu hồi").click()
    expect(page.locator("main .facts .status")).to_have_text("Đã thu hồi")
    page.goto(f"/certificates/rounds/{j.round_id}")
    expect(page.get_by_role("row").filter(has_text=j.certificate_number)).to_contain_text("Đã thu hồi")
    j.shot("organiser", "organiser-revoked")


def registry_finds_product(j):
    page = j.person("scanner")
    page.goto("/")
    page.get_by_role("link", name="Tra cứu sản phẩm", exact=True).click()
    page.get_by_label("Số giấy chứng nhận, tên sản phẩm, cơ sở hoặc tỉnh").fill("mien dong na ri")
    page.get_by_role("button", name="Tìm").click()
    # Only valid certificates are listed by default; the revoked one is one click away.
    page.get_by_role("link", name=re.compile("thu hồi")).click()
    expect(page.get_by_role("link", name=PRODUCT)).to_be_visible()
    expect(page.get_by_text(j.certificate_number)).to_be_visible()
    j.shot("scanner", "registry-search")


STEPS = [first_administrator_sets_password, admin_creates_staff_accounts, staff_set_passwords, organiser_creates_round,
         producer_registers, producer_fills_profile, producer_creates_product, producer_applies,
         organiser_screens_and_accepts, organiser_seats_council_and_jury, jurors_score_on_tablets,
         secretary_enters_paper_sheet, head_reopens_a_sheet, council_decides, producer_complains_before_the_decision,
         organiser_decides_and_issues_certificates, every_document_downloads_as_pdf_and_docx_and_opens_in_libreoffice,
         organiser_prepares_print_file, producer_downloads_certificate, scan_shows_valid, organiser_revokes, scan_shows_revoked,
         registry_finds_product]


def test_from_first_administrator_to_revoked_certificate(live_server, browse, screens):
    j = Journey(live_server, browse, screens)
    try:
        for step in STEPS:
            started = time.monotonic()
            step(j)
            print(f"{step.__name__}: {time.monotonic() - started:.1f} s")
    finally:
        live_server.move_calendar(0)
