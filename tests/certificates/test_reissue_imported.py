"""Re-issuing imported paper certificates with a signed QR: the operation, its refusals, the CLI, the QR."""
import io
import json
from urllib.parse import urlsplit

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from certificates.operations.issuance import stored_pdf
from certificates.operations.reissue_imported import reissue_imported
from tests.support.registry import REGIONAL, import_sample, set_valid_until
from tests.support.certificates import decode_qr
from voting.core.clock import today_vn
from voting.extensions import db
from voting.models import AuditEvent, IssuingAuthority, Province
from certificates.models import Certificate, ImportedCertificate


@pytest.fixture
def imported(app):
    """The sample imported; the regional 2024 certificates made valid for a year from today
    (the sample's dates are fixed; the suite must not depend on the day it runs)."""
    import_sample(app)
    set_valid_until(app, REGIONAL, days=365)


def papers(numbers):
    found = {i.number: i for i in db.session.scalars(
        select(ImportedCertificate).where(ImportedCertificate.number.in_(numbers)))}
    return [found[n] for n in numbers]


def authority(code):
    return db.session.scalar(select(IssuingAuthority).where(IssuingAuthority.code == code))


def province_authority(name):
    province = db.session.scalar(select(Province).where(Province.name == name))
    return db.session.scalar(select(IssuingAuthority).where(IssuingAuthority.province_id == province.id))


def test_reissue_keeps_the_paper_number_and_signs_a_qr(app, signer, imported):
    with app.app_context():
        report = reissue_imported(None, papers(REGIONAL), authority("CDMST"), today_vn(), batch_size=3,
                                  checkpoint=db.session.commit)
        assert report.reissued == REGIONAL and report.skipped == []
        certificate = db.session.scalar(select(Certificate).where(Certificate.number == "KV-2024-001"))
        paper = certificate.imported_certificate
        assert paper.number == "KV-2024-001"
        assert (certificate.issued_on, certificate.expires_on) == (today_vn(), paper.valid_until)
        assert (certificate.level, certificate.year, certificate.sequence) == ("khu_vuc", 2024, None)
        assert certificate.round_id is None and certificate.application_id is None
        assert certificate.authority.code == "CDMST"
        facts = json.loads(certificate.snapshot)
        assert facts["product_name"] == "Phở khô" and facts["decision_number"] == "388/QĐ-CTĐP"
        assert facts["decision_authority"] == "Cục Công Thương địa phương"  # as named on paper
        assert facts["reissue_note"] == "Cấp lại từ Giấy chứng nhận (bản giấy) số KV-2024-001 cấp ngày 08/11/2024"
        text = PdfReader(io.BytesIO(stored_pdf(certificate))).pages[0].extract_text()
        assert "Cấp lại từ Giấy chứng nhận (bản giấy) số KV-2024-001 cấp ngày" in " ".join(text.split())
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "certificate.reissue_imported"))
        assert sorted(json.loads(e.data)["number"] for e in events) == REGIONAL


def test_former_province_names_the_then_and_current_unit(app, signer, imported):
    with app.app_context():
        paper = papers(["KV-2024-007"])[0]  # printed "Quảng Nam", now Đà Nẵng
        reissue_imported(None, [paper], authority("CDMST"), today_vn())
        facts = json.loads(db.session.scalar(select(Certificate.snapshot).where(Certificate.number == "KV-2024-007")))
        assert facts["province_name_then"] == "Quảng Nam"
        assert facts["province_name"] == "Đà Nẵng"
        assert "Quảng Nam (nay thuộc" in facts["producer_address"]


