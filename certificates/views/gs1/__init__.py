"""GS1 Digital Link: a product's GTIN, at the root as the standard wants it, to its registry page.

The blueprint and its URL table: every route of this package, in one place; the view functions live
in the modules named here. May import anything of certificates and voting; registered by
certificates.init_app. Views own the transaction (one commit per request).
"""
from flask import Blueprint

from certificates.views.gs1 import pages

blueprint = Blueprint("gs1", __name__)

# pages
blueprint.add_url_rule("/01/<gtin>", view_func=pages.resolve, defaults={"rest": ""}, strict_slashes=False, methods=["GET"])
blueprint.add_url_rule("/01/<gtin>/<path:rest>", view_func=pages.resolve, methods=["GET"])
