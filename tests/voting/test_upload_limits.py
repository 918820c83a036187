"""Oversized uploads are refused from the Content-Length header, before the body is read."""
from tests.helpers import CountingStream
from tests.conftest import csrf_token
from tests.factories import build_world

MB = 1024 * 1024


def test_200_mb_photo_is_refused_before_it_is_read(app, client, make_user, logged_in):
    organiser = make_user("organiser", province_code="19")
    owner = logged_in("producer")
    world = build_world(app, owner.email, organiser.email, submitted=False)
    body = CountingStream(200 * MB)
    response = client.post(f"/producer/products/{world.product_id}/photos", input_stream=body,
                           content_type="multipart/form-data; boundary=x",
                           headers={"Content-Length": str(body.size)})
    assert response.status_code == 413
    assert "quá lớn" in response.get_data(as_text=True)
    assert body.read_bytes < MB


def test_document_limit_is_above_the_global_limit(app):
    """Documents may be up to 20 MB although other requests stop at 16 MB."""
    from voting.views.files import upload_limits

    with app.test_request_context("/"):
        assert upload_limits()["document"] > app.config["MAX_CONTENT_LENGTH"]


def test_other_routes_keep_the_global_limit(client):
    token = csrf_token(client, "/login")
    body = CountingStream(17 * MB)
    response = client.post("/login", input_stream=body, content_type="application/x-www-form-urlencoded",
                           headers={"Content-Length": str(body.size)})
    assert response.status_code == 413
    assert body.read_bytes < MB
    assert token


def test_a_document_above_the_global_limit_reaches_the_checks(app, client, make_user, logged_in):
    """17 MB is over the global 16 MB but under the 20 MB document limit: checked, not refused."""
    import io

    from tests.conftest import csrf_from

    organiser = make_user("organiser", province_code="19")
    owner = logged_in("producer")
    world = build_world(app, owner.email, organiser.email, submitted=False)
    page = client.get(f"/producer/products/{world.product_id}")
    response = client.post(f"/producer/products/{world.product_id}/documents", follow_redirects=True,
                           content_type="multipart/form-data",
                           data={"csrf_token": csrf_from(page), "document_type": "other",
                                 "file": (io.BytesIO(b"%not-a-pdf" + b"\0" * (17 * MB)), "lon.pdf")})
    assert response.status_code == 200
    assert "không phải là PDF" in response.get_data(as_text=True)
