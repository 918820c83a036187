"""The council's pages (Hội đồng bình chọn): the chair and the secretary acting for it.

The blueprint and its URL table (the rules of every package here: :mod:`voting.views`).
"""
from flask import Blueprint

from voting.views.council import pages

blueprint = Blueprint("council", __name__, url_prefix="/council")

# pages
blueprint.add_url_rule("/", view_func=pages.index, methods=["GET"])
blueprint.add_url_rule("/rounds/<int:round_id>", view_func=pages.round_view, methods=["GET"])
blueprint.add_url_rule("/conflicts/<int:conflict_id>/dismiss", view_func=pages.conflict_dismiss, methods=["POST"])
blueprint.add_url_rule("/sheets/<int:sheet_id>/reopen", view_func=pages.sheet_reopen, methods=["POST"])
blueprint.add_url_rule("/rounds/<int:round_id>/remind", view_func=pages.remind_jurors, methods=["POST"])
blueprint.add_url_rule("/rounds/<int:round_id>/paper", view_func=pages.paper_sheet, methods=["GET", "POST"])
