"""Administration: staff accounts, issuing authorities, regions and the audit log."""
import re
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from tests.conftest import csrf_from, csrf_token, login
from voting.extensions import db
from voting.models import AuditEvent, Commune, IssuingAuthority, Province, Role, User

NEW_EMAIL = "thu.ha@sct.example.vn"
NEW_NAME = "Nguyễn Thị Thu Hà"
NEW_PASSWORD = "một cụm mật khẩu mới 2027"
_LINK_RE = re.compile(r'value="(https?://[^"]+/reset-password/[A-Za-z0-9_\-]+)"')


@pytest.fixture
def admin(logged_in):
    """``client`` signed in as a new administrator."""
    return logged_in(Role.ADMIN)


def _events(app, action):
    with app.app_context():
        return [(e.object_id, e.reason, e.data_dict) for e in
                db.session.scalars(select(AuditEvent).where(AuditEvent.action == action))]


def _new_staff(client, **overrides):
    data = {
        "email": NEW_EMAIL, "full_name": NEW_NAME, "title": "Chuyên viên", "phone": "",
        "role": "organiser", "jurisdiction_level": "tinh", "region": "", "province": "19", "commune": "",
        "csrf_token": csrf_token(client, "/admin/users/new"),
    }
    data.update(overrides)
    return client.post("/admin/users/new", data=data)


def _commune_code(app, province_code):
    with app.app_context():
        return db.session.scalar(
            select(Commune.code).join(Province).where(Province.code == province_code).order_by(Commune.code).limit(1))


# --- staff accounts ------------------------------------------------------------

def test_new_organiser_gets_a_welcome_link(app, client, admin):
    response = _new_staff(client)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert _LINK_RE.search(body)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == NEW_EMAIL))
        assert (user.role, user.jurisdiction_level, user.province.code) == (Role.ORGANISER, "tinh", "19")
        assert user.password_hash is None


def test_welcome_link_lets_the_organiser_in(app, client, admin):
    link = _LINK_RE.search(_new_staff(client).get_data(as_text=True)).group(1)
    browser = app.test_client()
    path = urlsplit(link).path
    page = browser.get(path)
    assert "Chào mừng! Hãy đặt mật khẩu" in page.get_data(as_text=True)
    saved = browser.post(path, data={"password": NEW_PASSWORD, "password2": NEW_PASSWORD,
                                     "csrf_token": csrf_from(page)})
    assert saved.headers["Location"] == "/login"
    assert login(browser, NEW_EMAIL, NEW_PASSWORD).headers["Location"] == "/account/"
    assert browser.get("/account/").headers["Location"] == "/organiser/"
    assert "Địa bàn phụ trách: Thái Nguyên" in browser.get("/organiser/").get_data(as_text=True)


@pytest.mark.parametrize(("case", "message"), [
    ("no-level", "Cán bộ tổ chức cần có địa bàn phụ trách."),
    ("province-level-without-province", "Hãy chọn tỉnh, thành phố."),
    ("commune-of-another-province", "Xã, phường này không thuộc tỉnh, thành phố đã chọn."),
    ("unknown-commune", "Không tìm thấy xã, phường với mã này."),
])
def test_jurisdiction_errors_are_shown(app, client, admin, case, message):
    overrides = {
        "no-level": {"jurisdiction_level": "", "province": ""},
        "province-level-without-province": {"jurisdiction_level": "tinh", "province": ""},
        "commune-of-another-province": {"jurisdiction_level": "xa", "province": "19",
                                        "commune": _commune_code(app, "01")},
        "unknown-commune": {"jurisdiction_level": "xa", "province": "19", "commune": "99999"},
    }[case]
    with app.app_context():
        assert db.session.scalar(select(Commune).where(Commune.code == "99999")) is None
    response = _new_staff(client, **overrides)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in body
    assert f'value="{NEW_EMAIL}"' in body
    assert f'value="{NEW_NAME}"' in body
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email == NEW_EMAIL)) is None


