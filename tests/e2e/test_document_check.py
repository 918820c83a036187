"""The public check of a PDF on a phone (issue 22): someone who received a certificate's PDF opens the check page
from the verification page, picks the file, and reads the verdict on the first screen, at 360 px."""
import re

import pytest

from playwright.sync_api import expect

from tests.e2e.conftest import PHONE
from tests.e2e.demo_pages import assert_fits, blocking_violations


@pytest.mark.axe
def test_a_certificate_pdf_is_checked_on_a_phone(browse, demo_server, screens, tmp_path):
    page = browse(viewport=PHONE, server=demo_server)
    page.goto("/registry/?q=Miến dong Na Rì")
    page.locator("main a[href^='/registry/']:not([href*='certificates']):not([href*='?'])").first.click()
    page.locator("main a[href^='/v/']").first.click()
    expect(page).to_have_url(re.compile(r"/v/"))
    pdf = page.request.get(page.url.split("?")[0] + "/certificate.pdf")
    assert pdf.ok and pdf.body().startswith(b"%PDF-")
    (tmp_path / "giay-chung-nhan.pdf").write_bytes(pdf.body())
    page.get_by_role("link", name="Kiểm tra một tệp PDF bạn nhận được").click()
    expect(page).to_have_url(re.compile(r"/verify/document$"))
    page.locator("input[type=file]").set_input_files(str(tmp_path / "giay-chung-nhan.pdf"))
    page.get_by_role("button", name="Kiểm tra", exact=True).click()
    verdict = page.locator(".check-verdict")
    expect(verdict).to_contain_text("Tệp do nền tảng phát hành, không bị thay đổi.")
    box = verdict.bounding_box()
    assert box and box["y"] + box["height"] <= PHONE["height"]  # the answer on the first screen
    assert_fits(page)
    assert not blocking_violations(page)
    screens(page, "checked")
