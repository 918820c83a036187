"""Pages every signed-in account has: its home, its password and its signed-in sessions.

The blueprint and its URL table (the rules of every package here: :mod:`voting.views`).
"""
from flask import Blueprint

from voting.views.account import pages

blueprint = Blueprint("account", __name__, url_prefix="/account")

# pages
blueprint.add_url_rule("/", view_func=pages.dashboard, methods=["GET"])
blueprint.add_url_rule("/password", view_func=pages.password, methods=["GET", "POST"])
blueprint.add_url_rule("/sessions", view_func=pages.sessions, methods=["GET"])
blueprint.add_url_rule("/sessions/end-all", view_func=pages.end_all_sessions, methods=["POST"])
blueprint.add_url_rule("/inbox", view_func=pages.inbox, methods=["GET"])
blueprint.add_url_rule("/inbox/read", view_func=pages.inbox_read, methods=["POST"])
