"""Bad input on the producer's pages: a clear message, nothing half-written, the rest kept.

Each case goes through the real pages with real files. "Nothing half-written"
means no new row and no new file in ``UPLOAD_DIR``; where a form is shown
again, what the user typed is still in it.
"""
from tests.helpers import CountingStream, text_of
import io
import unicodedata
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from tests.conftest import csrf_from
from tests.factories import build_world, commune_in, jpeg_bytes, make_complete_product, make_producer, make_round
from voting.extensions import db
from voting.models import Application, Producer, Product, ProductFile, User
from voting.operations.products import save_product

MB = 1024 * 1024


# --- helpers --------------------------------------------------------------------------------


def stored_files(app):
    """Every file under UPLOAD_DIR (shared by the whole session: compare before and after)."""
    return {p for p in Path(app.config["UPLOAD_DIR"]).rglob("*") if p.is_file()}


def count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def token(client):
    return csrf_from(client.get("/producer/"))


def post_file(client, url, data, filename, **fields):
    form = {"file": (io.BytesIO(data), filename), "csrf_token": token(client), **fields}
    return client.post(url, data=form, content_type="multipart/form-data", follow_redirects=True)


class Unchanged:
    """Snapshot of what a rejected upload must not touch."""

    def __init__(self, app):
        self.app, self.files, self.rows = app, stored_files(app), count(app, ProductFile)

    def check(self):
        assert stored_files(self.app) == self.files
        assert count(self.app, ProductFile) == self.rows


@pytest.fixture
def own_product(app, logged_in):
    """A signed-in producer of Thái Nguyên with one empty draft product; returns the product id."""
    user = logged_in("producer")
    with app.app_context():
        owner = db.session.get(User, user.id)
        producer = make_producer(owner)
        product = save_product(owner, producer, None, {"name": "Miến dong Na Rì", "group_code": "2"}, [])
        db.session.commit()
        return product.id


@pytest.fixture
def world(app, make_user, logged_in):
    """A signed-in owner whose complete product is in a submitted application to an open round."""
    organiser = make_user("organiser", province_code="19")
    owner = logged_in("producer")
    return build_world(app, owner.email, organiser.email, submitted=True)


def profile_form(app, client, **overrides):
    with app.app_context():
        commune_code = commune_in("19").code
    form = {"name": "Hợp tác xã Chè Tân Cương", "type_code": "htx", "registration_number": "4600123456",
            "province": "19", "commune": commune_code, "address": "Xóm Nam Đồng, số 12",
            "representative": "Nguyễn Thị Hoa", "phone": "0987654321", "email": "chetancuong@example.vn",
            "csrf_token": csrf_from(client.get("/producer/profile"))}
    form.update(overrides)
    return form


def product_form(client, **overrides):
    form = {"name": "Chè búp Tân Cương", "group_code": "2", "description": "Chè xanh sao thủ công.",
            "csrf_token": csrf_from(client.get("/producer/products/new"))}
    form.update(overrides)
    return form


def valid_gtin(body):
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return body + str((10 - total % 10) % 10)


# --- files ----------------------------------------------------------------------------------


def test_renamed_executable_is_refused_as_a_photo(app, client, own_product):
    before = Unchanged(app)
    response = post_file(client, f"/producer/products/{own_product}/photos", b"MZ\x90\x00" + bytes(4096), "anh.jpg")
    assert "Tệp “anh.jpg” không phải là ảnh JPEG, PNG hoặc WebP." in text_of(response)
    before.check()


def test_pdf_that_is_not_a_pdf_is_refused_as_a_document(app, client, own_product):
    before = Unchanged(app)
    fake = "Giấy chứng nhận đăng ký hợp tác xã số 4700123456\n".encode() * 50
    response = post_file(client, f"/producer/products/{own_product}/documents", fake, "giayphep.pdf",
                         document_type="registration")
    assert "Tệp “giayphep.pdf” không phải là PDF hoặc ảnh JPEG, PNG, WebP." in text_of(response)
    before.check()


def test_truncated_pdf_is_refused_as_a_document(app, client, own_product):
    before = Unchanged(app)
    response = post_file(client, f"/producer/products/{own_product}/documents", b"%PDF-1.7\n" + bytes(200),
                         "giayphep.pdf", document_type="registration")
    assert "Tệp “giayphep.pdf” không phải là tệp PDF hợp lệ." in text_of(response)
    before.check()


@pytest.fixture(scope="module")
def huge_png():
    """A real 20,000 × 20,000 PNG: 400 million pixels, a few dozen kilobytes."""
    out = io.BytesIO()
    Image.new("1", (20000, 20000)).save(out, "PNG")
    return out.getvalue()


