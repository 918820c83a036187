"""Results and deliberation pages, shared by the round's organisers and its council.

The blueprint and its URL table (the rules of every package here: :mod:`voting.views`).
"""
from flask import Blueprint

from voting.views.results import files, pages, signed

blueprint = Blueprint("results", __name__, url_prefix="/rounds")

# pages
blueprint.add_url_rule("/<int:round_id>/results", view_func=pages.view, methods=["GET"])
blueprint.add_url_rule("/<int:round_id>/results/entries/<int:application_id>/strike", view_func=pages.strike, methods=["POST"])
blueprint.add_url_rule("/<int:round_id>/results/strikes/<int:strike_id>/restore", view_func=pages.restore, methods=["POST"])
blueprint.add_url_rule("/<int:round_id>/results/vote", view_func=pages.vote, methods=["POST"])
blueprint.add_url_rule("/<int:round_id>/results/decisions/<int:decision_id>", view_func=pages.decide, methods=["POST"])
blueprint.add_url_rule("/<int:round_id>/results/publish", view_func=pages.publish, methods=["POST"])
blueprint.add_url_rule("/<int:round_id>/results/prizes", view_func=pages.prizes, methods=["GET", "POST"])
blueprint.add_url_rule("/<int:round_id>/results/sheets/<int:sheet_id>/justification-request", view_func=pages.ask_justification, methods=["POST"])
blueprint.add_url_rule("/<int:round_id>/results/complaints/<int:complaint_id>/answer", view_func=pages.answer, methods=["POST"])

# files
blueprint.add_url_rule("/<int:round_id>/results/decisions/<int:decision_id>/minutes.pdf", view_func=files.minutes_pdf, methods=["GET"])
blueprint.add_url_rule("/<int:round_id>/results/decisions/<int:decision_id>/list.pdf", view_func=files.decision_list_pdf, methods=["GET"])
blueprint.add_url_rule("/<int:round_id>/results/decisions/<int:decision_id>/minutes.docx", view_func=files.minutes_docx, methods=["GET"])
blueprint.add_url_rule("/<int:round_id>/results/decisions/<int:decision_id>/decision.pdf", view_func=files.decision_pdf, methods=["GET"])
blueprint.add_url_rule("/<int:round_id>/results/decisions/<int:decision_id>/decision.docx", view_func=files.decision_docx, methods=["GET"])
blueprint.add_url_rule("/<int:round_id>/results/decisions/<int:decision_id>/list.docx", view_func=files.decision_list_docx, methods=["GET"])
blueprint.add_url_rule("/<int:round_id>/results/decisions/<int:decision_id>/sign/<kind>", view_func=signed.sign_vote_document, methods=["POST"])
blueprint.add_url_rule("/<int:round_id>/results/decisions/<int:decision_id>/upload/<kind>", view_func=signed.upload_vote_document, methods=["GET", "POST"])
blueprint.add_url_rule("/<int:round_id>/results/decisions/<int:decision_id>/signed/<kind>.pdf", view_func=signed.signed_vote_document, methods=["GET"])
blueprint.add_url_rule("/<int:round_id>/results/scores.xlsx", view_func=files.score_matrix, methods=["GET"])
blueprint.add_url_rule("/<int:round_id>/results/results.xlsx", view_func=files.results_table, methods=["GET"])
blueprint.add_url_rule("/<int:round_id>/results/analysis", view_func=files.analysis, methods=["GET"])
