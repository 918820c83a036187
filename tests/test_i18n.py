"""The English catalogue is complete, and the switch changes the UI language."""
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.conftest import login

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "voting/translations/en/LC_MESSAGES/messages.po"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


@pytest.fixture(scope="module")
def catalogue():
    with open(PO, "rb") as handle:
        return read_po(handle)


def _forms(value):
    return [value] if isinstance(value, str) else list(value)


def test_every_entry_is_translated(catalogue):
    untranslated = [m.id for m in catalogue if m.id and (m.fuzzy or not all(_forms(m.string)))]
    assert untranslated == []


def test_placeholders_survive_translation(catalogue):
    for message in catalogue:
        if not message.id:
            continue
        wanted = set(PLACEHOLDER.findall(_forms(message.id)[0]))
        for translated in _forms(message.string):
            assert set(PLACEHOLDER.findall(translated)) == wanted, message.id


def test_catalogue_covers_the_source(tmp_path, catalogue):
    """Every translatable string in code and templates is in the catalogue."""
    pot = tmp_path / "fresh.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "--quiet", "extract", "-F", "babel.cfg",
                    "-k", "_l", "-k", "lazy_gettext", "-o", str(pot), "."],
                   cwd=ROOT, check=True)
    with open(pot, "rb") as handle:
        source = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    assert len(source) > 200, "the extraction found almost nothing: check babel.cfg patterns"
    known = {m.id if isinstance(m.id, str) else m.id[0] for m in catalogue if m.id}
    assert sorted(source - known) == [], "run `make update-messages` and translate the new entries"


@pytest.mark.parametrize("path, english", [
    ("/", "Selection of typical rural industrial products"),
    ("/login", "Sign in"),
    ("/register", "Register"),
    ("/registry/", "certificate"),
    ("/no-such-page", "Page not found"),
])
def test_english_switch(client, path, english):
    client.get("/lang/en")
    body = client.get(path).get_data(as_text=True)
    assert '<html lang="en">' in body
    assert english in body


def test_english_form_errors(client):
    client.get("/lang/en")
    page = client.get("/register")
    from tests.conftest import csrf_from

    response = client.post("/register", data={"csrf_token": csrf_from(page), "email": "not-an-email",
                                              "password": "short", "password2": "other"})
    body = response.get_data(as_text=True)
    assert "Please fill in this field." in body
    assert "Vui lòng" not in body


def test_english_role_pages(client, make_user):
    client.get("/lang/en")
    user = make_user("organiser")
    login(client, user.email, user.password)
    body = client.get("/organiser/").get_data(as_text=True)
    assert "Thái Nguyên" in body  # place names stay as they are
    assert "Công tác tổ chức" not in body


def test_the_request_keeps_its_translations_and_follows_a_forced_locale(app):
    """The request's translations are looked up once (voting/core/translations.py); a document forced into
    Vietnamese in the middle of an English request is Vietnamese, and the request is English again after it."""
    from flask_babel import force_locale, gettext

    with app.test_request_context("/", headers={"Cookie": "lang=en"}):
        assert gettext("Giấy chứng nhận") == "Certificates"
        with force_locale("vi"):
            assert gettext("Giấy chứng nhận") == "Giấy chứng nhận"
        assert gettext("Giấy chứng nhận") == "Certificates"
    with app.test_request_context("/"):  # a new request: its own language (Vietnamese by default)
        assert gettext("Giấy chứng nhận") == "Giấy chứng nhận"


def test_templates_translate_with_the_locale_in_force(app):
    """Templates read the request's kept translations directly (voting/core/translations.py): still English for
    an English reader, Vietnamese inside force_locale (a document), English again after, a plural too."""
    from flask import render_template_string
    from flask_babel import force_locale

    page = "{{ _('Giấy chứng nhận') }}|{{ ngettext('%(num)d sản phẩm', '%(num)d sản phẩm', 2) }}"
    with app.test_request_context("/", headers={"Cookie": "lang=en"}):
        english = render_template_string(page)
        with force_locale("vi"):
            assert render_template_string(page) == "Giấy chứng nhận|2 sản phẩm"
        assert render_template_string(page) == english
    assert english.startswith("Certificates|2 ")
    with app.test_request_context("/"):
        assert render_template_string(page).startswith("Giấy chứng nhận|")


def test_a_page_finds_its_translations_once(client, monkeypatch):
    """Flask-Babel found them again for every message: 71 times on the empty registry page in English."""
    from flask_babel import Domain

    found = []
    looked_up = Domain.get_translations

    def counted(self):
        found.append(self)
        return looked_up(self)

    monkeypatch.setattr(Domain, "get_translations", counted)
    client.get("/lang/en")
    body = client.get("/registry/").get_data(as_text=True)
    assert "certificate" in body
    assert 1 <= len(found) <= 2, len(found)
