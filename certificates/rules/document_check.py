"""What a PDF dropped on the public check page is: a certificate or an official document the platform issued,
unchanged, signed after, or changed after; and whose signatures it carries (issue 22).

The platform's own files are found by the SHA-256 of the whole file or of one of its earlier states
(:func:`voting.core.pades.revisions.prefixes`): a copy signed after download still starts with the platform's
bytes. The PDF itself is read in a child process with a time limit (:mod:`voting.core.pades.time_limit`).
"""
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from certificates.models import Certificate
from voting.core.pades.revisions import prefixes
from voting.core.pades.settings import settings_of
from voting.core.pades.time_limit import examine_within
from voting.extensions import db
from voting.models import SignedDocument

#: The verdicts, worst last.
ISSUED, SIGNED_AFTER, CHANGED_AFTER, UNKNOWN = "issued", "signed_after", "changed_after", "unknown"


@dataclass(frozen=True)
class DocumentCheck:
    verdict: str
    findings: list  # voting.core.pades.validation.SignatureFinding, in document order
    certificate: Certificate | None = None
    document: SignedDocument | None = None

    @property
    def trusted_signatures(self):
        return [finding for finding in self.findings if finding.holds]

    @property
    def issuer_signed(self):
        """The issuing authority's own signature holds on it: the one the platform recorded for this certificate or
        document (signed here, or uploaded by its office), by name. None: there is no such record to compare."""
        recorded = (self.certificate.pdf_signed_by if self.certificate is not None
                    else self.document.signed_by if self.document is not None else None)
        if not recorded:
            return None
        return any(finding.signer_name == recorded for finding in self.trusted_signatures)


def platform_file(data):
    """``(length, certificate, signed document)`` of the longest prefix of ``data`` that is a file the platform
    stored, or ``(None, None, None)``."""
    found = prefixes(data)
    digests = list(found)
    certificates = db.session.scalars(select(Certificate).where(
        or_(Certificate.pdf_sha256.in_(digests), Certificate.signed_pdf_sha256.in_(digests)))
        .options(joinedload(Certificate.authority))).all()
    documents = db.session.scalars(select(SignedDocument).where(SignedDocument.sha256.in_(digests))).all()
    best = max([(found[digest], c, None) for c in certificates for digest in (c.pdf_sha256, c.signed_pdf_sha256)
                if digest in found]
               + [(found[d.sha256], None, d) for d in documents], key=lambda match: match[0], default=None)
    return best or (None, None, None)


def check_document(data, seconds=None):
    """Identify and check ``data``. :raise voting.core.pades.time_limit.TooSlow: :raise ...validation.NotAPdf:."""
    seconds = seconds or current_app.config.get("DOCUMENT_CHECK_SECONDS", 20)
    length, certificate, document = platform_file(data)
    examination = examine_within(data, settings_of(current_app), seconds,
                                 since=length if length is not None and length < len(data) else None)
    if length is None:
        verdict = UNKNOWN
    elif length == len(data):
        verdict = ISSUED
    else:
        verdict = SIGNED_AFTER if examination.signatures_only else CHANGED_AFTER
    return DocumentCheck(verdict, examination.findings, certificate, document)
