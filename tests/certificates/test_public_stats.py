"""The public statistics (issue 21): ``/registry/statistics`` and ``GET /api/v1/stats``, for anyone, the whole
country's certificates from the registry's public facts only.

The seven paper certificates of ``tests.support.registry`` (provincial, 2024; Bắc Kạn's and Thái Nguyên's,
expired, now both Thái Nguyên; Đắk Lắk, Sơn La, Phú Thọ, Hòa Bình (now Phú Thọ), Hà Giang (now Tuyên
Quang); six of group 1, one of group 2).
"""
from tests.helpers import text_of
from tests.factories import make_deliberating_round
from tests.support.certificates import PASSING
from tests.support.registry import registry as registry  # noqa: PLC0414 (a fixture)
from voting.core.clock import today_vn


def test_the_api_answers_the_whole_countrys_figures(registry, client):
    answer = client.get("/api/v1/stats")
    assert answer.status_code == 200 and answer.headers["Access-Control-Allow-Origin"] == "*"
    data = answer.get_json()
    assert data["as_of"] == today_vn().isoformat() and data["certificates"] == 7
    assert data["by_year"] == [{"year": 2024, "level": "tinh", "certificates": 7}]
    assert {(p["code"], p["certificates"]) for p in data["by_province"]} == {
        ("19", 2), ("25", 2), ("66", 1), ("08", 1), (_code_of(data, "Sơn La"), 1)}
    assert [(g["code"], g["certificates"]) for g in data["by_group"]] == [("1", 6), ("2", 1)]
    assert data["standing"] == {"valid": 6, "expiring": 0, "expired": 1, "suspended": 0, "revoked": 0}
    narrowed = client.get("/api/v1/stats", query_string={"province": "19", "group": "1"}).get_json()
    assert narrowed["certificates"] == 2 and narrowed["standing"]["expired"] == 1
    assert client.get("/api/v1/stats", query_string={"year_from": "2025", "year_to": "2020"}).get_json()[
        "certificates"] == 0  # a period that holds no year


def _code_of(data, name):
    return next(p["code"] for p in data["by_province"] if p["name"] == name)


def test_wrong_parameters_are_named(registry, client):
    answer = client.get("/api/v1/stats", query_string={"year_from": "20x4", "province": "99", "level": "huyện"})
    assert answer.status_code == 400
    errors = answer.get_json()["errors"]
    assert set(errors) == {"year_from", "province", "level"}
    assert errors["year_from"] == "Năm phải là một số từ 2014 đến 2100."


def test_the_page_shows_them_to_anyone(registry, client):
    body = text_of(client.get("/registry/statistics"))
    assert "Thống kê sản phẩm CNNT tiêu biểu" in body and 'id="standing-table"' in body
    assert 'href="/api/v1/stats"' in body
    refused = client.get("/registry/statistics", query_string={"year_from": "1999"})
    assert refused.status_code == 400 and "Năm phải là một số từ 2014 đến 2100." in text_of(refused)


def test_nothing_unpublished_is_counted(app, client, make_user):
    """A round scored but not decided has no certificate and no registry row: nothing to count."""
    make_deliberating_round(app, make_user, [PASSING] * 2)
    assert client.get("/api/v1/stats").get_json()["certificates"] == 0
