"""Numbers typed into forms, sent as query parameters or written in a spreadsheet: a value no column holds,
or that is no number at all, gets a clear Vietnamese message (a form), a 404 (a query parameter naming a
thing) or is ignored (a hint), never a 500 from the database or from ``int()`` (issue 16, item 9, after the
URL path ids of tests/test_huge_ids.py).

The bad values: past PostgreSQL's INTEGER (2³¹), past SQLite's (2⁶³), negative, an exponent, digits other
than 0–9 (Arabic-Indic ones ``int()`` reads, a superscript ``str.isdigit()`` accepts and ``int()`` refuses),
more digits than ``int()`` converts, and the decimals ``Decimal()`` takes (signalling NaN, infinity).
"""
import dataclasses
import importlib
import io
import pkgutil
import re
from pathlib import Path

import pytest
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict
from wtforms import DecimalField, FieldList, FloatField, FormField, IntegerField, SelectField, SelectMultipleField
from wtforms import Form as WTForm

import voting.forms
from tests.conftest import csrf_from, csrf_token, login
from tests.factories import make_complete_product, make_producer, make_round
from tests.helpers import SCORING_SETTINGS_FORM, text_of, xlsx_bytes
from tests.support.scoring_pages import council as council  # noqa: PLC0414 (a fixture)
from tests.support.scoring_pages import hall as hall  # noqa: PLC0414 (a fixture)
from tests.support.scoring_pages import make_hall as make_hall  # noqa: PLC0414 (a fixture)
from voting.extensions import db
from voting.models import (
    Application,
    Conflict,
    Nomination,
    Producer,
    Product,
    Role,
    Round,
    RoundCriterion,
    ScoreSheet,
    User,
)
from certificates.models import ImportedCertificate
from voting.core.routing import MAX_ID

#: Whole numbers no id, count, year or page of ours may be.
BAD_WHOLE = (str(MAX_ID + 1), "99999999999999999999", "-1", "1e9", "١٢", "²", "1" * 5000)
BAD_WHOLE_IDS = ("past_int4", "past_int8", "negative", "exponent", "arabic_indic", "superscript", "5000_digits")
#: And for decimal boxes: what ``Decimal()`` reads but no NUMERIC(p, 2) column should get.
BAD_DECIMAL = (*BAD_WHOLE, "sNaN", "NaN", "Infinity", "1.005")
ROOT = Path(__file__).resolve().parent.parent
#: voting.forms.fields.STALE_CHOICE_MESSAGE, as the page shows it (written out: this module also runs on the
#: code before the fix, to show what it did).
STALE_CHOICE = "Lựa chọn này không có trên trang: hãy tải lại trang rồi chọn lại."


# --- the shared parsing ---------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("12", 12), (" 12 ", 12), ("007", 7), ("-3", -3), (5, 5),
    ("", None), ("1e9", None), ("+5", None), ("1_000", None), ("١٢", None), ("²", None), ("12.0", None),
    ("1" * 5000, None), (None, None), (True, None),
])
def test_whole_numbers_are_ascii_digits(text, expected):
    from voting.core.numbers import whole_number

    assert whole_number(text) == expected


def test_ids_stop_where_an_integer_column_does():
    from voting.core.numbers import parse_id, parse_int

    assert parse_id(str(MAX_ID)) == MAX_ID
    assert [parse_id(v) for v in (str(MAX_ID + 1), "0", "-1", "99999999999999999999")] == [None] * 4
    assert parse_int("2100", 2000, 2100) == 2100 and parse_int("2101", 2000, 2100) is None


@pytest.mark.parametrize(("text", "expected"), [
    ("2,5", "2.5"), ("2.5", "2.5"), (" 70 ", "70"), ("2.50", "2.50"), ("0,01", "0.01"),
    ("1.005", None), ("sNaN", None), ("NaN", None), ("Infinity", None), ("1e2", None), ("١٢", None), ("2,5,1", None),
])
def test_decimals_are_plain_with_two_places_at_most(text, expected):
    from voting.forms.fields import plain_decimal

    value = plain_decimal(text, 2)
    assert (str(value) if value is not None else None) == expected


