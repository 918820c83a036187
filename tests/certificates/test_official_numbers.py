"""Official certificate numbers ("15/GCN-UBND") and addresses to commune level (issue 18).

An official number repeats across issuing authorities and years: it is unique per (authority, year),
a lookup by number lists every certificate bearing it with its authority and year, and a token still
names one certificate. The producer's address is printed to its commune; the street only with consent.
"""
import datetime
import io
import json

import pytest
from flask_migrate import upgrade
from sqlalchemy import event, select, text
from pypdf import PdfReader
from sqlalchemy.exc import IntegrityError

from certificates.models import Certificate, CertificateStatus
from certificates.operations.issuance import stored_pdf
from certificates.operations.numbering import check_template, format_number, take_sequence
from certificates.operations.past_imports import import_certificates
from tests.support.certificates import certify, issue_certificates
from tests.support.databases import fresh_database as fresh_database  # noqa: PLC0414 (a fixture)
from voting import create_app
from voting.core.clock import today_vn
from voting.documents.import_workbook import COLUMNS
from voting.extensions import db
from voting.models import IssuingAuthority, Producer, Round, User
from voting.models.authority import OFFICIAL_NUMBER_TEMPLATE
from voting.rules.addresses import public_address

NUMBER = "1/GCN-UBND"


def _authority(code):
    return db.session.scalar(select(IssuingAuthority).where(IssuingAuthority.code == code))


@pytest.fixture
def two_provinces(app, make_user, signer, monkeypatch):
    """Thái Nguyên's and Lào Cai's people's committees each issue one certificate, in the same year."""
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "1000 per minute")
    issued = {}
    for code in ("UBND-19", "UBND-15"):
        hall = certify(app, make_user, entries=1, failing=0)
        with app.app_context():
            authority = _authority(code)
            authority.number_template = OFFICIAL_NUMBER_TEMPLATE
            db.session.get(Round, hall.round_id).authority_id = authority.id
            db.session.commit()
        (certificate_id, number), = issue_certificates(app, hall)
        issued[code] = certificate_id
        assert number == NUMBER
    return issued


def test_new_authorities_number_in_the_official_form(app_ctx):
    assert IssuingAuthority.__table__.c.number_template.default.arg == "{seq}/GCN-UBND"
    authority = IssuingAuthority(code="UBND-XX", name="Ủy ban nhân dân tỉnh X", number_template=OFFICIAL_NUMBER_TEMPLATE)
    assert check_template(authority.number_template)
    assert format_number(authority, "tinh", 2026, 15) == "15/GCN-UBND"


def test_the_sequence_is_gap_free_per_authority_and_year_and_restarts_next_year(app_ctx):
    thai_nguyen, lao_cai = _authority("UBND-19").id, _authority("UBND-15").id
    assert [take_sequence(thai_nguyen, "tinh", 2026) for _ in range(3)] == [1, 2, 3]
    assert take_sequence(lao_cai, "tinh", 2026) == 1  # another authority: its own sequence
    assert take_sequence(thai_nguyen, "tinh", 2027) == 1  # a new year starts again at 1
    assert take_sequence(thai_nguyen, "tinh", 2026) == 4


def test_two_authorities_issue_the_same_number_and_the_registry_lists_both(app, client, two_provinces):
    with app.app_context():
        certificates = [db.session.get(Certificate, i) for i in two_provinces.values()]
        assert {c.number for c in certificates} == {NUMBER} and len({c.authority_id for c in certificates}) == 2
        year = certificates[0].year
        names = [c.authority.name for c in certificates]
        codes = [c.authority.code for c in certificates]
        tokens = [c.token for c in certificates]
    search = client.get("/registry/", query_string={"q": NUMBER})
    assert search.status_code == 200  # not a redirect to one of them
    body = search.get_data(as_text=True)
    assert "2 giấy chứng nhận mang số này" in body
    for name, code in zip(names, codes, strict=True):
        assert name in body and f'data-authority="{code}" data-year="{year}"' in body
    page = client.get(f"/registry/certificates/{NUMBER}")
    assert page.status_code == 200 and all(name in page.get_data(as_text=True) for name in names)
    for name, code in zip(names, codes, strict=True):
        one = client.get(f"/registry/certificates/{NUMBER}", query_string={"year": year, "authority": code})
        assert one.status_code == 200 and "certificate-heading" in one.get_data(as_text=True)
        assert name in one.get_data(as_text=True)
    assert client.get(f"/registry/certificates/{NUMBER}", query_string={"year": year - 1}).status_code == 404
    # Each token names its own certificate.
    for token, name in zip(tokens, names, strict=True):
        answer = client.get(f"/api/v1/verify/{token}").get_json()
        assert answer["status"] == "valid" and answer["certificate"]["number"] == NUMBER
        assert answer["certificate"]["issuing_authority"] == name
        assert name in client.get(f"/v/{token}").get_data(as_text=True)


