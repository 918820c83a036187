"""Checking the signatures of a PDF with pyHanko's validator: integrity, chain to the trust roots, revocation, time.

A finding is plain values, so that a page, the API or a test can say what it means without pyHanko.
"""
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO

from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation.status import SignatureCoverageLevel

from voting.core.pades.signers import common_name
from voting.core.pades.signing import validation_context


class NotAPdf(ValueError):
    """The bytes are not a PDF pyHanko can read."""


@dataclass(frozen=True)
class SignatureFinding:
    """One signature of a document, as validated."""

    field_name: str
    intact: bool  # the signed bytes are unchanged
    valid: bool  # the signature over them checks with the certificate's key
    trusted: bool  # the certificate chains to a trust root, and is neither expired nor revoked at signing
    revoked: bool
    signer_name: str
    signing_time: datetime | None  # as the signer's computer stated it
    timestamp_time: datetime | None  # as a timestamp authority attests it (B-T), if any
    #: Nothing was added after this signature but later signatures and validation data (revocation data, a
    #: document timestamp: B-LT): a later revision changing the page or adding annotations, and this is False.
    unchanged_since: bool
    problem: str | None  # pyHanko's summary of what failed, for a log; None when all holds

    @property
    def holds(self):
        return self.intact and self.valid and self.trusted and not self.revoked and self.unchanged_since


def check_signatures(data, settings):
    """The findings for every signature of the PDF ``data``, in document order (none: not signed).

    :raise NotAPdf: not a PDF pyHanko can read.
    """
    try:
        reader = PdfFileReader(BytesIO(data), strict=False)
        embedded = list(reader.embedded_signatures)
    except (PdfReadError, ValueError, KeyError, TypeError) as error:
        raise NotAPdf(str(error)) from None
    return [_finding(signature, settings) for signature in embedded]


def _finding(signature, settings):
    status = validate_pdf_signature(signature, signer_validation_context=validation_context(settings))
    timestamp = status.timestamp_validity
    revoked = status.revocation_details is not None
    return SignatureFinding(
        field_name=signature.field_name, intact=bool(status.intact), valid=bool(status.valid),
        trusted=bool(status.trusted), revoked=revoked, signer_name=common_name(status.signing_cert),
        signing_time=status.signer_reported_dt,
        timestamp_time=timestamp.timestamp if timestamp is not None and timestamp.valid else None,
        unchanged_since=_unchanged_since(status),
        problem=None if status.bottom_line and not revoked else status.summary())


def _unchanged_since(status):
    if status.coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return True
    return (status.coverage == SignatureCoverageLevel.ENTIRE_REVISION and bool(status.docmdp_ok)
            and status.modification_level is not None and status.modification_level <= ModificationLevel.FORM_FILLING)