# --- every form's number boxes --------------------------------------------------------------------

def _form_classes():
    classes = {}
    for module_info in pkgutil.iter_modules(voting.forms.__path__):
        module = importlib.import_module(f"voting.forms.{module_info.name}")
        for obj in vars(module).values():
            if isinstance(obj, type) and issubclass(obj, WTForm) and obj.__module__ == module.__name__:
                classes[obj.__qualname__] = obj
    return classes


def _leaves(fields):
    for field in fields:
        if isinstance(field, FieldList):
            yield from _leaves(field.entries[:1])
        elif isinstance(field, FormField):
            yield from _leaves(field.form)
        else:
            yield field


def _is_number(field):
    if isinstance(field, IntegerField | DecimalField | FloatField):
        return True
    return isinstance(field, SelectField | SelectMultipleField) and field.coerce is not str


def _build(cls, data):
    kwargs = {"meta": {"csrf": False}} if issubclass(cls, FlaskForm) else {}
    return cls(formdata=MultiDict(data), **kwargs)


def _number_boxes(app):
    """``(form class, field name, is decimal)`` for every number box of every form, nested ones too."""
    boxes = []
    with app.test_request_context(method="POST"):
        for cls in _form_classes().values():
            for field in _leaves(_build(cls, {})):
                if _is_number(field):
                    boxes.append((cls, field.name, isinstance(field, DecimalField | FloatField)))
    return boxes


def test_every_number_box_of_every_form_refuses_what_no_column_holds_in_vietnamese(app):
    boxes = _number_boxes(app)
    assert len(boxes) >= 20, f"the walk found too few number boxes ({len(boxes)}): did the forms move?"
    crashed, accepted, unclear = {}, [], {}
    for cls, name, is_decimal in boxes:
        for value in BAD_DECIMAL if is_decimal else BAD_WHOLE:
            where = f"{cls.__qualname__}.{name} = {value[:25]!r}"
            with app.test_request_context(method="POST"):
                try:
                    form = _build(cls, {name: value})
                    form.validate()
                except Exception as error:  # noqa: BLE001 (the test reports every crash, not the first)
                    crashed[where] = f"{type(error).__name__}: {error}"[:120]
                    continue
                field = next(f for f in _leaves(form) if f.name == name)
                if not field.errors:
                    accepted.append(f"{where} → {field.data!r}")
                # Our messages are Vietnamese; WTForms' own ("Not a valid integer value.") are plain ASCII.
                elif not all(any(ord(ch) > 127 for ch in str(e)) for e in field.errors):
                    unclear[where] = [str(e) for e in field.errors]
    assert not crashed, f"{len(crashed)} values crashed the form: {crashed}"
    assert not accepted, f"{len(accepted)} values were accepted: {accepted}"
    assert not unclear, f"{len(unclear)} values got a message that is not ours: {unclear}"


def test_a_number_box_keeps_what_was_typed_and_still_takes_good_numbers(app):
    from voting.forms.organiser import RoundForm, ScoringSettingsForm

    with app.test_request_context(method="POST"):
        form = RoundForm(formdata=MultiDict({"year": "99999999999"}), meta={"csrf": False})
        form.validate()
        assert form.year.errors == ["Năm không hợp lệ."]
        assert 'value="99999999999"' in form.year()
        form = RoundForm(formdata=MultiDict({"year": " 2026 "}), meta={"csrf": False})
        form.validate()
        assert form.year.data == 2026 and not form.year.errors
        form = ScoringSettingsForm(formdata=MultiDict({"point_step": "0,25", "pass_mark": "0", "council_quorum": "",
                                                       "nomination_quota": "١٢"}), meta={"csrf": False})
        form.validate()
        assert (str(form.point_step.data), str(form.pass_mark.data)) == ("0.25", "0")
        assert not form.point_step.errors and not form.pass_mark.errors  # 0 is a pass mark, not an empty box
        assert form.council_quorum.errors == ["Vui lòng điền mục này."]
        assert form.nomination_quota.errors == ["Hãy nhập một số nguyên từ 1 đến 1000 (chỉ gồm chữ số 0–9)."]


