"""``GET /api/v1/ping``: a constant JSON answer, the baseline the verification API is measured against.

It goes through everything a verification request goes through except the
lookup itself: the app's middleware (security headers, access rule), the same
response headers and the same per-client rate limit (``VERIFY_RATE_LIMIT``), so
that ``make bench`` can print the verification API's throughput as a ratio to
it. Monitoring may use it too: it never touches the database.
"""
from flask import Blueprint, current_app, jsonify

from voting.access import public
from voting.extensions import limiter

blueprint = Blueprint("api", __name__)


def _verify_limit():
    return current_app.config.get("VERIFY_RATE_LIMIT") or ""


def _no_verify_limit():
    return not current_app.config.get("VERIFY_RATE_LIMIT")


@blueprint.get("/api/v1/ping")
@public
@limiter.limit(_verify_limit, exempt_when=_no_verify_limit)
def ping():
    response = jsonify({"ok": True})
    response.headers["Cache-Control"] = "no-store"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
