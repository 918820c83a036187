"""GS1 Digital Link: a product's GTIN, at the root as the standard wants it, to its registry page.

The blueprint and its URL table (the rules of every package here: :mod:`certificates.views`).
"""
from flask import Blueprint

from certificates.views.gs1 import pages

blueprint = Blueprint("gs1", __name__)

# pages
blueprint.add_url_rule("/01/<gtin>", view_func=pages.resolve, defaults={"rest": ""}, strict_slashes=False, methods=["GET"])
blueprint.add_url_rule("/01/<gtin>/<path:rest>", view_func=pages.resolve, methods=["GET"])
