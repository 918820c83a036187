"""The organiser's workspace (Sở Công Thương, the Cục, the Ministry): rounds and screening.

The blueprint and its URL table (the rules of every package here: :mod:`voting.views`).
"""
from flask import Blueprint

from voting.views.organiser import (
    council,
    council_documents,
    council_members,
    council_people,
    nomination_imports,
    nominations,
    rounds,
)

blueprint = Blueprint("organiser", __name__, url_prefix="/organiser")

# rounds
blueprint.add_url_rule("/", view_func=rounds.dashboard, methods=["GET"])
blueprint.add_url_rule("/rounds", view_func=rounds.rounds, methods=["GET"])
blueprint.add_url_rule("/rounds/new", view_func=rounds.round_new, methods=["GET", "POST"])
blueprint.add_url_rule("/rounds/<int:round_id>/settings", view_func=rounds.round_edit, methods=["GET", "POST"])
blueprint.add_url_rule("/rounds/<int:round_id>/registration", view_func=rounds.round_registration, methods=["POST"])
blueprint.add_url_rule("/rounds/<int:round_id>", view_func=rounds.round_view, methods=["GET"])
blueprint.add_url_rule("/applications/<int:application_id>", view_func=rounds.application, methods=["GET", "POST"])
blueprint.add_url_rule("/applications/<int:application_id>/files/<int:file_id>", view_func=rounds.application_file, methods=["GET"])
blueprint.add_url_rule("/applications/<int:application_id>/signed-form", view_func=rounds.application_signed_form,
                       methods=["GET"])
blueprint.add_url_rule("/rounds/<int:round_id>/summary.xlsx", view_func=rounds.round_summary, methods=["GET"])

# council
blueprint.add_url_rule("/rounds/<int:round_id>/scoring-settings", view_func=council.round_settings, methods=["GET", "POST"])
blueprint.add_url_rule("/rounds/<int:round_id>/subcriteria", view_func=council.round_subcriteria, methods=["POST"])
blueprint.add_url_rule("/rounds/<int:round_id>/guidance", view_func=council.round_guidance, methods=["POST"])
blueprint.add_url_rule("/rounds/<int:round_id>/council", view_func=council_members.round_council, methods=["GET", "POST"])
blueprint.add_url_rule("/rounds/<int:round_id>/council/<int:member_id>/remove", view_func=council_people.council_member_remove, methods=["POST"])
blueprint.add_url_rule("/rounds/<int:round_id>/council/<int:member_id>/edit", view_func=council_people.council_member_edit, methods=["GET", "POST"])
blueprint.add_url_rule("/rounds/<int:round_id>/support/<int:member_id>/edit", view_func=council_people.support_member_edit, methods=["GET", "POST"])
blueprint.add_url_rule("/rounds/<int:round_id>/jury/<int:juror_id>/edit", view_func=council_people.juror_edit, methods=["GET", "POST"])
blueprint.add_url_rule("/rounds/<int:round_id>/support/<int:member_id>/remove", view_func=council_people.support_member_remove, methods=["POST"])
blueprint.add_url_rule("/rounds/<int:round_id>/jury/<int:juror_id>/remove", view_func=council_people.juror_remove, methods=["POST"])
blueprint.add_url_rule("/rounds/<int:round_id>/jury/<int:juror_id>/head", view_func=council_people.juror_make_head, methods=["POST"])
blueprint.add_url_rule("/rounds/<int:round_id>/council/founding-scan", view_func=council_members.founding_scan, methods=["GET"])
blueprint.add_url_rule("/rounds/<int:round_id>/council/founding-decision.pdf", view_func=council_documents.founding_decision, methods=["GET"])
blueprint.add_url_rule("/rounds/<int:round_id>/council/founding-decision.docx", view_func=council_documents.founding_decision_word, methods=["GET"])
blueprint.add_url_rule("/rounds/<int:round_id>/council/founding-decision/sign", view_func=council_documents.sign_founding_decision, methods=["POST"])
blueprint.add_url_rule("/rounds/<int:round_id>/council/founding-decision/upload", view_func=council_documents.upload_founding_decision, methods=["GET", "POST"])
blueprint.add_url_rule("/rounds/<int:round_id>/council/founding-decision-signed.pdf", view_func=council_documents.signed_founding_decision, methods=["GET"])
blueprint.add_url_rule("/rounds/<int:round_id>/council/jury-appointment.pdf", view_func=council_documents.jury_appointment, methods=["GET"])
blueprint.add_url_rule("/rounds/<int:round_id>/council/jury-appointment.docx", view_func=council_documents.jury_appointment_word, methods=["GET"])
blueprint.add_url_rule("/rounds/<int:round_id>/detect-conflicts", view_func=council.detect_round_conflicts, methods=["POST"])
blueprint.add_url_rule("/rounds/<int:round_id>/phase", view_func=council.round_phase, methods=["POST"])
blueprint.add_url_rule("/rounds/<int:round_id>/progress", view_func=council.round_progress, methods=["GET", "POST"])
blueprint.add_url_rule("/rounds/<int:round_id>/score-sheets.pdf", view_func=council.blank_score_sheets, methods=["GET"])

# nominations
blueprint.add_url_rule("/rounds/<int:round_id>/nominate", view_func=nominations.round_nominate, methods=["GET", "POST"])
blueprint.add_url_rule("/nominations/<int:nomination_id>/withdraw", view_func=nominations.nomination_withdraw, methods=["POST"])
blueprint.add_url_rule("/rounds/<int:round_id>/nominations", view_func=nominations.round_nominations, methods=["GET"])
blueprint.add_url_rule("/rounds/<int:round_id>/nominations.xlsx", view_func=nominations.round_nominations_xlsx, methods=["GET"])

# nomination_imports
blueprint.add_url_rule("/rounds/<int:round_id>/nominations/import", view_func=nomination_imports.import_nominations, methods=["GET", "POST"])
blueprint.add_url_rule("/rounds/<int:round_id>/nominations/import/template.xlsx", view_func=nomination_imports.import_nominations_template, methods=["GET"])
