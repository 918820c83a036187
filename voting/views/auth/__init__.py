"""Signing in and out, registration, password reset.

The blueprint and its URL table (the rules of every package here: :mod:`voting.views`).
"""
from flask import Blueprint

from voting.views.auth import pages

blueprint = Blueprint("auth", __name__)

# pages
blueprint.add_url_rule("/login", view_func=pages.login, methods=["GET", "POST"])
blueprint.add_url_rule("/logout", view_func=pages.logout, methods=["POST"])
blueprint.add_url_rule("/register", view_func=pages.register, methods=["GET", "POST"])
blueprint.add_url_rule("/register/confirm/<token>", view_func=pages.confirm_registration, methods=["GET", "POST"])
blueprint.add_url_rule("/forgot-password", view_func=pages.forgot_password, methods=["GET", "POST"])
blueprint.add_url_rule("/reset-password/<token>", view_func=pages.reset_password, methods=["GET", "POST"])
