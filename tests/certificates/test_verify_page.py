"""The verification page and API as a consumer meets them: every status, bad input, caching, rate limits,
scan counting (and spikes), and the "report a suspected fake" form reaching the organiser's inbox.
"""
import json
import os
import re
import subprocess
import sys
from datetime import timedelta
from urllib.parse import quote

import pytest
from sqlalchemy import event, inspect, select

from certificates.operations.issuance import stored_pdf
from certificates.operations.lifecycle import revoke_certificate
from certificates.scans import ScanBuffer, flush_scans, scan_history
from certificates.rules.signing import make_token
from tests.conftest import csrf_from, login
from tests.support.certificates import issue_certificates as issue_with_pdfs
from tests.support.certificates import certify
from tests.support.signing import DIGEST, EXPIRES, ISSUED, insert_certificate, register_signer
from tests.support.signing import certified as certified  # noqa: F401,PLC0414 (the fixture, for these tests)
from tests.support.services import require_redis
from voting.core.clock import today_vn
from voting.extensions import db
from voting.models import Notification, Role, User
from certificates.models import Certificate
from voting.models.base import utcnow
from certificates.models.public import CertificateScanDay, SuspectedFakeReport
from voting.core.storage import storage

HEADLINES = {
    "valid": "Giấy chứng nhận hợp lệ", "expired": "Giấy chứng nhận đã hết hạn",
    "suspended": "Giấy chứng nhận đang bị tạm đình chỉ", "revoked": "Giấy chứng nhận đã bị thu hồi",
    "superseded": "Giấy chứng nhận đã được thay thế", "forged": "Mã không hợp lệ — có thể là hàng giả",
    "not_found": "Không tìm thấy giấy chứng nhận",
}


def _token_for(app, world, status):
    """Build a certificate in ``status`` as issuance and later actions leave it; return the token to scan."""
    with app.app_context():
        signer = register_signer()
        if status == "forged":
            token = insert_certificate(world, signer).token
            db.session.commit()
            return token[:20] + ("A" if token[20] != "A" else "B") + token[21:]
        if status == "not_found":
            insert_certificate(world, signer)
            db.session.commit()
            return make_token(signer[0], signer[1].kid, "TNG-2026-0999", ISSUED, EXPIRES, DIGEST)
        if status == "superseded":
            old = insert_certificate(world, signer, sequence=1, status="superseded")
            insert_certificate(world, signer, sequence=2, supersedes=old)
            db.session.commit()
            return old.token
        expired = status == "expired"
        certificate = insert_certificate(world, signer, status="valid" if expired else status,
                             issued_on=today_vn() - timedelta(days=800 if expired else 30),
                             expires_on=today_vn() - timedelta(days=1) if expired else None)
        if status in ("suspended", "revoked"):
            certificate.status_changed_at = utcnow()
        db.session.commit()
        return certificate.token


def _banner(body):
    match = re.search(r'class="verify-banner verify-(\w+)"[^>]*data-status="(\w+)"', body)
    return match.group(1) if match else None


@pytest.mark.parametrize("status", list(HEADLINES))
def test_every_status_shows_on_the_page_and_in_the_api(app, client, certified, status):
    token = _token_for(app, certified(), status)
    page = client.get(f"/v/{token}")
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and _banner(body) == status
    assert HEADLINES[status] in body
    # Icon and words: the banner never relies on colour alone.
    assert re.search(r'<span class="verify-icon" aria-hidden="true">\S+</span>', body)
    api = client.get(f"/api/v1/verify/{token}")
    payload = api.get_json()
    assert api.status_code == 200 and payload["status"] == status and payload["checked_at"]
    genuine = status not in ("forged", "not_found")
    assert (payload["certificate"] is not None) == genuine
    assert ("Miến dong" in body) == genuine  # a failed check shows only the reason, never details
    assert ("Chữ ký số hợp lệ, mã khóa" in body) == genuine
    if status == "valid":
        assert "Có giá trị đến" in body and payload["certificate"]["number"] == "TNG-2026-0001"
    if status == "expired":
        assert "Hết hiệu lực từ ngày " + (today_vn() - timedelta(days=1)).strftime("%d/%m/%Y") in body
    if status in ("suspended", "revoked"):
        assert "Lý do: Lý do khác" in body or "Lý do thử" in body
        assert payload["certificate"]["reason_category"] == "other"
    if status == "superseded":
        assert payload["certificate"]["superseded_by"] == "TNG-2026-0002"
        with app.app_context():
            replacement = db.session.scalar(select(Certificate).where(Certificate.number == "TNG-2026-0002"))
            assert f'href="/v/{replacement.token}"' in body
    if status == "forged":
        assert "Kết quả: chữ ký số không hợp lệ." in body
    assert "Báo cáo nghi ngờ hàng giả" in body


