"""Certificates for the people who hold or issue them.

The blueprint and its URL table (the rules of every package here: :mod:`certificates.views`).
"""
from flask import Blueprint

from certificates.views.manage import actions, pages

blueprint = Blueprint("certs", __name__, url_prefix="/certificates")

# pages
blueprint.add_url_rule("/rounds/<int:round_id>", view_func=pages.round_view, methods=["GET"])
blueprint.add_url_rule("/rounds/<int:round_id>/issue", view_func=pages.issue, methods=["POST"])
blueprint.add_url_rule("/rounds/<int:round_id>/reissue", view_func=pages.reissue, methods=["POST"])
blueprint.add_url_rule("/rounds/<int:round_id>/exports/<any(zip, pdf):export>", view_func=pages.export, methods=["POST"])
blueprint.add_url_rule("/jobs/<int:job_id>.json", view_func=pages.job_status, methods=["GET"])
blueprint.add_url_rule("/jobs/<int:job_id>/download", view_func=pages.job_download, methods=["GET"])
blueprint.add_url_rule("/<int:certificate_id>.pdf", view_func=pages.certificate_pdf, methods=["GET"])
blueprint.add_url_rule("/<int:certificate_id>/labels.pdf", view_func=pages.labels_pdf, methods=["GET"])
blueprint.add_url_rule("/mine", view_func=pages.mine, methods=["GET"])
# one certificate's page and what its round's organisers may do with it
blueprint.add_url_rule("/<int:certificate_id>", view_func=actions.certificate_view, methods=["GET"])
blueprint.add_url_rule("/<int:certificate_id>/<any(suspend, revoke):action>", view_func=actions.withdraw, methods=["POST"])
blueprint.add_url_rule("/<int:certificate_id>/signed-copy", view_func=actions.upload_signed_copy, methods=["GET", "POST"])
blueprint.add_url_rule("/<int:certificate_id>/reinstate", view_func=actions.reinstate, methods=["POST"])
blueprint.add_url_rule("/<int:certificate_id>/correct", view_func=actions.correct, methods=["POST"])
