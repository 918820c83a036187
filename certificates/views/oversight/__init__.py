"""What the public's scans and reports tell the issuing organiser.

The blueprint and its URL table: every route of this package, in one place; the view functions live
in the modules named here. May import anything of certificates and voting; registered by
certificates.init_app. Views own the transaction (one commit per request).
"""
from flask import Blueprint

from certificates.views.oversight import pages

blueprint = Blueprint("oversight", __name__, url_prefix="/certificates")

# pages
blueprint.add_url_rule("/<int:certificate_id>/scans", view_func=pages.scans, methods=["GET"])
blueprint.add_url_rule("/fake-reports", view_func=pages.fake_reports, methods=["GET"])
blueprint.add_url_rule("/fake-reports/<int:report_id>/handled", view_func=pages.fake_report_handled, methods=["POST"])