# --- every query parameter ------------------------------------------------------------------------

_ARGUMENT = re.compile(r"<(?:(?P<converter>\w+)(?:\((?P<options>[^)]*)\))?:)?(?P<name>\w+)>")
_READS_ARG = re.compile(r"""(?:args\.get|query_id|query_int)\(\s*["'](\w+)["']""")


def _query_names():
    """Every query parameter the code reads: ``request.args.get("…")``, ``query_id``…, ``page`` (read by
    ``db.paginate``) and the registry's (read in a loop by certificates/registry/search.py)."""
    from certificates.registry.search import Params

    names = {"page", *(f.name for f in dataclasses.fields(Params))}
    for package in ("voting", "certificates"):
        for path in (ROOT / package).rglob("*.py"):
            names.update(_READS_ARG.findall(path.read_text(encoding="utf-8")))
    return names


def _visitor(app, make_user, made, role):
    if role not in made:
        client = app.test_client()
        if role is not None:
            user = make_user(role)
            assert login(client, user.email, user.password).status_code == 302
        made[role] = client
    return made[role]


def _role_reaching(view):
    rule = getattr(view, "access_rule", "public")
    if rule == "public":
        return None
    return "admin" if rule == "login" else rule.removeprefix("roles:").split(",")[0]


@pytest.mark.parametrize("value", BAD_WHOLE, ids=BAD_WHOLE_IDS)
def test_every_page_answers_a_bad_number_in_its_query_without_a_500(app, make_user, value):
    """Routes without an id in their path (those with one: the specific tests below)."""
    names = _query_names()
    assert {"page", "top", "target", "year", "per_page"} <= names, names
    rules = [r for r in app.url_map.iter_rules() if "GET" in r.methods and not any(
        m["converter"] == "int" for m in _ARGUMENT.finditer(r.rule))]
    assert len(rules) > 30, "the walk found too few routes: did the URL map change?"
    made, answers = {}, {}
    for rule in rules:
        role = _role_reaching(app.view_functions[rule.endpoint])
        client = _visitor(app, make_user, made, role)
        url = _ARGUMENT.sub(lambda m: m["options"].split(",")[0].strip() if m["converter"] == "any" else "x", rule.rule)
        try:
            answers[url] = client.get(url, query_string={name: value for name in names}).status_code
        except Exception as error:  # noqa: BLE001 (report every route, not the first)
            answers[url] = f"{type(error).__name__}: {error}"[:120]
    wrong = {url: status for url, status in answers.items() if not isinstance(status, int) or status >= 500}
    assert not wrong, f"{len(wrong)} of {len(answers)} pages failed: {wrong}"


@pytest.mark.parametrize("value", BAD_WHOLE, ids=BAD_WHOLE_IDS)
def test_a_page_number_that_cannot_exist_is_404(app, client, logged_in, value):
    organiser = logged_in(Role.ORGANISER)
    with app.app_context():
        round_id = make_round(db.session.get(User, organiser.id)).id
        db.session.commit()
    url = f"/organiser/rounds/{round_id}"
    assert client.get(url, query_string={"page": value}).status_code == 404

    last = 10**6  # voting.core.numbers.MAX_PAGE: past the last page of rows, but a page (an empty one)
    assert client.get(url, query_string={"page": str(last)}).status_code == 200
    assert client.get(url, query_string={"page": " 1 "}).status_code == 200
    assert client.get(url).status_code == 200


# --- the sites that looked a typed id up ------------------------------------------------------------

