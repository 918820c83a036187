"""The round's official documents signed with the authority's key (PAdES): the organiser signs, the documents'
audience downloads the signed copy (:mod:`voting.operations.signed_documents`).

The recognition decision and the minutes of a vote, with the results' files (same audience as their unsigned
PDFs); the founding decision with the council's documents (:mod:`voting.views.organiser.council_documents`),
through :func:`sign_and_return` here.
"""
from flask import abort, redirect, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from voting.core.pdf import pdf_response
from voting.forms.admin import ReasonForm
from voting.models import Decision, SignedKind
from voting.operations.signed_documents import (
    accept_signed_document, official_copy, sign_round_document, stored_copy,
)
from voting.models import FileKind
from voting.views.files import upload_endpoint
from voting.views.results.pages import open_round, results_required, round_child
from voting.views.signed_upload import signed_upload_page
from voting.views.transactions import committing

VOTE_KINDS = {"decision": SignedKind.DECISION, "minutes": SignedKind.MINUTES}
NAMES = {SignedKind.DECISION: "quyet-dinh-cong-nhan-{round}-{n}-ky-so.pdf",
         SignedKind.MINUTES: "bien-ban-hop-hoi-dong-{round}-{n}-ky-so.pdf",
         SignedKind.FOUNDING: "quyet-dinh-thanh-lap-hoi-dong-{round}-ky-so.pdf"}
SIGNED = {SignedKind.DECISION: _l("Đã ký số Quyết định công nhận; bản ký số là bản chính thức để tải về."),
          SignedKind.MINUTES: _l("Đã ký số Biên bản họp Hội đồng."),
          SignedKind.FOUNDING: _l("Đã ký số Quyết định thành lập Hội đồng.")}


def sign_and_return(round_, kind, decision, back):
    """Sign (the form is a bare confirmation), commit or flash the refusal, and go ``back``."""
    if not ReasonForm().validate_on_submit():
        abort(400)
    with committing(str(SIGNED[kind])):
        sign_round_document(current_user, round_, kind, decision)
    return redirect(back)


@results_required
def sign_vote_document(round_id, decision_id, kind):
    """Sign the recognition decision or the minutes of a vote (the round's organisers)."""
    round_ = open_round(round_id, "organiser")
    kind = VOTE_KINDS.get(kind) or abort(404)
    decision = round_child(round_, Decision, decision_id)
    return sign_and_return(round_, kind, decision, url_for("results.view", round_id=round_.id))


@results_required
def signed_vote_document(round_id, decision_id, kind):
    """The signed copy of a vote's decision or minutes; 404 until one is signed."""
    round_ = open_round(round_id)
    kind = VOTE_KINDS.get(kind) or abort(404)
    decision = round_child(round_, Decision, decision_id)
    row = official_copy(round_.id, kind, decision.id) or abort(404)
    return pdf_response(stored_copy(row), NAMES[kind].format(round=round_.id, n=decision.sequence))


UPLOADED = {SignedKind.DECISION: _l("Đã nhận bản ký số của Quyết định công nhận; đó là bản chính thức để tải về."),
            SignedKind.MINUTES: _l("Đã nhận bản ký số của Biên bản họp Hội đồng."),
            SignedKind.FOUNDING: _l("Đã nhận bản ký số của Quyết định thành lập Hội đồng.")}
HEADINGS = {SignedKind.DECISION: _l("Tải lên Quyết định công nhận đã ký số"),
            SignedKind.MINUTES: _l("Tải lên Biên bản họp Hội đồng đã ký số"),
            SignedKind.FOUNDING: _l("Tải lên Quyết định thành lập Hội đồng đã ký số")}


def upload_page(round_, kind, decision, back):
    """The upload page of ``kind`` (:func:`voting.views.signed_upload.signed_upload_page`) for the round's organiser."""
    from voting.rules.signed_facts import expected_facts

    try:
        facts = expected_facts(kind, round_, decision)
    except (ValueError, AttributeError):
        facts = []
    return signed_upload_page(lambda data: accept_signed_document(current_user, round_, kind, decision, data),
                              heading=str(HEADINGS[kind]), subject=round_.title, back=back,
                              done=str(UPLOADED[kind]), facts=facts)


@results_required
@upload_endpoint(FileKind.DOCUMENT)
def upload_vote_document(round_id, decision_id, kind):
    """Upload the recognition decision or the minutes of a vote signed with the office's own tools."""
    round_ = open_round(round_id, "organiser")
    kind = VOTE_KINDS.get(kind) or abort(404)
    decision = round_child(round_, Decision, decision_id)
    if kind == SignedKind.DECISION and not decision.is_decided:
        abort(404)
    return upload_page(round_, kind, decision, url_for("results.view", round_id=round_.id))