def test_image_of_400_million_pixels_is_refused_from_its_header(app, client, own_product, huge_png):
    assert len(huge_png) < MB
    before = Unchanged(app)
    response = post_file(client, f"/producer/products/{own_product}/photos", huge_png, "toan-canh.png")
    assert "Ảnh “toan-canh.png” quá lớn: 20000 × 20000 điểm ảnh." in text_of(response)
    before.check()


def test_200_mb_upload_gets_413_before_it_is_read(app, client, own_product):
    before = Unchanged(app)
    body = CountingStream(200 * MB)
    response = client.post(f"/producer/products/{own_product}/photos", input_stream=body,
                           content_type="multipart/form-data; boundary=x",
                           headers={"Content-Length": str(body.size)})
    assert response.status_code == 413
    assert "Tệp hoặc dữ liệu quá lớn" in text_of(response)
    assert body.read_bytes < MB
    before.check()


def test_upload_without_a_file_asks_for_one(app, client, own_product):
    before = Unchanged(app)
    response = client.post(f"/producer/products/{own_product}/photos", data={"csrf_token": token(client)},
                           content_type="multipart/form-data", follow_redirects=True)
    assert "Hãy chọn một tệp ảnh." in text_of(response)
    before.check()


def test_same_photo_twice_is_refused_the_second_time(app, client, own_product):
    photo = jpeg_bytes("olive")
    url = f"/producer/products/{own_product}/photos"
    assert "Đã tải lên" in text_of(post_file(client, url, photo, "mat-truoc.jpg"))
    before = Unchanged(app)
    response = post_file(client, url, photo, "mat-truoc-ban-sao.jpg")
    assert "Tệp này đã được tải lên cho sản phẩm." in text_of(response)
    before.check()


# --- the producer profile -------------------------------------------------------------------


def test_malformed_cooperative_registration_number_keeps_the_form(app, client, logged_in):
    logged_in("producer")
    form = profile_form(app, client, registration_number="12345")
    response = client.post("/producer/profile", data=form)
    assert response.status_code == 200
    text = text_of(response)
    assert "Mã số doanh nghiệp, hợp tác xã gồm 10 chữ số" in text
    assert 'value="Hợp tác xã Chè Tân Cương"' in text and 'value="Xóm Nam Đồng, số 12"' in text
    assert 'value="12345"' in text
    assert count(app, Producer) == 0


def test_duplicate_registration_number_keeps_the_form(app, client, make_user, logged_in):
    other_ref = make_user("producer")
    with app.app_context():
        other = db.session.get(User, other_ref.id)
        make_producer(other, registration_number="4600123456")
        db.session.commit()
    logged_in("producer")
    response = client.post("/producer/profile", data=profile_form(app, client))
    assert response.status_code == 200
    text = text_of(response)
    assert "Mã số đăng ký này đã thuộc về một cơ sở khác trên hệ thống." in text
    assert 'value="Hợp tác xã Chè Tân Cương"' in text and 'value="Xóm Nam Đồng, số 12"' in text
    assert count(app, Producer) == 1


def test_text_typed_in_nfd_is_stored_as_nfc(app, client, logged_in):
    logged_in("producer")
    producer_name, product_name = "Hợp tác xã Chè Tân Cương", "Chè búp khô đặc sản"
    def nfd(value):
        return unicodedata.normalize("NFD", value)

    assert nfd(producer_name) != producer_name
    response = client.post("/producer/profile", data=profile_form(
        app, client, name=nfd(producer_name), address=nfd("Xóm Nam Đồng, số 12")))
    assert response.status_code == 302
    response = client.post("/producer/products/new", data=product_form(client, name=nfd(product_name)))
    assert response.status_code == 302
    with app.app_context():
        producer = db.session.scalar(select(Producer))
        product = db.session.scalar(select(Product))
        assert producer.name == producer_name and producer.address == "Xóm Nam Đồng, số 12"
        assert product.name == product_name
        assert product.name_folded == "che bup kho dac san"


# --- the product form -----------------------------------------------------------------------


def test_bad_gtin_check_digit_keeps_the_form(app, client, own_product):
    good = valid_gtin("893123456789")
    bad = good[:-1] + str((int(good[-1]) + 1) % 10)
    response = client.post("/producer/products/new", data=product_form(client, gtin=bad))
    assert response.status_code == 200
    text = text_of(response)
    assert "Mã GTIN không hợp lệ: cần 8, 12, 13 hoặc 14 chữ số với số kiểm tra đúng." in text
    assert 'value="Chè búp Tân Cương"' in text and f'value="{bad}"' in text
    assert count(app, Product) == 1  # only the fixture's product


def test_good_gtin_is_accepted(app, client, own_product):
    response = client.post("/producer/products/new", data=product_form(client, gtin=valid_gtin("893123456789")))
    assert response.status_code == 302
    assert count(app, Product) == 2