@pytest.fixture
def product_and_round(app, logged_in, make_user):
    """A signed-in producer's complete product, and an open round of its province."""
    owner = logged_in(Role.PRODUCER)
    organiser = make_user(Role.ORGANISER, province_code="19")
    with app.app_context():
        round_ = make_round(db.session.get(User, organiser.id))
        user = db.session.get(User, owner.id)
        product = make_complete_product(user, make_producer(user))
        db.session.commit()
        return product.id, round_.id


@pytest.mark.parametrize("value", BAD_WHOLE, ids=BAD_WHOLE_IDS)
def test_applying_to_a_round_id_no_row_holds_says_choose_a_round(app, client, product_and_round, value):
    product_id, round_id = product_and_round
    url = f"/producer/products/{product_id}/apply"
    response = client.post(url, data={"round_id": value, "csrf_token": csrf_token(client, f"/producer/products/"
                                                                                          f"{product_id}")})
    assert response.status_code == 302
    assert "Hãy chọn một đợt bình chọn đang nhận hồ sơ." in text_of(client.get(response.location))
    with app.app_context():
        assert db.session.scalar(select(func.count(Application.id))) == 0
    good = client.post(url, data={"round_id": str(round_id),
                                  "csrf_token": csrf_token(client, f"/producer/products/{product_id}")})
    assert good.status_code == 302 and "/producer/applications/" in good.location


@pytest.mark.parametrize("value", BAD_WHOLE, ids=BAD_WHOLE_IDS)
def test_a_paper_sheet_for_a_juror_id_no_row_holds_asks_to_choose_and_keeps_the_sheet(app, client, council, value):
    login(client, council["organiser"].email)
    url = f"/council/rounds/{council['round_id']}/paper"
    data = {"csrf_token": csrf_from(client.get(url)), "application_id": str(council["entry_ids"][1]),
            "juror_id": value, "comment": "Phiếu giấy ngày 20/11",
            **{f"points-{cid}": "8" for cid in council["criteria"]}}
    response = client.post(url, data=data)
    assert response.status_code == 400
    body = text_of(response)
    assert "Hãy chọn sản phẩm và giám khảo." in body
    assert "Phiếu giấy ngày 20/11" in body  # what the secretary typed stays on the page
    with app.app_context():
        assert db.session.scalar(select(func.count(ScoreSheet.id)).where(
            ScoreSheet.entered_by_id == council["organiser"].id)) == 0


@pytest.mark.parametrize("value", BAD_WHOLE, ids=BAD_WHOLE_IDS)
def test_a_conflict_with_a_producer_id_no_row_holds_is_refused_with_a_message(app, client, hall, value):
    login(client, hall.jurors[0].email)
    page = client.get(f"/jury/rounds/{hall.round_id}")
    response = client.post(f"/jury/rounds/{hall.round_id}/conflicts", data={
        "csrf_token": csrf_from(page), "producer_id": value, "reason": "Tôi là cổ đông của cơ sở"})
    assert response.status_code == 302
    assert STALE_CHOICE in text_of(client.get(response.location))
    with app.app_context():
        assert db.session.scalar(select(func.count(Conflict.id))) == 0


@pytest.mark.parametrize("value", ("²", "99999999999999999999", str(MAX_ID + 1)))
def test_attaching_an_account_to_a_producer_number_no_row_holds_says_not_found(app, client, logged_in, make_user,
                                                                               value):
    logged_in(Role.ADMIN)
    account = make_user(Role.PRODUCER)
    url = f"/admin/users/{account.id}/producer"
    response = client.post(url, data={"csrf_token": csrf_token(client, f"/admin/users/{account.id}"),
                                      "producer": value})
    assert response.status_code == 400
    body = text_of(response)
    assert "Không tìm thấy cơ sở với mã số hoặc số hiệu này." in body and f'value="{value}"' in body
    with app.app_context():
        assert db.session.get(User, account.id).producer_id is None


