"""What the public's scans and reports tell the issuing organiser.

The blueprint and its URL table (the rules of every package here: :mod:`certificates.views`).
"""
from flask import Blueprint

from certificates.views.oversight import pages

blueprint = Blueprint("oversight", __name__, url_prefix="/certificates")

# pages
blueprint.add_url_rule("/<int:certificate_id>/scans", view_func=pages.scans, methods=["GET"])
blueprint.add_url_rule("/fake-reports", view_func=pages.fake_reports, methods=["GET"])
blueprint.add_url_rule("/fake-reports/<int:report_id>/handled", view_func=pages.fake_report_handled, methods=["POST"])
