"""The registry's full-text search, filters, sorting and pages; the open-data API, CSV and OpenAPI.

Every search example of the issue is a test of its own; the suite runs on SQLite and PostgreSQL.
"""
import csv
import io
import re
import unicodedata
from pathlib import Path

import pytest
from sqlalchemy import select, text

from certificates.registry.index import reindex
from tests.support.registry import ROWS
from tests.support.registry import registry as registry  # noqa: PLC0414 (a fixture)
from tests.support.certificates import certify, issue_certificates
from voting.core.text import collate, province_name_key, sort_key
from voting.extensions import db
from voting.models import Product
from certificates.models import Certificate, RegistryEntry

_NUMBERS = re.compile(r'<tr data-number="([^"]+)">')


def numbers(client, **args):
    response = client.get("/registry/", query_string=args)
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    return _NUMBERS.findall(response.get_data(as_text=True))


def api(client, **args):
    response = client.get("/api/v1/products", query_string=args)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


# The issue's search examples ------------------------------------------------------------------------

def test_mien_dong_without_accents_finds_mien_dong(registry, client):
    assert numbers(client, q="mien dong")[0] == "MD-1"


def test_mien_dong_with_other_case_finds_mien_dong(registry, client):
    assert numbers(client, q="Miến Dong")[0] == "MD-1"


def test_mien_dong_in_capitals_finds_mien_dong(registry, client):
    assert numbers(client, q="MIẾN DONG")[0] == "MD-1"


def test_decomposed_unicode_finds_the_same(registry, client):
    assert numbers(client, q=unicodedata.normalize("NFD", "Miến dong")) == numbers(client, q="Miến dong")


def test_dak_lak_finds_dak_lak(registry, client):
    assert numbers(client, q="dak lak") == ["CP-1"]


def test_hoa_binh_both_tone_placements_find_the_same_products(registry, client):
    old, new = set(numbers(client, q="Hoà Bình")), set(numbers(client, q="Hòa Bình"))
    assert old == new == {"HB-1", "HB-2", "HB-3"}


def test_exact_accent_matches_rank_first(registry, client):
    assert numbers(client, q="Hoà Bình")[0] == "HB-1"  # "Mật ong Hoà Bình", as typed
    assert numbers(client, q="Hòa Bình")[0] in {"HB-2", "HB-3"}  # "Gạo Hòa Bình", province "Hòa Bình"
    assert numbers(client, q="Hòa Bình")[-1] == "HB-1"


def test_partial_words_match(registry, client):
    assert numbers(client, q="mie") == ["MD-1"]
    assert numbers(client, q="buon ma") == ["CP-1"]
    assert numbers(client, q="han tuy") == ["CS-1"]  # inside words
    assert numbers(client, q="ca phe") == ["CP-1"]  # a two-letter word narrows the indexed one


def test_producer_group_and_former_province_are_searched(registry, client):
    assert numbers(client, q="Na Rì") == ["MD-1"]
    assert numbers(client, q="bac kan") == ["MD-1"]  # the paper's former province
    assert "MD-1" in numbers(client, q="thai nguyen")  # and the unit it merged into
    with client.application.app_context():
        group = db.session.scalar(text("SELECT name FROM product_group WHERE code = '2'"))
    assert numbers(client, q=group) == ["CS-1"]


def test_search_uses_the_full_text_index(registry, app):
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            plan = db.session.execute(text(
                "EXPLAIN QUERY PLAN SELECT rowid FROM registry_entry_fts WHERE registry_entry_fts MATCH '\"mien\"'")).all()
            assert any("VIRTUAL TABLE INDEX" in str(row) for row in plan), plan
        else:
            db.session.execute(text("SET LOCAL enable_seqscan = off"))
            plan = db.session.execute(text(
                "EXPLAIN SELECT id FROM registry_entry WHERE search_text LIKE '%mien%' ESCAPE '/'")).scalars().all()
            assert any("ix_registry_entry_search_trgm" in line for line in plan), plan
            db.session.rollback()


# Filters, sorting, pages ----------------------------------------------------------------------------------

