"""A certificate the issuing office signed with its own tools and uploaded, kept as the copy handed out.

It must be the platform's PDF, byte for byte, with only signatures appended (the pages drawn the same, no
annotation added but signature widgets: :func:`voting.core.pades.revisions.only_signatures_added`), its last
signature holding (:mod:`voting.core.pades.uploads`). It is stored
beside the platform's file, which stays as it was; the verification page, the producer's download and the
round's ZIP then hand out the signed copy. The caller commits.
"""
import hashlib

from flask import current_app

from certificates.operations.issuance import stored_pdf
from certificates.operations.lifecycle import require_issuer
from voting.core.errors import DomainError
from voting.core.pades.settings import settings_of
from voting.core.pades.uploads import PDF_MAGIC, check_signed_upload
from voting.core.storage import storage
from voting.operations.audit import record_event


def accept_signed_certificate(actor, certificate, data):
    """Keep ``data`` as ``certificate``'s signed copy. :raise DomainError: why not, for the uploader."""
    from voting.core.pades.revisions import prefixes

    require_issuer(actor, certificate)
    if not data.startswith(PDF_MAGIC):
        raise DomainError("upload_not_pdf")
    if not certificate.pdf_storage_name:
        raise DomainError("certificate_not_rendered")
    platform = stored_pdf(certificate)
    length = prefixes(data).get(certificate.pdf_sha256)
    if length is None or length != len(platform):
        raise DomainError("upload_not_this_certificate", number=certificate.number)
    if length == len(data):
        raise DomainError("upload_unsigned")
    accepted = check_signed_upload(data, settings_of(current_app), current_app.config.get("DOCUMENT_CHECK_SECONDS", 20),
                                   since=length)
    if not accepted.examination.signatures_only:
        raise DomainError("upload_changed", number=certificate.number)
    digest = hashlib.sha256(data).hexdigest()
    name = f"{certificate.id:08d}-signed-{digest[:16]}.pdf"
    storage("certificates").save_many([(name, data)])
    previous = certificate.signed_pdf_sha256
    certificate.signed_pdf_storage_name, certificate.signed_pdf_sha256 = name, digest
    certificate.pdf_signed_by, certificate.pdf_signed_at = accepted.signed_by, accepted.signed_at
    record_event(actor, "certificate.upload_signed", certificate, data={
        "number": certificate.number, "sha256": digest, "signed_by": accepted.signed_by,
        "replaces": previous, "platform_sha256": certificate.pdf_sha256})
    return certificate


def official_pdf(certificate):
    """The copy handed out: the uploaded signed copy when there is one (checked against its SHA-256), else the
    stored PDF."""
    if not certificate.signed_pdf_storage_name:
        return stored_pdf(certificate)
    data = storage("certificates").read(certificate.signed_pdf_storage_name)
    if hashlib.sha256(data).hexdigest() != certificate.signed_pdf_sha256:
        raise DomainError("certificate_file_changed", number=certificate.number)
    return data
