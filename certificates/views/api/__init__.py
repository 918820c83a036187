"""Open data: ``GET /api/v1/products``, ``/api/v1/stats``, ``/registry.csv`` and the OpenAPI document (:mod:`certificates.views.api.openapi`).

The blueprint and its URL table (the rules of every package here: :mod:`certificates.views`).
"""
from flask import Blueprint

from certificates.views.api import endpoints, stats

blueprint = Blueprint("registry_data", __name__)

# endpoints
blueprint.add_url_rule("/api/v1/products", view_func=endpoints.products, methods=["GET"])
blueprint.add_url_rule("/registry.csv", view_func=endpoints.registry_csv, methods=["GET"])
blueprint.add_url_rule("/api/v1/openapi.json", view_func=endpoints.openapi, methods=["GET"])
blueprint.add_url_rule("/api/v1/stats", view_func=stats.stats, methods=["GET"])
