"""Public certificate data shows the names as certified, not the names a producer gave since (issue 16, item 4).

A producer may rename itself and its product (and move, and change the product's group) after
certification without review. Every public output that speaks of the certificate keeps the certified
names; the current ones may appear beside them, marked "tên hiện nay".
"""
import csv
import io
import json
import re
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from voting.core.formatting import group_short
from certificates.registry.slugs import producer_slug, product_slug
from tests.support.certificates import certify, issue_certificates
from tests.support.registry import json_ld
from voting.core.clock import today_vn
from voting.extensions import db
from voting.models import Product, ProductGroup, Province
from certificates.models import Certificate, ImportedCertificate, RegistryEntry
from certificates.operations.past_imports import import_certificates
from voting.documents.import_workbook import COLUMNS
from voting.core.text import fold

NEW_PRODUCT = "Rượu ngô men lá đổi tên"
NEW_PRODUCER = "Công ty Đổi Tên Sau Chứng Nhận"


def _facts(body):
    """The text of the page's first ``<dl class="facts">``, tags removed."""
    block = re.search(r'<dl class="facts">(.*?)</dl>', body, re.S).group(1)
    return " ".join(re.sub(r"<[^>]+>", " ", block).split())


@pytest.fixture
def renamed(app, make_user, signer, monkeypatch):
    """One certificate issued here; then the producer renames itself and its product, moves to another
    province and puts the product in another group."""
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "1000 per minute")
    hall = certify(app, make_user, entries=1, failing=0)
    (certificate_id, number), = issue_certificates(app, hall)
    with app.app_context():
        certificate = db.session.get(Certificate, certificate_id)
        facts = json.loads(certificate.snapshot)
        product = certificate.application.product
        producer = product.producer
        other_group = db.session.scalar(select(ProductGroup).where(ProductGroup.code != product.group_code))
        other_province = db.session.scalar(select(Province).where(Province.id != producer.province_id))
        product.name, product.name_folded, product.group_code = NEW_PRODUCT, fold(NEW_PRODUCT), other_group.code
        producer.name, producer.name_folded = NEW_PRODUCER, fold(NEW_PRODUCER)
        producer.province_id, producer.commune_id = other_province.id, None
        db.session.commit()
        world = SimpleNamespace(
            number=number, product_id=product.id, product_url=f"/registry/{product_slug(product)}",
            producer_url=f"/registry/producers/{producer_slug(producer)}",
            product=facts["product_name"], producer=facts["producer_name"], group=facts["group_name"],
            province=facts["province_name"], other_group=other_group.name, other_province=other_province.name)
    assert world.product != NEW_PRODUCT and world.producer != NEW_PRODUCER
    assert world.group != world.other_group and world.province != world.other_province
    return world


def test_product_page_shows_the_certified_names_and_the_current_ones_marked(client, renamed):
    body = client.get(renamed.product_url).get_data(as_text=True)
    heading = re.search(r'<h1 id="product-heading">(.*?)</h1>', body, re.S).group(1)
    assert heading.startswith(renamed.product) and NEW_PRODUCT not in heading
    assert f"<title>{renamed.product}" in body
    assert f"tên hiện nay: {NEW_PRODUCT}" in body
    facts = _facts(body)
    assert group_short(renamed.group) in facts and group_short(renamed.other_group) not in facts  # after its label
    assert renamed.producer in facts and f"tên hiện nay: {NEW_PRODUCER}" in facts
    assert renamed.province in facts and renamed.other_province not in facts


def test_json_ld_names_the_product_as_certified(client, renamed):
    raw, data = json_ld(client.get(renamed.product_url).get_data(as_text=True))
    assert data["name"] == renamed.product and data["category"] == renamed.group
    assert data["brand"]["name"] == data["manufacturer"]["name"] == renamed.producer
    assert NEW_PRODUCT not in raw and NEW_PRODUCER not in raw


def test_producer_page_shows_the_certified_names(client, renamed):
    body = client.get(renamed.producer_url).get_data(as_text=True)
    heading = re.search(r'<h1 id="producer-heading">(.*?)</h1>', body, re.S).group(1)
    assert heading.startswith(renamed.producer) and NEW_PRODUCER not in heading
    assert f"tên hiện nay: {NEW_PRODUCER}" in body
    assert renamed.province in _facts(body) and renamed.other_province not in _facts(body)
    product_heading = re.search(r'<h3 id="product-\d+-heading">(.*?)</h3>', body, re.S).group(1)
    assert renamed.product in product_heading and NEW_PRODUCT not in product_heading
    assert f"tên hiện nay: {NEW_PRODUCT}" in body


def test_certificate_page_shows_the_certified_names(client, renamed):
    body = client.get(f"/registry/certificates/{renamed.number}").get_data(as_text=True)
    assert renamed.product in body and renamed.producer in body and group_short(renamed.group) in body
    assert NEW_PRODUCT not in body and NEW_PRODUCER not in body


