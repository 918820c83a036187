"""The administrator's import of certificates issued on paper before the platform (all rows, or none).

The blueprint and its URL table (the rules of every package here: :mod:`certificates.views`).
"""
from flask import Blueprint

from certificates.views.imports import pages

blueprint = Blueprint("certificate_imports", __name__, url_prefix="/admin/imports")

# pages
blueprint.add_url_rule("/certificates", view_func=pages.import_certificates, methods=["GET", "POST"])
blueprint.add_url_rule("/certificates/template.xlsx", view_func=pages.import_template, methods=["GET"])
