"""The registry's public product and producer pages, their JSON-LD, GS1 Digital Link and the counts chart."""
import re
from types import SimpleNamespace
from urllib.parse import quote

import pytest
from flask import render_template_string
from sqlalchemy import select
from werkzeug.exceptions import NotFound

from certificates.operations.lifecycle import correct_certificate, revoke_certificate
from certificates.views.gs1.pages import normalise_gtin
from certificates.registry.stats import certified_counts
from certificates.registry.slugs import producer_slug, product_slug
from tests.conftest import login
from tests.factories import DESCRIPTION, deliberate, make_complete_product
from tests.support.registry import json_ld
from tests.support.certificates import PASSING, certify_and_issue
from tests.support.nominations import decide_and_certify, nominate_on_page, screen_all
from tests.support.registry import import_sample, set_valid_until
from voting.core.clock import today_vn
from voting.extensions import db
from voting.models import Application, Nomination, Product, ProductGroup, Province, User
from certificates.models import Certificate, ImportedCertificate
from voting.operations.products import set_product_published
from voting.core.text import fold

GTIN13 = "4006381333931"      # a real GTIN-13 (valid check digit)
GTIN12 = "036000291452"       # a real UPC-A (GTIN-12)
UNKNOWN_GTIN8 = "96385074"    # valid, carried by no product here


@pytest.fixture
def issued(app, make_user, signer, monkeypatch):
    """Three certified products of three Thái Nguyên producers (group 2), and one that failed."""
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "1000 per minute")
    hall, certificates = certify_and_issue(app, make_user)
    with app.app_context():
        product_ids = [db.session.get(Application, i).product_id for i in hall.application_ids]
    return SimpleNamespace(hall=hall, certificates=certificates, product_ids=product_ids[:3],
                           failed_id=product_ids[3])


def _slug(app, product_id):
    with app.app_context():
        return product_slug(db.session.get(Product, product_id))


def _url(app, product_id):
    return f"/registry/{_slug(app, product_id)}"


def _publish(app, product_id, address=True, phone=True, email=True, published=True):
    with app.app_context():
        product = db.session.get(Product, product_id)
        owner = db.session.scalar(select(User).where(User.producer_id == product.producer_id))
        producer = product.producer
        producer.publish_address, producer.publish_phone, producer.publish_email = address, phone, email
        set_product_published(owner, product, published)
        db.session.commit()
        return SimpleNamespace(phone=producer.phone, email=producer.email, address=producer.address,
                               photo_ids=[p.id for p in product.photos], document_ids=[d.id for d in product.documents])


# Product page ------------------------------------------------------------------------------------

def test_unpublished_product_shows_the_registry_facts_only(app, client, issued):
    facts = _publish(app, issued.product_ids[0], published=False)  # consent given, page not published
    response = client.get(_url(app, issued.product_ids[0]))
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Sản phẩm thử 0" in body and "Cơ sở thử 0" in body and "Thái Nguyên" in body
    assert issued.certificates[0][1] in body and "Còn hiệu lực" in body and "Cấp trên hệ thống" in body
    assert "/v/" in body  # the verification link of the certificate
    for hidden in (DESCRIPTION[:40], facts.phone, facts.email, facts.address, "/photos/"):
        assert hidden not in body, hidden
    assert "Cơ sở chưa công khai ảnh, giới thiệu và thông tin liên hệ" in body
    # The photos are not served either.
    for photo_id in facts.photo_ids:
        assert client.get(f"{_url(app, issued.product_ids[0])}/photos/{photo_id}").status_code == 404


def test_published_product_shows_photos_description_and_only_the_consented_contacts(app, client, issued):
    facts = _publish(app, issued.product_ids[0], address=False, phone=True, email=False)
    url = _url(app, issued.product_ids[0])
    body = client.get(url).get_data(as_text=True)
    assert DESCRIPTION[:40] in body and facts.phone in body
    assert facts.email not in body and facts.address not in body
    photos = re.findall(r'<img src="([^"]+/photos/\d+)"\s+alt="([^"]+)"', body)
    assert len(photos) == 3 and all(alt.startswith("Ảnh ") for _, alt in photos)
    # Each is a link to itself, which static/js/lightbox.js opens full screen (data-lightbox).
    assert '<ul class="gallery" data-lightbox>' in body and all(f'<a href="{src}"><img' in body for src, _ in photos)
    photo = client.get(photos[0][0])
    assert photo.status_code == 200 and photo.mimetype == "image/webp"
    assert photo.data[:4] == b"RIFF" and photo.headers["Cache-Control"] == "public, no-cache"
    assert photo.headers.getlist("Content-Security-Policy") == ["default-src 'none'; sandbox"]  # its own, not the site's
    # A document of the dossier, another product's photo, or an unknown id: never served here.
    other = _publish(app, issued.product_ids[1])
    for file_id in (facts.document_ids[0], other.photo_ids[0], 999999, 2**40):
        assert client.get(f"{url}/photos/{file_id}").status_code == 404, file_id
    # Unpublishing stops the photos at once.
    _publish(app, issued.product_ids[0], published=False)
    assert client.get(photos[0][0]).status_code == 404