def test_status_valid_by_default_and_other_statuses_on_request(registry, client):
    assert numbers(client, q="mien dong") == ["MD-1"]
    assert numbers(client, q="mien dong", status="expired") == ["EX-1"]
    assert set(numbers(client, q="mien dong", status="all")) == {"MD-1", "EX-1"}
    assert numbers(client, q="mien dong", status="revoked") == []
    body = client.get("/registry/", query_string={"q": "hoang nguyen"}).get_data(as_text=True)
    assert "Xem 1 sản phẩm có giấy chứng nhận đã hết hạn" in body


def test_province_filter_takes_a_code_or_a_current_or_former_name(registry, client):
    assert numbers(client, province="66") == ["CP-1"]
    assert numbers(client, province="dak lak") == ["CP-1"]
    assert numbers(client, province="Tỉnh Đắk Lắk") == ["CP-1"]
    by_former = numbers(client, province="Bắc Kạn", status="all")
    assert set(by_former) == set(numbers(client, province="thai nguyen", status="all")) == {"MD-1", "EX-1"}


def test_group_level_year_and_region_filters(registry, client):
    assert numbers(client, group="2") == ["CS-1"]
    assert set(numbers(client, level="tinh")) == {r[0] for r in ROWS if not r[5]}
    assert numbers(client, level="quoc_gia") == []
    assert len(numbers(client, year="2024")) == 6 and numbers(client, year="2019") == []
    assert numbers(client, region="trung") == ["CP-1"]
    assert numbers(client, region="Khu vực miền Trung - Tây Nguyên") == ["CP-1"]
    assert "CP-1" not in numbers(client, region="bac")


def test_sorting(registry, client):
    by_name = api(client, sort="name")["items"]
    assert [i["name"] for i in by_name][:2] == ["Cà phê bột nguyên chất", "Cam Cao Phong"]
    by_province = [i["province"] for i in api(client, sort="province")["items"]]
    assert by_province == collate(by_province, key=province_name_key)


def test_pages_sort_names_in_vietnamese_alphabetical_order(app, registry, client):
    """D before Đ, a before â (ICU's Vietnamese collation, compared in SQL), where folded names put
    "Đậu" before "Dưa"; every entry the index writes carries the key of its name."""
    with app.app_context():
        entries = db.session.scalars(select(RegistryEntry).order_by(RegistryEntry.id)).all()
        assert all(e.name_sort == sort_key(e.name) for e in entries)
        shuffled = ("Lâm sản", "Đậu phụ", "Gạo nếp", "Ếch khô", "Lạc rang", "Dưa hấu", "Dê núi")
        for entry, name in zip(entries, shuffled, strict=True):
            entry.name, entry.name_sort = name, sort_key(name)
        db.session.commit()
    names = [i["name"] for i in api(client, sort="name", status="all")["items"]]
    assert names == ["Dê núi", "Dưa hấu", "Đậu phụ", "Ếch khô", "Gạo nếp", "Lạc rang", "Lâm sản"]


def test_pagination_and_its_edges(registry, client):
    first = api(client, per_page=2, sort="name")
    assert first["total"] == 6 and len(first["items"]) == 2 and first["page"] == 1
    last = api(client, per_page=2, page=3, sort="name")
    assert len(last["items"]) == 2
    assert api(client, per_page=2, page=99)["items"] == []  # past the last: empty, the total still told
    seen = [i["name"] for p in (1, 2, 3) for i in api(client, per_page=2, page=p, sort="name")["items"]]
    assert len(set(seen)) == 6
    body = client.get("/registry/?page=99").get_data(as_text=True)
    assert "Trang này không có kết quả" in body


# Bad input ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("args", [
    {"page": "0"}, {"page": "-1"}, {"page": "abc"}, {"page": "99999999999999999999"}, {"page": "1000001"},
    {"per_page": "0"}, {"per_page": "1000"}, {"level": "xyz"}, {"year": "1999"}, {"year": "năm"},
    {"status": "bogus"}, {"sort": "price"}, {"q": "x" * 201}, {"province": "x" * 101},
])
def test_unknown_or_out_of_range_values_are_a_clear_400(registry, client, args):
    response = client.get("/api/v1/products", query_string=args)
    assert response.status_code == 400
    data = response.get_json()
    assert data["error"] == "bad_parameters" and set(data["errors"]) == set(args) and data["message"]
    page = client.get("/registry/", query_string=args)
    assert page.status_code == 400
    assert "điều kiện lọc không hợp lệ" in page.get_data(as_text=True)
    csv_answer = client.get("/registry.csv", query_string=args)
    assert csv_answer.status_code == 400 and csv_answer.get_json() == data


