"""The public registry: imported paper certificates and certificates issued here, by number, name and province."""
import datetime
import re
from urllib.parse import quote

from sqlalchemy import select

from certificates.operations.reissue_imported import reissue_imported
from tests.support.certificates import certify, issue_certificates
from tests.support.registry import REGIONAL, import_sample, set_valid_until
from voting.core.clock import today_vn
from voting.extensions import db
from voting.documents.import_workbook import COLUMNS
from voting.models import IssuingAuthority, User
from certificates.models import Certificate, ImportedCertificate
from certificates.operations.past_imports import import_certificates

_NUMBERS = re.compile(r'<tr data-number="([^"]+)">')


def numbers_on(response):
    assert response.status_code == 200, response.get_data(as_text=True)[:1000]
    return _NUMBERS.findall(response.get_data(as_text=True))


def imported_on_text(app, number):
    with app.app_context():
        record = db.session.scalar(select(ImportedCertificate).where(ImportedCertificate.number == number))
        return (record.imported_at.replace(tzinfo=datetime.UTC) if record.imported_at.tzinfo is None
                else record.imported_at).astimezone(datetime.timezone(datetime.timedelta(hours=7))).strftime("%d/%m/%Y")


def test_registry_lists_imported_certificates_with_the_paper_note(app, client):
    import_sample(app)
    # Paper certificates linked to no product are a registry row each; most have expired.
    body = client.get("/registry/?status=all").get_data(as_text=True)
    assert "40 sản phẩm phù hợp." in body
    assert len(numbers_on(client.get("/registry/?status=all"))) == 25
    assert len(numbers_on(client.get("/registry/?status=all&page=2"))) == 15
    assert "Trang 1 / 2" in body and "cấp bản giấy" in body
    body = client.get("/registry/certificates/QG-2019-001").get_data(as_text=True)
    assert (f"Cấp bản giấy — hồ sơ do Quản trị hệ thống nhập ngày {imported_on_text(app, 'QG-2019-001')}"
            in body.replace("\n", " "))


def test_exact_number_redirects_to_its_page_whatever_the_case_and_spacing(app, client):
    import_sample(app)
    for typed in ("QG-2019-001", "  qg-2019-001 ", "qg - 2019 - 001"):
        response = client.get("/registry/", query_string={"q": typed})
        assert response.status_code == 302, typed
        assert response.headers["Location"].endswith("/registry/certificates/QG-2019-001")
    page = client.get("/registry/certificates/qg-2019-001")
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Miến dong" in body and "5092/QĐ-BCT" in body and "Bộ Công Thương" in body
    assert "Bắc Kạn (nay thuộc Thái Nguyên)" in body
    assert "Hết hạn" in body  # valid until 20/12/2022
    assert "chưa có mã QR ký số" in body and "/v/" not in body


def test_folded_names_find_products_and_producers(app, client):
    import_sample(app)
    assert sorted(numbers_on(client.get("/registry/?q=mien+dong&status=all"))) == ["QG-2019-001", "T-2018-BK-001"]
    assert numbers_on(client.get("/registry/?q=MIẾN DONG&status=all")) == numbers_on(client.get("/registry/?q=mien dong&status=all"))
    assert numbers_on(client.get("/registry/?q=hop tac xa che shan&status=all")) == ["T-2021-HG-001"]
    # Wildcards are searched for literally.
    body = client.get("/registry/?q=%25").get_data(as_text=True)
    assert "Không tìm thấy sản phẩm nào phù hợp với “%”." in body


def test_former_province_finds_the_current_unit_and_back(app, client):
    import_sample(app)
    by_former = set(numbers_on(client.get("/registry/?q=Bắc Kạn&status=all")))
    by_current = set(numbers_on(client.get("/registry/?q=thai nguyen&status=all")))
    bac_kan = {"QG-2019-001", "T-2018-BK-001", "T-2018-BK-002", "T-2018-BK-003"}
    thai_nguyen = {"QG-2019-002", "T-2023-TN-001", "T-2023-TN-002", "T-2023-TN-003", "T-2023-TN-004",
                   "H-2023-TN-001"}
    assert by_former == by_current == bac_kan | thai_nguyen
    assert set(numbers_on(client.get("/registry/?q=tỉnh Quảng Nam&status=all"))) >= {"T-2020-QN-001", "KV-2024-007"}


