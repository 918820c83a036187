"""What a phone opens after scanning: ``/v/<token>``, its JSON twin, the certificate as image and PDF,

The blueprint and its URL table (the rules of every package here: :mod:`certificates.views`).
"""
from flask import Blueprint

from certificates.views.verify import document, pages

blueprint = Blueprint("verify", __name__)
# Before the routes below are bound to the app's URL map.
blueprint.record_once(lambda state: state.app.url_map.converters.setdefault("anytext", pages.AnyTextConverter))

# pages
blueprint.add_url_rule("/v/<path:token>", view_func=pages.page, methods=["GET"])
blueprint.add_url_rule("/api/v1/verify/<anytext:token>", view_func=pages.api, merge_slashes=False, methods=["GET"])
blueprint.register_error_handler(429, pages.too_many_requests)
blueprint.add_url_rule("/v/<path:token>/certificate.png", view_func=pages.image, methods=["GET"])
blueprint.add_url_rule("/v/<path:token>/certificate.pdf", view_func=pages.pdf, methods=["GET"])
blueprint.add_url_rule("/v/<path:token>/photo", view_func=pages.photo, methods=["GET"])
blueprint.add_url_rule("/v/<path:token>/report", view_func=pages.report, methods=["GET", "POST"])
blueprint.add_url_rule("/v/<path:token>/report/sent", view_func=pages.report_sent, methods=["GET"])
blueprint.add_url_rule("/verify/document", view_func=document.check_document_page, methods=["GET", "POST"])
blueprint.add_url_rule("/.well-known/cnnt-keys.json", view_func=pages.keys, methods=["GET"])
