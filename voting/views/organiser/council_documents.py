"""The council's founding documents to print or amend: the authority's founding decision and the council's
decision appointing the jury and the tổ giúp việc, each as PDF and as .docx.

For the round's organisers and the council's members with an account, like the founding decision's scan; each
exists once its number and date are recorded (404 before: nothing to print).
"""
from flask import abort, url_for
from flask_login import current_user

from voting.core.access import roles_required
from voting.core.pdf import pdf_response
from voting.documents.council_decisions import founding_decision_pdf, jury_appointment_pdf
from voting.documents.council_docx import founding_decision_docx, jury_appointment_docx
from voting.extensions import db
from voting.models import FileKind, Role, Round, SignedKind
from voting.operations.signed_documents import official_copy, stored_copy
from voting.rules.permissions import can_manage_round, can_sit_on_council
from voting.views.documents import docx_response
from voting.views.files import upload_endpoint

FOUNDING_NAME = "quyet-dinh-thanh-lap-hoi-dong-{id}.{ext}"
JURY_NAME = "quyet-dinh-thanh-lap-ban-giam-khao-{id}.{ext}"


def council_round(round_id):
    """The round, for its organisers and its council's members with an account; 404 for anyone else."""
    round_ = db.get_or_404(Round, round_id)
    if not (can_manage_round(current_user, round_) or can_sit_on_council(current_user, round_)):
        abort(404)
    return round_


def _founded(round_id):
    round_ = council_round(round_id)
    if round_.council is None or not round_.council.is_founded:
        abort(404)
    return round_


def _founded_and_managed(round_id):
    """The founded round, for its organisers only (signing and uploading its founding decision)."""
    round_ = _founded(round_id)
    if not can_manage_round(current_user, round_):
        abort(404)
    return round_


def _jury_appointed(round_id):
    round_ = council_round(round_id)
    if round_.council is None or not round_.council.jury_document_number:
        abort(404)
    return round_


@roles_required(Role.JUROR, Role.ORGANISER, Role.ADMIN)
def founding_decision(round_id):
    round_ = _founded(round_id)
    return pdf_response(founding_decision_pdf(round_), FOUNDING_NAME.format(id=round_.id, ext="pdf"))


@roles_required(Role.JUROR, Role.ORGANISER, Role.ADMIN)
def founding_decision_word(round_id):
    round_ = _founded(round_id)
    return docx_response(founding_decision_docx(round_), FOUNDING_NAME.format(id=round_.id, ext="docx"))


@roles_required(Role.JUROR, Role.ORGANISER, Role.ADMIN)
def jury_appointment(round_id):
    round_ = _jury_appointed(round_id)
    return pdf_response(jury_appointment_pdf(round_), JURY_NAME.format(id=round_.id, ext="pdf"))


@roles_required(Role.JUROR, Role.ORGANISER, Role.ADMIN)
def jury_appointment_word(round_id):
    round_ = _jury_appointed(round_id)
    return docx_response(jury_appointment_docx(round_), JURY_NAME.format(id=round_.id, ext="docx"))


@roles_required(Role.ORGANISER)
def sign_founding_decision(round_id):
    """Sign the founding decision with the authority's key (the round's organisers, once it is recorded)."""
    from voting.views.results.signed import sign_and_return

    round_ = _founded_and_managed(round_id)
    return sign_and_return(round_, SignedKind.FOUNDING, None, url_for("organiser.round_council", round_id=round_.id))


@roles_required(Role.JUROR, Role.ORGANISER, Role.ADMIN)
def signed_founding_decision(round_id):
    """The founding decision's signed copy; 404 until one is signed."""
    round_ = _founded(round_id)
    row = official_copy(round_.id, SignedKind.FOUNDING) or abort(404)
    return pdf_response(stored_copy(row), FOUNDING_NAME.format(id=round_.id, ext="pdf").replace(".pdf", "-ky-so.pdf"))


@roles_required(Role.ORGANISER)
@upload_endpoint(FileKind.DOCUMENT)
def upload_founding_decision(round_id):
    """Upload the founding decision signed with the office's own tools (the round's organisers)."""
    from voting.views.results.signed import upload_page

    round_ = _founded_and_managed(round_id)
    return upload_page(round_, SignedKind.FOUNDING, None, url_for("organiser.round_council", round_id=round_.id))