def test_search_results_show_the_certified_names_and_find_both(client, renamed):
    for query in (renamed.product, NEW_PRODUCT, fold(renamed.producer)):
        body = client.get("/registry/", query_string={"q": query}).get_data(as_text=True)
        assert f'data-number="{renamed.number}"' in body, query
        heading = re.search(r'<h2><a href="([^"]+)">(.*?)</a></h2>', body, re.S)
        assert heading.group(2) == renamed.product
        assert heading.group(1) == renamed.product_url  # the page's canonical slug: no redirect
        assert f"tên hiện nay: {NEW_PRODUCT}" in body and f"tên hiện nay: {NEW_PRODUCER}" in body
    listed = client.get("/registry/").get_data(as_text=True)
    assert f">{renamed.product}</a></h2>" in listed


def test_search_index_holds_the_certified_names(app, renamed):
    with app.app_context():
        entry = db.session.scalar(select(RegistryEntry).where(RegistryEntry.product_id == renamed.product_id))
        group_code = db.session.scalar(select(ProductGroup.code).where(ProductGroup.name == renamed.group))
        province_id = db.session.scalar(select(Province.id).where(Province.name == renamed.province))
        assert (entry.name, entry.producer_name, entry.group_name, entry.province_name) == (
            renamed.product, renamed.producer, renamed.group, renamed.province)
        assert (entry.group_code, entry.province_id) == (group_code, province_id)  # the filters follow
        assert (entry.current_name, entry.current_producer_name) == (NEW_PRODUCT, NEW_PRODUCER)
        row, = entry.certificates
        assert (row.product_name, row.producer_name, row.group_name, row.province_name) == (
            renamed.product, renamed.producer, renamed.group, renamed.province)


def test_api_shows_the_certified_names_and_the_current_ones_apart(client, renamed):
    item, = client.get("/api/v1/products", query_string={"q": renamed.number}).get_json()["items"]
    assert (item["name"], item["producer"], item["group"], item["province"]) == (
        renamed.product, renamed.producer, renamed.group, renamed.province)
    assert (item["current_name"], item["current_producer"]) == (NEW_PRODUCT, NEW_PRODUCER)
    assert item["url"] == f"https://cnnt.example.vn{renamed.product_url}"
    certificate, = item["certificates"]
    assert (certificate["product"], certificate["producer"], certificate["group"], certificate["province"]) == (
        renamed.product, renamed.producer, renamed.group, renamed.province)


def test_csv_shows_the_certified_names_and_the_current_ones_apart(client, renamed):
    text = client.get("/registry.csv").get_data().decode("utf-8-sig")
    row, = [r for r in csv.DictReader(io.StringIO(text)) if r["number"] == renamed.number]
    assert (row["product"], row["producer"], row["group"], row["province"]) == (
        renamed.product, renamed.producer, renamed.group, renamed.province)
    assert (row["current_product"], row["current_producer"]) == (NEW_PRODUCT, NEW_PRODUCER)


def test_unchanged_names_are_not_repeated_as_current(app, client, make_user, signer, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "1000 per minute")
    (_, number), = issue_certificates(app, certify(app, make_user, entries=1, failing=0))
    item, = client.get("/api/v1/products", query_string={"q": number}).get_json()["items"]
    assert item["current_name"] is None and item["current_producer"] is None
    row, = list(csv.DictReader(io.StringIO(client.get("/registry.csv").get_data().decode("utf-8-sig"))))
    assert row["current_product"] == row["current_producer"] == ""
    assert "tên hiện nay" not in client.get("/registry/", query_string={"q": number}).get_data(as_text=True)


def test_a_paper_certificate_of_a_renamed_product_shows_its_names_as_printed(app, client, renamed):
    """A paper certificate linked to the product keeps the names it was printed with."""
    header = [c.header for c in COLUMNS]
    values = {"number": "T-2021-TN-009", "level": "Cấp tỉnh", "year": 2021, "decision_number": "9/QĐ-UBND",
              "decision_on": today_vn().replace(year=2021, month=3, day=1), "authority_name": "UBND tỉnh Thái Nguyên",
              "product_name": "Miến dong in trên giấy", "group": 2, "producer_name": "HTX in trên giấy",
              "province": "Bắc Kạn", "valid_until": None}
    with app.app_context():
        assert import_certificates(None, [header, [values[c.key] for c in COLUMNS]], "giay.xlsx", today_vn()).ok
        db.session.commit()
        paper = db.session.scalar(select(ImportedCertificate).where(ImportedCertificate.number == "T-2021-TN-009"))
        paper.product_id = renamed.product_id
        db.session.commit()
        assert db.session.get(Product, renamed.product_id).name == NEW_PRODUCT
    item, = client.get("/api/v1/products", query_string={"q": renamed.number, "status": "all"}).get_json()["items"]
    paper_json = next(c for c in item["certificates"] if c["number"] == "T-2021-TN-009")
    assert (paper_json["product"], paper_json["producer"], paper_json["province"], paper_json["province_then"]) == (
        "Miến dong in trên giấy", "HTX in trên giấy", "Thái Nguyên", "Bắc Kạn")
    assert item["name"] == renamed.product  # the newest certificate names the product
    text = client.get("/registry.csv", query_string={"status": "all"}).get_data().decode("utf-8-sig")
    row = next(r for r in csv.DictReader(io.StringIO(text)) if r["number"] == "T-2021-TN-009")
    assert (row["product"], row["producer"], row["province_then"]) == (
        "Miến dong in trên giấy", "HTX in trên giấy", "Bắc Kạn")
    body = client.get(renamed.product_url).get_data(as_text=True)
    assert "Chứng nhận với tên: Miến dong in trên giấy" in body