@pytest.mark.parametrize("args", [{"province": "Atlantis"}, {"region": "mars"}, {"group": "9"},
                                  {"province": "Atlantis", "group": "9"}])
def test_a_filter_naming_nothing_is_a_404_in_the_api_and_a_400_page(registry, client, args):
    """The products of a province that does not exist do not exist: 404, naming the parameter."""
    response = client.get("/api/v1/products", query_string=args)
    assert response.status_code == 404
    data = response.get_json()
    assert data["error"] == "not_found" and set(data["errors"]) == set(args) and data["message"]
    assert client.get("/registry.csv", query_string=args).get_json() == data
    page = client.get("/registry/", query_string=args)
    assert page.status_code == 400 and "điều kiện lọc không hợp lệ" in page.get_data(as_text=True)
    # With a malformed value beside it, the request is malformed: 400 naming both.
    both = client.get("/api/v1/products", query_string={**args, "page": "0"})
    assert both.status_code == 400 and set(both.get_json()["errors"]) == {*args, "page"}


def test_the_api_takes_values_exactly_as_its_document_writes_them(registry, client, app, monkeypatch):
    """The page forgives an empty field, spaces, capitals or "+2" (a form or a typed URL sends them);
    the API and the CSV refuse them as they refuse any value outside the document's enums and integers."""
    monkeypatch.setitem(app.config, "REGISTRY_CSV_RATE_LIMIT", "100 per minute")
    loose = [{"level": ""}, {"level": " tinh"}, {"status": "VALID"}, {"status": ""}, {"sort": ""},
             {"year": ""}, {"year": "+2024"}, {"year": " 2024"}, {"page": ""}, {"page": "01"}, {"per_page": "2_0"}]
    for args in loose:
        assert client.get("/registry/", query_string=args).status_code == 200, args
        for url in ("/api/v1/products", "/registry.csv"):
            response = client.get(url, query_string=args)
            assert response.status_code == 400 and set(response.get_json()["errors"]) == set(args), (url, args)
    assert client.get("/api/v1/products", query_string={"level": "tinh", "year": "2024", "page": "1"}).status_code \
        == 200


def test_a_query_longer_than_documented_is_refused_not_cut(registry, client):
    """The document says at most 200 characters: a longer query is a 400, never a search for its start."""
    assert client.get("/api/v1/products", query_string={"q": "mien dong" + " " * 191}).status_code == 200
    response = client.get("/api/v1/products", query_string={"q": "mien dong" + " " * 192})
    assert response.status_code == 400 and set(response.get_json()["errors"]) == {"q"}


SQL = "' OR 1=1; DROP TABLE registry_entry; --"
HTML = '<script>alert("x")</script>'


@pytest.mark.parametrize("name", ["q", "province", "region", "group", "level", "year", "status", "sort", "page",
                                  "per_page"])
@pytest.mark.parametrize("value", [SQL, HTML, "%' \" ) MATCH * NEAR(", "\x00\x01 đ" * 300])
def test_sql_and_html_in_every_parameter_are_harmless(registry, client, name, value):
    for url in ("/registry/", "/api/v1/products", "/registry.csv"):
        response = client.get(url, query_string={name: value})
        # Control characters, 900 of them: refused everywhere. Any other text is a search (q), names no
        # province, region or group (404 in the API and the CSV; the page's form refuses it, 400), or is no
        # valid level, year, status, order or page number (400).
        if value.startswith("\x00"):
            expected = 400
        elif name == "q":
            expected = 200
        elif name in ("province", "region", "group") and url != "/registry/":
            expected = 404
        else:
            expected = 400
        assert response.status_code == expected, (url, response.status_code)
        assert "<script>alert" not in response.get_data(as_text=True)
    with client.application.app_context():
        assert db.session.scalar(select(RegistryEntry.id).limit(1)) is not None  # the table is still there
    if name == "q":
        body = client.get("/registry/", query_string={"q": HTML}).get_data(as_text=True)
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in body or "&lt;script&gt;" in body


