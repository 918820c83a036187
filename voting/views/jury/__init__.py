"""The juror's workspace (Ban Giám khảo): assigned rounds, entries, score sheets, conflicts.

The blueprint and its URL table (the rules of every package here: :mod:`voting.views`).
"""
from flask import Blueprint

from voting.views.jury import pages, scoring

blueprint = Blueprint("jury", __name__, url_prefix="/jury")

# pages
blueprint.add_url_rule("/", view_func=pages.dashboard, methods=["GET"])
blueprint.add_url_rule("/rounds/<int:round_id>", view_func=pages.round_view, methods=["GET"])
blueprint.add_url_rule("/rounds/<int:round_id>/sheets/<int:sheet_id>/justification", view_func=pages.justify, methods=["POST"])
blueprint.add_url_rule("/rounds/<int:round_id>/conflicts", view_func=pages.conflict_declare, methods=["POST"])
blueprint.add_url_rule("/rounds/<int:round_id>/entries/<int:application_id>", view_func=scoring.sheet, methods=["GET", "POST"])
blueprint.add_url_rule("/rounds/<int:round_id>/entries/<int:application_id>/files/<int:file_id>", view_func=pages.entry_file, methods=["GET"])
blueprint.add_url_rule("/rounds/<int:round_id>/entries/<int:application_id>/sheet.pdf", view_func=pages.sheet_pdf, methods=["GET"])