def test_product_set_with_one_item_keeps_the_form(app, client, own_product):
    form = product_form(client, name="Bộ quà tặng chè Thái", is_set="y", **{"set_items-0": "Chè búp 100 g"})
    response = client.post("/producer/products/new", data=form)
    assert response.status_code == 200
    text = text_of(response)
    assert "Bộ sản phẩm cần ít nhất 2 sản phẩm thành phần." in text
    assert 'value="Bộ quà tặng chè Thái"' in text and 'value="Chè búp 100 g"' in text
    assert count(app, Product) == 1


# --- applications ---------------------------------------------------------------------------


def test_applying_twice_to_the_same_round_is_refused(app, client, world):
    url = f"/producer/products/{world.product_id}/apply"
    response = client.post(url, data={"round_id": str(world.round_id), "csrf_token": token(client)},
                           follow_redirects=True)
    assert "Sản phẩm này đã có hồ sơ đăng ký trong đợt bình chọn này." in text_of(response)
    assert count(app, Application) == 1
    with app.app_context():
        assert db.session.get(Application, world.application_id).status == "submitted"


def test_applying_outside_the_jurisdiction_is_refused(app, client, make_user, logged_in):
    organiser_ref, owner_ref = make_user("organiser", province_code="19"), logged_in("producer")
    with app.app_context():
        round_id = make_round(db.session.get(User, organiser_ref.id)).id
        owner = db.session.get(User, owner_ref.id)
        producer = make_producer(owner, province_code="56", name="Cơ sở Yến sào Cam Ranh")
        product_id = make_complete_product(owner, producer, name="Yến sào Cam Ranh").id
        db.session.commit()
    product_page = text_of(client.get(f"/producer/products/{product_id}"))
    assert 'name="round_id"' not in product_page
    assert "Hiện không có đợt bình chọn nào đang nhận hồ sơ tại địa bàn của cơ sở." in product_page
    response = client.post(f"/producer/products/{product_id}/apply",
                           data={"round_id": str(round_id), "csrf_token": token(client)}, follow_redirects=True)
    assert "Địa chỉ cơ sở của bạn không thuộc địa bàn của đợt bình chọn này." in text_of(response)
    assert count(app, Application) == 0


# --- a submitted dossier is locked ----------------------------------------------------------

LOCKED = "Hồ sơ đã nộp nên đang bị khóa"


def test_editing_a_submitted_product_is_refused(app, client, world):
    url = f"/producer/products/{world.product_id}"
    form = {"name": "Tên mới sau khi nộp", "group_code": "1", "description": "Sửa sau khi nộp.",
            "csrf_token": token(client)}
    response = client.post(url, data=form, follow_redirects=True)
    assert LOCKED in text_of(response)
    with app.app_context():
        product = db.session.get(Product, world.product_id)
        assert (product.name, product.group_code) == ("Miến dong Na Rì", "2")


def test_uploading_a_photo_to_a_submitted_dossier_is_refused(app, client, world):
    before = Unchanged(app)
    response = post_file(client, f"/producer/products/{world.product_id}/photos", jpeg_bytes("gold"), "moi.jpg")
    assert LOCKED in text_of(response)
    before.check()


def test_deleting_a_photo_of_a_submitted_dossier_is_refused(app, client, world):
    before = Unchanged(app)
    response = client.post(f"/producer/files/{world.photo_id}/delete", data={"csrf_token": token(client)},
                           follow_redirects=True)
    assert LOCKED in text_of(response)
    before.check()
    assert client.get(f"/producer/files/{world.photo_id}").status_code == 200


# --- another producer's file ----------------------------------------------------------------


@pytest.fixture
def strangers_file(app, make_user, logged_in):
    """Sign in a second producer; return the id of a photo of the world's owner."""
    organiser = make_user("organiser", province_code="19")
    owner = make_user("producer")
    world = build_world(app, owner.email, organiser.email, submitted=False)
    me_ref = logged_in("producer")
    with app.app_context():
        me = db.session.get(User, me_ref.id)
        make_producer(me, name="Hợp tác xã khác", registration_number="4700999999")
        db.session.commit()
    return world.photo_id


def test_another_producers_file_is_not_found(app, client, strangers_file):
    assert client.get(f"/producer/files/{strangers_file}").status_code == 404
    assert client.get(f"/producer/files/{strangers_file}?thumb=1").status_code == 404


def test_another_producers_file_cannot_be_deleted(app, client, strangers_file):
    before = Unchanged(app)
    response = client.post(f"/producer/files/{strangers_file}/delete", data={"csrf_token": token(client)})
    assert response.status_code == 404
    before.check()
    with app.app_context():
        assert db.session.get(ProductFile, strangers_file) is not None