# --- nominations: ?target= and ?top= are hints, a posted id is checked ------------------------------

def _ticked(response):
    return response.get_data(as_text=True).count("checked")


@pytest.mark.parametrize("value", ("-1", "١", "1e9", "99999999999999999999"))
def test_a_top_n_that_is_no_count_ticks_nothing(client, provincial, regional_round, value):
    regional_round()
    login(client, provincial.organiser.email)
    url = f"/organiser/rounds/{provincial.round_id}/nominate"
    assert _ticked(client.get(url, query_string={"top": "1"})) == 1
    response = client.get(url, query_string={"top": value})
    assert response.status_code == 200
    assert _ticked(response) == 0


@pytest.mark.parametrize("value", BAD_WHOLE, ids=BAD_WHOLE_IDS)
def test_a_nomination_to_a_target_id_no_row_holds_is_refused_and_writes_nothing(app, client, provincial,
                                                                                  regional_round, value):
    target_id, _ = regional_round()
    login(client, provincial.organiser.email)
    url = f"/organiser/rounds/{provincial.round_id}/nominate"
    page = client.get(url, query_string={"target": value})
    assert page.status_code == 200 and f'name="target_id" value="{target_id}"' in page.get_data(as_text=True)
    response = client.post(url, data={"csrf_token": csrf_from(page), "target_id": value,
                                      "entries": [str(provincial.application_ids[0]), value]})
    assert response.status_code == 200
    body = text_of(response)
    assert any(message in body for message in (STALE_CHOICE, "Hãy chọn đợt bình chọn cấp trên.",
                                               "Đợt bình chọn đã chọn không nhận đề cử từ đợt này."))
    with app.app_context():
        assert db.session.scalar(select(func.count(Nomination.id))) == 0


# --- settings and sub-criteria: the NUMERIC columns -------------------------------------------------

SETTINGS = SCORING_SETTINGS_FORM


@pytest.fixture
def draft_round(app, client, logged_in):
    organiser = logged_in(Role.ORGANISER)
    with app.app_context():
        round_ = make_round(db.session.get(User, organiser.id))
        db.session.commit()
        return round_.id


def _settings(app, round_id):
    with app.app_context():
        round_ = db.session.get(Round, round_id)
        return {name: str(getattr(round_, name)) for name in ("point_step", "pass_mark", "complaint_window_days",
                                                               "min_sheets_per_entry", "council_quorum", "signer_name")}


@pytest.mark.parametrize(("name", "value", "message"), [
    ("pass_mark", "sNaN", "Hãy nhập một số từ 0 đến 100, nhiều nhất 2 chữ số sau dấu phẩy (ví dụ 2,5)."),
    ("pass_mark", "70,555", "Hãy nhập một số từ 0 đến 100, nhiều nhất 2 chữ số sau dấu phẩy (ví dụ 2,5)."),
    ("point_step", "Infinity", "Hãy nhập một số từ 0,01 đến 10, nhiều nhất 2 chữ số sau dấu phẩy (ví dụ 2,5)."),
    ("complaint_window_days", str(2**40), "Từ 1 đến 90 ngày."),
    ("min_sheets_per_entry", "١٢", "Hãy nhập một số nguyên từ 1 đến 50 (chỉ gồm chữ số 0–9)."),
    ("council_quorum", "99999999999999999999", "Từ 1 đến 100."),
])
def test_a_setting_no_column_holds_is_refused_kept_and_changes_nothing(app, client, draft_round, name, value,
                                                                      message):
    url = f"/organiser/rounds/{draft_round}/scoring-settings"
    before = _settings(app, draft_round)
    response = client.post(url, data={**SETTINGS, name: value, "csrf_token": csrf_token(client, url)})
    assert response.status_code == 200
    body = text_of(response)
    assert message in body and f'value="{value}"' in body
    assert _settings(app, draft_round) == before