def test_uncertified_products_are_not_in_the_registry(app, client, issued):
    with app.app_context():
        owner = db.session.scalar(select(User).where(User.producer_id == db.session.get(
            Product, issued.product_ids[0]).producer_id))
        never_applied = make_complete_product(owner, owner.producer, name="Sản phẩm chưa dự thi").id
        db.session.commit()
    for product_id in (issued.failed_id, never_applied):
        response = client.get(_url(app, product_id))
        assert response.status_code == 404
        assert "Không tìm thấy sản phẩm" in response.get_data(as_text=True)
        _publish(app, product_id)
        assert client.get(_url(app, product_id)).status_code == 404


def test_id_and_stale_slugs_redirect_to_the_canonical_slug(app, client, issued):
    product_id = issued.product_ids[0]
    canonical = _url(app, product_id)
    assert canonical == f"/registry/san-pham-thu-0-{product_id}"
    for stale in (f"/registry/{product_id}", f"/registry/ten-cu-{product_id}", f"/registry/San-Pham-Thu-0-{product_id}",
                  f"/registry/san-pham-thu-0-000{product_id}"):
        response = client.get(stale)
        assert response.status_code == 301, stale
        assert response.headers["Location"].endswith(canonical)
    page = client.get(canonical)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "max-age=60, public"
    assert client.get(canonical, headers={"If-None-Match": page.headers["ETag"]}).status_code == 304


def test_junk_references_get_a_clear_404(app, client, issued):
    junk = ["abc", "0", "-", "mien-dong-", "12abc", "99999999999999999999", str(2**31), "9" * 18, "x" * 5000,
            "%00", "%C3%28", quote("<script>alert(1)</script>", safe=""), quote("' OR 1=1 --", safe=""),
            quote("Miến dong", safe="")]
    for ref in junk:
        for prefix in ("/registry/", "/registry/producers/"):
            response = client.get(prefix + ref)
            body = response.get_data(as_text=True)
            assert response.status_code == 404, prefix + ref
            assert "<script>alert(1)" not in body
    body = client.get("/registry/" + quote("<b>x<i>-0", safe="")).get_data(as_text=True)
    assert "“&lt;b&gt;x&lt;i&gt;-0”" in body
    assert client.get(f"/registry/{issued.product_ids[0]}/photos/99999999999999999999").status_code == 404


def test_product_routes_do_not_shadow_the_other_registry_routes(app):
    adapter = app.url_map.bind("localhost")
    assert adapter.match("/registry/certificates/T-2026-001")[0] == "registry.certificate"
    assert adapter.match("/registry/certificates/KV/2024/007")[0] == "registry.certificate"
    assert adapter.match("/registry/")[0] == "registry.index"
    assert adapter.match("/registry/producers/htx-3")[0] == "registry.producer"
    assert adapter.match("/registry/mien-dong-3")[0] == "registry.product"
    try:
        endpoint = adapter.match("/registry.csv")[0]
    except NotFound:
        endpoint = None
    assert endpoint != "registry.product"


def test_certificates_of_every_kind_and_status_are_listed(app, client, issued):
    """A revoked certificate shows as such; a paper certificate linked to the product shows with its note."""
    import_sample(app)
    with app.app_context():
        organiser = db.session.get(User, issued.hall.organiser.id)
        revoke_certificate(organiser, db.session.get(Certificate, issued.certificates[1][0]), "other",
                           "Sản phẩm ngừng sản xuất.")
        paper = db.session.scalar(select(ImportedCertificate).where(ImportedCertificate.number == "QG-2019-001"))
        paper.product_id = issued.failed_id
        db.session.commit()
    revoked = client.get(_url(app, issued.product_ids[1])).get_data(as_text=True)
    assert issued.certificates[1][1] in revoked and "Đã thu hồi" in revoked
    _, data = json_ld(revoked)
    assert "award" not in data  # a revoked certificate is no award
    # The failed entry's product holds a paper certificate: public through it.
    response = client.get(_url(app, issued.failed_id))
    body = response.get_data(as_text=True).replace("\n", " ")
    assert response.status_code == 200
    assert "QG-2019-001" in body and "Cấp bản giấy — hồ sơ do Quản trị hệ thống nhập ngày" in body
    assert "Cấp quốc gia, năm 2019" in body and "Hết hạn" in body
    assert "/registry/certificates/QG-2019-001" in body


