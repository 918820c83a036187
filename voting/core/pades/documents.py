"""Signing a laid-out document (a WeasyPrint document carrying the stamp's box) where its stamp is."""
from voting.core.pades.stamp import find_stamp


def sign_laid_out(document, opened, settings, *, reason, location=None):
    """The document written to PDF and signed in its stamp's box: a :class:`~voting.core.pades.signing.SignedPdf`.

    :raise RuntimeError: the document has no stamp box (a signature nobody could see is not made).
    """
    from voting.core.pades.signing import sign_pdf

    found = find_stamp(document)
    if found is None:
        raise RuntimeError("the document has no place for the digital signature (no stamp anchor)")
    page, box = found
    return sign_pdf(document.write_pdf(), opened, settings, box=box, page=page, reason=reason, location=location)
