"""A PDF's revisions: where each earlier state of the file ends, and what changed after one of them.

A PDF is signed by appending: the bytes the platform issued stay the file's first bytes, and every later
signature (or edit) is a revision after them. A copy can therefore be traced to the platform's file by the
SHA-256 of one of its prefixes ending at an end-of-file marker; then whether what follows only adds signatures
(:func:`only_signatures_added`) or changes the pages.
"""
import hashlib
import re
from io import BytesIO


#: At most this many earlier states are looked at (a signed certificate has two or three).
MAX_REVISIONS = 20
_EOF = re.compile(rb"%%EOF(\r\n|\r|\n)?")


def prefixes(data):
    """``{sha256 hex: length}`` of every prefix of ``data`` that ends an earlier state of the file (after an
    ``%%EOF`` marker and its end of line, or without it), the whole file included."""
    found = {hashlib.sha256(data).hexdigest(): len(data)}
    for count, match in enumerate(_EOF.finditer(data)):
        if count >= MAX_REVISIONS:
            break
        for end in {match.start() + len(b"%%EOF"), match.end()}:
            found.setdefault(hashlib.sha256(data[:end]).hexdigest(), end)
    return found


def only_signatures_added(data, length):
    """Whether everything after the first ``length`` bytes of ``data`` only adds digital signatures: the same pages,
    drawn the same without their annotations (pdfium), and no annotation added but signature fields' widgets.

    pyHanko's difference analysis starts from a signed revision; the platform's certificates may be unsigned,
    so the file as it ends is compared with the file as the platform issued it.
    """
    if length >= len(data):
        return True
    before, after = data[:length], data
    return _drawn_pages(before) == _drawn_pages(after) and _added_annotations_are_signatures(before, after)


def _drawn_pages(data, dpi=72):
    """Each page's pixels as drawn without annotations (widgets, comments): the content only."""
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    try:
        return [page.render(scale=dpi / 72, draw_annots=False, grayscale=True).to_pil().tobytes()
                for page in document]
    finally:
        document.close()


def _added_annotations_are_signatures(before, after):
    from pypdf import PdfReader

    old, new = PdfReader(BytesIO(before)), PdfReader(BytesIO(after))
    for old_page, new_page in zip(old.pages, new.pages, strict=True):
        known = {_identity(annotation) for annotation in old_page.get("/Annots") or ()}
        for annotation in new_page.get("/Annots") or ():
            if _identity(annotation) in known:
                continue
            widget = annotation.get_object()
            field_type = widget.get("/FT") or (widget.get("/Parent") or {}).get("/FT")
            if widget.get("/Subtype") != "/Widget" or field_type != "/Sig":
                return False
    return True


def _identity(annotation):
    """An annotation as a reference (object number) where it is one, else its own dictionary's keys and rectangle."""
    reference = getattr(annotation, "idnum", None)
    if reference is not None:
        return ("ref", reference)
    widget = annotation.get_object()
    return ("inline", str(widget.get("/Subtype")), str(widget.get("/Rect")))
