"""``GET /api/v1/ping``: a constant JSON answer, the baseline the verification API is measured against;
``GET /healthz``: whether the app and its database answer, for a load balancer or a monitor.

It goes through everything a verification request goes through except the
lookup itself: the app's middleware (security headers, access rule), the same
response headers and the same per-client rate limit (``VERIFY_RATE_LIMIT``), so
that ``make bench`` can print the verification API's throughput as a ratio to
it. Monitoring may use it too: it never touches the database.
"""
from flask import current_app, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from voting.core.access import public
from voting.extensions import db, limiter
from voting.core.security import plain_http_allowed
from voting.views.errors import api_error



def _verify_limit():
    return current_app.config.get("VERIFY_RATE_LIMIT", "60 per minute")


@public
# The verification routes' limiter and limit, with a budget of its own (scope "ping").
@limiter.shared_limit(_verify_limit, scope="ping")
def ping():
    response = jsonify({"ok": True})
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@public
@plain_http_allowed
def healthz():
    """200 when the app answers and its database answers a query, else 503: what a load balancer
    needs to take a server out of rotation. Not rate-limited (a balancer probes often from one
    address), answered over plain HTTP too (never redirected to HTTPS), also under the servers'
    internal names (``INTERNAL_HOSTS``), and says nothing more than ok or unavailable; the reason
    goes to the log."""
    try:
        db.session.execute(text("SELECT 1"))
        database = "ok"
    except SQLAlchemyError as error:
        db.session.rollback()
        current_app.logger.error("health check: the database does not answer: %s", error)
        database = "unavailable"
    healthy = database == "ok"
    response = jsonify({"status": "ok" if healthy else "unavailable", "database": database})
    response.status_code = 200 if healthy else 503
    response.headers["Cache-Control"] = "no-store"
    return response


def too_many_requests(error):
    """Answered in JSON, as the verification API answers it."""
    return api_error(429, status="rate_limited")
