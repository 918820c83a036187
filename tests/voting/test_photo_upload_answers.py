"""A photo sent by the page's script (several at once, static/js/uploads.js) gets JSON for itself: what the page
would have flashed, and no flash left over for the next page."""
import io

from tests.factories import jpeg_bytes
from tests.support.dossiers import create_product, fill_profile, register, token

SCRIPT = {"X-Requested-With": "fetch", "Accept": "application/json"}


def _send(client, product_id, data, name):
    return client.post(f"/producer/products/{product_id}/photos", headers=SCRIPT, content_type="multipart/form-data",
                       data={"file": (io.BytesIO(data), name), "csrf_token": token(client)})


def test_each_photo_gets_its_own_answer_as_json(app, client):
    register(client, "htx.anh@example.vn")
    fill_profile(client, app)
    product_id = create_product(client)
    taken = _send(client, product_id, jpeg_bytes("teal"), "mat-truoc.jpg")
    assert taken.status_code == 200 and taken.get_json() == {"ok": True, "messages": ["Đã tải lên mat-truoc.jpg."]}
    refused = _send(client, product_id, b"%PDF-1.4 not a photo", "gia.jpg")
    assert refused.status_code == 400
    answer = refused.get_json()
    assert answer["ok"] is False and answer["messages"] and "gia.jpg" in " ".join(answer["messages"])
    page = client.get(f"/producer/products/{product_id}").get_data(as_text=True)
    assert "Đã tải lên mat-truoc.jpg" not in page  # said once, in the answer
    assert page.count('class="gallery"') == 1 and page.count("thumb=1") == 1
