"""Public pages: home, language switch, health check.

The blueprint and its URL table (the rules of every package here: :mod:`voting.views`).
"""
from flask import Blueprint

from voting.views.public import pages, results

blueprint = Blueprint("public", __name__)

# pages
blueprint.add_url_rule("/", view_func=pages.index, methods=["GET"])
blueprint.add_url_rule("/lang/<code>", view_func=pages.set_language, methods=["GET"])
blueprint.add_url_rule("/reference/provinces/<code>/communes.json", view_func=pages.communes_of_province, methods=["GET"])

# results
blueprint.add_url_rule("/results/", view_func=results.results_index, methods=["GET"])
blueprint.add_url_rule("/results/<int:round_id>", view_func=results.results_round, methods=["GET"])