def test_certificates_of_two_levels_link_to_each_other(app, client, make_user, provincial, regional_round,
                                                      monkeypatch):
    """Nominated to the region and certified there: both certificates listed, each linking to the other."""
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "1000 per minute")
    regional_id, regional_organiser = regional_round()
    chosen = provincial.application_ids[0]
    organiser = app.test_client()
    login(organiser, provincial.organiser.email)
    assert "Đã đề cử 1 sản phẩm" in nominate_on_page(organiser, provincial.round_id, regional_id, [chosen])
    with app.app_context():
        entry = db.session.scalar(select(Nomination.target_application_id).where(
            Nomination.target_round_id == regional_id))
    region = app.test_client()
    login(region, regional_organiser.email)
    screen_all(region, regional_id, [entry])
    decide_and_certify(app, deliberate(app, make_user, regional_organiser, regional_id, [entry], [PASSING]),
                        regional_organiser.id)
    with app.app_context():
        product_id = db.session.get(Application, chosen).product_id
        lower = db.session.scalar(select(Certificate.number).where(Certificate.application_id == chosen))
        higher = db.session.scalar(select(Certificate.number).where(Certificate.application_id == entry))
    body = client.get(_url(app, product_id)).get_data(as_text=True).replace("\n", " ")
    assert "Cấp khu vực, năm" in body and "Cấp tỉnh, năm" in body
    # Numbers may hold letters such as "Đ" ("1/GCN-CĐMST"): links carry them percent-encoded.
    assert re.search(rf"Công nhận cấp cao hơn: <a [^>]*href=\"/registry/certificates/{re.escape(quote(higher))}\">", body)
    assert re.search(rf"Được đề cử từ: <a [^>]*href=\"/registry/certificates/{re.escape(quote(lower))}\">", body)
    _, data = json_ld(body)
    assert len(data["award"]) == 2


# JSON-LD -----------------------------------------------------------------------------------------

def test_json_ld_describes_the_product_and_cannot_break_out_of_its_script(app, client, issued):
    product_id = issued.product_ids[0]
    name = 'Miến </script><script>alert(1)</script> & <!-- "dong"'
    renamed = 'Bún <script>alert(2)</script> & "gạo"'
    with app.app_context():
        # The certified name (JSON-LD shows names as certified): a correction puts it in the snapshot.
        certificate = db.session.get(Certificate, issued.certificates[0][0])
        number = correct_certificate(None, certificate, {"product_name": name}, today_vn(), "Sửa tên").number
        product = db.session.get(Product, product_id)
        product.name, product.name_folded, product.gtin = renamed, fold(renamed), GTIN13  # renamed since
        db.session.commit()
        producer_name = product.producer.name
    url = _url(app, product_id)
    response = client.get(url, follow_redirects=True)
    body = response.get_data(as_text=True)
    raw, data = json_ld(body)
    assert "<" not in raw and ">" not in raw and "&" not in raw
    assert "<script>alert(1)" not in body and "<script>alert(2)" not in body
    assert data["@context"] == "https://schema.org" and data["@type"] == "Product"
    assert data["name"] == name and data["gtin"] == GTIN13
    assert "Bún" not in raw  # the current name is no certified fact
    assert data["brand"]["name"] == producer_name == data["manufacturer"]["name"]
    assert data["url"] == f"https://cnnt.example.vn{url}"
    assert data["award"] == [f"Sản phẩm công nghiệp nông thôn tiêu biểu cấp tỉnh năm {today_vn().year} "
                             f"(giấy chứng nhận số {number})"]
    assert "description" not in data and "image" not in data  # not published
    _publish(app, product_id)
    _, data = json_ld(client.get(url).get_data(as_text=True))
    assert data["description"] == DESCRIPTION
    assert len(data["image"]) == 3
    assert all(client.get(image.removeprefix("https://cnnt.example.vn")).status_code == 200 for image in data["image"])


# Producer page -----------------------------------------------------------------------------------

def test_producer_page_lists_only_certified_products(app, client, issued):
    with app.app_context():
        product = db.session.get(Product, issued.product_ids[0])
        owner = db.session.scalar(select(User).where(User.producer_id == product.producer_id))
        make_complete_product(owner, product.producer, name="Sản phẩm chưa dự thi")
        db.session.commit()
        url = f"/registry/producers/{producer_slug(product.producer)}"
        failed_url = f"/registry/producers/{producer_slug(db.session.get(Product, issued.failed_id).producer)}"
        producer_id, phone = product.producer_id, product.producer.phone
    response = client.get(url)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Sản phẩm thử 0" in body and "Sản phẩm chưa dự thi" not in body
    assert f'href="{_url(app, issued.product_ids[0])}"' in body
    assert issued.certificates[0][1] in body and "Sản phẩm được chứng nhận (1)" in body
    assert phone not in body  # consent alone is not enough: no product page is published yet
    _publish(app, issued.product_ids[0], phone=True)
    assert phone in client.get(url).get_data(as_text=True)
    assert client.get(failed_url).status_code == 404
    redirect = client.get(f"/registry/producers/{producer_id}")
    assert redirect.status_code == 301 and redirect.headers["Location"].endswith(url)