def test_a_scan_reads_only_the_certificate_its_token_signs(app, client, two_provinces, logged_in):
    """A number repeats once per authority and year (twenty years of 34 provinces: 160 certificates of
    "1/GCN-UBND" in the benchmark); the scan page found its certificate among all of them in Python, each
    loaded with its product and photos (13 ms of CPU a scan). The database now compares the digest."""
    with app.app_context():
        tokens = {i: db.session.get(Certificate, i).token for i in two_provinces.values()}
    logged_in("producer")  # a signed-in reader's page is rendered afresh, never one kept from an earlier scan
    for scanned, token in tokens.items():
        loaded = []

        def count(target, context, loaded=loaded):
            loaded.append(target.id)

        event.listen(Certificate, "load", count)
        try:
            page = client.get(f"/v/{token}")
        finally:
            event.remove(Certificate, "load", count)
        assert page.status_code == 200
        assert loaded == [scanned], loaded


def test_the_api_answers_an_ambiguous_number_with_every_certificate_and_its_authority(app, client, two_provinces):
    with app.app_context():
        expected = {(c.authority.name, c.year) for c in (db.session.get(Certificate, i) for i in two_provinces.values())}
    payload = client.get("/api/v1/products", query_string={"q": NUMBER}).get_json()
    found = {(c["authority"], c["year"]) for item in payload["items"] for c in item["certificates"]
             if c["number"] == NUMBER}
    assert found == expected and len(found) == 2
    csv_body = client.get("/registry.csv", query_string={"q": NUMBER}).get_data(as_text=True)
    assert all(name in csv_body for name, _ in expected)


def test_the_schema_refuses_a_second_number_within_one_authority_and_year(app, two_provinces):
    with app.app_context():
        original = db.session.get(Certificate, two_provinces["UBND-19"])
        fields = {c.key: getattr(original, c.key) for c in Certificate.__table__.columns
                  if c.key not in ("id", "number_folded")}

        def copy(**changes):
            db.session.add(Certificate(**{**fields, "sequence": 99, "status": CertificateStatus.SUPERSEDED,
                                          "supersedes_id": None, **changes}))
            db.session.flush()

        with pytest.raises(IntegrityError) as refused:
            copy()
        assert "number" in str(refused.value)
        db.session.rollback()
        copy(year=original.year + 1)  # the same number in another year is another certificate
        db.session.rollback()


def test_a_paper_certificate_may_bear_a_number_issued_here_in_another_year(app, two_provinces):
    with app.app_context():
        year = db.session.get(Certificate, two_provinces["UBND-19"]).year
    authority = "Ủy ban nhân dân tỉnh Thái Nguyên"
    same_year = _import(app, _paper(NUMBER, authority, "Thái Nguyên", year=year))
    assert [p.code for p in same_year.problems] == ["duplicate_in_database"]
    assert _import(app, _paper(NUMBER, authority, "Thái Nguyên", year=year - 2)).ok  # "1/GCN-UBND" of two years before is another certificate


def _paper(number, authority, province, year=2024, product="Nước mắm Phú Quốc"):
    """A row of the paper certificates' workbook (:data:`voting.documents.import_workbook.COLUMNS`)."""
    values = {"number": number, "level": "Cấp tỉnh", "year": year, "decision_number": "1102/QĐ-UBND",
              "decision_on": datetime.date(year, 1, 5), "authority_name": authority, "product_name": product,
              "group": 1, "producer_name": "Công ty Nước mắm Phú Quốc", "province": province,
              "valid_until": datetime.date(2099, 1, 1)}
    return [values[c.key] for c in COLUMNS]


def _import(app, *rows):
    with app.app_context():
        report = import_certificates(None, [[c.header for c in COLUMNS], *rows], "so-cu.xlsx", today_vn())
        db.session.commit()
        return report


def page_text(data):
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages)