def test_refusals_are_reported_and_nothing_is_written_for_them(app, signer, imported):
    set_valid_until(app, ["KV-2024-002"], days=0)
    with app.app_context():
        reissue_imported(None, papers(["KV-2024-001"]), authority("CDMST"), today_vn())
        chosen = papers(["KV-2024-001", "QG-2019-001", "T-2018-BK-001", "KV-2024-002", "KV-2024-003"])
        report = reissue_imported(None, chosen, authority("CDMST"), today_vn())
        reasons = {s.number: s.code for s in report.skipped}
        assert reasons == {"KV-2024-001": "already_reissued", "QG-2019-001": "expired",
                           "T-2018-BK-001": "no_validity", "KV-2024-002": "expires_today"}
        assert report.reissued == ["KV-2024-003"]
        assert "20/12/2022" in next(s.message for s in report.skipped if s.code == "expired")
        assert db.session.scalar(select(func.count(Certificate.id))) == 2


def test_authority_must_issue_the_level_and_cover_the_province(app, signer, imported):
    set_valid_until(app, ["T-2025-LD-001", "H-2023-TN-001"], days=365)
    with app.app_context():
        wrong_level = reissue_imported(None, papers(["KV-2024-004"]), authority("BCT"), today_vn(), dry_run=True)
        assert [s.code for s in wrong_level.skipped] == ["authority_level"]
        thai_nguyen = province_authority("Thái Nguyên")
        elsewhere = reissue_imported(None, papers(["T-2025-LD-001"]), thai_nguyen, today_vn(), dry_run=True)
        assert [s.code for s in elsewhere.skipped] == ["authority_province"]
        assert reissue_imported(None, papers(["T-2025-LD-001"]), province_authority("Lâm Đồng"),
                                today_vn()).reissued == ["T-2025-LD-001"]


def test_district_certificate_is_reissued_only_by_the_named_provincial_authority(app, signer, imported):
    """Cấp huyện is no longer issued: the province where it now lies re-issues it, as cấp huyện."""
    set_valid_until(app, ["H-2023-TN-001"], days=365)
    with app.app_context():
        refused = reissue_imported(None, papers(["H-2023-TN-001"]), authority("BCT"), today_vn())
        assert [s.code for s in refused.skipped] == ["authority_level"]
        refused = reissue_imported(None, papers(["H-2023-TN-001"]), province_authority("Khánh Hòa"), today_vn())
        assert [s.code for s in refused.skipped] == ["authority_province"]
        report = reissue_imported(None, papers(["H-2023-TN-001"]), province_authority("Thái Nguyên"), today_vn())
        assert report.reissued == ["H-2023-TN-001"]
        certificate = db.session.scalar(select(Certificate).where(Certificate.number == "H-2023-TN-001"))
        assert certificate.level == "huyen"
        assert json.loads(certificate.snapshot)["level_label"] == "cấp huyện"


def test_dry_run_writes_nothing(app, signer, imported):
    with app.app_context():
        report = reissue_imported(None, papers(REGIONAL), authority("CDMST"), today_vn(), dry_run=True)
        assert report.reissued == REGIONAL
        assert db.session.scalar(select(func.count(Certificate.id))) == 0


def test_reissued_paper_certificate_verifies_by_its_qr(app, client, signer, imported):
    with app.app_context():
        reissue_imported(None, papers(["KV-2024-003"]), authority("CDMST"), today_vn(), checkpoint=db.session.commit)
        certificate = db.session.scalar(select(Certificate).where(Certificate.number == "KV-2024-003"))
        urls = decode_qr(stored_pdf(certificate))
        token = certificate.token
    assert len(urls) == 1
    path = urlsplit(urls[0]).path
    assert path == "/v/" + token
    page = client.get(path)
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Giấy chứng nhận hợp lệ" in body and "Thanh long sấy dẻo" not in body
    assert "Cơm cháy chà bông" in body and "KV-2024-003" in body
    api = client.get("/api/v1/verify/" + token).get_json()
    assert api["status"] == "valid" and api["certificate"]["number"] == "KV-2024-003"
    assert api["certificate"]["product"] == "Cơm cháy chà bông" and api["certificate"]["year"] == 2024


