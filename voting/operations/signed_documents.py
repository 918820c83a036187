"""A round's official documents signed with the issuing authority's key (PAdES) and kept as its official copies,
signed here or by the office with its own tools and uploaded.

The organiser signs the recognition decision (with its annex), the minutes of a vote, or the decision founding the
council, where the round's authority signs on the server (``DOCUMENT_SIGNERS_FILE``): the document is laid out
with the stamp in its signer block, signed, stored once with its SHA-256, and recorded; signing again adds a
newer copy and keeps the older ones. The caller commits.
"""
import hashlib

from flask import current_app
from sqlalchemy import select

from voting.core.errors import DomainError
from voting.core.pades.settings import authority_signer, settings_of, signs_on_server
from voting.core.pades.stamp import StampLines
from voting.core.storage import storage
from voting.documents.authority_images import seal_data_uri
from voting.extensions import db
from voting.models import SignedDocument, SignedKind, SignedOrigin
from voting.operations.audit import record_event
from voting.rules.permissions import can_manage_round

STORAGE_AREA = "certificates"  # with the certificates' PDFs: backed up alike, never served directly
REASONS = {SignedKind.DECISION: "Ban hành Quyết định công nhận", SignedKind.MINUTES: "Xác nhận Biên bản họp Hội đồng",
           SignedKind.FOUNDING: "Ban hành Quyết định thành lập Hội đồng"}


def laid_out(kind, round_, decision, lines):
    """The WeasyPrint document of ``kind`` with ``lines`` in its stamp. :raise ValueError: not ready to print."""
    if kind == SignedKind.DECISION:
        from voting.documents.decision import decision_doc, decision_document
        from voting.documents.reports import decision_list_doc

        if decision is None or not decision.is_decided:
            raise ValueError("the decision is not decided")
        return decision_document(decision_doc(decision), decision_list_doc(decision), digital=lines)
    if kind == SignedKind.MINUTES:
        from voting.documents.minutes import minutes_doc, minutes_document

        return minutes_document(minutes_doc(decision), digital=lines)
    from voting.documents.council_decisions import council_decision_document, founding_decision_doc

    return council_decision_document(founding_decision_doc(round_), digital=lines)


def sign_round_document(actor, round_, kind, decision=None):
    """Sign ``kind`` of ``round_`` (of ``decision`` for a decision or minutes) with the authority's key; the new row.

    :raise DomainError: not the round's organiser; the authority does not sign here; the document is not ready;
        the key cannot sign (the reason goes to the log, for the administrator).
    """
    from voting.core.pades.documents import sign_laid_out
    from voting.core.pades.signers import KeyUnavailable
    from voting.core.pades.signing import SigningRefused

    kind = SignedKind(kind)
    _check_may_sign(actor, round_, kind, decision)
    authority = round_.authority
    try:
        opened = authority_signer(current_app, authority.code if authority else None)
        if opened is None:
            raise DomainError("authority_signs_elsewhere")
        try:
            lines = StampLines(opened.subject_name, authority.name, seal=seal_data_uri(authority))
            document = laid_out(kind, round_, decision, lines)
        except ValueError:
            raise DomainError("document_not_ready") from None
        signed = sign_laid_out(document, opened, settings_of(current_app), reason=REASONS[kind],
                               location=authority.place_name or None)
    except (KeyUnavailable, SigningRefused) as error:
        current_app.logger.error("signing %s of round %s: %s", kind, round_.id, error)
        raise DomainError("signing_failed") from None
    return _keep(actor, round_, kind, decision, signed.data, SignedOrigin.SERVER, signed.signed_by, signed.signed_at,
                 "document.sign")


class FactsDiffer(DomainError):
    """The uploaded copy does not carry the facts the platform records; ``compared`` says which, side by side."""

    code = "upload_facts_differ"

    def __init__(self, compared):
        super().__init__(self.code)
        self.compared = compared


def accept_signed_document(actor, round_, kind, decision, data):
    """Keep ``data``, the office's own signed copy of ``kind``, as the document's official copy; the new row.

    The copy may differ from the platform's PDF (an office amends the .docx before signing) but must carry the
    identifying facts the platform records (:mod:`voting.rules.signed_facts`), and its last signature must hold.

    :raise FactsDiffer: facts missing, with the comparison. :raise DomainError: anything else, in words.
    """
    from voting.core.pades.uploads import check_signed_upload
    from voting.rules.signed_facts import compare, expected_facts

    kind = SignedKind(kind)
    _check_may_sign(actor, round_, kind, decision)
    try:
        facts = expected_facts(kind, round_, decision)
    except (ValueError, AttributeError):
        raise DomainError("document_not_ready") from None
    if kind == SignedKind.DECISION and not decision.is_decided:
        raise DomainError("document_not_ready")
    accepted = check_signed_upload(data, settings_of(current_app),
                                   current_app.config.get("DOCUMENT_CHECK_SECONDS", 20), text=True)
    compared = compare(facts, accepted.examination.text)
    if not all(item.found for item in compared):
        raise FactsDiffer(compared)
    return _keep(actor, round_, kind, decision, data, SignedOrigin.UPLOAD, accepted.signed_by, accepted.signed_at,
                 "document.upload_signed")


def _check_may_sign(actor, round_, kind, decision):
    if not can_manage_round(actor, round_):
        raise DomainError("organiser_only")
    if (kind == SignedKind.FOUNDING) != (decision is None):
        raise ValueError("a decision or minutes belong to a vote; the founding decision to the round")


def _keep(actor, round_, kind, decision, data, origin, signed_by, signed_at, action):
    """Store ``data`` once under a name of its own and record it as the document's latest official copy."""
    digest = hashlib.sha256(data).hexdigest()
    name = f"signed-{kind}-{round_.id}-{decision.id if decision else 0}-{digest[:16]}.pdf"
    storage(STORAGE_AREA).save_many([(name, data)])
    row = SignedDocument(kind=kind, round_id=round_.id, decision_id=decision.id if decision else None,
                         origin=origin, storage_name=name, sha256=digest, signed_by=signed_by, signed_at=signed_at,
                         created_by_id=actor.id if actor else None)
    db.session.add(row)
    db.session.flush()
    record_event(actor, action, round_, data={"kind": str(kind), "decision_id": row.decision_id,
                                              "signed_by": signed_by, "sha256": digest})
    return row


def signs_here(round_):
    """Whether the round's authority signs on the server (its key is named in ``DOCUMENT_SIGNERS_FILE``)."""
    return round_.authority is not None and signs_on_server(current_app, round_.authority.code)


def official_copy(round_id, kind, decision_id=None):
    """The latest signed copy of a document, or None."""
    return db.session.scalar(select(SignedDocument).where(
        SignedDocument.round_id == round_id, SignedDocument.kind == SignedKind(kind),
        SignedDocument.decision_id.is_(None) if decision_id is None else SignedDocument.decision_id == decision_id)
        .order_by(SignedDocument.id.desc()).limit(1))


def official_copies(round_id):
    """The latest signed copy of each of the round's documents: ``{(kind, decision_id): SignedDocument}``."""
    rows = db.session.scalars(select(SignedDocument).where(SignedDocument.round_id == round_id)
                              .order_by(SignedDocument.id)).all()
    return {(row.kind, row.decision_id): row for row in rows}


def stored_copy(row):
    """The signed PDF's bytes, checked against the recorded SHA-256 (a changed file is an error, not served)."""
    data = storage(STORAGE_AREA).read(row.storage_name)
    if hashlib.sha256(data).hexdigest() != row.sha256:
        raise DomainError("signed_document_changed")
    return data
