"""A producer's dossier through the pages: registration, profile, products, uploads."""
import io
import re

from tests.conftest import PASSWORD, csrf_from
from tests.factories import DESCRIPTION, commune_in
from tests.helpers import register_producer_through_the_form


def token(client, url="/producer/"):
    return csrf_from(client.get(url))


def id_from(response, pattern):
    assert response.status_code == 302, response.get_data(as_text=True)[:800]
    match = re.search(pattern, response.headers["Location"])
    assert match, response.headers["Location"]
    return int(match.group(1))


def register(client, address):
    """Register through the form and confirm from the e-mail: ``client`` is signed in as the producer."""
    response = register_producer_through_the_form(client, address, PASSWORD)
    assert response.status_code == 302 and response.headers["Location"].endswith("/producer/")


def fill_profile(client, app, registration_number="4700123456", name="Hợp tác xã Miến dong Na Rì"):
    with app.app_context():
        commune_code = commune_in("19").code
    form = {"name": name, "type_code": "htx", "registration_number": registration_number,
            "province": "19", "commune": commune_code, "address": "Thôn Nà Cà",
            "representative": "Hoàng Văn Thắng", "phone": "0912 345 678", "email": "htx@example.vn",
            "csrf_token": token(client, "/producer/profile")}
    response = client.post("/producer/profile", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]


def create_product(client, name="Miến dong Na Rì", group_code="2", description=DESCRIPTION):
    form = {"name": name, "group_code": group_code, "description": description,
            "csrf_token": token(client, "/producer/products/new")}
    return id_from(client.post("/producer/products/new", data=form), r"/producer/products/(\d+)$")


def upload(client, product_id, data, filename, kind="photo", document_type="registration"):
    form = {"file": (io.BytesIO(data), filename), "csrf_token": token(client)}
    if kind == "document":
        form["document_type"] = document_type
    url = f"/producer/products/{product_id}/{'photos' if kind == 'photo' else 'documents'}"
    return client.post(url, data=form, content_type="multipart/form-data", follow_redirects=True)


def all_commitments():
    """The submit form's data ticking every commitment of the registration form."""
    from voting.rules.commitments import commitment_codes

    return {code: "y" for code in commitment_codes()}