def test_the_english_page_answers_in_english(app, client, draft_round):
    client.get("/lang/en")
    url = f"/organiser/rounds/{draft_round}/scoring-settings"
    response = client.post(url, data={**SETTINGS, "min_sheets_per_entry": "١٢", "pass_mark": "70,555",
                                      "csrf_token": csrf_token(client, url)})
    body = text_of(response)
    assert "Enter a whole number from 1 to 50 (digits 0–9 only)." in body
    assert "Enter a number from 0 to 100 with at most 2 decimal places (e.g. 2.5)." in body


def test_settings_posted_without_the_signer_boxes_save_no_signer(app, client, draft_round):
    url = f"/organiser/rounds/{draft_round}/scoring-settings"
    data = {k: v for k, v in SETTINGS.items() if k not in ("signer_name", "signer_title")}
    response = client.post(url, data={**data, "csrf_token": csrf_token(client, url)})
    assert response.status_code == 302
    assert _settings(app, draft_round)["signer_name"] == ""


@pytest.mark.parametrize(("lines", "message"), [
    ("1.1 | Thị trường | 39.999999\n1.2 | Quy mô | 0.000001", "Dòng 1: điểm tối đa là một số lớn hơn 0"),
    ("1.1 | Thị trường | sNaN\n1.2 | Quy mô | 40", "Dòng 1: điểm tối đa là một số lớn hơn 0"),
    ("1.1 | Thị trường | 20\n1.2 | Quy mô | 99999999999999999999", "Dòng 2: điểm tối đa là một số lớn hơn 0"),
    ("1.1 | Thị trường | 20\n12345678901 | Quy mô | 20", "Dòng 2: mã dài tối đa 10 ký tự, tên dài tối đa 300 ký tự."),
])
def test_sub_criteria_the_columns_cannot_hold_are_refused_and_kept(app, client, draft_round, lines, message):
    url = f"/organiser/rounds/{draft_round}/subcriteria"
    token = csrf_token(client, f"/organiser/rounds/{draft_round}/scoring-settings")
    with app.app_context():
        criteria = db.session.scalar(select(func.count(RoundCriterion.id)))
    response = client.post(url, data={"csrf_token": token, "sub-criterion": "1", "sub-lines": lines})
    assert response.status_code == 400
    body = text_of(response)
    assert message in body and lines.splitlines()[0] in body
    with app.app_context():
        assert db.session.scalar(select(func.count(RoundCriterion.id))) == criteria


# --- codes of digits: GTIN, and a year in an import ------------------------------------------------

def test_a_gtin_of_digits_other_than_0_to_9_is_refused(app, client, product_and_round):
    product_id, _ = product_and_round
    url = f"/producer/products/{product_id}"
    with app.app_context():
        before = db.session.get(Product, product_id).gtin
    response = client.post(url, data={"csrf_token": csrf_token(client, url), "name": "Miến dong Na Rì",
                                      "group_code": "2", "description": "Mô tả", "gtin": "²²²²²²²²"})
    assert response.status_code == 200  # the form again, with the refusal beside the box
    body = text_of(response)
    assert "Mã GTIN không hợp lệ" in body and 'value="²²²²²²²²"' in body
    with app.app_context():
        assert db.session.get(Product, product_id).gtin == before


def test_an_imported_year_of_superscript_digits_is_named_in_the_report(app, client, logged_in):
    from tests.support.certificate_imports import HEADERS, URL, row

    logged_in(Role.ADMIN)
    data = xlsx_bytes([row(year="²⁰²³")], HEADERS)
    response = client.post(URL, data={"csrf_token": csrf_from(client.get(URL)),
                                      "file": (io.BytesIO(data), "chung-nhan.xlsx")},
                           content_type="multipart/form-data")
    assert response.status_code == 400
    assert "Năm “²⁰²³” không phải là một năm." in text_of(response)
    with app.app_context():
        assert db.session.scalar(select(func.count(ImportedCertificate.id))) == 0
        assert db.session.scalar(select(func.count(Producer.id))) == 0

