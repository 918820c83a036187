"""``GET /api/v1/ping``: a constant JSON answer, the baseline the verification API is measured against;

The blueprint and its URL table (the rules of every package here: :mod:`voting.views`).
"""
from flask import Blueprint

from voting.views.api import endpoints

blueprint = Blueprint("api", __name__)

# endpoints
blueprint.add_url_rule("/api/v1/ping", view_func=endpoints.ping, methods=["GET"])
blueprint.add_url_rule("/healthz", view_func=endpoints.healthz, methods=["GET"])
blueprint.register_error_handler(429, endpoints.too_many_requests)