def test_commune_level_organiser_is_created_in_its_province(app, client, admin):
    commune = _commune_code(app, "19")
    response = _new_staff(client, jurisdiction_level="xa", province="19", commune=commune)
    assert response.status_code == 200
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == NEW_EMAIL))
        assert (user.commune.code, user.province.code) == (commune, "19")


def test_staff_email_must_be_new(app, client, admin, make_user):
    make_user(Role.JUROR, email=NEW_EMAIL)
    response = _new_staff(client, email="Thu.Ha@SCT.Example.VN")
    assert "E-mail này đã có tài khoản." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id)).where(User.email == NEW_EMAIL)) == 1


# --- issuing authorities ---------------------------------------------------------

def _authority(app, code):
    with app.app_context():
        authority = db.session.scalar(select(IssuingAuthority).where(IssuingAuthority.code == code))
        return {
            "id": authority.id, "code": authority.code, "name": authority.name,
            "parent_name": authority.parent_name, "place_name": authority.place_name,
            "number_template": authority.number_template,
            "active": "y" if authority.active else "", "jurisdiction_level": authority.jurisdiction_level,
            "region": authority.region.code if authority.region else "",
            "province": authority.province.code if authority.province else "",
            "commune": authority.commune.code if authority.commune else "",
        }


def _edit_authority(client, fields, **overrides):
    url = f"/admin/authorities/{fields['id']}"
    data = {k: v for k, v in fields.items() if k != "id"}
    data.update(overrides, csrf_token=csrf_token(client, url))
    return client.post(url, data=data)


def test_authority_rename_is_saved(app, client, admin):
    fields = _authority(app, "UBND-19")
    response = _edit_authority(client, fields, name="Ủy ban nhân dân tỉnh Thái Nguyên (mới)")
    assert response.headers["Location"] == "/admin/authorities"
    assert _authority(app, "UBND-19")["name"] == "Ủy ban nhân dân tỉnh Thái Nguyên (mới)"


def test_authority_rename_is_audited_with_old_and_new_name(app, client, admin):
    fields = _authority(app, "UBND-19")
    _edit_authority(client, fields, name="Ủy ban nhân dân tỉnh Thái Nguyên (mới)")
    events = _events(app, "authority.update")
    assert events == [(str(fields["id"]), "", {"changed": {
        "name": [fields["name"], "Ủy ban nhân dân tỉnh Thái Nguyên (mới)"]}})]


def test_a_new_authority_is_offered_the_official_number_form_and_an_old_one_keeps_its_own(app, client, admin):
    new = client.get("/admin/authorities/new").get_data(as_text=True)
    assert 'value="{seq}/GCN-UBND"' in new and "cho 15/GCN-UBND" in new  # prefilled, with a hint
    with app.app_context():
        authority = db.session.scalar(select(IssuingAuthority).where(IssuingAuthority.code == "UBND-19"))
        authority.number_template = "{code}-{year}-{seq:04d}"  # as authorities created before issue 18
        db.session.commit()
        authority_id = authority.id
    assert 'value="{code}-{year}-{seq:04d}"' in client.get(f"/admin/authorities/{authority_id}").get_data(as_text=True)


def test_certificate_number_template_is_checked(app, client, admin):
    fields = _authority(app, "UBND-19")
    refused = _edit_authority(client, fields, number_template="{code}-{year}")   # numbers would repeat
    assert refused.status_code == 200 and "phải có {seq}" in refused.get_data(as_text=True)
    unknown = _edit_authority(client, fields, number_template="{code}-{secret}-{seq}")
    assert "phải có {seq}" in unknown.get_data(as_text=True)
    assert _edit_authority(client, fields, number_template="TN/{year}/{level}/{seq:05d}").status_code == 302
    assert _authority(app, "UBND-19")["number_template"] == "TN/{year}/{level}/{seq:05d}"


def test_authority_code_clash_is_refused(app, client, admin):
    fields = _authority(app, "UBND-19")
    response = _edit_authority(client, fields, code="BCT")
    assert response.status_code == 200
    assert "Mã này đã được dùng cho cơ quan khác." in response.get_data(as_text=True)
    assert _authority(app, "UBND-19")["code"] == "UBND-19"


