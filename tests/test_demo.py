"""The demo dataset: sized from the domain's volumes, labelled, and every role can sign in."""
import pytest
from sqlalchemy import func, select

from tests.conftest import login
from voting.demo import DEMO_ACCOUNTS, seed_demo
from voting.extensions import db
from voting.models import Producer, Product, User
from voting.operations.audit import verify_chain

ROLE_PAGE = {
    "admin": ("/admin/", "Quản trị hệ thống"),
    "organiser": ("/organiser/", "Công tác tổ chức bình chọn"),
    "juror": ("/jury/", "Trang của giám khảo"),
    "producer": ("/producer/", "Hợp tác xã Miến dong Na Rì"),
}


@pytest.fixture
def demo(app):
    with app.app_context():
        counts = seed_demo()
        db.session.commit()
    return counts


def test_demo_is_sized_and_labelled(app, demo):
    with app.app_context():
        producers = db.session.scalar(select(func.count(Producer.id)))
        provinces = db.session.scalar(select(func.count(func.distinct(Producer.province_id))))
        assert producers >= 30 and provinces >= 6
        assert db.session.scalar(select(func.count(Product.id))) >= 60
        assert db.session.scalar(select(func.count(Producer.id)).where(Producer.is_demo.is_(False))) == 0
        assert {a["role"] for a in DEMO_ACCOUNTS} == {"admin", "organiser", "juror", "producer"}
        assert verify_chain().ok


@pytest.mark.parametrize("account", DEMO_ACCOUNTS, ids=lambda a: a["email"].split("@")[0])
def test_each_demo_account_lands_on_its_role_page(client, demo, account):
    response = login(client, account["email"], account["password"])
    assert response.status_code == 302
    home = client.get("/account/")
    path, marker = ROLE_PAGE[account["role"]]
    assert home.headers["Location"] == path
    page = client.get(path).get_data(as_text=True)
    assert marker in page


def test_provincial_organiser_sees_only_their_province(client, demo):
    login(client, "sct.thainguyen@demo.cnnt.vn", "demo-tinh19-2026")
    page = client.get("/organiser/").get_data(as_text=True)
    assert "Thái Nguyên" in page
    assert "Khánh Hòa" not in page
    assert "Dữ liệu minh họa" in page or "Minh họa" in page


def test_demo_accounts_have_no_live_welcome_links(app, demo):
    from voting.models import PasswordResetToken

    with app.app_context():
        live = db.session.scalar(select(func.count(PasswordResetToken.id)).where(PasswordResetToken.used_at.is_(None)))
        assert live == 0
        assert db.session.scalar(select(func.count(User.id))) == len(DEMO_ACCOUNTS)
