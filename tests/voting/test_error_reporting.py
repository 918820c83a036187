"""Error reporting to a Sentry-compatible service: the real SDK, sending to a stand-in for the
service (the external edge) on a local port. An unhandled error arrives as an event tagged with
the request id the user sees on the 500 page, and without the form's password."""
import gzip
import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import sentry_sdk
from flask import request

from voting import create_app
from voting.core.access import public


class _Collector(BaseHTTPRequestHandler):
    received = []

    def do_POST(self):  # noqa: N802 (the stdlib's name)
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        encoding = self.headers.get("Content-Encoding")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "br":  # the SDK compresses with Brotli when it is installed (WeasyPrint brings it)
            import brotli

            body = brotli.decompress(body)
        self.received.append((self.path, body))
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *_args):
        pass


@pytest.fixture
def collector():
    _Collector.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Collector)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    # No DSN: later tests in this process report nothing. The SDK's integrations (SQLAlchemy's statements,
    # logging, threads…) stay patched into the process; a client without them turns them into no-ops, where a
    # bare init() kept every statement of every later test recorded as a span (a third more CPU for them).
    sentry_sdk.init(default_integrations=False, auto_enabling_integrations=False)
    server.server_close()


def _events(collector):
    events = []
    for _path, body in _Collector.received:
        for line in body.split(b"\n"):
            try:
                item = json.loads(line)
            except ValueError:
                continue
            if isinstance(item, dict) and "exception" in item:
                events.append(item)
    return events


def test_an_unhandled_error_reaches_the_service_with_the_request_id_and_no_password(app, collector):
    port = collector.server_address[1]
    reporting = create_app({"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                            "SENTRY_DSN": f"http://public@127.0.0.1:{port}/7", "WTF_CSRF_ENABLED": False,
                            "PROPAGATE_EXCEPTIONS": False})  # answer a 500 page, as in production

    @public
    def broken():
        typed = request.form["password"]  # a local, not named like a secret: the SDK would send it by default
        raise RuntimeError(f"the printer caught fire ({len(typed)})")

    reporting.add_url_rule("/broken", "broken", broken, methods=["POST"])
    secret = f"hunter2-{uuid.uuid4().hex}"  # made here, so not even the test's source carries it
    response = reporting.test_client().post("/broken", data={"password": secret})
    assert response.status_code == 500
    request_id = response.headers["X-Request-ID"]
    assert request_id in response.get_data(as_text=True)
    sentry_sdk.flush(timeout=5)
    events = _events(collector)
    assert events, f"nothing reached the service: {_Collector.received!r}"
    event = events[0]
    assert event["exception"]["values"][-1]["value"] == f"the printer caught fire ({len(secret)})"
    assert event["tags"]["request_id"] == request_id
    assert all(secret.encode() not in body for _path, body in _Collector.received)
    assert _Collector.received[0][0] == "/api/7/envelope/"


def test_without_a_dsn_nothing_is_initialised(app):
    assert not app.config.get("SENTRY_DSN")
    assert sentry_sdk.get_client().dsn is None