def test_paper_certificates_of_two_provinces_share_a_number(app, client, runner):
    thai_nguyen = _paper("15/GCN-UBND", "Ủy ban nhân dân tỉnh Thái Nguyên", "Thái Nguyên")
    lao_cai = _paper("15/GCN-UBND", "Ủy ban nhân dân tỉnh Lào Cai", "Lào Cai", product="Chè Shan tuyết")
    assert _import(app, thai_nguyen, lao_cai).ok
    again = _import(app, _paper("15/gcn-ubnd", "Ủy ban nhân dân tỉnh Thái Nguyên", "Thái Nguyên", product="Khác"))
    assert [p.code for p in again.problems] == ["duplicate_in_database"]  # same authority and year: refused
    body = client.get("/registry/", query_string={"q": "15/GCN-UBND", "status": "all"}).get_data(as_text=True)
    assert "2 giấy chứng nhận mang số này" in body
    assert "Ủy ban nhân dân tỉnh Thái Nguyên" in body and "Ủy ban nhân dân tỉnh Lào Cai" in body
    # Re-issuing "15/GCN-UBND" from paper: the re-issuing authority's own, or, when that does not
    # decide, every candidate listed and none re-issued.
    def reissue(authority):
        return runner.invoke(args=["certificates", "reissue-imported", "--numbers-file", "-", "--authority",
                                   authority, "--dry-run"], input="15/GCN-UBND\n")

    result = reissue("UBND-19")
    assert result.exit_code == 0, result.output
    assert "1 paper certificates would be re-issued by UBND-19" in result.output
    result = reissue("CDMST")  # the Cục covers neither province's provincial certificates: still ambiguous
    assert ("15/GCN-UBND: skipped, 2 paper certificates bear this number (Ủy ban nhân dân tỉnh Thái Nguyên, 2024; "
            "Ủy ban nhân dân tỉnh Lào Cai, 2024): choose with --year or --level") in result.output
    assert "0 paper certificates would be re-issued" in result.output


# Addresses ----------------------------------------------------------------------------------------

def test_the_public_address_goes_to_the_commune_and_the_street_only_with_consent(app, make_user):
    from tests.factories import make_producer

    with app.app_context():
        producer = make_producer(db.session.get(User, make_user().id))
        commune, province = producer.commune.name, producer.province.name
        assert public_address(producer) == f"{commune}, {province}"
        assert "Nà Cà" not in public_address(producer)
        producer.publish_address = True
        assert public_address(producer) == f"Thôn Nà Cà, {commune}, {province}"
        producer.address = f"Thôn Nà Cà, {commune.lower()}"  # the commune typed with the street: once
        assert public_address(producer) == f"Thôn Nà Cà, {commune.lower()}, {province}"
        producer.commune = None
        producer.publish_address = False
        assert public_address(producer) == province
        db.session.rollback()


@pytest.mark.parametrize("consent", [False, True])
def test_a_new_certificate_prints_the_commune_and_the_street_only_with_consent(app, make_user, signer, monkeypatch,
                                                                                consent):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "1000 per minute")
    hall = certify(app, make_user, entries=1, failing=0)
    with app.app_context():
        producer = db.session.scalar(select(Producer).join(Producer.accounts).where(
            Producer.accounts.any(id=hall.owners[0].id)))
        producer.address, producer.publish_address = "Thôn Khuổi Hao", consent
        commune, province = producer.commune.name, producer.province.name
        db.session.commit()
    (certificate_id, _), = issue_certificates(app, hall)
    with app.app_context():
        certificate = db.session.get(Certificate, certificate_id)
        address = json.loads(certificate.snapshot)["producer_address"]
        pdf = page_text(stored_pdf(certificate))
    expected = f"Thôn Khuổi Hao, {commune}, {province}" if consent else f"{commune}, {province}"
    assert address == expected
    assert "".join(expected.split()) in "".join(pdf.split())
    assert ("Khuổi Hao" in pdf) is consent
    # The registry prints the same line: the certificate's page, the search results, the API.
    with app.app_context():
        number = db.session.get(Certificate, certificate_id).number
    client = app.test_client()
    assert f"<dd>{expected}</dd>" in client.get(f"/registry/certificates/{number}").get_data(as_text=True)
    assert f"<dd>{expected}</dd>" in client.get("/registry/", query_string={"status": "all"}).get_data(as_text=True)
    items = client.get("/api/v1/products", query_string={"status": "all"}).get_json()["items"]
    assert [c["address"] for item in items for c in item["certificates"]] == [expected]


def test_a_certificate_issued_with_the_province_alone_keeps_its_payload_and_verifies(app, client, make_user, signer,
                                                                                      monkeypatch):
    """Certificates issued before the commune was printed: their snapshot is signed; it stays as it is."""
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "1000 per minute")
    hall = certify(app, make_user, entries=1, failing=0)
    (certificate_id, _), = issue_certificates(app, hall)
    with app.app_context():
        certificate = db.session.get(Certificate, certificate_id)
        facts = json.loads(certificate.snapshot)
        assert "," in facts["producer_address"]  # issued now: to the commune
        token, snapshot, digest = certificate.token, certificate.snapshot, certificate.digest
        # Changing the producer's consent or commune afterwards changes nothing certified.
        producer = certificate.application.producer
        producer.publish_address, producer.commune = True, None
        db.session.commit()
    assert client.get(f"/api/v1/verify/{token}").get_json()["status"] == "valid"
    with app.app_context():
        certificate = db.session.get(Certificate, certificate_id)
        assert (certificate.snapshot, certificate.digest) == (snapshot, digest)