def test_the_product_photo_shows_only_once_the_producer_has_published_the_product(app, client, certified):
    token = _token_for(app, certified(), "valid")
    assert 'class="verify-photo"' not in client.get(f"/v/{token}").get_data(as_text=True)
    assert client.get(f"/v/{token}/photo").status_code == 404
    with app.app_context():
        product = db.session.scalar(select(Certificate).where(Certificate.token == token)).application.product
        product.published_at = utcnow()
        db.session.commit()
    body = client.get(f"/v/{token}").get_data(as_text=True)
    assert f'class="verify-photo" src="/v/{token}/photo"' in body
    photo = client.get(f"/v/{token}/photo")
    assert photo.status_code == 200 and photo.mimetype.startswith("image/")
    assert photo.data[:4] in (b"RIFF", b"\xff\xd8\xff\xe0", b"\xff\xd8\xff\xdb", b"\x89PNG")
    assert photo.headers.getlist("Content-Security-Policy") == ["default-src 'none'; sandbox"]  # its own, not the site's
    forged = token[:20] + ("A" if token[20] != "A" else "B") + token[21:]
    assert client.get(f"/v/{forged}/photo").status_code == 404  # a failed check shows nothing


def test_a_province_renamed_since_issue_shows_its_current_name_and_the_name_at_issue(app, client, certified):
    token = _token_for(app, certified(), "valid")
    body = client.get(f"/v/{token}").get_data(as_text=True)
    assert "Thái Nguyên" in body and "khi cấp:" not in body  # unchanged since issue: one name
    with app.app_context():
        certificate = db.session.scalar(select(Certificate).where(Certificate.token == token))
        facts = json.loads(certificate.snapshot)
        certificate.snapshot = json.dumps({**facts, "province_name": "Bắc Kạn"}, ensure_ascii=False)
        db.session.commit()
    body = client.get(f"/v/{token}").get_data(as_text=True)
    assert "<dd>Thái Nguyên <small>(khi cấp: Bắc Kạn)</small></dd>" in body
    client.get("/lang/en")
    assert "(at issue: Bắc Kạn)" in client.get(f"/v/{token}").get_data(as_text=True)


@pytest.mark.parametrize("token", [
    "A" * 10_000,                                  # 10 KB
    "Miến-dong.chữ-ký",                            # non-ASCII
    "%00%ff%fe%C3%28..%2F%2e%2e",                  # percent-encoded junk
    "<script>alert(1)</script>.x",                 # HTML, reflected escaped
    "'; DROP TABLE certificate; --",
])
def test_bad_tokens_get_the_forged_page_or_a_clear_4xx_never_a_500(client, token):
    for url in (f"/v/{quote(token, safe='%')}", f"/api/v1/verify/{quote(token, safe='%')}",
                f"/v/{quote(token, safe='%')}/report", f"/v/{quote(token, safe='%')}/certificate.png"):
        response = client.get(url)
        # Over the server's URL limit: 414 everywhere. Otherwise the page, the API and the report form answer
        # "forged"; a forged token has no certificate image to show.
        expected = 414 if len(token) == 10_000 else 404 if url.endswith("/certificate.png") else 200
        assert response.status_code == expected, url
        body = response.get_data(as_text=True)
        assert "<script>alert(1)</script>" not in body
        if response.status_code == 200 and "/api/" in url:
            assert response.get_json() == {"status": "forged", "checked_at": response.get_json()["checked_at"],
                                           "certificate": None}
        elif response.status_code == 200 and not url.endswith("/report"):
            assert _banner(body) == "forged"


