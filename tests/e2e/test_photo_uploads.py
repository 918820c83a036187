"""Several photos at once (issue 19): chosen together from a phone, each is made smaller in the browser when it is
over 2,500 px, sent on its own with its own progress and answer, and the photos and the checklist update in place."""
import io
import re
import secrets

from PIL import Image
from playwright.sync_api import expect

from tests.e2e.conftest import SMALL_PHONE
from tests.e2e.demo_pages import PRODUCER, assert_fits, sign_in



def jpeg(size, colour):
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG", quality=90)
    return out.getvalue()


def test_several_photos_go_up_at_once_each_with_its_own_answer(browse, demo_server, screens):
    page = browse(viewport=SMALL_PHONE, server=demo_server)
    sign_in(page, PRODUCER)
    page.goto("/producer/products/new")
    page.get_by_label("Tên sản phẩm").fill(f"Miến dong nhiều ảnh {secrets.token_hex(3)}")
    page.locator("main form [type=submit]").click()
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator("#checklist")).to_contain_text("ảnh")  # photos still missing
    picker = page.locator("form[data-multi-upload] input[type=file]")
    expect(picker).to_have_attribute("accept", "image/jpeg,image/png,image/webp")
    page.evaluate("window.stayedOnThePage = true")

    picker.set_input_files([
        {"name": "mat-truoc.jpg", "mimeType": "image/jpeg", "buffer": jpeg((640, 480), "teal")},
        {"name": "ca-bao.jpg", "mimeType": "image/jpeg", "buffer": jpeg((3200, 2400), "orange")},
        {"name": "khong-phai-anh.jpg", "mimeType": "image/jpeg", "buffer": b"%PDF-1.4 not a photo"},
        {"name": "mat-sau.jpg", "mimeType": "image/jpeg", "buffer": jpeg((640, 480), "navy")},
    ])
    rows = page.locator(".upload-list li")
    expect(rows).to_have_count(4)
    expect(page.locator(".upload-list li.upload-ok")).to_have_count(3, timeout=30_000)
    failed = page.locator(".upload-list li.upload-failed")
    expect(failed).to_have_count(1)
    expect(failed).to_contain_text("khong-phai-anh.jpg")
    assert failed.locator(".upload-status").inner_text().strip(), "the refused photo says nothing"
    # In place: the photos, their count and the checklist as the server now has them, the page never reloaded.
    gallery = page.locator("#photos .gallery img")
    expect(gallery).to_have_count(3)
    expect(page.locator("#photos-heading")).to_contain_text("(3)")
    assert page.evaluate("window.stayedOnThePage === true")
    assert_fits(page, SMALL_PHONE["width"])
    screens(page, "photos-uploaded")

    # The large photo was made smaller before it left the phone.
    sizes = []
    for source in gallery.evaluate_all("images => images.map(image => image.getAttribute('src'))"):
        original = page.request.get(re.sub(r"[?&]thumb=1", "", source))
        assert original.ok, source
        sizes.append(Image.open(io.BytesIO(original.body())).size)
    assert max(max(size) for size in sizes) == 2500, sizes
    assert (640, 480) in sizes