# Migration ----------------------------------------------------------------------------------------

def test_the_migration_keeps_old_numbers_and_moves_uniqueness_to_authority_and_year(fresh_database):  # noqa: F811
    app = create_app({"SQLALCHEMY_DATABASE_URI": fresh_database})
    certificate = (
        "INSERT INTO certificate (id, number, number_folded, authority_id, level, year, imported_certificate_id, "
        "snapshot, digest, issued_on, expires_on, status, reason_category, reason, signing_key_id, token, "
        "created_at) VALUES (:id, :number, :folded, :authority, 'tinh', :year, 1, :snapshot, 'd', '2026-01-01', "
        "'2099-01-01', 'superseded', '', '', 1, :token, '2026-01-01 00:00:00')")
    with app.app_context():
        upgrade(revision="0018_decision_entry_names")
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO product_group (id, code, name) VALUES (1, '1', 'Chế biến')"))
            conn.execute(text(
                "INSERT INTO imported_certificate (id, number, number_folded, level, year, decision_number, "
                "decision_on, authority_name, product_name, product_name_folded, group_code, producer_name, "
                "producer_name_folded, province_name_then, imported_at, source_file_name, row_number) VALUES "
                "(1, 'T-2021-1', 't-2021-1', 'tinh', 2021, '1/QĐ', '2021-11-29', 'UBND tỉnh Thái Nguyên', 'Mắm', "
                "'mam', '1', 'Công ty', 'cong ty', 'Thái Nguyên', '2026-01-01 00:00:00', 'f.xlsx', 2)"))
            for code in ("A", "B"):
                conn.execute(text(
                    "INSERT INTO issuing_authority (code, name, parent_name, place_name, number_template, active, "
                    "updated_at, jurisdiction_level) VALUES (:code, :name, '', 'Hà Nội', '{code}-{year}-{seq:04d}', "
                    "true, '2026-01-01 00:00:00', 'quoc_gia')"), {"code": code, "name": f"Cơ quan {code}"})
            conn.execute(text("INSERT INTO signing_key (id, kid, public_key, scope, status, created_at) "
                              "VALUES (1, 'kid', 'key', 'platform', 'active', '2026-01-01 00:00:00')"))
            ids = dict(conn.execute(text("SELECT code, id FROM issuing_authority")).all())
            conn.execute(text(certificate), {"id": 1, "number": "A-2026-0001", "folded": "a-2026-0001",
                                             "authority": ids["A"], "year": 2026, "token": "t1",
                                             "snapshot": json.dumps({"decision_authority": "Cơ quan A",
                                                                     "producer_address": "Xã X, Thái Nguyên"})})
            conn.execute(text("INSERT INTO registry_entry (id, name, name_folded, producer_name, current_name, "
                              "current_producer_name, province_name, province_name_folded, province_then, group_code, "
                              "group_name, year, search_text, exact_text, updated_at) VALUES (1, 'Mắm', 'mam', "
                              "'Công ty', '', '', 'Thái Nguyên', 'thai nguyen', '', '1', 'Chế biến', 2026, 'mam', "
                              "'mắm', '2026-01-01 00:00:00')"))
            conn.execute(text("INSERT INTO registry_certificate (id, entry_id, number, level, year, status, on_paper, "
                              "token, product_name, producer_name, group_name, province_name, province_then) VALUES "
                              "(1, 1, 'A-2026-0001', 'tinh', 2026, 'valid', false, 't1', 'Mắm', 'Công ty', '', '', '')"))
        upgrade()
        with db.engine.begin() as conn:
            assert conn.execute(text("SELECT number FROM certificate")).scalar_one() == "A-2026-0001"
            assert conn.execute(text("SELECT authority_name, address FROM registry_certificate")).one() == (
                "Cơ quan A", "Xã X, Thái Nguyên")
            template = conn.execute(text("SELECT number_template FROM issuing_authority WHERE code = 'A'")).scalar()
            assert template == "{code}-{year}-{seq:04d}"  # existing authorities keep theirs
            # Another authority, or another year, may now use the same number.
            conn.execute(text(certificate), {"id": 2, "number": "A-2026-0001", "folded": "a-2026-0001",
                                             "authority": ids["B"], "year": 2026, "token": "t2", "snapshot": "{}"})
            conn.execute(text(certificate), {"id": 3, "number": "A-2026-0001", "folded": "a-2026-0001",
                                             "authority": ids["A"], "year": 2027, "token": "t3", "snapshot": "{}"})
        with pytest.raises(IntegrityError), db.engine.begin() as conn:
            conn.execute(text(certificate), {"id": 4, "number": "A-2026-0001", "folded": "a-2026-0001",
                                             "authority": ids["A"], "year": 2026, "token": "t4", "snapshot": "{}"})
        db.engine.dispose()