def _revoke(app, token, organiser):
    """The organiser revokes the certificate of ``token``, as the certificate's page does."""
    with app.app_context():
        certificate = db.session.scalar(select(Certificate).where(Certificate.token == token))
        revoke_certificate(db.session.get(User, organiser.id), certificate, "quality_violation",
                           "Mẫu kiểm tra không đạt.")
        db.session.commit()


def test_etag_answers_304_until_a_revocation_changes_it(app, client, certified, make_user):
    world = certified()
    token = _token_for(app, world, "valid")
    for url in (f"/v/{token}", f"/api/v1/verify/{token}"):
        first = client.get(url)
        assert first.headers["Cache-Control"] == "no-cache" and first.headers["ETag"].startswith('W/"')
        again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == first.headers["ETag"]
    etags = {url: client.get(url).headers["ETag"] for url in (f"/v/{token}", f"/api/v1/verify/{token}")}
    _revoke(app, token, make_user(Role.ORGANISER))
    for url, etag in etags.items():
        response = client.get(url, headers={"If-None-Match": etag})
        assert response.status_code == 200 and response.headers["ETag"] != etag
    assert client.get(f"/api/v1/verify/{token}").get_json()["status"] == "revoked"


def test_too_many_requests_get_a_clear_429_page_and_json(app, client, certified, monkeypatch):
    token = _token_for(app, certified(), "valid")
    monkeypatch.setitem(app.config, "VERIFY_RATE_LIMIT", "2 per minute")
    for _ in range(2):
        assert client.get(f"/api/v1/verify/{token}").status_code == 200
    api = client.get(f"/api/v1/verify/{token}")
    assert api.status_code == 429 and api.is_json
    assert api.get_json()["status"] == "rate_limited" and "Retry-After" in api.headers
    page = client.get(f"/v/{token}")
    assert page.status_code == 429 and "Quá nhiều lần thử" in page.get_data(as_text=True)


# Scans ---------------------------------------------------------------------------------------------

def test_scans_are_counted_per_day_without_a_write_per_request_and_flushed(app, client, runner, certified):
    with app.app_context():
        flush_scans()  # what earlier tests left in this process's buffer
    valid = _token_for(app, certified(), "valid")
    for _ in range(3):
        client.get(f"/api/v1/verify/{valid}")
    client.get(f"/v/{valid}")
    client.get(f"/v/{valid}", headers={"If-None-Match": client.get(f"/v/{valid}").headers["ETag"]})
    client.get("/v/forged-or-junk")  # no certificate: nothing counted
    with app.app_context():
        assert db.session.scalars(select(CertificateScanDay)).all() == []  # nothing written per request
        assert flush_scans() == 6
        (row,) = db.session.scalars(select(CertificateScanDay)).all()
        assert (row.day, row.scans) == (today_vn(), 6)
        db.session.remove()
    client.get(f"/api/v1/verify/{valid}")
    result = runner.invoke(args=["certificates", "flush-scans"])
    assert result.exit_code == 0 and "1 scan(s) written" in result.output
    with app.app_context():
        assert db.session.scalar(select(CertificateScanDay.scans)) == 7
        # Only the certificate, the day and the count: no address, no user agent.
        columns = {c["name"] for c in inspect(db.engine).get_columns("certificate_scan_day")}
        assert columns == {"certificate_id", "day", "scans"}


def test_the_flush_is_due_after_the_configured_seconds(app, client, certified, monkeypatch):
    valid = _token_for(app, certified(), "valid")
    with app.app_context():
        flush_scans()
    monkeypatch.setitem(app.config, "SCAN_FLUSH_SECONDS", 0)  # every request finds the flush due
    client.get(f"/api/v1/verify/{valid}")
    with app.app_context():
        assert db.session.scalar(select(CertificateScanDay.scans)) == 1


