"""The organisers' summary reports of the programme (issue 21).

The blueprint and its URL table (the rules of every package here: :mod:`certificates.views`).
"""
from flask import Blueprint

from certificates.views.reports import pages

blueprint = Blueprint("reports", __name__, url_prefix="/reports")

blueprint.add_url_rule("/", view_func=pages.index, methods=["GET"])
blueprint.add_url_rule("/report.xlsx", view_func=pages.report_xlsx, methods=["GET"])
blueprint.add_url_rule("/report.pdf", view_func=pages.report_pdf, methods=["GET"])
