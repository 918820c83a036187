"""``GET /api/v1/ping``: a constant JSON answer, the baseline the verification API is measured against;

The blueprint and its URL table: every route of this package, in one place; the view functions live
in the modules named here. May import anything of voting (forms, operations, rules, documents, core,
models); views own the transaction (one commit per request). Never imported by operations, rules,
documents or models.
"""
from flask import Blueprint

from voting.views.api import endpoints

blueprint = Blueprint("api", __name__)

# endpoints
blueprint.add_url_rule("/api/v1/ping", view_func=endpoints.ping, methods=["GET"])
blueprint.add_url_rule("/healthz", view_func=endpoints.healthz, methods=["GET"])
blueprint.register_error_handler(429, endpoints.too_many_requests)