# The command line ------------------------------------------------------------------------------

def run(runner, *args):
    return runner.invoke(args=["certificates", "reissue-imported", *args])


def test_cli_reissues_a_list_from_a_file(app, runner, signer, imported, tmp_path):
    numbers = tmp_path / "so.txt"
    numbers.write_text(" kv-2024-001 \nKV-2024-002\n# a comment\n\nQG-2019-001\nKHONG-CO-1\n", encoding="utf-8")
    result = run(runner, "--numbers-file", str(numbers), "--authority", "CDMST")
    assert result.exit_code == 0, result.output
    assert "KV-2024-001: re-issued" in result.output
    assert "QG-2019-001: skipped, expired on 20/12/2022" in result.output
    assert "KHONG-CO-1: skipped" in result.output
    assert "2 paper certificates re-issued by CDMST; 2 skipped." in result.output
    with app.app_context():
        assert sorted(db.session.scalars(select(Certificate.number))) == ["KV-2024-001", "KV-2024-002"]
        assert db.session.scalar(select(AuditEvent.actor_label).where(
            AuditEvent.action == "certificate.reissue_imported").limit(1)) == "system"


def test_cli_selects_by_level_year_and_validity_and_records_the_admin(app, runner, signer, imported, make_user):
    admin = make_user("admin")
    dry = run(runner, "--level", "khu_vuc", "--year", "2024", "--all-valid", "--authority", "CDMST", "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "7 paper certificates would be re-issued by CDMST; 0 skipped (dry run: nothing written)." in dry.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Certificate.id))) == 0
    result = run(runner, "--level", "khu_vuc", "--year", "2024", "--all-valid", "--authority", "CDMST",
                 "--actor", admin.email.upper())
    assert result.exit_code == 0, result.output
    assert "7 paper certificates re-issued by CDMST; 0 skipped." in result.output
    with app.app_context():
        assert set(db.session.scalars(select(Certificate.issued_by_id))) == {admin.id}
    again = run(runner, "--level", "khu_vuc", "--year", "2024", "--authority", "CDMST")
    assert "0 paper certificates re-issued by CDMST; 7 skipped." in again.output
    assert "KV-2024-001: skipped, already re-issued" in again.output


def test_cli_refuses_bad_arguments(app, runner, signer, imported, make_user):
    organiser = make_user("organiser")
    assert "Choose the paper certificates" in run(runner, "--authority", "CDMST").output
    assert "No issuing authority with code 'NOPE'" in run(runner, "--all-valid", "--authority", "NOPE").output
    refused = run(runner, "--all-valid", "--authority", "CDMST", "--actor", organiser.email)
    assert refused.exit_code != 0 and "is not an active administrator account" in refused.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Certificate.id))) == 0


def test_organiser_pages_answer_not_found_for_a_reissued_paper_certificate(app, client, signer, imported, make_user,
                                                                          monkeypatch):
    """They belong to no round: the registry and the scan page show them, the round pages do not."""
    from tests.conftest import csrf_token, login
    from voting.models import Role

    with app.app_context():
        reissue_imported(None, papers(REGIONAL[:1]), authority("CDMST"), today_vn(), checkpoint=db.session.commit)
        certificate_id = db.session.scalar(select(Certificate.id).where(Certificate.number == REGIONAL[0]))
    organiser = make_user(Role.ORGANISER, jurisdiction="khu_vuc")
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "1000 per minute")
    login(client, organiser.email)
    token = csrf_token(client, "/organiser/")
    assert client.get(f"/certificates/{certificate_id}.pdf").status_code == 404
    for action in ("suspend", "revoke", "reinstate"):
        response = client.post(f"/certificates/{certificate_id}/{action}",
                               data={"csrf_token": token, "category": "other", "reason": "Thử."})
        assert response.status_code == 404, action
    with app.app_context():
        assert db.session.get(Certificate, certificate_id).status == "valid"