def test_a_process_holding_counts_in_memory_writes_them_when_it_exits(app, certified):
    """The exit hook flushes what a process counted in memory (a worker stopped between two flushes)."""
    valid = _token_for(app, certified(), "valid")
    with app.app_context():
        flush_scans()
        certificate_id = db.session.scalar(select(Certificate.id).where(Certificate.token == valid))
    script = (
        "import sys\n"
        "from voting import create_app\n"
        "from voting.core.clock import today_vn\n"
        "from voting.extensions import db\n"
        "from certificates.models import Certificate\n"
        "from certificates.scans import record_scan\n"
        "app = create_app({'SQLALCHEMY_DATABASE_URI': sys.argv[1]})\n"
        "with app.app_context():\n"
        "    for _ in range(3):\n"
        "        record_scan(db.session.get(Certificate, int(sys.argv[2])), today_vn())\n"
        "create_app({'SQLALCHEMY_DATABASE_URI': sys.argv[1]})  # an app that counted nothing flushes nothing\n")
    done = subprocess.run([sys.executable, "-c", script, app.config["SQLALCHEMY_DATABASE_URI"], str(certificate_id)],
                          capture_output=True, text=True, timeout=120, env={**os.environ, "CNNT_CONFIG": "testing"})
    assert done.returncode == 0, done.stderr
    with app.app_context():
        assert db.session.scalar(select(CertificateScanDay.scans)) == 3  # written at exit, not before


def test_scans_counted_in_redis_are_shared_and_flushed(app, client, certified, monkeypatch):
    url = "redis://127.0.0.1:6379/15"
    require_redis(url)
    valid = _token_for(app, certified(), "valid")
    monkeypatch.setitem(app.config, "REDIS_URL", url)
    buffer = ScanBuffer(app)
    buffer.redis.flushdb()
    monkeypatch.setitem(app.extensions, "cnnt_scans", buffer)
    for _ in range(4):
        client.get(f"/api/v1/verify/{valid}")
    assert sum(int(n) for n in buffer.redis.hgetall("cnnt:scans:" + today_vn().isoformat()).values()) == 4
    with app.app_context():
        assert flush_scans() == 4
        assert db.session.scalar(select(CertificateScanDay.scans)) == 4
    assert buffer.redis.keys("cnnt:scans:2*") == []
    buffer.redis.flushdb()


def test_a_day_far_above_the_certificates_median_is_a_spike(app, client, certified, make_user):
    world = certified()
    token = _token_for(app, world, "valid")
    today = today_vn()
    with app.app_context():
        certificate = db.session.scalar(select(Certificate).where(Certificate.token == token))
        certificate_id = certificate.id
        for days_ago in range(1, 11):
            db.session.add(CertificateScanDay(certificate_id=certificate_id, day=today - timedelta(days=days_ago),
                                              scans=2))
        db.session.add(CertificateScanDay(certificate_id=certificate_id, day=today, scans=11))
        db.session.commit()
        history = scan_history(certificate_id, today, factor=5)
        assert len(history) == 30 and [d["spike"] for d in history if d["spike"]] == [True]
        assert history[-1]["day"] == today and history[-1]["spike"] and history[-1]["median"] == 2
        assert not scan_history(certificate_id, today, factor=6)[-1]["spike"]  # 11 is not above 6 × 2
    organiser = make_user(Role.ORGANISER)
    login(client, organiser.email)
    page = client.get(f"/certificates/{certificate_id}/scans").get_data(as_text=True)
    assert "31 lượt quét trong 30 ngày gần nhất" in page and "Tăng đột biến" in page
    round_page = client.get(f"/certificates/rounds/{world['round_id']}").get_data(as_text=True)
    assert f'href="/certificates/{certificate_id}/scans">31</a>' in round_page and "Tăng đột biến" in round_page


