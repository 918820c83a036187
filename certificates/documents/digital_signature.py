"""Certificates signed with their issuing authority's key (PAdES), where the authority signs on the server.

:func:`stamped` gives a certificate's page the visible signature's fixed lines, :func:`sign_pages` signs the
single-page PDFs cut from a batch. An authority not named in ``DOCUMENT_SIGNERS_FILE`` gets its certificates
unsigned, as before; a key that is named but cannot be opened stops the issuance with the reason (a
certificate is never stored unsigned by mistake, nor with a stamp and no signature).
"""
from dataclasses import dataclass, replace
from datetime import datetime

from flask import current_app

from voting.core.pades.settings import authority_signer, settings_of
from voting.core.pades.stamp import StampLines


@dataclass(frozen=True)
class RenderedPdf:
    """A certificate's PDF as issuance stores it, with its digital signature's signer and time when signed."""

    data: bytes
    signed_by: str | None = None
    signed_at: datetime | None = None


def signer_of(authority_code):
    """The authority's opened key, or None: it does not sign here (:func:`~voting.core.pades.settings.authority_signer`)."""
    return authority_signer(current_app, authority_code)


def stamped(doc):
    """``doc`` with its digital signature's lines when its authority signs here, else ``doc`` itself."""
    opened = signer_of(doc.authority_code)
    if opened is None:
        return doc
    return replace(doc, digital_stamp=StampLines(signed_by=opened.subject_name, authority=doc.authority_name,
                                                 seal=doc.seal_data_uri))


def sign_pages(parts, docs, boxes):
    """Each single-page PDF of ``parts`` as a :class:`RenderedPdf`, signed for its certificate in ``docs`` in its
    stamp's box where the certificate has a stamp.

    :param boxes: per page, the stamp's box the layout reported (:func:`~voting.core.pades.stamp.stamp_box`).
    """
    from voting.core.pades.signing import sign_pdf

    settings = settings_of(current_app)
    signed = []
    for part, doc, box in zip(parts, docs, boxes, strict=True):
        if doc.digital_stamp is None:
            signed.append(RenderedPdf(part))
            continue
        if box is None:  # the template lost the stamp's anchor: a signature nobody could see is not issued
            raise RuntimeError(f"certificate {doc.number}: no place for the digital signature on its page")
        result = sign_pdf(part, signer_of(doc.authority_code), settings, box=box,
                          reason=f"Cấp Giấy chứng nhận số {doc.number}", location=doc.place)
        signed.append(RenderedPdf(result.data, result.signed_by, result.signed_at))
    return signed
