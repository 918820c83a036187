"""Error pages in the site's look and language; dates in Vietnam's time."""
import re
from datetime import date, datetime, timezone

import pytest
from sqlalchemy.exc import OperationalError

from voting import create_app
from voting.core.access import public
from voting.core.formatting import format_date_vn, format_datetime_vn


@pytest.fixture
def fragile_app(app):
    """An app with routes that fail, and exceptions handled as in production."""
    probe = create_app({"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                        "TESTING": False, "PROPAGATE_EXCEPTIONS": False})

    @public
    def boom():
        raise RuntimeError("secret internals")

    @public
    def database_down():
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    probe.add_url_rule("/boom", "boom", boom)
    probe.add_url_rule("/db-down", "db_down", database_down)
    return probe


def test_500_page_hides_internals(fragile_app):
    response = fragile_app.test_client().get("/boom")
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Lỗi hệ thống" in body
    assert "secret internals" not in body and "Traceback" not in body
    # The reference a user quotes to the help desk is the one in the log and the header.
    assert f"Mã tra cứu lỗi (báo cho bộ phận hỗ trợ): {response.headers['X-Request-ID']}" in body


def test_database_outage_is_a_503_page(fragile_app):
    response = fragile_app.test_client().get("/db-down")
    assert response.status_code == 503
    assert "tạm thời" in response.get_data(as_text=True)


def test_413_for_oversized_body(app, client):
    limit = app.config["MAX_CONTENT_LENGTH"]
    response = client.post("/login", data={"email": "x" * (limit + 1)})
    assert response.status_code == 413
    assert "quá lớn" in response.get_data(as_text=True)


def test_405_page(client):
    response = client.get("/logout")
    assert response.status_code == 405
    assert "Thao tác không được hỗ trợ" in response.get_data(as_text=True)


def test_missing_csrf_is_400_with_explanation(client):
    response = client.post("/register", data={"email": "a@b.vn"})
    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True)


def test_dates_are_dd_mm_yyyy_in_vietnam_time(app):
    late_evening_utc = datetime(2026, 1, 1, 20, 30, tzinfo=timezone.utc)  # 03:30 on 2 Jan in Hà Nội
    with app.test_request_context("/"):
        assert format_date_vn(late_evening_utc) == "02/01/2026"
        assert format_datetime_vn(late_evening_utc) == "02/01/2026 03:30"
        assert format_datetime_vn(late_evening_utc.replace(tzinfo=None)) == "02/01/2026 03:30"  # naive: UTC
        assert format_date_vn(date(2025, 7, 1)) == "01/07/2025"
        assert format_date_vn(None) == ""


MADE_ID = r"[0-9a-f]{16}-[0-9a-f]+"  # the process's random prefix, then a counter


def test_every_response_carries_a_request_id_and_a_sane_offered_one_is_kept(client):
    made = [client.get("/").headers["X-Request-ID"] for _ in range(3)]
    assert all(re.fullmatch(MADE_ID, made_id) for made_id in made) and len(set(made)) == 3
    assert client.get("/", headers={"X-Request-ID": "nginx-4f2a9c01"}).headers["X-Request-ID"] == "nginx-4f2a9c01"
    for hostile in ("short", "x" * 65, "bad id; Set-Cookie: a=b", "<script>alert(1)</script>"):
        kept = client.get("/", headers={"X-Request-ID": hostile}).headers["X-Request-ID"]
        assert kept != hostile and re.fullmatch(MADE_ID, kept)


def test_request_ids_made_in_two_worker_processes_differ(app):
    """gunicorn forks its workers from one preloaded master: each must draw its own prefix."""
    import multiprocessing

    from voting.core.request_log import new_request_id

    here = new_request_id()
    with multiprocessing.get_context("fork").Pool(1) as pool:
        there = pool.apply(new_request_id)
    assert here.split("-")[0] != there.split("-")[0] and re.fullmatch(MADE_ID, there)


def test_log_lines_carry_the_request_id_as_json_when_asked(app, client, capsys, monkeypatch):
    import json
    import logging

    from voting.core.request_log import JsonFormatter, RequestIdFilter

    with app.test_request_context("/", headers={"X-Request-ID": "req-12345678"}):
        app.preprocess_request()
        record = app.logger.makeRecord("voting", logging.ERROR, __file__, 1, "không mở được %s", ("tệp",), None)
        RequestIdFilter().filter(record)
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == "req-12345678" and line["message"] == "không mở được tệp"
    assert line["level"] == "ERROR" and line["time"].endswith("+00:00")