# Open data ----------------------------------------------------------------------------------------------

def test_api_items_have_the_documented_shape(registry, client):
    data = api(client, q="mien dong")
    assert set(data) == {"items", "page", "per_page", "total"} and data["total"] == 1
    item, = data["items"]
    assert {"id", "slug", "name", "group", "producer", "province", "url", "certificates"} <= set(item)
    assert item["id"] is None and item["name"] == "Miến dong" and item["province"] == "Thái Nguyên"
    assert item["url"].endswith("/registry/certificates/MD-1")
    cert, = item["certificates"]
    assert cert["number"] == "MD-1" and cert["level"] == "tinh" and cert["year"] == 2024
    assert cert["status"] == "valid" and "verify_url" not in cert  # paper: no QR


def test_a_page_of_the_api_reads_its_rows_with_their_certificates_in_one_statement(registry, client, app):
    from tests.helpers import counted_queries

    api(client, q="hoa binh")  # the first request of the worker reads what it keeps
    with app.app_context(), counted_queries(db.engine) as statements:
        data = api(client, q="hoa binh", status="all")
    assert data["total"] >= 2 and all(item["certificates"] for item in data["items"])
    certificates = [s for s in statements if "FROM registry_certificate" in s or "JOIN registry_certificate" in s]
    assert len(certificates) == 1 and "registry_entry.name" in certificates[0], "\n\n".join(statements)


def test_a_worker_keeps_the_reference_data_a_page_and_the_api_show(registry, client, app):
    """Filter options and province codes change only with ``flask reference load``: read once a minute per worker."""
    from tests.helpers import counted_queries

    def reference_read(statements):
        return [s for s in statements if any(f"FROM {table}" in s for table in ("region", "product_group", "province"))]

    app.extensions.pop("reference_kept", None)  # as a new worker: the session's app served other tests
    read, shown = [], []
    for _ in range(2):
        with app.app_context(), counted_queries(db.engine) as statements:
            page = client.get("/registry/", query_string={"q": "mien"}).get_data(as_text=True)
            codes = [item["province_code"] for item in api(client, q="hoa binh")["items"]]
        shown.append((re.findall(r'<option value="([^"]*)"', page), codes))
        read.append(reference_read(statements))
    assert len(read[0]) >= 4 and read[1] == [], read  # provinces, regions, groups; the API's province codes
    assert shown[0] == shown[1] and len(shown[0][0]) > 34 and all(shown[0][1])
    app.extensions["reference_kept"].clear()  # a minute later
    with app.app_context(), counted_queries(db.engine) as statements:
        assert client.get("/registry/").status_code == 200
    assert len(reference_read(statements)) >= 3


def test_certificates_issued_here_carry_their_qr_url_and_follow_edits(app, client, make_user, signer, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "1000 per minute")
    hall = certify(app, make_user, entries=1, failing=0)
    (_, number), = issue_certificates(app, hall)
    with app.app_context():
        certificate = db.session.scalar(select(Certificate).where(Certificate.number == number))
        product = certificate.application.product
        product_id, token = product.id, certificate.token
    item, = api(client, q=number)["items"]
    assert item["id"] == product_id and item["slug"].endswith(f"-{product_id}")
    assert item["certificates"][0]["verify_url"] == f"https://cnnt.example.vn/v/{token}"
    with app.app_context():  # an edit of the product shows at once: the index follows the commit
        db.session.get(Product, product_id).name = "Nước mắm Hòn Đỏ"
        db.session.commit()
    assert [i["id"] for i in api(client, q="nuoc mam hon do")["items"]] == [product_id]
    with app.app_context():  # a revocation too
        certificate = db.session.scalar(select(Certificate).where(Certificate.number == number))
        certificate.status, certificate.reason = "revoked", "thử"
        db.session.commit()
    assert api(client, q="hon do")["items"] == []
    assert api(client, q="hon do", status="revoked")["items"][0]["certificates"][0]["status"] == "revoked"


