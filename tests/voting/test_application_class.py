"""The app's Flask class asks once per callable whether it is a coroutine function (issue 20's per-request cost)."""
import flask.app


def test_a_request_asks_no_callable_again_whether_it_is_a_coroutine(app, client, monkeypatch):
    client.get("/api/v1/ping")  # every hook and the view asked once
    asked = []
    real = flask.app.iscoroutinefunction

    def counting(func):
        asked.append(func)
        return real(func)

    monkeypatch.setattr(flask.app, "iscoroutinefunction", counting)
    response = client.get("/api/v1/ping")
    assert response.status_code == 200 and response.get_json()
    assert asked == []


def test_plain_functions_are_run_as_they_are(app):
    def view():
        return "x"

    assert app.ensure_sync(view) is view and app.ensure_sync(view) is view
