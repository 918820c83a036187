"""One certificate's page for its round's organisers (issue 19): its facts, and suspend, reinstate, revoke
and correct each in a section of its own, the reason chosen from a list where nothing is preselected.

Forms are posted as a browser would (with the page's CSRF token); a refusal writes nothing and shows the
page again with what was typed.
"""
import re

import pytest
from sqlalchemy import func, select

from tests.conftest import csrf_from, login
from tests.support.certificates import certify_and_issue
from voting.extensions import db
from voting.models import AuditEvent
from certificates.models import Certificate

DETAILS = "Mẫu kiểm tra ngày 12/3 không đạt chỉ tiêu vi sinh (biên bản số 45/BB-QLTT)."


@pytest.fixture
def issued(app, make_user, signer, monkeypatch):
    """A certified round with its certificates issued: (hall, [(id, number), ...])."""
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "1000 per minute")
    return certify_and_issue(app, make_user)


def _page(client, certificate_id):
    return client.get(f"/certificates/{certificate_id}")


def _post(client, certificate_id, action, **fields):
    token = csrf_from(_page(client, certificate_id))
    return client.post(f"/certificates/{certificate_id}/{action}", data={"csrf_token": token, **fields})


def _state(app, certificate_id):
    with app.app_context():
        certificate = db.session.get(Certificate, certificate_id)
        events = db.session.scalar(select(func.count()).select_from(AuditEvent)
                                   .where(AuditEvent.action.like("certificate.%")))
        return certificate.status, certificate.reason_category, events


def _sign_in_as(client, user):
    with client.session_transaction() as session:
        session.clear()
    login(client, user.email)


def test_only_the_rounds_organisers_open_a_certificates_page(app, client, issued, make_user):
    hall, [(certificate_id, number), *_rest] = issued
    elsewhere = make_user("organiser", province_code="56")
    assert _page(client, certificate_id).status_code == 302  # anonymous: sign in first
    for user, status in [(hall.owners[0], 403), (hall.jurors[0], 403), (elsewhere, 404), (hall.organiser, 200)]:
        _sign_in_as(client, user)
        response = _page(client, certificate_id)
        assert response.status_code == status, user.email
    assert f'<h1>Giấy chứng nhận số <span class="cert-number">{number}</span></h1>' in response.get_data(as_text=True)
    assert _page(client, 999999).status_code == 404


def test_the_reason_starts_unchosen_and_each_action_has_its_own_section(app, client, issued):
    hall, [(certificate_id, _number), *_rest] = issued
    login(client, hall.organiser.email)
    body = _page(client, certificate_id).get_data(as_text=True)
    for section in ("suspend", "revoke", "correct"):
        assert f'<section class="panel" id="{section}"' in body
    assert 'id="reinstate"' not in body  # a valid certificate has nothing to reinstate
    selects = re.findall(r'<select[^>]*id="(\w+)-category"[^>]*>(.*?)</select>', body, re.S)
    assert [name for name, _options in selects] == ["suspend", "revoke"]
    for _name, options in selects:
        found = re.findall(r'<option( selected)? value="([^"]*)">([^<]*)</option>', options)
        assert found[0][1:] == ("", "— Chọn lý do —")  # the first option chooses nothing
        assert {value for selected, value, _label in found if selected} <= {""}  # and nothing else is chosen
        assert "Khiếu nại được chấp nhận" in {label for _s, _v, label in found}


def test_a_blank_reason_is_refused_with_a_message_and_nothing_written(app, client, issued):
    hall, [(certificate_id, _number), *_rest] = issued
    login(client, hall.organiser.email)
    before = _state(app, certificate_id)

    response = _post(client, certificate_id, "suspend", category="", reason=DETAILS)
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Hãy chọn lý do trong danh sách." in body
    assert DETAILS in body  # the details typed are still there
    assert re.search(r'<select[^>]*aria-invalid="true"[^>]*id="suspend-category"', body)
    no_details = _post(client, certificate_id, "revoke", category="quality_violation", reason="  ")
    assert no_details.status_code == 400 and "Hãy ghi chi tiết" in no_details.get_data(as_text=True)
    unknown = _post(client, certificate_id, "revoke", category="because", reason=DETAILS)
    assert unknown.status_code == 400 and "Hãy chọn lý do trong danh sách." in unknown.get_data(as_text=True)
    assert _state(app, certificate_id) == before


def test_suspending_then_reinstating_comes_back_to_the_certificates_page(app, client, issued):
    hall, [(certificate_id, number), *_rest] = issued
    login(client, hall.organiser.email)
    _status, _category, events = _state(app, certificate_id)

    response = _post(client, certificate_id, "suspend", category="quality_violation", reason=DETAILS)
    assert response.status_code == 302 and response.headers["Location"] == f"/certificates/{certificate_id}"
    assert _state(app, certificate_id) == ("suspended", "quality_violation", events + 1)
    body = _page(client, certificate_id).get_data(as_text=True)
    assert f"Đã tạm đình chỉ giấy chứng nhận {number}." in body and DETAILS in body
    assert 'id="reinstate"' in body and 'id="suspend"' not in body and 'id="correct"' not in body

    refused = _post(client, certificate_id, "reinstate", reason="")
    assert refused.status_code == 400 and "Hãy ghi lý do cho hiệu lực trở lại." in refused.get_data(as_text=True)
    done = _post(client, certificate_id, "reinstate", reason="Cơ sở đã khắc phục, mẫu kiểm tra lại đạt.")
    assert done.headers["Location"] == f"/certificates/{certificate_id}"
    assert _state(app, certificate_id) == ("valid", "", events + 2)


def test_a_revoked_certificate_offers_nothing_more(app, client, issued):
    hall, [(certificate_id, _number), *_rest] = issued
    login(client, hall.organiser.email)
    response = _post(client, certificate_id, "revoke", category="false_declaration", reason=DETAILS)
    assert response.headers["Location"] == f"/certificates/{certificate_id}"
    body = _page(client, certificate_id).get_data(as_text=True)
    assert "<form" not in body.split("<main", 1)[1].split("</main>", 1)[0]
    assert "không còn thao tác nào" in body


def test_the_rounds_list_links_to_each_certificates_page_and_holds_no_action_forms(app, client, issued):
    hall, certificates = issued
    login(client, hall.organiser.email)
    body = client.get(f"/certificates/rounds/{hall.round_id}").get_data(as_text=True)
    for certificate_id, _number in certificates:
        assert f'href="/certificates/{certificate_id}"' in body
        assert f'action="/certificates/{certificate_id}/' not in body
