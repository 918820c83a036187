from tests.conftest import login


def test_home_is_vietnamese(client):
    body = client.get("/").get_data(as_text=True)
    assert "Bình chọn sản phẩm công nghiệp nông thôn tiêu biểu" in body
    assert '<html lang="vi">' in body


def test_login_works(client, make_user):
    user = make_user("admin")
    response = login(client, user.email, user.password)
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
