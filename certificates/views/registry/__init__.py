"""The public registry of certified products (Danh bạ sản phẩm CNNT tiêu biểu).

The blueprint and its URL table (the rules of every package here: :mod:`certificates.views`).
"""
from flask import Blueprint

from certificates.registry.slugs import producer_slug, product_slug
from certificates.views.registry import pages, records, statistics

blueprint = Blueprint("registry", __name__, url_prefix="/registry")

# pages
blueprint.add_url_rule("/", view_func=pages.index, methods=["GET"])
blueprint.add_url_rule("/statistics", view_func=statistics.statistics, methods=["GET"])
blueprint.add_url_rule("/certificates/<path:number>", view_func=pages.certificate, merge_slashes=False, methods=["GET"])

# records
blueprint.add_url_rule("/<ref>", view_func=records.product, methods=["GET"])
blueprint.add_url_rule("/<ref>/photos/<int:file_id>", view_func=records.photo, methods=["GET"])
blueprint.add_url_rule("/producers/<ref>", view_func=records.producer, methods=["GET"])
blueprint.add_app_template_global(records.registry_counts, "registry_counts")

# the slugs of the registry's links, for every template
blueprint.add_app_template_filter(product_slug, "product_slug")
blueprint.add_app_template_filter(producer_slug, "producer_slug")
