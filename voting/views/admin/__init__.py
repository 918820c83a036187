"""Administration: accounts, issuing authorities, regions, the audit log (the import of past certificates is

The blueprint and its URL table (the rules of every package here: :mod:`voting.views`).
"""
from flask import Blueprint

from voting.views.admin import audit_log, pages

blueprint = Blueprint("admin", __name__, url_prefix="/admin")

# pages
blueprint.add_url_rule("/", view_func=pages.index, methods=["GET"])
blueprint.add_url_rule("/users", view_func=pages.users, methods=["GET"])
blueprint.add_url_rule("/users/new", view_func=pages.user_new, methods=["GET", "POST"])
blueprint.add_url_rule("/users/<int:user_id>", view_func=pages.user_edit, methods=["GET", "POST"])
blueprint.add_url_rule("/users/<int:user_id>/reset-link", view_func=pages.user_reset_link, methods=["POST"])
blueprint.add_url_rule("/users/<int:user_id>/active", view_func=pages.user_set_active, methods=["POST"])
blueprint.add_url_rule("/authorities", view_func=pages.authorities, methods=["GET"])
blueprint.add_url_rule("/authorities/new", view_func=pages.authority_new, methods=["GET", "POST"])
blueprint.add_url_rule("/authorities/<int:authority_id>", view_func=pages.authority_edit, methods=["GET", "POST"])
blueprint.add_url_rule("/authorities/<int:authority_id>/artwork", view_func=pages.authority_artwork, methods=["POST"])
blueprint.add_url_rule("/authorities/<int:authority_id>/seal", view_func=pages.authority_seal, methods=["POST"])
blueprint.add_url_rule("/regions", view_func=pages.regions, methods=["GET", "POST"])
blueprint.add_url_rule("/audit", view_func=audit_log.audit, methods=["GET"])
blueprint.add_url_rule("/users/<int:user_id>/producer", view_func=pages.user_attach_producer, methods=["POST"])
