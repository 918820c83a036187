"""The parts of a page that depend only on the language (an anonymous reader's menu, the brand, the footer and the
dialogs) are rendered once per worker and language (``{% cache %}`` in templates/base.html, voting/core/cache.py)."""
from flask_caching import make_template_fragment_key

from tests.conftest import login


def _kept(app, name, language):
    with app.app_context():  # Flask-Caching finds the app's own store through the current app
        return app.jinja_env._template_fragment_cache.get(make_template_fragment_key(name, vary_on=[language]))


def test_an_anonymous_page_keeps_its_frame_per_language_and_each_language_shows_its_own(app, client):
    client.get("/lang/vi")
    vietnamese = client.get("/registry/").get_data(as_text=True)
    assert "Đăng ký cơ sở" in vietnamese and "Kiểm tra tệp PDF giấy chứng nhận" in vietnamese
    for name in ("anonymous-menu", "page-foot", "brand"):
        assert _kept(app, name, "vi") is not None, name
    assert "Đăng ký cơ sở" in _kept(app, "anonymous-menu", "vi")
    client.get("/lang/en")
    english = client.get("/registry/").get_data(as_text=True)
    assert '<html lang="en">' in english
    assert "Đăng ký cơ sở" not in english and "Kiểm tra tệp PDF giấy chứng nhận" not in english
    assert "Register" in _kept(app, "anonymous-menu", "en")
    client.get("/lang/vi")
    again = client.get("/registry/").get_data(as_text=True)
    assert again.count("Đăng ký cơ sở") == vietnamese.count("Đăng ký cơ sở")
    assert "Kiểm tra tệp PDF giấy chứng nhận" in again


def test_a_signed_in_readers_menu_is_their_own_never_the_kept_one(app, client, make_user):
    client.get("/lang/vi")
    assert "Đăng nhập" in client.get("/registry/").get_data(as_text=True)  # the anonymous menu is kept now
    user = make_user("organiser")
    login(client, user.email, user.password)
    page = client.get("/registry/").get_data(as_text=True)
    assert "Đăng xuất" in page and "Công tác tổ chức" in page
    assert 'href="/login"' not in page
    assert "Đăng xuất" not in _kept(app, "anonymous-menu", "vi")