# GS1 Digital Link --------------------------------------------------------------------------------

def _set_gtin(app, product_id, gtin):
    with app.app_context():
        db.session.get(Product, product_id).gtin = gtin
        db.session.commit()


def test_gs1_digital_link_resolves_a_gtin_in_any_length(app, client, issued):
    _set_gtin(app, issued.product_ids[0], GTIN13)
    _set_gtin(app, issued.product_ids[1], GTIN12)
    page = _url(app, issued.product_ids[0])
    for path in (f"/01/{GTIN13}", f"/01/{GTIN13}/", f"/01/0{GTIN13}", f"/01/0{GTIN13}/10/LOT-2026/21/12345",
                 f"/01/{GTIN13}/21/ABC?linkType=gs1:pip"):
        response = client.get(path)
        assert response.status_code == 307, path
        assert response.headers["Location"].endswith(page)
    for path in (f"/01/{GTIN12}", f"/01/00{GTIN12}"):
        assert client.get(path).headers["Location"].endswith(_url(app, issued.product_ids[1]))
    assert client.get(f"/01/{GTIN13}", follow_redirects=True).status_code == 200


def test_gs1_refuses_invalid_and_unknown_gtins_with_a_clear_page(app, client, issued):
    _set_gtin(app, issued.failed_id, UNKNOWN_GTIN8)  # carried by a product that is not certified
    unknown = client.get(f"/01/{UNKNOWN_GTIN8}")
    assert unknown.status_code == 404
    assert "không thuộc sản phẩm nào trong sổ đăng ký" in unknown.get_data(as_text=True)
    for gtin in ("4006381333932", "123", "40063813339310000", "abcdefghijklm", "４００６３８１３３３９３１",
                 quote("<script>x</script>", safe="")):
        response = client.get(f"/01/{gtin}")
        body = response.get_data(as_text=True)
        assert response.status_code == 404, gtin
        assert "Mã GTIN không hợp lệ" in body and "<script>x" not in body


def test_gtin_normalisation():
    assert normalise_gtin(GTIN13) == "0" + GTIN13
    assert normalise_gtin(UNKNOWN_GTIN8) == "000000" + UNKNOWN_GTIN8
    assert normalise_gtin("10012345000017") == "10012345000017"
    assert normalise_gtin("4006381333932") is None
    assert normalise_gtin("40063813339") is None
    assert normalise_gtin("") is None


# Counts ------------------------------------------------------------------------------------------

def test_counts_per_province_and_group(app, client, issued):
    import_sample(app)
    with app.app_context():
        numbers = list(db.session.scalars(select(ImportedCertificate.number)))
    set_valid_until(app, numbers, -1)                                  # every paper certificate expired
    set_valid_until(app, ["QG-2019-001", "T-2018-BK-001", "QG-2019-003"], 30)  # two of one product, one other
    with app.app_context():
        revoke_certificate(db.session.get(User, issued.hall.organiser.id),
                           db.session.get(Certificate, issued.certificates[2][0]), "other", "Ngừng sản xuất.")
        db.session.commit()
        names = {g.code: g.name for g in db.session.scalars(select(ProductGroup))}
        thai_nguyen = db.session.scalar(select(Province.name).where(Province.code == "19"))
        pottery = db.session.scalar(select(ImportedCertificate).where(ImportedCertificate.number == "QG-2019-003"))
        pottery_province = pottery.province.name
        with app.test_request_context("/registry/"):
            counts = certified_counts(today_vn())
            html = render_template_string('{% include "registry/_counts.html" %}')
    # Two platform products (one revoked), the Miến dong paper certificates once, the pottery once.
    assert [(c.name, c.count) for c in counts.by_province] == [(thai_nguyen, 3), (pottery_province, 1)]
    assert [(c.name, c.count) for c in counts.by_group] == [(names["2"], 3), (names["1"], 1)]
    assert counts.total == 4
    assert "4 sản phẩm có giấy chứng nhận còn hiệu lực hôm nay." in html
    assert html.count("<svg") == 2 and f"<title>{thai_nguyen}: 3</title>" in html
    assert f'<tr><th scope="row">{names["1"]}</th><td class="num">1</td></tr>' in html


def test_counts_when_nothing_is_certified(app):
    with app.test_request_context("/registry/"):
        html = render_template_string('{% include "registry/_counts.html" %}')
    assert "Chưa có sản phẩm nào đang có giấy chứng nhận còn hiệu lực." in html and "<svg" not in html
