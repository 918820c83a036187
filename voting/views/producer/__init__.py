"""The producer's workspace (cơ sở CNNT): profile, products, files, applications.

The blueprint and its URL table (the rules of every package here: :mod:`voting.views`).
"""
from flask import Blueprint

from voting.views.producer import pages, registration_form

blueprint = Blueprint("producer", __name__, url_prefix="/producer")

# pages
blueprint.add_url_rule("/", view_func=pages.dashboard, methods=["GET"])
blueprint.add_url_rule("/profile", view_func=pages.profile, methods=["GET", "POST"])
blueprint.add_url_rule("/products/new", view_func=pages.product_new, methods=["GET", "POST"])
blueprint.add_url_rule("/products/<int:product_id>", view_func=pages.product, methods=["GET", "POST"])
blueprint.add_url_rule("/products/<int:product_id>/photos", view_func=pages.upload_photo, methods=["POST"])
blueprint.add_url_rule("/products/<int:product_id>/documents", view_func=pages.upload_document, methods=["POST"])
blueprint.add_url_rule("/files/<int:file_id>/delete", view_func=pages.delete_file, methods=["POST"])
blueprint.add_url_rule("/files/<int:file_id>", view_func=pages.file, methods=["GET"])
blueprint.add_url_rule("/products/<int:product_id>/publish", view_func=pages.publish, methods=["POST"])
blueprint.add_url_rule("/products/<int:product_id>/apply", view_func=pages.apply, methods=["POST"])
blueprint.add_url_rule("/applications/<int:application_id>", view_func=pages.application, methods=["GET"])
blueprint.add_url_rule("/applications/<int:application_id>/complaint", view_func=pages.complaint_file, methods=["POST"])
blueprint.add_url_rule("/applications/<int:application_id>/submit", view_func=pages.application_submit, methods=["POST"])
blueprint.add_url_rule("/applications/<int:application_id>/withdraw", view_func=pages.application_withdraw, methods=["POST"])

# registration_form
blueprint.add_url_rule("/applications/<int:application_id>/registration-form.pdf",
                       view_func=registration_form.registration_form, methods=["GET"])
blueprint.add_url_rule("/applications/<int:application_id>/registration-form.docx",
                       view_func=registration_form.registration_form_word, methods=["GET"])
blueprint.add_url_rule("/applications/<int:application_id>/signed-form/upload",
                       view_func=registration_form.signed_form_upload, methods=["POST"])
blueprint.add_url_rule("/applications/<int:application_id>/signed-form", view_func=registration_form.signed_form,
                       methods=["GET"])
