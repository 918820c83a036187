"""What an uploaded signed PDF must show before the platform keeps it as an official copy (issue 22).

An office that signs with its own tools (the government CA's client, a token's software) uploads the result.
The platform reads it in a child process with a time limit and accepts it only when its last signature holds:
the bytes unchanged since, the signer's certificate chaining to the trust roots and not revoked (where the
revocation data is at hand), a signing time stated. What the document must match is the caller's business (the
platform's bytes for a certificate, the recorded facts for a decision or minutes).
"""
from dataclasses import dataclass

from voting.core.errors import DomainError

PDF_MAGIC = b"%PDF-"


@dataclass(frozen=True)
class AcceptedSignature:
    signed_by: str
    signed_at: object  # datetime: the timestamp authority's time when there is one, else the signer's
    examination: object  # voting.core.pades.time_limit.Examination


def check_signed_upload(data, settings, seconds, since=None, text=False):
    """The upload's last signature, checked. :raise DomainError: with the reason's code (for the uploader)."""
    from voting.core.pades.time_limit import TooSlow, examine_within
    from voting.core.pades.validation import NotAPdf

    if not data.startswith(PDF_MAGIC):
        raise DomainError("upload_not_pdf")
    try:
        examination = examine_within(data, settings, seconds, since=since, text=text)
    except TooSlow:
        raise DomainError("upload_too_slow") from None
    except NotAPdf:
        raise DomainError("upload_unreadable") from None
    if not examination.findings:
        raise DomainError("upload_unsigned")
    last = examination.findings[-1]
    if last.revoked:
        raise DomainError("upload_signer_revoked", signer=last.signer_name)
    if not (last.intact and last.valid and last.unchanged_since):
        raise DomainError("upload_signature_broken")
    if not last.trusted:
        raise DomainError("upload_signer_untrusted", signer=last.signer_name)
    moment = last.timestamp_time or last.signing_time
    if moment is None:
        raise DomainError("upload_no_signing_time")
    return AcceptedSignature(last.signer_name, moment, examination)