# Report a suspected fake ---------------------------------------------------------------------------

def test_a_report_reaches_the_issuing_organisers_inbox_and_is_marked_handled(app, client, certified, make_user):
    token = _token_for(app, certified(), "valid")
    organiser, elsewhere = make_user(Role.ORGANISER), make_user(Role.ORGANISER, province_code="56")
    form = client.get(f"/v/{token}/report")
    assert form.status_code == 200 and "TNG-2026-0001" in form.get_data(as_text=True)
    # Missing description: a clear message, and what was typed stays.
    refused = client.post(f"/v/{token}/report", data={"csrf_token": csrf_from(form), "where_seen": "Chợ Đồng Xuân",
                                                      "description": "  ", "contact": "0912 345 678"})
    body = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "Vui lòng mô tả điều bạn nghi ngờ." in body
    assert 'value="Chợ Đồng Xuân"' in body and 'value="0912 345 678"' in body
    too_long = client.post(f"/v/{token}/report", data={"csrf_token": csrf_from(form), "description": "x" * 2001})
    assert too_long.status_code == 400 and "Tối đa 2000 ký tự." in too_long.get_data(as_text=True)
    sent = client.post(f"/v/{token}/report", data={
        "csrf_token": csrf_from(form), "where_seen": "Chợ Đồng Xuân",
        "description": "Bao bì in mờ, mã QR dán đè lên nhãn cũ.", "contact": ""})
    assert sent.status_code == 302 and sent.headers["Location"].endswith(f"/v/{token}/report/sent")
    assert "Cảm ơn bạn đã báo cáo" in client.get(sent.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        (report,) = db.session.scalars(select(SuspectedFakeReport)).all()
        assert report.certificate.number == "TNG-2026-0001" and report.where_seen == "Chợ Đồng Xuân"
        notes = db.session.scalars(select(Notification).where(Notification.kind == "fake_reported")).all()
        assert organiser.id in {n.user_id for n in notes} and elsewhere.id not in {n.user_id for n in notes}
        report_id = report.id
    login(client, organiser.email)
    inbox = client.get("/account/inbox").get_data(as_text=True)
    assert "Có báo cáo nghi ngờ hàng giả về sản phẩm mang giấy chứng nhận số TNG-2026-0001." in inbox
    assert 'href="/certificates/fake-reports"' in inbox
    listing = client.get("/certificates/fake-reports")
    assert "Bao bì in mờ" in listing.get_data(as_text=True)
    done = client.post(f"/certificates/fake-reports/{report_id}/handled", data={"csrf_token": csrf_from(listing)})
    assert done.status_code == 302
    with app.app_context():
        assert db.session.get(SuspectedFakeReport, report_id).handled_by_id == organiser.id
    other = app.test_client()
    login(other, elsewhere.email)
    assert "Bao bì in mờ" not in other.get("/certificates/fake-reports").get_data(as_text=True)


def test_a_report_about_a_forged_code_goes_to_the_administrators(app, client, certified, make_user):
    token = _token_for(app, certified(), "forged")
    admin, organiser = make_user(Role.ADMIN), make_user(Role.ORGANISER)
    form = client.get(f"/v/{token}/report")
    assert "quản trị viên nền tảng" in form.get_data(as_text=True)
    client.post(f"/v/{token}/report", data={"csrf_token": csrf_from(form), "description": "Mã dán trên gói miến."})
    with app.app_context():
        (report,) = db.session.scalars(select(SuspectedFakeReport)).all()
        assert report.certificate_id is None and report.authority_id is None and report.code == token
        recipients = set(db.session.scalars(select(Notification.user_id).where(Notification.kind == "fake_reported")))
        assert recipients == {admin.id} and organiser.id not in recipients


def test_the_report_form_is_rate_limited_and_keeps_what_was_typed(app, client, certified, monkeypatch):
    token = _token_for(app, certified(), "valid")
    monkeypatch.setitem(app.config, "REPORT_RATE_LIMIT", "1 per minute")
    form = client.get(f"/v/{token}/report")
    data = {"csrf_token": csrf_from(form), "description": "Nhãn khác màu với hàng thật.", "where_seen": "Sạp 12"}
    assert client.post(f"/v/{token}/report", data=data).status_code == 302
    limited = client.post(f"/v/{token}/report", data={**data, "description": "Báo cáo thứ hai của tôi"})
    body = limited.get_data(as_text=True)
    assert limited.status_code == 429 and "quá nhiều báo cáo" in body
    assert "Báo cáo thứ hai của tôi" in body and 'value="Sạp 12"' in body


# The certificate itself, size and origin -----------------------------------------------------------

def test_a_genuine_certificate_shows_its_image_and_pdf_and_the_page_stays_small_and_self_contained(
        app, client, make_user, signer, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "1000 per minute")
    hall = certify(app, make_user, entries=1, failing=0)
    (certificate_id, number), = issue_with_pdfs(app, hall)
    with app.app_context():
        certificate = db.session.get(Certificate, certificate_id)
        token, pdf_name = certificate.token, certificate.pdf_storage_name
        # The longest names the demo could hold: a page still well under 60 KB.
        facts = json.loads(certificate.snapshot)
        long_facts = {**facts, "product_name": "Bộ sản phẩm " + "miến dong đặc sản vùng cao " * 11,
                      "producer_name": "Hợp tác xã " + "nông nghiệp dịch vụ tổng hợp " * 10,
                      "producer_address": "Thôn " + "Bản Nà Rì, " * 25}
        pdf = stored_pdf(certificate)
    body = client.get(f"/v/{token}").get_data(as_text=True)
    assert f'src="/v/{token}/certificate.png"' in body and f'href="/v/{token}/certificate.pdf"' in body
    image = client.get(f"/v/{token}/certificate.png")
    assert image.status_code == 200 and image.data.startswith(b"\x89PNG") and image.mimetype == "image/png"
    with app.app_context():
        # Rendered once, kept beside the PDF.
        assert storage("certificates").exists(pdf_name.removesuffix(".pdf") + ".png")
    document = client.get(f"/v/{token}/certificate.pdf")
    assert document.status_code == 200 and document.data == pdf
    with app.app_context():
        # Shown from the stored facts (the token binds the stored digest): the longest names, committed.
        db.session.get(Certificate, certificate_id).snapshot = json.dumps(long_facts, ensure_ascii=False)
        db.session.commit()
    html = client.get(f"/v/{token}").get_data()
    assert "miến dong đặc sản vùng cao" in html.decode() and len(html) < 60_000
    assert len(body.encode()) < 60_000
    # No external asset: every src and href is on this site.
    for page in (body, html.decode()):
        for url in re.findall(r'(?:src|href)="([^"]*)"', page):
            assert not url.startswith(("http:", "https:", "//")), url


@pytest.mark.parametrize("status", ["valid", "revoked", "forged"])
def test_the_page_and_the_report_form_render_in_english(app, client, certified, status):
    token = _token_for(app, certified(), status)
    client.set_cookie("lang", "en", domain="localhost")
    for url in (f"/v/{token}", f"/v/{token}/report"):
        response = client.get(url)
        assert response.status_code == 200 and '<html lang="en">' in response.get_data(as_text=True)


def test_the_product_group_reads_once_after_its_label(app, client, certified):
    """Not "Nhóm sản phẩm: Nhóm sản phẩm thủ công mỹ nghệ" (issue 18's wording)."""
    token = _token_for(app, certified(), "valid")
    with app.app_context():
        certificate = db.session.scalar(select(Certificate).where(Certificate.token == token))
        facts = json.loads(certificate.snapshot)
        certificate.snapshot = json.dumps({**facts, "group_name": "Nhóm sản phẩm thủ công mỹ nghệ"}, ensure_ascii=False)
        db.session.commit()
    body = client.get(f"/v/{token}").get_data(as_text=True)
    assert "<dt>Nhóm sản phẩm</dt><dd>Thủ công mỹ nghệ</dd>" in body


@pytest.mark.parametrize("name, shown", [
    ("Nhóm sản phẩm thủ công mỹ nghệ", "Thủ công mỹ nghệ"),
    ("Nhóm sản phẩm chế biến nông, lâm, thủy sản và thực phẩm", "Chế biến nông, lâm, thủy sản và thực phẩm"),
    ("Nhóm sản phẩm về thiết bị, máy móc, dụng cụ và phụ tùng cơ khí", "Thiết bị, máy móc, dụng cụ và phụ tùng cơ khí"),
    ("Nhóm các sản phẩm khác", "Khác"),
    ("Đồ gỗ", "Đồ gỗ"),
    ("", ""),
])
def test_group_short_drops_the_words_of_the_label(name, shown):
    from voting.core.formatting import group_short

    assert group_short(name) == shown


def test_the_scan_page_reads_the_certificate_in_few_statements(app, client, certified):
    """Issue 20: the page the QR opens loads what it shows with the certificate, not one lazy load each."""
    from tests.helpers import counted_queries

    token = _token_for(app, certified(), "valid")
    with app.app_context():
        product = db.session.scalar(select(Certificate).where(Certificate.token == token)).application.product
        product.published_at = utcnow()
        db.session.commit()
        engine = db.engine
    with counted_queries(engine) as first:  # outside the test's context: the request's own session
        assert client.get(f"/v/{token}").status_code == 200
    # Not kept yet: the verification API's statement with the photo's columns, then the certificate it found, by
    # id, with its key, authority and replacement (the key and number are not looked up again); its nominations
    # up and down (two); the province's name. It was 7 while the token was verified twice, then 6.
    assert len(first) <= 5, "\n".join(first)
    checkouts = []

    def checked_out(*_):
        checkouts.append(1)

    event.listen(engine, "checkout", checked_out)
    try:
        with counted_queries(engine) as statements:
            assert client.get(f"/v/{token}").status_code == 200
    finally:
        event.remove(engine, "checkout", checked_out)
    # This second scan's page was kept from the first: one statement finds it, the verification API's (the
    # certificate of that number and digest, with its key, authority and replacement) with its product's photo.
    # It was 11, one per lazy load, then 4 with the page loading what it shows, then 2.
    assert len(statements) == 1, "\n".join(statements)
    assert "certificate.number" in statements[0] and "product_file" in statements[0]
    # On one connection from the pool: each checkout pings it first, a round trip on PostgreSQL (it was two).
    assert len(checkouts) == 1


def test_a_scan_page_is_rendered_once_per_state_and_shows_each_check_s_own_moment(app, client, certified,
                                                                                  make_user):
    """Anonymous scans of an unchanged certificate reuse the rendered page with the moment of each check put in;
    a revocation renders it afresh, and a signed-in reader always gets a page of their own (issue 20)."""
    from flask import template_rendered

    token = _token_for(app, certified(), "valid")
    rendered = []

    def note(sender, template, context, **extra):
        if template.name == "certificates/verify.html":
            rendered.append(context["checked_at"])

    template_rendered.connect(note, app)
    try:
        bodies = [client.get(f"/v/{token}").get_data(as_text=True) for _ in range(3)]
        assert len(rendered) == 1
        for body in bodies:
            assert _banner(body) == "valid" and "cnnt-checked-at" not in body
            assert re.search(r"kiểm tra trực tuyến lúc \d\d/\d\d/\d{4} \d\d:\d\d", body), body
        organiser = make_user(Role.ORGANISER)
        _revoke(app, token, organiser)
        assert _banner(client.get(f"/v/{token}").get_data(as_text=True)) == "revoked"
        assert len(rendered) == 2
        login(client, organiser.email)
        for _ in range(2):
            assert _banner(client.get(f"/v/{token}").get_data(as_text=True)) == "revoked"
        assert len(rendered) == 4
    finally:
        template_rendered.disconnect(note, app)