def test_empty_state_and_empty_registry(app, client):
    assert "Sổ đăng ký chưa có giấy chứng nhận nào." in client.get("/registry/").get_data(as_text=True)
    import_sample(app)
    body = client.get("/registry/?q=không có sản phẩm này").get_data(as_text=True)
    assert "Không tìm thấy sản phẩm nào phù hợp với “không có sản phẩm này”." in body


def test_number_with_slash_and_spaces_has_a_safe_url(app, client):
    header = [c.header for c in COLUMNS]
    values = {"number": "12/GCN-UBND 2020", "level": "Cấp tỉnh", "year": 2020, "decision_number": "12/QĐ-UBND",
              "decision_on": datetime.date(2020, 3, 2), "authority_name": "Ủy ban nhân dân tỉnh Hà Giang",
              "product_name": "Chè đặc sản", "group": 2, "producer_name": "Cơ sở chè thử",
              "province": "Hà Giang", "valid_until": None}
    with app.app_context():
        assert import_certificates(None, [header, [values[c.key] for c in COLUMNS]], "mot-dong.xlsx", today_vn()).ok
        db.session.commit()
    response = client.get("/registry/", query_string={"q": "12/gcn-ubnd  2020"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/registry/certificates/12/GCN-UBND%202020")
    page = client.get("/registry/certificates/12/GCN-UBND%202020")
    assert page.status_code == 200 and "Chè đặc sản" in page.get_data(as_text=True)
    assert "Không ghi thời hạn" in page.get_data(as_text=True)
    assert client.get("/registry/certificates/" + quote("12/gcn-ubnd2020")).status_code == 200


def test_unknown_number_is_a_clear_404(client):
    response = client.get("/registry/certificates/KHONG-CO/SỐ 1")
    body = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "Không tìm thấy giấy chứng nhận" in body and "KHONG-CO/SỐ 1" in body


def test_reissued_paper_certificate_links_to_its_verification(app, client, signer):
    import_sample(app)
    set_valid_until(app, REGIONAL, days=365)
    with app.app_context():
        records = db.session.scalars(select(ImportedCertificate).where(ImportedCertificate.number == "KV-2024-001")).all()
        cda = db.session.scalar(select(IssuingAuthority).where(IssuingAuthority.code == "CDMST"))
        reissue_imported(None, records, cda, today_vn(), checkpoint=db.session.commit)
        token = db.session.scalar(select(Certificate.token).where(Certificate.number == "KV-2024-001"))
    body = client.get("/registry/certificates/KV-2024-001").get_data(as_text=True)
    assert f'href="/v/{token}"' in body
    assert "đã được cấp lại có mã QR ký số" in body and "Còn hiệu lực" in body
    # One registry row per paper certificate, re-issued or not.
    assert numbers_on(client.get("/registry/?q=pho kho")) == ["KV-2024-001"]


def test_importer_authority_is_named_when_an_organiser_imported(app, client, make_user):
    organiser = make_user("organiser", province_code="19")
    import_sample(app, actor_id=organiser.id)
    with app.app_context():
        name = db.session.scalar(select(IssuingAuthority.name).where(IssuingAuthority.code == "UBND-19"))
        assert db.session.get(User, organiser.id).jurisdiction_level == "tinh"
    body = client.get("/registry/certificates/T-2023-TN-001").get_data(as_text=True)
    assert f"Cấp bản giấy — hồ sơ do {name} nhập ngày" in body


def test_certificates_issued_here_are_found_by_number_and_name(app, client, make_user, signer, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "1000 per minute")
    hall = certify(app, make_user, entries=1, failing=0)
    (_, number), = issue_certificates(app, hall)
    with app.app_context():
        certificate = db.session.scalar(select(Certificate).where(Certificate.number == number))
        product = certificate.application.product.name
        province = certificate.application.producer.province.name
    response = client.get("/registry/", query_string={"q": number.lower()})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/registry/certificates/{number}")
    page = client.get(f"/registry/certificates/{number}").get_data(as_text=True)
    assert product in page and "Còn hiệu lực" in page and f'href="/v/{certificate.token}"' in page
    assert "Cấp bản giấy" not in page
    assert number in numbers_on(client.get("/registry/", query_string={"q": product.lower()}))
    assert number in numbers_on(client.get("/registry/", query_string={"q": province}))