def test_csv_is_utf8_with_bom_one_row_per_certificate(registry, client):
    response = client.get("/registry.csv", query_string={"status": "all"})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    raw = response.get_data()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == len(ROWS)
    assert {r["number"] for r in rows} == {r[0] for r in ROWS}
    assert next(r for r in rows if r["number"] == "CP-1")["province"] == "Đắk Lắk"
    valid = list(csv.DictReader(io.StringIO(client.get("/registry.csv?q=mien+dong").get_data().decode("utf-8-sig"))))
    assert [r["number"] for r in valid] == ["MD-1"]


def test_openapi_document_describes_products_and_verify(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.1")
    products = doc["paths"]["/api/v1/products"]["get"]
    assert {p["name"] for p in products["parameters"]} == {
        "q", "province", "region", "group", "level", "year", "status", "sort", "page", "per_page"}
    assert "/api/v1/verify/{token}" in doc["paths"]
    assert set(doc["components"]["schemas"]["Product"]["required"]) >= {"id", "slug", "certificates"}
    refs = re.findall(r'"\$ref": "#/components/schemas/(\w+)"', str(doc).replace("'", '"'))
    assert refs and set(refs) <= set(doc["components"]["schemas"])


def test_every_csv_column_is_described_in_the_openapi_document_and_the_readme(registry, client):
    """What the CSV's header row names, in its order, the document and the README describe."""
    header = next(csv.reader(io.StringIO(client.get("/registry.csv").get_data(as_text=True).lstrip("\ufeff"))))
    operation = client.get("/api/v1/openapi.json").get_json()["paths"]["/registry.csv"]["get"]
    assert "text/csv" in operation["responses"]["200"]["content"]
    described = re.findall(r"^- `(\w+)`: \S", operation["description"], re.MULTILINE)
    assert described == header
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    table = re.findall(r"^  \| `(\w+)` \| \S", readme.split("`/registry.csv` columns", 1)[1], re.MULTILINE)
    assert table[:len(header)] == header


def test_the_open_data_api_and_the_csv_are_rate_limited_per_client(client, monkeypatch, app):
    monkeypatch.setitem(app.config, "REGISTRY_API_RATE_LIMIT", "2 per minute")
    monkeypatch.setitem(app.config, "REGISTRY_CSV_RATE_LIMIT", "1 per minute")
    assert [client.get("/api/v1/products").status_code for _ in range(2)] == [200, 200]
    api = client.get("/api/v1/products", query_string={"q": "<b>gốm</b>"})
    assert api.status_code == 429 and api.is_json and "Retry-After" in api.headers
    assert api.get_json()["error"] == "too_many_requests" and "Vui lòng đợi" in api.get_json()["message"]
    assert client.get("/registry.csv").status_code == 200  # a budget of its own
    page = client.get("/registry.csv")
    assert page.status_code == 429 and page.mimetype == "text/html"
    assert "Quá nhiều lần thử" in page.get_data(as_text=True)
    client.get("/lang/en")
    english = client.get("/api/v1/products")
    assert english.status_code == 429 and "wait" in english.get_json()["message"].lower()
    doc = client.get("/api/v1/openapi.json").get_json()
    assert all("429" in doc["paths"][path]["get"]["responses"]
               for path in ("/api/v1/products", "/registry.csv", "/api/v1/verify/{token}", "/api/v1/ping"))


# Caching, CLI ------------------------------------------------------------------------------------------

def test_registry_pages_have_an_etag_and_a_short_max_age(registry, client):
    response = client.get("/registry/?q=mien")
    assert response.headers["ETag"] and "max-age=60" in response.headers["Cache-Control"]
    assert "public" in response.headers["Cache-Control"]
    again = client.get("/registry/?q=mien", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304 and again.get_data() == b""


def test_reindex_rebuilds_the_same_rows(registry, app, runner):
    with app.app_context():
        before = sorted(db.session.scalars(select(RegistryEntry.search_text)))
        db.session.execute(text("DELETE FROM registry_certificate"))
        db.session.execute(text("DELETE FROM registry_entry"))
        db.session.commit()
    result = runner.invoke(args=["registry", "reindex"])
    assert result.exit_code == 0 and "7 registry rows." in result.output
    with app.app_context():
        assert sorted(db.session.scalars(select(RegistryEntry.search_text))) == before
        assert reindex() == 7
        db.session.rollback()