# --- regions -----------------------------------------------------------------------

def _move_province(app, client, code, region):
    with app.app_context():
        data = {f"p{p.code}": p.region.code for p in db.session.scalars(select(Province))}
    data[f"p{code}"] = region
    data["csrf_token"] = csrf_token(client, "/admin/regions")
    return client.post("/admin/regions", data=data)


def test_region_membership_change_is_saved(app, client, admin):
    response = _move_province(app, client, "19", "trung")
    assert response.headers["Location"] == "/admin/regions"
    with app.app_context():
        assert db.session.scalar(select(Province).where(Province.code == "19")).region.code == "trung"
    assert "Đã lưu 1 thay đổi." in client.get("/admin/regions").get_data(as_text=True)


def test_region_membership_change_is_audited(app, client, admin):
    _move_province(app, client, "19", "trung")
    events = _events(app, "province.set_region")
    assert [e[2] for e in events] == [{"from": "bac", "to": "trung"}]


# --- disabling accounts, and what admins cannot do to themselves ----------------------

def _set_active(client, user_id, reason=""):
    token = csrf_token(client, f"/admin/users/{user_id}")
    return client.post(f"/admin/users/{user_id}/active", data={"reason": reason, "csrf_token": token})


def test_disabling_an_account_signs_its_user_out(app, client, admin, make_user):
    target = make_user(Role.PRODUCER)
    browser = app.test_client()
    assert login(browser, target.email, target.password).status_code == 302
    assert browser.get("/producer/").status_code == 200
    assert _set_active(client, target.id, "Cơ sở ngừng hoạt động").status_code == 302
    assert browser.get("/producer/").headers["Location"].startswith("/login")


def test_disabling_an_account_is_audited_with_reason(app, client, admin, make_user):
    target = make_user(Role.JUROR)
    _set_active(client, target.id, "Hết nhiệm kỳ giám khảo")
    assert [(e[0], e[1]) for e in _events(app, "account.disable")] == [(str(target.id), "Hết nhiệm kỳ giám khảo")]


def test_admin_cannot_disable_themselves(app, client, admin):
    response = _set_active(client, admin.id, "thử")
    assert "Bạn không thể tự khóa tài khoản của chính mình." in client.get(
        response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, admin.id).active is True
    assert _events(app, "account.disable") == []


def test_admin_cannot_drop_their_own_admin_role(app, client, admin):
    url = f"/admin/users/{admin.id}"
    response = client.post(url, data={
        "email": admin.email, "full_name": "Quản trị", "title": "", "phone": "", "role": "juror",
        "jurisdiction_level": "", "region": "", "province": "", "commune": "", "csrf_token": csrf_token(client, url),
    })
    assert "Bạn không thể tự bỏ quyền quản trị của chính mình." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, admin.id).role == Role.ADMIN
    assert client.get("/admin/").status_code == 200


# --- the audit log -----------------------------------------------------------------

def test_audit_page_filters_by_action_prefix(client, admin, make_user):
    make_user(Role.PRODUCER)
    body = client.get("/admin/audit?action=account.create").get_data(as_text=True)
    assert ">account.create</code>" in body
    assert ">account.register</code>" not in body
    assert ">account.register</code>" in client.get("/admin/audit").get_data(as_text=True)


def test_audit_page_verifies_the_chain(app, client, admin, make_user):
    make_user(Role.PRODUCER)
    with app.app_context():
        total = db.session.scalar(select(func.count(AuditEvent.id)))
    body = client.get("/admin/audit?verify=1").get_data(as_text=True)
    assert total >= 3
    assert f"Chuỗi nhật ký toàn vẹn: {total} sự kiện đã kiểm tra." in body


def test_audit_page_without_verify_does_not_report(client, admin):
    assert "Chuỗi nhật ký toàn vẹn" not in client.get("/admin/audit").get_data(as_text=True)
